"""The API under load: `scrgraph serve` as a subprocess on 127.0.0.1, a bounded load generator
with 1, 8 and 32 clients on a mixed workload, requests/s and latency, and the server's peak
RSS (VmHWM from /proc).

The generator runs in this process (threads, one keep-alive connection per client) on the
same machine as the server, so on a small machine they share the cores: the figures are a
floor for what the server alone could do.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any

from benchmarks._util import ROOT, loadavg, percentiles, say, vm_hwm_mb
from benchmarks.queries import Workload, gql_for

HOST = "127.0.0.1"  # loopback only

# (weight, kind): the mixed workload.
MIX: tuple[tuple[int, str], ...] = (
    (35, "trace"),
    (20, "search"),
    (15, "recurrence"),
    (15, "outstanding"),
    (10, "page"),
    (5, "network"),
)
_PAGE = "{ recommendations(first: 20) { edges { node { key text review { key title } } } } }"


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """`scrgraph serve` in a subprocess on a free loopback port."""

    def __init__(
        self, backend: str, db: Path | None, env: Mapping[str, str], workers: int | None = None
    ) -> None:
        self.port = free_port()
        args = [sys.executable, "-m", "scrgraph.cli", "serve", "--host", HOST]
        args += ["--port", str(self.port), "--backend", backend]
        if workers is not None:
            args += ["--workers", str(workers)]
        if db is not None:
            args += ["--db", str(db)]
        full_env = {**os.environ, **env, "SCRGRAPH_REQUEST_TIMEOUT": "60"}
        self.log = (ROOT / "var" / "bench" / f"serve-{backend}.log").open("w")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=full_env, stdout=self.log, stderr=subprocess.STDOUT
        )
        self._wait_ready(300.0)
        self.startup_s = time.perf_counter() - t0
        self.rss_after_start_mb = _tree_hwm_mb(self.proc.pid)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({self.proc.returncode}); see {self.log.name}"
                )
            # Every worker serves once the command has said "ready" (before, the first
            # worker up would take every client's keep-alive connection).
            if "scrgraph: ready" not in Path(self.log.name).read_text(errors="replace"):
                time.sleep(0.3)
                continue
            try:
                c = http.client.HTTPConnection(HOST, self.port, timeout=5)
                c.request("GET", "/readyz")
                r = c.getresponse()
                r.read()
                c.close()
                if r.status == 200:
                    # the embedded store loads its graph lazily on the first read: warm it
                    _post(HOST, self.port, '{ traceRecommendation(id: "none") { citation } }')
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the server did not become ready in {timeout:.0f}s")

    def peak_rss_mb(self) -> float | None:
        """Peak RSS of the server: the command's process and its workers, summed."""
        return _tree_hwm_mb(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        self.log.close()


def _tree_hwm_mb(pid: int) -> float | None:
    """VmHWM of a process plus its children's (the workers of `serve --workers N`)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    parts = [vm_hwm_mb(p) for p in [pid, *(int(c) for c in children)]]
    known = [p for p in parts if p is not None]
    return round(sum(known), 1) if known else None


def _post(host: str, port: int, query: str) -> None:
    c = http.client.HTTPConnection(host, port, timeout=60)
    try:
        c.request(
            "POST", "/graphql", json.dumps({"query": query}), {"Content-Type": "application/json"}
        )
        c.getresponse().read()
    finally:
        c.close()


def _bodies(work: Workload, n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    kinds = [k for w, k in MIX for _ in range(w)]
    out = []
    for _ in range(n):
        kind = rng.choice(kinds)
        q = _PAGE if kind == "page" else gql_for(kind, work.params(kind, rng.randrange(10_000)))
        out.append((kind, json.dumps({"query": q})))
    return out


def _level(port: int, clients: int, bodies: list[tuple[str, str]], max_s: float) -> dict[str, Any]:
    """`clients` threads share the bodies; stop when they run out or after `max_s`."""
    lock = threading.Lock()
    queue = list(reversed(bodies))
    times: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors: list[str] = []
    deadline = time.perf_counter() + max_s

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if not queue:
                        return
                    kind, body = queue.pop()
                t0 = time.perf_counter()
                try:
                    conn.request("POST", "/graphql", body, {"Content-Type": "application/json"})
                    r = conn.getresponse()
                    payload = r.read()
                except OSError as e:
                    errors.append(f"{kind}: {e}")
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                    continue
                dt = time.perf_counter() - t0
                if r.status != 200 or b'"errors"' in payload[:200]:
                    errors.append(f"{kind}: HTTP {r.status} {payload[:120]!r}")
                with lock:
                    times.append(dt)
                    by_kind.setdefault(kind, []).append(dt)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    load_before = loadavg()
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max_s + 120)
    wall = time.perf_counter() - t0
    return {
        "clients": clients,
        "requests": len(times),
        "seconds": round(wall, 2),
        "requests_per_s": round(len(times) / wall, 1) if wall else 0.0,
        "latency": percentiles(times),
        "p95_by_kind_ms": {k: percentiles(v)["p95_ms"] for k, v in sorted(by_kind.items())},
        "errors": len(errors),
        "first_errors": errors[:3],
        "stopped_by_time": len(times) < len(bodies),
        "loadavg_before": load_before,
        "loadavg_after": loadavg(),
    }


def bench_api_load(
    backend: str,
    db: Path | None,
    env: Mapping[str, str],
    work: Workload,
    levels: tuple[int, ...],
    requests_per_level: int,
    max_s: float,
    workers: int | None = None,
) -> dict[str, Any]:
    """`workers`: the server's --workers (None: its default, the number of cores)."""
    say(f"api load {backend}: starting the server (workers {workers or 'default'})")
    server = Server(backend, db, env, workers)
    out: dict[str, Any] = {
        "backend": backend,
        "workers": workers,
        "generator": "threads in the benchmark process, one keep-alive connection each, "
        "loopback; same machine as the server",
        "mix": {k: w for w, k in MIX},
        "startup_s": round(server.startup_s, 1),
        "rss_after_start_mb": server.rss_after_start_mb,
        "levels": [],
    }
    try:
        for i, clients in enumerate(levels):
            say(f"api load {backend}: {clients} client(s), up to {requests_per_level} requests")
            bodies = _bodies(work, requests_per_level, seed=100 + i)
            out["levels"].append(_level(server.port, clients, bodies, max_s))
        out["peak_rss_mb"] = server.peak_rss_mb()
    finally:
        server.stop()
    return out
