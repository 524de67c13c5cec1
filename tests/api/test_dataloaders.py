"""A page of 100 recommendations with review, board, themes and actions costs a fixed number
of backend calls, whatever the page size (DataLoaders per request)."""

from __future__ import annotations

from typing import Any

import pytest

import queries
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, Neo4jStore, NodeWrite, RelWrite
from tests.api.conftest import Api, make_api

QUERY = """{ recommendations(first: 100) { totalCount edges { node {
  key text review { key title board { key name } }
  themes { key label }
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
    if isinstance(store, Neo4jStore):
        # the list fetches the page's review, board, themes and actions in its own statement
        assert calls == ["entities.list"], calls
    else:
        # one list + one neighbours call per relationship level: review, board, themes, actions
        assert len(calls) == 5, calls
    metrics = api.client.get("/metrics").text
    assert f"scrgraph_backend_calls_total {len(calls)}" in metrics


# Requests whose nested edges a list or `node` fetches in its own statement (on Neo4j).
LOOKAHEAD = [
    """{ recommendations(first: 100, sort: ID) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { key text verdict review { key title status board { key name
      reviews { totalCount edges { node { key status } } } } }
      themes { key label } agencies { key name }
      actions { totalCount edges { node { key status audits { key rating }
      owner { key } } } } } } } }""",
    """{ reviews(sort: NEWEST) { edges { node { key status board { key }
      themes { totalCount edges { node { key } } }
      recommendations(first: 1, sort: ID, descending: true) { totalCount
        edges { node { key agencies { key sector { key } } } } } } } } }""",
    """{ boards { edges { node { key reviews { edges { node { key
      recommendations { edges { node { key } } } } } } } } } }""",
    """{ agencies { totalCount edges { node { key sector { key }
      actions { edges { node { key recommendation { key } } } } } } } }""",
    """{ recommendations(filter: {board: "b1"}) { edges { node { key ...R } } } }
    fragment R on Recommendation { review { key board { key } } themes { key } }""",
]
NODE = """query($id: ID!) { node(id: $id) { id ... on Recommendation { key status
  review { key year board { key name } } themes { key label }
  agencies { key name } actions { edges { node { key status dueDate } } } }
  ... on Review { key board { key } recommendations { edges { node { key } } } } } }"""
NODE_IDS = ["Recommendation:rv1-r1", "Recommendation:rv3-r1", "Recommendation:nope",
            "Review:rv1", "Review:rv3", "Review:rv4"]  # fmt: skip


@pytest.mark.parametrize("role", [None, "restricted", "admin"])
def test_lookahead_answers_as_the_loaders_do(
    store: GraphStore, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, role: str | None
) -> None:
    """The same answers, to the byte, with the nested edges fetched in the list's (or the
    node's) own statement and without: same visibility (the public never meets the
    restricted or withdrawn review, its recommendations or actions), rows and order."""
    from gql_api import connection, entity_query
    from tests.api.conftest import small_graph

    store.write(small_graph())
    api: Api = next(make_api(store, tmp_path))
    asks: list[tuple[str, dict[str, Any]]] = [(q, {}) for q in LOOKAHEAD]
    asks += [(NODE, {"id": i}) for i in NODE_IDS]
    calls: list[str] = []
    real = queries.run

    def counting(s: GraphStore, name: str, params: Any, viewer: Any = queries.PUBLIC) -> Any:
        calls.append(name)
        return real(s, name, params, viewer)

    monkeypatch.setattr(queries, "run", counting)
    ahead = [api.gql(q, v, role=role) for q, v in asks]
    if isinstance(store, Neo4jStore):  # the first request in one statement, three levels deep
        api.gql(LOOKAHEAD[0], role=role)
        assert calls[-1:] == ["entities.list"] and calls.count("entities.neighbours") == 0
    monkeypatch.setattr(connection, "lookahead", lambda *a, **k: {})
    monkeypatch.setattr(entity_query, "lookahead", lambda *a, **k: {})
    plain = [api.gql(q, v, role=role) for q, v in asks]
    assert ahead == plain
    recs = ahead[0]["data"]["recommendations"]
    keys = [e["node"]["key"] for e in recs["edges"]]
    if role is None:
        assert keys == ["rv1-r1", "rv1-r2", "rv2-r1", "rv2-r2"]
        assert ahead[len(LOOKAHEAD) + 1]["data"]["node"] is None  # rv3-r1, restricted
    elif role == "admin":
        assert len(keys) == recs["totalCount"] == 8
