"""The peer of `scrgraph bench` (issue 14): the Neo4j GraphQL Library, on the demo corpus in
the tests' Neo4j, given type definitions generated from graph_schema, selects exactly what
scrgraph selects for the public viewer in each compared request. Times are the bench's, not
asserted here.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from benchmarks.peer import bench_peer, type_defs
from graph_schema import RelType
from graph_store import GraphStore, Neo4jStore
from queries.entities import EDGES
from scrgraph.settings import is_ci, test_neo4j_settings


def test_type_defs_cover_the_compared_edges() -> None:
    defs = type_defs()
    for t in ("Board", "Review", "Recommendation", "Agency", "Theme", "Action"):
        assert f"type {t} @node {{" in defs
    assert 'review: Review @relationship(type: "MAKES", direction: IN)' in defs
    assert 'themes: [Theme!]! @relationship(type: "TAGGED", direction: OUT)' in defs
    assert 'actions: [Action!]! @relationship(type: "RESPONDS_TO", direction: IN)' in defs
    # every relationship field names a type of the closed set and an edge that exists
    mark = '@relationship(type: "'
    types = {line.split(mark)[1].split('"')[0] for line in defs.splitlines() if mark in line}
    assert types <= {r.value for r in RelType}
    assert types == {
        e.rel.value
        for e in EDGES.values()
        if {e.start.value, e.end.value}
        <= {"Board", "Review", "Recommendation", "Agency", "Theme", "Action"}
    }


@pytest.mark.parametrize("backend", [pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_the_peer_selects_what_scrgraph_selects(demo_store: GraphStore) -> None:
    if not shutil.which("node") or not shutil.which("npm"):
        if is_ci():
            pytest.fail("CI=true needs Node and npm for the peer", pytrace=False)
        pytest.skip("Node/npm not found: the peer runs on Node")
    assert isinstance(demo_store, Neo4jStore)
    cfg = test_neo4j_settings()
    assert cfg is not None
    env = {
        "NEO4J_URI": cfg.uri,
        "NEO4J_USER": cfg.user,
        "NEO4J_PASSWORD": cfg.password,
        "NEO4J_DATABASE": cfg.database,
    }

    def raw(cypher: str, params: dict[str, Any]) -> list[Any]:
        return demo_store.read(cypher, params)

    out = bench_peer(env, "rv-000001-r01", "information_sharing", reps=1, raw=raw, warmup=0)
    assert set(out["requests"]) == {
        "page of 100 with review, board, themes, actions",
        "one recommendation by id with its neighbours",
        "filtered count (2015-2019, one theme)",
    }
    for name, row in out["requests"].items():
        assert row["same_answer"], name
        for who in ("scrgraph", "peer", "raw"):
            assert row[who]["n"] == 1, (name, who)
