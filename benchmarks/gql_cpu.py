"""CPU per GraphQL request, in-process: what the API costs whatever else runs on the machine.

On a shared machine wall-clock figures move with the load average; CPU seconds of this
process (event loop and worker threads: Starlette, strawberry, graphql-core and the backend
calls) move much less, so a before/after of the execution side compares them. Run it once per
version, alternately, against the same embedded store:

    python -m benchmarks.gql_cpu var/bench/embedded-demo.sqlite var/bench/prepared-demo.pickle

It prints one JSON line: for the 10,000-object response (`LARGE_QUERY`), the page of 100
(`PAGE_QUERY`), trace and recurrence (as `scrgraph bench` sends them), the CPU milliseconds per
request and the wall p50; for the two pages, also the response's objects and bytes.

With `--execution` it measures GraphQL execution alone (`schema.execute` and the JSON of the
answer, no HTTP), each backend answer read once and then kept, so the store's time is out:
graphql-core's own executor against `gql_api.executor.Executor` (its short path for plain
leaves), alternately in one process, after checking that both give the same JSON:

    python -m benchmarks.gql_cpu --execution var/bench/embedded-demo.sqlite \
        var/bench/prepared-demo.pickle
"""

from __future__ import annotations

import gc
import json
import pickle
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anyio

from benchmarks._util import loadavg, no_sniffio_lookup
from benchmarks.graphql import (
    LARGE_QUERY,
    PAGE_QUERY,
    _BenchApp,
    _count_objects,
    _time_requests,
)
from benchmarks.queries import InProcessApi, Workload, gql_request
from gql_api.context import Context
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


class _KeptAnswers(Context):
    """The shipped context, each backend answer read once and then given again: execution
    without the store's time (and without the worker-thread hop)."""

    kept: dict[str, Any] = {}  # noqa: RUF012  (one cache for every request of a run)

    async def run(self, name: str, params: Mapping[str, Any]) -> Any:
        import queries

        self.backend_calls += 1
        key = name + json.dumps(params, sort_keys=True, default=str)
        if key not in self.kept:
            self.kept[key] = queries.run(self.store, name, params, self.viewer)
        return self.kept[key]


def measure_execution(db: Path, prepared: Path, rounds: int = 5) -> dict[str, Any]:
    """CPU ms per request of `schema.execute` plus the answer's JSON: graphql-core's executor
    ("graphql_core") and the shipped one ("shipped"), alternately; the minimum and the median
    of `rounds` rounds."""
    from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

    from gql_api.schema import build_schema
    from queries import Viewer

    store = EmbeddedStore(db)
    shipped = build_schema()
    core = build_schema()
    core.execution_context_class = StrawberryGraphQLCoreExecutionContext
    with prepared.open("rb") as f:
        work = Workload.from_prepared(pickle.load(f))
    requests: dict[str, list[dict[str, Any]]] = {
        "trace": [gql_request("trace", work.params("trace", i % 50)) for i in range(200)],
        "recurrence": [
            gql_request("recurrence", work.params("recurrence", i % 50)) for i in range(200)
        ],
        "large": [{"query": LARGE_QUERY, "variables": {}}] * 2,
    }

    def run(schema: Any, bodies: list[dict[str, Any]]) -> list[str]:
        async def go() -> list[str]:
            no_sniffio_lookup()
            out = []
            for b in bodies:
                ctx = _KeptAnswers(store=store, viewer=Viewer())
                r = await schema.execute(
                    b["query"], variable_values=b["variables"], context_value=ctx
                )
                if r.errors:
                    raise RuntimeError(f"GraphQL error: {r.errors}")
                out.append(json.dumps(r.data))
            return out

        return anyio.run(go)

    out: dict[str, Any] = {"loadavg_before": loadavg()}
    try:
        for kind, bodies in requests.items():
            if run(core, bodies) != run(shipped, bodies):
                raise RuntimeError(f"{kind}: the two executors answer differently")
            cpu: dict[str, list[float]] = {"graphql_core": [], "shipped": []}
            for _ in range(rounds):
                for name, schema in (("graphql_core", core), ("shipped", shipped)):
                    gc.collect()  # neither side pays for the other's garbage
                    c0 = time.process_time()
                    run(schema, bodies)
                    cpu[name].append((time.process_time() - c0) / len(bodies) * 1000)
            out[kind] = {
                name: {"min_ms": round(min(v), 3), "median_ms": round(sorted(v)[rounds // 2], 3)}
                for name, v in cpu.items()
            }
    finally:
        store.close()
    out["loadavg_after"] = loadavg()
    return out


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1] == "--execution":
        print(json.dumps(measure_execution(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        print(json.dumps(measure(Path(sys.argv[1]), Path(sys.argv[2]))))
