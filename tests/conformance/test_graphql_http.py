"""The graphql-http server audits against a live `scrgraph serve`: no failure, no warning."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDIT = Path(__file__).with_name("audit.mjs")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "SCRGRAPH_BACKEND": "embedded",
        "SCRGRAPH_DB": str(tmp / "live.sqlite"),
        "SCRGRAPH_KEYS": str(tmp / "keys.json"),
        "SCRGRAPH_REQUIRE_KEY": "false",
        "SCRGRAPH_PRODUCTION": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrgraph.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    pytest.fail(f"scrgraph serve did not start:\n{out}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_graphql_http_audits(live_server: str) -> None:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "graphql-http").is_dir():
        msg = "node and node_modules/graphql-http are needed: run scripts/install-web"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg)
        pytest.skip(msg)
    res = subprocess.run(
        [node, str(AUDIT), f"{live_server}/graphql"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    results = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert len(results) > 60, res.stdout + res.stderr
    bad = [r for r in results if r["status"] != "ok"]
    assert not bad, "\n".join(f"{r['status']}: {r['name']}: {r['detail']}" for r in bad)
    assert res.returncode == 0, res.stderr
