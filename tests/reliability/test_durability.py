"""Durability: what the API acknowledged survives a kill -9 of the server (embedded backend)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from gql_api.auth import create_key
from graph_schema import Label
from graph_store import EmbeddedStore
from tests.api.conftest import small_graph
from tests.reliability.helpers import Server, Tally, child_env

RECORD = """mutation($i: RecordActionInput!) { recordAction(input: $i) {
  replayed action { key description } } }"""
N = 25


@pytest.mark.slow
def test_acknowledged_mutations_survive_kill9(tmp_path: Path, tally: Tally) -> None:
    db, keys = tmp_path / "store.sqlite", tmp_path / "keys.json"
    with EmbeddedStore(db) as s:
        s.write(small_graph())
    key = create_key(keys, "inspector", "inspector-1", restricted=True)
    env = child_env(SCRGRAPH_DB=str(db), SCRGRAPH_KEYS=str(keys))
    server = Server(env, log=tmp_path / "serve.log").start()
    acked: list[str] = []
    try:
        with httpx.Client(base_url=server.url, timeout=10) as c:
            for i in range(N):
                res = c.post(
                    "/graphql",
                    json={
                        "query": RECORD,
                        "variables": {
                            "i": {
                                "changeId": f"durable-{i}",
                                "recommendation": "rv1-r1",
                                "description": f"Durable action {i}",
                            }
                        },
                    },
                    headers={"Authorization": f"Bearer {key}"},
                )
                body = res.json()
                assert res.status_code == 200 and "errors" not in body, body
                acked.append(body["data"]["recordAction"]["action"]["key"])
        server.kill()  # immediately after the last acknowledgement
        tally.faults += 1
    finally:
        server.kill()
    with EmbeddedStore(db) as s:
        found = s.get_nodes(Label.ACTION, acked)
        changes = s.get_nodes(Label.CHANGE, [f"inspector-1:durable-{i}" for i in range(N)])
    tally.records_checked += len(acked)
    tally.records_lost += len(acked) - len(found)
    assert sorted(found) == sorted(acked)
    assert len(changes) == N
    # and the restarted server answers with them
    again = Server(env, log=tmp_path / "serve2.log").start()
    try:
        ids = "".join(f'a{i}: node(id: "Action:{k}") {{ id }} ' for i, k in enumerate(acked[:10]))
        res = httpx.post(f"{again.url}/graphql", json={"query": f"{{ {ids} }}"}, timeout=10)
        assert all(v is not None for v in res.json()["data"].values()), res.text
    finally:
        again.stop()
    tally.note(f"{len(acked)} acknowledged mutations, all there after kill -9 and restart")
