"""Prometheus metrics in the text exposition format, kept in process (no dependency)."""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Final

BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Counters and a latency histogram, safe to update from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, str], int] = defaultdict(int)
        self.bucket_counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
        self.latency_sum: dict[str, float] = defaultdict(float)
        self.latency_count: dict[str, int] = defaultdict(int)
        self.graphql_errors: dict[str, int] = defaultdict(int)
        self.backend_calls = 0

    def observe(self, path: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(path, method, str(status))] += 1
            counts = self.bucket_counts[path]
            for i, b in enumerate(BUCKETS):
                if seconds <= b:
                    counts[i] += 1
            self.latency_sum[path] += seconds
            self.latency_count[path] += 1

    def graphql_error(self, code: str) -> None:
        with self._lock:
            self.graphql_errors[code] += 1

    def add_backend_calls(self, n: int) -> None:
        with self._lock:
            self.backend_calls += n

    def render(self) -> str:
        with self._lock:
            lines = [
                "# HELP scrgraph_http_requests_total HTTP requests by path, method and status.",
                "# TYPE scrgraph_http_requests_total counter",
            ]
            for (path, method, status), n in sorted(self.requests.items()):
                lines.append(
                    f'scrgraph_http_requests_total{{path="{path}",method="{method}",'
                    f'status="{status}"}} {n}'
                )
            lines += [
                "# HELP scrgraph_http_request_duration_seconds Request latency by path.",
                "# TYPE scrgraph_http_request_duration_seconds histogram",
            ]
            for path in sorted(self.latency_count):
                for b, c in zip(BUCKETS, self.bucket_counts[path], strict=True):
                    lines.append(
                        f'scrgraph_http_request_duration_seconds_bucket{{path="{path}",le="{b}"}} {c}'
                    )
                lines.append(
                    f'scrgraph_http_request_duration_seconds_bucket{{path="{path}",le="+Inf"}} '
                    f"{self.latency_count[path]}"
                )
                lines.append(
                    f'scrgraph_http_request_duration_seconds_sum{{path="{path}"}} '
                    f"{self.latency_sum[path]:.6f}"
                )
                lines.append(
                    f'scrgraph_http_request_duration_seconds_count{{path="{path}"}} '
                    f"{self.latency_count[path]}"
                )
            lines += [
                "# HELP scrgraph_graphql_errors_total GraphQL errors by code.",
                "# TYPE scrgraph_graphql_errors_total counter",
            ]
            for code, n in sorted(self.graphql_errors.items()):
                lines.append(f'scrgraph_graphql_errors_total{{code="{code}"}} {n}')
            lines += [
                "# HELP scrgraph_backend_calls_total Queries sent to the graph backend.",
                "# TYPE scrgraph_backend_calls_total counter",
                f"scrgraph_backend_calls_total {self.backend_calls}",
            ]
            return "\n".join(lines) + "\n"


_KNOWN_PATHS: Final = ("/graphql", "/healthz", "/readyz", "/metrics", "/explorer")


def normalised_path(raw: str) -> str:
    """The path a request is counted under: a known endpoint, or "other" (bounded labels)."""
    return next((p for p in _KNOWN_PATHS if raw.startswith(p)), "other")
