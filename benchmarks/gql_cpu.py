"""CPU per GraphQL request, in-process: what the API costs whatever else runs on the machine.

On a shared machine wall-clock figures move with the load average; CPU seconds of this
process (event loop and worker threads: Starlette, strawberry, graphql-core and the backend
calls) move much less, so a before/after of the execution side compares them. Run it once per
version, alternately, against the same embedded store:

    python -m benchmarks.gql_cpu var/bench/embedded-demo.sqlite var/bench/prepared-demo.pickle

It prints one JSON line: for the 10,000-object response (`LARGE_QUERY`), the page of 100
(`PAGE_QUERY`), trace and recurrence (as `scrgraph bench` sends them), the CPU milliseconds per
request and the wall p50; for the two pages, also the response's objects and bytes.
"""

from __future__ import annotations

import json
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.graphql import (
    LARGE_QUERY,
    PAGE_QUERY,
    _BenchApp,
    _count_objects,
    _time_requests,
)
from benchmarks.queries import InProcessApi, Workload, gql_request
from graph_store import EmbeddedStore


def measure(db: Path, prepared: Path, reps: int = 4, reads: int = 200) -> dict[str, Any]:
    store = EmbeddedStore(db)
    tmp = Path(tempfile.mkdtemp(prefix="scrgraph-gql-cpu-"))
    out: dict[str, Any] = {}
    try:
        for name, query, n in (("large", LARGE_QUERY, reps), ("page", PAGE_QUERY, reps * 4)):
            app = _BenchApp(store, tmp, naive=False)
            _time_requests(app, query, 1)  # warm-up
            c0 = time.process_time()
            times, data, size = _time_requests(app, query, n)
            out[name] = {
                "cpu_ms": round((time.process_time() - c0) / n * 1000, 1),
                "wall_p50_ms": round(sorted(times)[n // 2] * 1000, 1),
                "backend_calls": app.contexts[-1].backend_calls,
                "objects": _count_objects(data),
                "bytes": size,
            }
        with prepared.open("rb") as f:
            work = Workload.from_prepared(pickle.load(f))  # the benchmarks own cache
        api = InProcessApi(store, tmp)
        for kind in ("trace", "recurrence"):
            bodies: list[str | dict[str, Any]] = [
                gql_request(kind, work.params(kind, i)) for i in range(reads)
            ]
            api.post_many(bodies[:20])
            c0 = time.process_time()
            res = api.post_many(bodies)
            out[kind] = {
                "cpu_ms": round((time.process_time() - c0) / reads * 1000, 2),
                "wall_p50_ms": round(sorted(t for t, _ in res)[reads // 2] * 1000, 2),
            }
    finally:
        store.close()
    return out


if __name__ == "__main__":  # pragma: no cover
    print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
