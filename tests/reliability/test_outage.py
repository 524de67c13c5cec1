"""Outage: Neo4j killed under a running API, then started again.

Uses a private Neo4j (its own port and data folder), never the shared one other tests use.
While it is down, GraphQL requests get a GraphQL error document with a 5xx status (503, or
504 when the driver's retries outlast the request timeout), `/readyz` fails, and nothing hangs
past the request timeout. When it is back, the same server process answers again.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from gql_api.auth import create_key
from tests.api.conftest import small_graph
from tests.reliability.helpers import PrivateNeo4j, Server, Tally, child_env, wait_for

TIMEOUT = 5.0  # SCRGRAPH_REQUEST_TIMEOUT for the server under test
QUERY = {"query": "{ reviews { totalCount } boards { totalCount } }"}


@pytest.mark.slow
@pytest.mark.neo4j
def test_neo4j_outage_and_recovery(
    private_neo4j: PrivateNeo4j, tmp_path: Path, tally: Tally
) -> None:
    store = private_neo4j.store()
    store.clear()
    store.write(small_graph())
    store.close()
    keys = tmp_path / "keys.json"
    create_key(keys, "analyst", "a")
    env = child_env(
        **private_neo4j.env(),
        SCRGRAPH_BACKEND="neo4j",
        SCRGRAPH_KEYS=str(keys),
        SCRGRAPH_REQUEST_TIMEOUT=str(TIMEOUT),
    )
    server = Server(env, log=tmp_path / "serve.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=TIMEOUT + 30) as c:
            ok = c.post("/graphql", json=QUERY).json()
            assert ok == {"data": {"reviews": {"totalCount": 2}, "boards": {"totalCount": 2}}}

            private_neo4j.kill9()
            tally.faults += 1
            for _ in range(4):
                t0 = time.monotonic()
                res = c.post("/graphql", json=QUERY)
                took = time.monotonic() - t0
                tally.requests += 1
                assert took < TIMEOUT + 3, f"a request hung for {took:.1f}s"
                assert res.status_code in (503, 504), res.text
                err = res.json()["errors"][0]
                assert err["extensions"]["code"] in ("BACKEND_UNAVAILABLE", "TIMEOUT"), err
                assert "Traceback" not in res.text and "bolt://" not in res.text
                t0 = time.monotonic()
                ready = c.get("/readyz")
                assert time.monotonic() - t0 < TIMEOUT + 3
                assert ready.status_code == 503 and ready.json()["ready"] is False
            tally.note(
                "neo4j killed: GraphQL 503/504 errors and /readyz 503, none past the timeout"
            )

            private_neo4j.start()
            tally.faults += 1

            def recovered() -> bool:
                try:
                    return c.get("/readyz", timeout=TIMEOUT + 3).status_code == 200
                except httpx.HTTPError:
                    return False

            wait_for(recovered, 120, "the API to be ready again", every=1.0)
            again = c.post("/graphql", json=QUERY)
            tally.requests += 1
            assert again.status_code == 200 and again.json() == ok
            tally.records_checked += 4
            assert server.proc is not None and server.proc.poll() is None  # never restarted
            tally.note("neo4j back: the same server answers again, data intact")
    finally:
        server.stop()
