"""Reliability helpers: a tally of what each test tried, subprocess helpers, a tiny corpus,
and a private Neo4j (its own port and data folder) that tests may stop, kill and restart.

Every test takes `tally` and counts what it tried: inputs, faults injected, requests sent,
records checked and lost, responses checked and leaked. The counts travel on the test report
(`user_properties`), and `tests.reliability.summary` prints them as one table at the end of
any run that included this folder.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Tally:
    """What one test tried and what it measured. Only counts that were measured are reported."""

    category: str
    inputs: int = 0  # bad inputs fed to a loader, extract or the CLI
    faults: int = 0  # faults injected: kill -9, a stopped database, a concurrent writer
    requests: int = 0  # hostile or fuzzed requests sent to the API
    records_checked: int = 0  # records whose survival was checked after a fault
    records_lost: int = 0
    responses_checked: int = 0  # responses searched for restricted-review data
    leaks: int = 0
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        self.notes.append(text)


# -- subprocesses ---------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child scrgraph: no inherited store or Neo4j settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SCRGRAPH_", "NEO4J_")) and k != "PYTHONWARNINGS"
    }
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def scrgraph_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "scrgraph.cli", *args]


def run_scrgraph(
    args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `scrgraph ARGS` to completion; output captured as text."""
    return subprocess.run(
        scrgraph_cmd(*args),
        env=env or child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(pred: Any, timeout: float, what: str, every: float = 0.05) -> Any:
    """Poll `pred()` until it returns something truthy; fail naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = pred()
        if last:
            return last
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:g}s waiting for {what} (last: {last!r})")


def kill9(proc: subprocess.Popen[Any]) -> None:
    """SIGKILL one process we started, and reap it."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


class Server:
    """A `scrgraph serve` subprocess on a free port."""

    def __init__(self, env: dict[str, str], *args: str, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.args = args
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> Server:
        import httpx

        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                scrgraph_cmd("serve", "--port", str(self.port), *self.args),
                env=self.env,
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

        def up() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                pytest.fail(f"scrgraph serve exited: {self.log.read_text()[-2000:]}")
            try:
                return httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(up, timeout, f"scrgraph serve on {self.url}", every=0.1)
        return self

    def kill(self) -> None:
        if self.proc is not None:
            kill9(self.proc)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill9(self.proc)


# -- a tiny valid corpus --------------------------------------------------------------------

TINY: dict[str, list[dict[str, str]]] = {
    "boards": [
        {"id": "b-a", "name": "Tinyvale LSCB", "kind": "lscb", "region": "North East",
         "established_year": "2006", "ended_year": ""},
    ],
    "agencies": [{"id": "ag-a", "name": "Tinyvale Police", "sector": "police"}],
    "reviews": [
        {"id": "rv-1", "board_id": "b-a", "title": "Serious Case Review: Child A", "year": "2015",
         "incident_year": "2014", "review_type": "scr", "method": "traditional",
         "age_band": "1_to_4", "sex": "male", "pseudonym": "Child A", "status": "published",
         "summary": "Information sharing failed.", "document": ""},
        {"id": "rv-2", "board_id": "b-a", "title": "Serious Case Review: Child B", "year": "2016",
         "incident_year": "", "review_type": "scr", "method": "traditional",
         "age_band": "1_to_4", "sex": "female", "pseudonym": "Child B", "status": "published",
         "summary": "Neglect.", "document": ""},
    ],
    "recommendations": [
        {"id": "rv-1-r1", "review_id": "rv-1", "number": "1",
         "text": "Agencies must share information.", "level": "multi_agency",
         "status": "open_awaiting_response", "location": ""},
        {"id": "rv-2-r1", "review_id": "rv-2", "number": "1",
         "text": "The board should audit neglect cases.", "level": "board",
         "status": "open_awaiting_response", "location": ""},
    ],
    "actions": [
        {"id": "rv-1-r1-a1", "recommendation_id": "rv-1-r1", "owner_agency_id": "ag-a",
         "description": "Train staff.", "due_date": "2016-03-31", "status": "completed",
         "completed_date": "2016-03-01"},
    ],
    "audits": [
        {"id": "rv-1-r1-a1-u1", "action_id": "rv-1-r1-a1", "date": "2016-09-01",
         "auditor": "board_qa", "method": "", "finding": "Embedded.", "rating": "embedded",
         "evidence": ""},
    ],
    "review_themes": [{"review_id": "rv-1", "theme_id": "information_sharing", "evidence": ""}],
}  # fmt: skip


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def typed(row: dict[str, str]) -> dict[str, str | int]:
    """A CSV row as a JSON Lines object: years as numbers, empty cells left out."""
    return {k: int(v) if k.endswith("year") else v for k, v in row.items() if v}


def tiny_corpus(out: Path, fmt: str = "csv") -> Path:
    """A valid five-file corpus (two reviews) to break one thing in."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in TINY.items():
        if fmt == "csv":
            write_csv(out / f"{name}.csv", rows)
        else:
            with (out / f"{name}.jsonl").open("w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps(typed(r)) + "\n")
    (out / "corpus.json").write_text(json.dumps({"name": "tiny", "synthetic": True}) + "\n")
    return out


# -- a private Neo4j ------------------------------------------------------------------------


class PrivateNeo4j:
    """A second local Neo4j, started by a copy of scripts/neo4j-local in a temporary folder.

    The launcher keeps its state beside the script, so a copy in another folder (with the
    repository's built tools/ linked in) has its own data, port, password and pid file, and
    stopping it never touches the shared server other tests use.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.uri = f"bolt://127.0.0.1:{self.port}"
        (home / "scripts").mkdir(parents=True)
        shutil.copy2(REPO / "scripts" / "neo4j-local", home / "scripts" / "neo4j-local")
        (home / "tools").mkdir()
        (home / "tools" / "neo4j-local").symlink_to(REPO / "tools" / "neo4j-local")

    def _script(self, action: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        env.update(
            NEO4J_PORT=str(self.port),
            NEO4J_PASSWORD=self.password,
            NEO4J_HEAP="512m",
            NEO4J_STOP_TIMEOUT="20",
        )
        return subprocess.run(
            ["bash", str(self.home / "scripts" / "neo4j-local"), action],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> None:
        res = self._script("start")
        if res.returncode != 0:
            raise RuntimeError(f"private Neo4j did not start: {res.stderr[-2000:]}")

    def stop(self) -> None:
        self._script("stop")

    def pid(self) -> int | None:
        f = self.home / ".neo4j-local" / "neo4j.pid"
        if self._script("status").returncode != 0 or not f.exists():
            return None
        return int(f.read_text().strip())

    def kill9(self) -> None:
        """SIGKILL the server (the pid its launcher recorded), and wait until it is gone."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: not Path(f"/proc/{pid}").exists(), 30, f"Neo4j pid {pid} to exit")

    def env(self) -> dict[str, str]:
        return {
            "NEO4J_URI": self.uri,
            "NEO4J_USER": "neo4j",
            "NEO4J_PASSWORD": self.password,
            "NEO4J_DATABASE": "neo4j",
        }

    def store(self) -> Any:
        from neo4j import GraphDatabase

        from graph_store import Neo4jStore

        driver = GraphDatabase.driver(self.uri, auth=("neo4j", self.password))
        s = Neo4jStore(driver, "neo4j", own_driver=True)
        s.apply_schema()
        return s
