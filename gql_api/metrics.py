"""Prometheus metrics in the text exposition format, kept in process (no dependency).

With several worker processes (`scrgraph serve --workers N`) each keeps its own counts and
writes them, at most `FLUSH_SECONDS` after they change, to its own file in a directory the
workers share; `/metrics` on any worker sums every file (a worker that has died included, so
that counters never go down), so a scrape sees the totals of all workers, never one worker's
view. The same scheme as prometheus_client's multiprocess mode, kept here because the
exposition (names, label order, integer counts) is what existing dashboards and tests read.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Final

BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# How long a worker's counts may take to reach the other workers' /metrics.
FLUSH_SECONDS: Final = 0.25
_PREFIX: Final = "worker-"


class _Counts:
    """One process's (or the sum of several processes') counts."""

    def __init__(self) -> None:
        self.requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self.bucket_counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
        self.latency_sum: dict[str, float] = defaultdict(float)
        self.latency_count: dict[str, int] = defaultdict(int)
        self.graphql_errors: dict[str, int] = defaultdict(int)
        self.backend_calls = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": [[*k, n] for k, n in self.requests.items()],
            "buckets": dict(self.bucket_counts),
            "latency_sum": dict(self.latency_sum),
            "latency_count": dict(self.latency_count),
            "graphql_errors": dict(self.graphql_errors),
            "backend_calls": self.backend_calls,
        }

    def add(self, data: dict[str, Any]) -> None:
        for path, method, status, n in data["requests"]:
            self.requests[(path, method, status)] += int(n)
        for path, counts in data["buckets"].items():
            mine = self.bucket_counts[path]
            for i, n in enumerate(counts[: len(BUCKETS)]):
                mine[i] += int(n)
        for path, v in data["latency_sum"].items():
            self.latency_sum[path] += float(v)
        for path, n in data["latency_count"].items():
            self.latency_count[path] += int(n)
        for code, n in data["graphql_errors"].items():
            self.graphql_errors[code] += int(n)
        self.backend_calls += int(data["backend_calls"])


class Metrics:
    """Counters and a latency histogram, safe to update from any thread.

    `shared_dir`: the directory the server's worker processes share (None: one process).
    """

    def __init__(self, shared_dir: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._own = _Counts()
        self.shared_dir = shared_dir
        self._file = (
            None
            if shared_dir is None
            else shared_dir / f"{_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
        )
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._flusher: threading.Thread | None = None

    def observe(self, path: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            own = self._own
            own.requests[(path, method, str(status))] += 1
            counts = own.bucket_counts[path]
            for i, b in enumerate(BUCKETS):
                if seconds <= b:
                    counts[i] += 1
            own.latency_sum[path] += seconds
            own.latency_count[path] += 1
        self._changed()

    def graphql_error(self, code: str) -> None:
        with self._lock:
            self._own.graphql_errors[code] += 1
        self._changed()

    def add_backend_calls(self, n: int) -> None:
        with self._lock:
            self._own.backend_calls += n
        self._changed()

    # -- sharing between worker processes ---------------------------------------------------

    def _changed(self) -> None:
        if self._file is None:
            return
        self._dirty.set()
        if self._flusher is None:
            with self._lock:
                if self._flusher is None:
                    self._flusher = threading.Thread(
                        target=self._flush_loop, name="metrics-flush", daemon=True
                    )
                    self._flusher.start()

    def _flush_loop(self) -> None:
        while not self._stop.is_set():
            self._dirty.wait()
            if self._stop.wait(FLUSH_SECONDS):
                break
            self.flush()

    def flush(self) -> None:
        """Write this process's counts to its file (atomically: readers see old or new)."""
        if self._file is None:
            return
        with self._lock:
            self._dirty.clear()
            text = json.dumps(self._own.as_json())
        tmp = self._file.with_suffix(".tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(self._file)
        except OSError:
            self._dirty.set()  # the directory went away (shutting down); try again later

    def close(self) -> None:
        """Stop the flusher, writing the last counts."""
        self._stop.set()
        self._dirty.set()
        if self._flusher is not None:
            self._flusher.join(timeout=5)
        self.flush()

    def _totals(self) -> tuple[_Counts, int]:
        """Every worker's counts summed, and how many workers they came from."""
        if self.shared_dir is None:
            return self._own, 1
        self.flush()
        total = _Counts()
        n = 0
        for f in sorted(self.shared_dir.glob(f"{_PREFIX}*.json")):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                total.add(json.loads(f.read_text(encoding="utf-8")))
                n += 1
        return total, n

    def render(self) -> str:
        c, workers = self._totals()
        with self._lock:
            lines = [
                "# HELP scrgraph_http_requests_total HTTP requests by path, method and status.",
                "# TYPE scrgraph_http_requests_total counter",
            ]
            for (path, method, status), n in sorted(c.requests.items()):
                lines.append(
                    f'scrgraph_http_requests_total{{path="{path}",method="{method}",'
                    f'status="{status}"}} {n}'
                )
            lines += [
                "# HELP scrgraph_http_request_duration_seconds Request latency by path.",
                "# TYPE scrgraph_http_request_duration_seconds histogram",
            ]
            for path in sorted(c.latency_count):
                for b, in_bucket in zip(BUCKETS, c.bucket_counts[path], strict=True):
                    lines.append(
                        f'scrgraph_http_request_duration_seconds_bucket{{path="{path}",le="{b}"}} '
                        f"{in_bucket}"
                    )
                lines.append(
                    f'scrgraph_http_request_duration_seconds_bucket{{path="{path}",le="+Inf"}} '
                    f"{c.latency_count[path]}"
                )
                lines.append(
                    f'scrgraph_http_request_duration_seconds_sum{{path="{path}"}} '
                    f"{c.latency_sum[path]:.6f}"
                )
                lines.append(
                    f'scrgraph_http_request_duration_seconds_count{{path="{path}"}} '
                    f"{c.latency_count[path]}"
                )
            lines += [
                "# HELP scrgraph_graphql_errors_total GraphQL errors by code.",
                "# TYPE scrgraph_graphql_errors_total counter",
            ]
            for code, n in sorted(c.graphql_errors.items()):
                lines.append(f'scrgraph_graphql_errors_total{{code="{code}"}} {n}')
            lines += [
                "# HELP scrgraph_backend_calls_total Queries sent to the graph backend.",
                "# TYPE scrgraph_backend_calls_total counter",
                f"scrgraph_backend_calls_total {c.backend_calls}",
                "# HELP scrgraph_worker_processes Server processes whose counts are summed here "
                "(those that have exited included).",
                "# TYPE scrgraph_worker_processes gauge",
                f"scrgraph_worker_processes {workers}",
            ]
            return "\n".join(lines) + "\n"


_KNOWN_PATHS: Final = ("/graphql", "/healthz", "/readyz", "/metrics", "/explorer")


def normalised_path(raw: str) -> str:
    """The path a request is counted under: a known endpoint, or "other" (bounded labels)."""
    return next((p for p in _KNOWN_PATHS if raw.startswith(p)), "other")
