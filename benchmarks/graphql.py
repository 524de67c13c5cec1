"""GraphQL shape costs: the naive one-backend-call-per-field resolution against the shipped
DataLoader design, and a response of about 10,000 objects.

The API has no switch that turns DataLoaders off, so the naive variant lives here: the same
schema and resolvers, with a request context whose loaders neither batch nor cache
(`DataLoader(max_batch_size=1, cache=False)`), so every field that needs the backend makes its own
`queries.run` call - the N+1 pattern the design avoids.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import anyio
import httpx
from strawberry.dataloader import DataLoader

import queries
from benchmarks._util import loadavg, no_sniffio_lookup, percentiles, say
from gql_api.auth import KeyRing
from gql_api.context import Context, NeighbourRow
from gql_api.http import GraphQLApp
from gql_api.metrics import Metrics
from gql_api.schema import build_schema
from graph_schema import Label
from graph_store import GraphStore, Row

PAGE_QUERY = """{ recommendations(first: 100) { totalCount edges { node {
  key text review { key title board { key name } }
  themes { key label }
  actions { totalCount edges { node { key status } } } } } } }"""

# About 10,000 objects: seven pages of 100 recommendations (one per year, 2010-2016, as
# aliases), each with its review and that review's board, its themes, its agencies with their
# sector, and its actions with their owner and audits (10,526 objects on the demo corpus; six
# pages without review, owner and sector gave 6,091 once nested lists became plain). Within the
# API's limits (depth 10, 15 aliases, 100 per page).
_LARGE_PAGE = """y{year}: recommendations(first: 100, filter: {{yearFrom: {year}, yearTo: {year}}}) {{
  edges {{ node {{ key number status text
    review {{ key title year board {{ key name }} }}
    themes {{ key label }}
    agencies {{ key name sector {{ key label }} }}
    actions {{ edges {{ node {{ key status dueDate owner {{ key name }}
      audits {{ key rating date }} }} }} }}
  }} }} }}"""
LARGE_QUERY = "{ " + "\n".join(_LARGE_PAGE.format(year=y) for y in range(2010, 2017)) + " }"


class _RecordingContext(Context):
    """The shipped context, noting each backend call (named query and parameters)."""

    calls: list[tuple[str, dict[str, Any]]]

    async def run(self, name: str, params: Mapping[str, Any]) -> Any:
        if not hasattr(self, "calls"):
            self.calls = []
        self.calls.append((name, dict(params)))
        return await super().run(name, params)


class _NaiveContext(_RecordingContext):
    """Loaders that load one key per backend call and remember nothing."""

    def nodes(self, label: Label) -> DataLoader[str, Row | None]:
        loader = self._nodes.get(label)
        if loader is None:

            async def load(keys: Sequence[str]) -> list[Row | None]:
                found: dict[str, Row] = await self.run(
                    "entities.get", {"label": label.value, "ids": list(keys)}
                )
                return [found.get(k) for k in keys]

            loader = DataLoader(load_fn=load, max_batch_size=1, cache=False)
            self._nodes[label] = loader
        return loader

    def neighbours(self, edge: str) -> DataLoader[str, list[NeighbourRow]]:
        loader = self._neighbours.get(edge)
        if loader is None:

            async def load(keys: Sequence[str]) -> list[list[NeighbourRow]]:
                found: dict[str, list[NeighbourRow]] = await self.run(
                    "entities.neighbours", {"edge": edge, "ids": list(keys)}
                )
                return [found.get(k, []) for k in keys]

            loader = DataLoader(load_fn=load, max_batch_size=1, cache=False)
            self._neighbours[edge] = loader
        return loader


class _BenchApp(GraphQLApp):
    """The shipped /graphql endpoint (or its naive variant), noting each request's context."""

    def __init__(self, store: GraphStore, tmp: Path, naive: bool, baseline: bool = False) -> None:
        super().__init__(
            build_schema(fast=not baseline),
            store=lambda: store,
            keys=KeyRing(tmp / "bench-keys.json", False),
            metrics=Metrics(),
            timeout=600.0,
            explorer_html=None,
        )
        self.naive = naive
        self.contexts: list[Context] = []

    async def get_context(self, request: Any, response: Any) -> Context:
        base = await super().get_context(request, response)
        kind = _NaiveContext if self.naive else _RecordingContext
        ctx = kind(store=base.store, viewer=base.viewer, meta=base.meta)
        request.state.ctx = ctx
        self.contexts.append(ctx)
        return ctx


def _count_objects(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_objects(v) for v in value)
    return 0


def _time_requests(
    app: _BenchApp, query: str, reps: int
) -> tuple[list[float], dict[str, Any], int]:
    async def go() -> tuple[list[float], dict[str, Any], int]:
        times: list[float] = []
        data: dict[str, Any] = {}
        size = 0
        no_sniffio_lookup()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
            for _ in range(reps):
                t0 = time.perf_counter()
                r = await c.post("/graphql", json={"query": query})
                data = r.json()
                times.append(time.perf_counter() - t0)
                size = len(r.content)
                if r.status_code != 200 or data.get("errors"):
                    raise RuntimeError(f"GraphQL error: {r.status_code} {r.text[:400]}")
        return times, data, size

    return anyio.run(go)


def _replay(store: GraphStore, ctx: Context) -> dict[str, float]:
    """Each backend call of a request again, alone: milliseconds by query (and edge/label)."""
    out: dict[str, float] = {}
    for name, params in getattr(ctx, "calls", []):
        what = params.get("edge") or params.get("label") or ""
        t0 = time.perf_counter()
        queries.run(store, name, params, ctx.viewer)
        key = f"{name} {what}".strip()
        out[key] = round(out.get(key, 0.0) + (time.perf_counter() - t0) * 1000, 1)
    return out


def bench_naive_vs_loaders(store: GraphStore, tmp: Path, reps: int) -> dict[str, Any]:
    """A page of 100 recommendations with review, board, themes and actions, both ways."""
    out: dict[str, Any] = {"query": " ".join(PAGE_QUERY.split())}
    for variant, naive in (("dataloaders", False), ("naive", True)):
        say(f"graphql {store.kind}: page of 100, {variant} x{reps}")
        app = _BenchApp(store, tmp, naive)
        _time_requests(app, PAGE_QUERY, 1)  # warm-up
        app.contexts.clear()
        times, data, _ = _time_requests(app, PAGE_QUERY, reps)
        last = app.contexts[-1]
        out[variant] = {
            **percentiles(times),
            "backend_calls": last.backend_calls,
            "objects": _count_objects(data),
        }
        if not naive:
            out[variant]["backend_ms_by_call"] = _replay(store, last)
        else:
            t0 = time.perf_counter()
            for name, params in getattr(last, "calls", []):
                queries.run(store, name, params, last.viewer)
            out[variant]["backend_only_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    out["naive_over_loaders_p50"] = round(out["naive"]["p50_ms"] / out["dataloaders"]["p50_ms"], 1)
    return out


def bench_large_response(store: GraphStore, tmp: Path, reps: int) -> dict[str, Any]:
    """About 10,000 objects in one response through the shipped design, and how much of
    that time the backend reads alone take (the same `queries.run` calls replayed in turn);
    `baseline`: the same request to the schema without issue 16's speed work, alternately."""
    say(f"graphql {store.kind}: large response x{reps}")
    load_before = loadavg()
    app = _BenchApp(store, tmp, naive=False)
    base = _BenchApp(store, tmp, naive=False, baseline=True)
    _time_requests(app, LARGE_QUERY, 1)
    _time_requests(base, LARGE_QUERY, 1)
    app.contexts.clear()
    times: list[float] = []
    base_times: list[float] = []
    for _ in range(reps):  # alternately, so that both see the same load
        dt, data, size = _time_requests(app, LARGE_QUERY, 1)
        times += dt
        base_dt, base_data, _ = _time_requests(base, LARGE_QUERY, 1)
        base_times += base_dt
        if base_data != data:
            raise RuntimeError("the baseline schema answered the large request differently")
    last = app.contexts[-1]
    calls = list(getattr(last, "calls", []))
    t0 = time.perf_counter()
    for name, params in calls:
        queries.run(store, name, params, last.viewer)
    backend_s = time.perf_counter() - t0
    stats = percentiles(times)
    return {
        "query": " ".join(LARGE_QUERY.split()),
        "objects": _count_objects(data),
        "bytes": size,
        "backend_calls": last.backend_calls,
        **stats,
        "backend_only_ms": round(backend_s * 1000, 1),
        "graphql_share_p50": round(1 - backend_s * 1000 / stats["p50_ms"], 2)
        if stats["p50_ms"]
        else None,
        "baseline": percentiles(base_times),
        "loadavg": [load_before, loadavg()],
    }
