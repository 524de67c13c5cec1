"""Fuzzing: schemathesis in GraphQL mode against a running `scrgraph serve` (embedded, the demo
corpus, introspection on). A bounded run (examples per field and a time cap): no 500s and no
response that breaks the schema."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from graph_store import EmbeddedStore
from tests.reliability.helpers import Server, Tally, child_env

MAX_EXAMPLES = 10  # per field; there are about 25 fields
MAX_TIME = 50  # seconds for the whole run


@pytest.mark.slow
def test_schemathesis_graphql(demo_embedded: EmbeddedStore, tmp_path: Path, tally: Tally) -> None:
    st = shutil.which("st") or shutil.which("schemathesis")
    if st is None:
        pytest.fail("schemathesis is not installed (scripts/install --test installs the dev extra)")
    db = tmp_path / "fuzz.sqlite"
    shutil.copy2(demo_embedded.path, db)  # a copy: mutations must not touch the shared one
    env = child_env(SCRGRAPH_DB=str(db), SCRGRAPH_KEYS=str(tmp_path / "keys.json"))
    server = Server(env, log=tmp_path / "serve.log").start()
    report = tmp_path / "run.ndjson"
    try:
        res = subprocess.run(
            [
                st,
                "run",
                f"{server.url}/graphql",
                # response_schema_conformance: malformed JSON, a non-object answer, or null in a
                # non-null field. Its not_a_server_error check would also fail on every GraphQL
                # `errors` entry (refusing a bad cursor is one), so 5xx answers are counted from
                # the server's own /metrics below instead.
                "--checks",
                "response_schema_conformance",
                "--max-examples",
                str(MAX_EXAMPLES),
                "--max-time",
                str(MAX_TIME),
                "--request-timeout",
                "15",
                "--seed",
                "42",
                "--generation-database",
                "none",
                "--report",
                "ndjson",
                "--report-ndjson-path",
                str(report),
                "--no-color",
            ],
            cwd=tmp_path,
            env=child_env(SCHEMATHESIS_HOOKS=""),
            capture_output=True,
            text=True,
            timeout=MAX_TIME + 120,
            check=False,
        )
        metrics = httpx.get(f"{server.url}/metrics", timeout=10).text
    finally:
        server.stop()
    fives = _server_errors(metrics)
    sent = _requests_sent(report)
    tally.requests += sent
    tally.note(f"schemathesis: {sent} requests over the GraphQL schema (seed 42)")
    out = res.stdout[-6000:] + res.stderr[-2000:]
    assert res.returncode == 0, out
    assert fives == 0, [m for m in metrics.splitlines() if 'status="5' in m]
    assert sent > 50, out


def _requests_sent(report: Path) -> int:
    """Requests in schemathesis's event log (0 if it wrote none)."""
    if not report.exists():
        return 0
    n = 0
    for line in report.read_text().splitlines():
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        n += json.dumps(event).count('"request": {')
    return n


def _server_errors(metrics: str) -> int:
    """5xx answers the server counted on /graphql (Prometheus text)."""
    total = 0
    for line in metrics.splitlines():
        if line.startswith("scrgraph_http_requests_total{") and 'status="5' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total
