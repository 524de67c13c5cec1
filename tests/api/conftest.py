"""API fixtures: a small hand-built graph on each backend, an in-process client, keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from starlette.types import ASGIApp

from gql_api import create_app
from gql_api.auth import create_key
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeWrite, RelWrite
from scrgraph.settings import load_settings


def _rels(pairs: list[tuple[str, str]], **props: Any) -> list[dict[str, Any]]:
    return [{"start": s, "end": e, "props": dict(props)} for s, e in pairs]


def small_graph() -> Batch:
    """Two boards, four reviews (one restricted, one withdrawn), and what hangs off them."""
    boards = [
        {"id": "b1", "name": "Northby LSCB", "kind": "lscb", "region": "North East"},
        {"id": "b2", "name": "Southby Partnership", "kind": "partnership", "region": "South"},
    ]
    reviews = [
        {
            "id": "rv1",
            "title": "Child W",
            "board_id": "b1",
            "year": 2012,
            "review_type": "scr",
            "status": "published",
            "summary": "Information sharing failed between agencies.",
        },
        {
            "id": "rv2",
            "title": "Family U",
            "board_id": "b1",
            "year": 2016,
            "review_type": "scr",
            "status": "published",
            "summary": "Neglect and drift.",
        },
        {
            "id": "rv3",
            "title": "Child Secret",
            "board_id": "b2",
            "year": 2018,
            "review_type": "scr",
            "status": "restricted",
            "summary": "Hidden man, information sharing.",
        },
        {
            "id": "rv4",
            "title": "Child Gone",
            "board_id": "b2",
            "year": 2020,
            "review_type": "lcspr",
            "status": "withdrawn",
            "summary": "Withdrawn report.",
        },
    ]
    recs = []
    for rv in reviews:
        for i in (1, 2):
            recs.append(
                {
                    "id": f"{rv['id']}-r{i}",
                    "review_id": rv["id"],
                    "number": str(i),
                    "text": f"Agencies must improve information sharing ({rv['title']} {i}).",
                    "status": "open_awaiting_response" if i == 1 else "closed_acceptable_action",
                    "year": rv["year"],
                    "board_id": rv["board_id"],
                    "level": "multi_agency",
                }
            )
    sectors = [{"id": "police", "label": "Police"}, {"id": "health", "label": "Health"}]
    agencies = [
        {"id": "ag-pol", "name": "Northby Police", "sector": "police"},
        {"id": "ag-hv", "name": "Health visiting", "sector": "health"},
    ]
    themes = [
        {
            "id": "information_sharing",
            "label": "Information sharing",
            "category": "practice",
            "kind": "practice",
        },
        {"id": "neglect", "label": "Neglect", "category": "practice", "kind": "practice"},
        {"id": "hidden_man", "label": "Hidden man", "category": "practice", "kind": "practice"},
    ]
    actions = [
        {
            "id": f"act-{r['id']}",
            "recommendation_id": r["id"],
            "owner_agency_id": "ag-pol",
            "description": f"Train staff ({r['id']})",
            "due_date": f"{r['year'] + 1}-03-31",
            "status": "completed" if r["number"] == "2" else "in_progress",
        }
        for r in recs
    ]
    audits = [
        {
            "id": f"aud-{a['id']}",
            "action_id": a["id"],
            "date": a["due_date"],
            "auditor": "board_qa",
            "rating": "embedded",
            "finding": "Practice has changed.",
        }
        for a in actions
        if a["status"] == "completed"
    ]
    # as a corpus's boards and agencies files declare them: public vocabulary
    for row in [*boards, *agencies]:
        row["declared"] = True
    return Batch(
        nodes=[
            NodeWrite(Label.BOARD, boards),
            NodeWrite(Label.REVIEW, reviews),
            NodeWrite(Label.RECOMMENDATION, recs),
            NodeWrite(Label.SECTOR, sectors),
            NodeWrite(Label.AGENCY, agencies),
            NodeWrite(Label.THEME, themes),
            NodeWrite(Label.ACTION, actions),
            NodeWrite(Label.AUDIT, audits),
        ],
        rels=[
            RelWrite(RelType.COMMISSIONED, _rels([(r["board_id"], r["id"]) for r in reviews])),
            RelWrite(RelType.SUCCEEDED_BY, _rels([("b1", "b2")], year=2019)),
            RelWrite(RelType.MAKES, _rels([(r["review_id"], r["id"]) for r in recs])),
            RelWrite(
                RelType.ADDRESSED_TO,
                _rels([(r["id"], "ag-pol") for r in recs] + [(recs[0]["id"], "ag-hv")]),
            ),
            RelWrite(RelType.IN_SECTOR, _rels([(a["id"], a["sector"]) for a in agencies])),
            RelWrite(
                RelType.RAISES,
                _rels(
                    [(r["id"], "information_sharing") for r in reviews]
                    + [("rv2", "neglect"), ("rv3", "hidden_man")]
                ),
            ),
            RelWrite(
                RelType.TAGGED,
                _rels(
                    [(r["id"], "information_sharing") for r in recs] + [("rv3-r1", "hidden_man")]
                ),
            ),
            RelWrite(
                RelType.RESPONDS_TO, _rels([(a["id"], a["recommendation_id"]) for a in actions])
            ),
            RelWrite(RelType.OWNED_BY, _rels([(a["id"], "ag-pol") for a in actions])),
            RelWrite(RelType.CHECKS, _rels([(a["id"], a["action_id"]) for a in audits])),
            RelWrite(
                RelType.SIMILAR_TO, _rels([("rv1-r1", "rv3-r1"), ("rv1-r1", "rv2-r1")], score=0.9)
            ),
        ],
    )


class Client:
    """A synchronous face on httpx's ASGI transport: each call runs the app in-process."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                return await c.request(method, url, **kwargs)

        return anyio.run(go)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@dataclass
class Api:
    """An in-process client on the app, with keys for each role."""

    client: Client
    keys: dict[str, str]
    store: GraphStore

    def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        role: str | None = None,
        expect_errors: bool = False,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.keys[role]}"} if role else {}
        res = self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = res.json()
        if not expect_errors:
            assert res.status_code == 200, body
            assert "errors" not in body, body["errors"]
        return body


def make_api(store: GraphStore, tmp_path: Path, **env: str) -> Iterator[Api]:
    keys_file = tmp_path / "keys.json"
    keys = {
        "analyst": create_key(keys_file, "analyst", "analyst-open"),
        "restricted": create_key(keys_file, "analyst", "analyst-restricted", restricted=True),
        "inspector": create_key(keys_file, "inspector", "inspector-1", restricted=True),
        "inspector_open": create_key(keys_file, "inspector", "inspector-open"),
        "admin": create_key(keys_file, "admin", "admin-1"),
    }
    # A generous request timeout: on the shared 2-core machine a Neo4j briefing under a load
    # average of 10+ took longer than the 10 s default and the test read a TIMEOUT. The tests of
    # the timeout itself pass their own SCRGRAPH_REQUEST_TIMEOUT.
    base = {"SCRGRAPH_KEYS": str(keys_file), "SCRGRAPH_REQUEST_TIMEOUT": "120"}
    settings = load_settings({**base, **env}, environ={})
    yield Api(Client(create_app(settings, store)), keys, store)


@pytest.fixture
def small_store(store: GraphStore) -> GraphStore:
    store.write(small_graph())
    return store


@pytest.fixture
def api(small_store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(small_store, tmp_path)


@pytest.fixture
def a_real_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every named query raises an unexpected error: what a server bug looks like to the API."""
    import queries

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a real bug")

    monkeypatch.setattr(queries, "run", boom)
