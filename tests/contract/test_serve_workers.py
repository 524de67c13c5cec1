"""`scrgraph serve --workers 2` as a real subprocess, on both backends: requests are answered
by more than one worker process, /readyz answers on each, /metrics sums every worker's counts
whichever worker is asked, and a key added to (or removed from) the key file is honoured by
every worker.

A keep-alive connection stays with the worker that accepted it, so each check below opens a
connection, asks /readyz which process it reached (`worker`), and sends the rest of its
requests on that connection: the test knows which worker answered each request.
"""

from __future__ import annotations

import http.client
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gql_api.auth import create_key
from graph_store import EmbeddedStore, GraphStore
from scrgraph.settings import test_neo4j_settings
from tests.reliability.helpers import (
    REPO,
    child_env,
    free_port,
    scrgraph_cmd,
    tiny_corpus,
    wait_for,
)

WORKERS = 2
QUERY = json.dumps({"query": "{ boards { totalCount } }"})


class Worker:
    """One keep-alive connection, and the worker process that accepted it."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status, body = self.get("/readyz")
        assert status == 200, body
        ready = json.loads(body)
        assert ready["ready"] is True
        self.pid = int(ready["worker"])
        self.backend = ready["backend"]

    def get(self, path: str) -> tuple[int, str]:
        self.conn.request("GET", path)
        r = self.conn.getresponse()
        return r.status, r.read().decode()

    def graphql(self, key: str | None = None) -> int:
        headers = {"Content-Type": "application/json"}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.conn.request("POST", "/graphql", QUERY, headers)
        r = self.conn.getresponse()
        body = json.loads(r.read())
        if r.status == 200:
            assert body == {"data": {"boards": {"totalCount": 1}}}, body
        return r.status

    def close(self) -> None:
        self.conn.close()


def _each_worker(port: int, tries: int = 400) -> dict[int, Worker]:
    """A connection to every worker: new connections until each worker has accepted one."""
    found: dict[int, Worker] = {}
    spare: list[Worker] = []
    for _ in range(tries):
        w = Worker(port)
        if w.pid in found:
            spare.append(w)  # kept open, so the next connection goes elsewhere more often
        else:
            found[w.pid] = w
        if len(found) == WORKERS:
            break
    for w in spare:
        w.close()
    return found


def _totals(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(r"(scrgraph_\w+)(\{[^}]*\})? (\d+)$", line)
        if m:
            out[m.group(1) + (m.group(2) or "")] = int(m.group(3))
    return out


@pytest.fixture
def served(backend: str, store: GraphStore, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """`scrgraph serve --workers 2` over the tiny corpus on `backend`; its keys file."""
    from loaders import load_corpus

    env = child_env(SCRGRAPH_KEYS=str(tmp_path / "keys.json"), SCRGRAPH_REQUEST_TIMEOUT="60")
    args = ["serve", "--workers", str(WORKERS), "--port", str(port := free_port())]
    load_corpus(store, tiny_corpus(tmp_path / "corpus"))
    if isinstance(store, EmbeddedStore):
        args += ["--backend", "embedded", "--db", str(store.path)]
    else:
        cfg = test_neo4j_settings()
        assert cfg is not None
        env.update(
            NEO4J_URI=cfg.uri,
            NEO4J_USER=cfg.user,
            NEO4J_PASSWORD=cfg.password,
            NEO4J_DATABASE=cfg.database,
        )
        args += ["--backend", "neo4j"]
    first = create_key(tmp_path / "keys.json", "analyst", "before-start")
    err = (tmp_path / "stderr.log").open("w")
    proc = subprocess.Popen(
        scrgraph_cmd(*args), env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=err, text=True
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("scrgraph: ready"), (line, (tmp_path / "stderr.log").read_text())
        yield {
            "port": port,
            "proc": proc,
            "keys": tmp_path / "keys.json",
            "first_key": first,
            "stderr": tmp_path / "stderr.log",
        }
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        err.close()
    assert proc.returncode == 0, (tmp_path / "stderr.log").read_text()


def test_workers_serve_count_and_honour_keys(backend: str, served: dict[str, Any]) -> None:
    port = served["port"]
    workers = _each_worker(port)
    # More than one process answers, each a child of the server the test started.
    assert len(workers) == WORKERS, f"only workers {sorted(workers)} answered"
    for pid in workers:
        stat = Path(f"/proc/{pid}/stat").read_text()
        assert int(stat.rsplit(")", 1)[1].split()[1]) == served["proc"].pid
    assert {w.backend for w in workers.values()} == {backend}

    # The key made before the start, and one added while serving, work on every worker.
    late = create_key(served["keys"], "analyst", "added-while-serving")
    sent: dict[int, int] = {}
    for pid, w in workers.items():
        assert w.graphql(served["first_key"]) == 200
        assert w.graphql(late) == 200, f"worker {pid} did not take the new key"
        assert w.graphql("scr_not-a-key") == 401
        assert w.graphql() == 200  # no key: public
        sent[pid] = 4
    # Removed from the file, the key is refused by every worker.
    data = json.loads(served["keys"].read_text())
    data["keys"] = [k for k in data["keys"] if k["name"] != "added-while-serving"]
    tmp = served["keys"].with_suffix(".edit")
    tmp.write_text(json.dumps(data))
    tmp.replace(served["keys"])
    for pid, w in workers.items():
        assert w.graphql(late) == 401, f"worker {pid} still takes a removed key"
        sent[pid] += 1

    # /metrics on any worker gives the totals of all of them: 5 requests per worker to
    # /graphql (4 answered 200 on each, the others 401), and the /readyz requests the
    # connections began with (one per connection opened, on whichever worker took it).
    readyz = int(
        _totals(workers[next(iter(workers))].get("/metrics")[1]).get(
            'scrgraph_http_requests_total{path="/readyz",method="GET",status="200"}', 0
        )
    )
    assert readyz >= WORKERS
    want = {
        'scrgraph_http_requests_total{path="/graphql",method="POST",status="200"}': 3 * WORKERS,
        'scrgraph_http_requests_total{path="/graphql",method="POST",status="401"}': 2 * WORKERS,
        "scrgraph_worker_processes": WORKERS,
    }

    def every_worker_agrees() -> bool:
        for w in workers.values():
            got = _totals(w.get("/metrics")[1])
            if any(got.get(k) != v for k, v in want.items()):
                return False
        return True

    wait_for(every_worker_agrees, 10, "every worker's /metrics to give the totals", every=0.2)
    for w in workers.values():
        w.close()
    # Still one access line per request (from whichever worker answered it), and no
    # traceback for the client's mistakes (the unknown and removed keys).
    log = served["stderr"]
    wait_for(
        lambda: log.read_text().count(" POST /graphql ") == 5 * WORKERS,
        10,
        "one access line per GraphQL request",
    )
    assert log.read_text().count(" POST /graphql 401 ") == 2 * WORKERS
    assert "Traceback" not in log.read_text()
