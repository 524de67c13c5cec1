"""The path a cluster or Aura takes: a `neo4j://` routing URI (the driver asks the server for
its routing table and sends reads to READ members, writes to the leader). A single Community
server answers the routing request with itself in every role, so writes, reads and the named
queries go through routing here exactly as they would against a cluster, and answer what the
embedded store answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import queries
from graph_schema import Label
from graph_store import EmbeddedStore, Neo4jStore
from queries import ADMIN, PUBLIC
from scrgraph.settings import is_ci, test_neo4j_settings
from tests.api.conftest import small_graph
from tests.conftest import mark_neo4j_dirty

pytestmark = pytest.mark.neo4j


@pytest.fixture
def routed() -> Iterator[Neo4jStore]:
    """A store whose driver was made from the test Neo4j's address as a neo4j:// URI."""
    cfg = test_neo4j_settings()
    if cfg is None:
        why = "NEO4J_TEST_URI is not set (run scripts/test, which starts a local Neo4j)"
        if is_ci():
            pytest.fail(f"CI=true needs a real Neo4j: {why}", pytrace=False)
        pytest.skip(f"no Neo4j: {why}")
    from neo4j import GraphDatabase

    address = urlsplit(cfg.uri).netloc
    driver = GraphDatabase.driver(f"neo4j://{address}", auth=(cfg.user, cfg.password))
    driver.verify_connectivity()
    store = Neo4jStore(driver, cfg.database, own_driver=True)
    store.apply_schema()
    store.clear()
    mark_neo4j_dirty()
    yield store
    store.clear()
    store.close()


def test_a_routing_uri_writes_reads_and_answers_as_the_embedded_store(
    routed: Neo4jStore, tmp_path: Path
) -> None:
    ref = EmbeddedStore(tmp_path / "ref.sqlite")
    try:
        for s in (routed, ref):
            s.write(small_graph())
        assert routed.counts() == ref.counts()
        assert routed.get_nodes(Label.REVIEW, ["rv1"]).keys() == {"rv1"}
        asked: list[tuple[str, dict[str, Any]]] = [
            ("theme_recurrence", {"theme": "information_sharing"}),
            ("trace_recommendation", {"id": "rv1-r1"}),
            ("outstanding_actions", {"as_of": "2031-01-01"}),
            ("agency_load", {"sector": "police"}),
            ("search", {"text": "information sharing"}),
        ]
        for name, params in asked:
            for viewer in (PUBLIC, ADMIN):
                assert queries.run(routed, name, params, viewer) == queries.run(
                    ref, name, params, viewer
                ), (name, viewer.role)
    finally:
        ref.close()


def test_the_routing_table_names_a_reader_and_a_writer(routed: Neo4jStore) -> None:
    """What a cluster would spread reads over: the server lists itself as READ and WRITE."""
    driver = routed.driver
    with driver.session(database=routed.database) as session:
        table = session.run(
            "CALL dbms.routing.getRoutingTable({}, $db) YIELD servers RETURN servers",
            db=routed.database,
        ).single()
    assert table is not None
    roles = {s["role"] for s in table["servers"]}
    assert {"READ", "WRITE", "ROUTE"} <= roles
