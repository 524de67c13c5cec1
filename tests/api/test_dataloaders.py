"""A page of 100 recommendations with review, board, themes and actions costs a fixed number
of backend calls, whatever the page size (DataLoaders per request)."""

from __future__ import annotations

from typing import Any

import pytest

import queries
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeWrite, RelWrite
from tests.api.conftest import Api, make_api

QUERY = """{ recommendations(first: 100) { totalCount edges { node {
  key text review { key title board { key name } }
  themes { edges { node { key label } } }
  actions { totalCount edges { node { key status } } } } } } }"""


def _graph(n: int) -> Batch:
    reviews = [
        {
            "id": f"rv{i}",
            "title": f"R{i}",
            "board_id": f"b{i % 3}",
            "year": 2010 + i % 10,
            "review_type": "scr",
            "status": "published",
        }
        for i in range(n // 4)
    ]
    recs = [
        {
            "id": f"rec{i}",
            "review_id": f"rv{i // 4}",
            "number": str(i % 4),
            "text": f"Do {i}",
            "status": "open_awaiting_response",
            "year": 2010,
        }
        for i in range(n)
    ]
    actions = [
        {
            "id": f"act{i}",
            "recommendation_id": f"rec{i}",
            "description": "x",
            "status": "in_progress",
        }
        for i in range(n)
    ]
    return Batch(
        nodes=[
            NodeWrite(
                Label.BOARD,
                [{"id": f"b{i}", "name": f"Board {i}", "kind": "lscb"} for i in range(3)],
            ),
            NodeWrite(
                Label.THEME,
                [
                    {"id": f"t{i}", "label": f"T{i}", "category": "practice", "kind": "practice"}
                    for i in range(5)
                ],
            ),
            NodeWrite(Label.REVIEW, reviews),
            NodeWrite(Label.RECOMMENDATION, recs),
            NodeWrite(Label.ACTION, actions),
        ],
        rels=[
            RelWrite(
                RelType.COMMISSIONED, [{"start": r["board_id"], "end": r["id"]} for r in reviews]
            ),
            RelWrite(RelType.MAKES, [{"start": r["review_id"], "end": r["id"]} for r in recs]),
            RelWrite(
                RelType.TAGGED, [{"start": r["id"], "end": f"t{i % 5}"} for i, r in enumerate(recs)]
            ),
            RelWrite(
                RelType.RESPONDS_TO,
                [{"start": a["id"], "end": a["recommendation_id"]} for a in actions],
            ),
        ],
    )


def test_backend_calls_are_fixed(
    store: GraphStore, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write(_graph(120))
    api: Api = next(make_api(store, tmp_path))
    calls: list[str] = []
    real = queries.run

    def counting(s: GraphStore, name: str, params: Any, viewer: Any = queries.PUBLIC) -> Any:
        calls.append(name)
        return real(s, name, params, viewer)

    monkeypatch.setattr(queries, "run", counting)
    data = api.gql(QUERY)["data"]["recommendations"]
    assert data["totalCount"] == 120 and len(data["edges"]) == 100
    assert all(e["node"]["review"]["board"] for e in data["edges"])
    # one list + one neighbours call per relationship level: review, board, themes, actions
    assert len(calls) == 5, calls
    metrics = api.client.get("/metrics").text
    assert "scrgraph_backend_calls_total 5" in metrics
