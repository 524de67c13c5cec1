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
from graph_schema import RelType
from graph_store import Batch, GraphStore
from scrgraph.settings import load_settings
from tests import synthetic as syn

_rels = syn.rel_rows  # the name tests/api/test_fields.py imports


def small_graph() -> Batch:
    """Two boards, four reviews (one restricted, one withdrawn), and what hangs off them."""
    # as a corpus's boards and agencies files declare them: public vocabulary
    boards = [
        syn.board("b1", "Northby LSCB", "lscb", region="North East", declared=True),
        syn.board("b2", "Southby Partnership", "partnership", region="South", declared=True),
    ]
    reviews = [
        syn.review(
            "rv1", "Child W", "b1", 2012, summary="Information sharing failed between agencies."
        ),
        syn.review("rv2", "Family U", "b1", 2016, summary="Neglect and drift."),
        syn.review(
            "rv3",
            "Child Secret",
            "b2",
            2018,
            status="restricted",
            summary="Hidden man, information sharing.",
        ),
        syn.review(
            "rv4",
            "Child Gone",
            "b2",
            2020,
            review_type="lcspr",
            status="withdrawn",
            summary="Withdrawn report.",
        ),
    ]
    recs = [
        syn.recommendation(
            f"{rv['id']}-r{i}",
            rv["id"],
            str(i),
            f"Agencies must improve information sharing ({rv['title']} {i}).",
            "open_awaiting_response" if i == 1 else "closed_acceptable_action",
            year=rv["year"],
            board_id=rv["board_id"],
        )
        for rv in reviews
        for i in (1, 2)
    ]
    sectors = [syn.sector("police", "Police"), syn.sector("health", "Health")]
    agencies = [
        syn.agency("ag-pol", "Northby Police", "police", declared=True),
        syn.agency("ag-hv", "Health visiting", "health", declared=True),
    ]
    themes = [
        syn.theme("information_sharing", "Information sharing"),
        syn.theme("neglect", "Neglect"),
        syn.theme("hidden_man", "Hidden man"),
    ]
    actions = [
        syn.action(
            f"act-{r['id']}",
            r["id"],
            f"Train staff ({r['id']})",
            "completed" if r["number"] == "2" else "in_progress",
            owner_agency_id="ag-pol",
            due_date=f"{r['year'] + 1}-03-31",
        )
        for r in recs
    ]
    audits = [
        syn.audit(
            f"aud-{a['id']}",
            a["id"],
            a["due_date"],
            "board_qa",
            "embedded",
            finding="Practice has changed.",
        )
        for a in actions
        if a["status"] == "completed"
    ]
    rels = [
        syn.from_fields(RelType.COMMISSIONED, reviews),
        syn.rel(RelType.SUCCEEDED_BY, [("b1", "b2")], year=2019),
        syn.from_fields(RelType.MAKES, recs),
        syn.rel(
            RelType.ADDRESSED_TO, [(r["id"], "ag-pol") for r in recs] + [(recs[0]["id"], "ag-hv")]
        ),
        syn.from_fields(RelType.IN_SECTOR, agencies),
        syn.rel(
            RelType.RAISES,
            [(r["id"], "information_sharing") for r in reviews]
            + [("rv2", "neglect"), ("rv3", "hidden_man")],
        ),
        syn.rel(
            RelType.TAGGED,
            [(r["id"], "information_sharing") for r in recs] + [("rv3-r1", "hidden_man")],
        ),
        syn.from_fields(RelType.RESPONDS_TO, actions),
        syn.rel(RelType.OWNED_BY, [(a["id"], "ag-pol") for a in actions]),
        syn.from_fields(RelType.CHECKS, audits),
        syn.rel(RelType.SIMILAR_TO, [("rv1-r1", "rv3-r1"), ("rv1-r1", "rv2-r1")], score=0.9),
    ]
    nodes = syn.node_writes(boards, reviews, recs, sectors, agencies, themes, actions, audits)
    return Batch(nodes=nodes, rels=rels)


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
