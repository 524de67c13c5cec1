"""Query latency: each named read through `queries.run`, through the GraphQL app, and (Neo4j)
the same Cypher straight through the driver as the floor.

API time is measured in-process: a POST to /graphql through `httpx.ASGITransport` (the whole
Starlette + Strawberry stack, the request timeout and the worker-thread hop; no socket).
"""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx

import queries
from benchmarks._util import loadavg, no_sniffio_lookup, percentiles, say
from benchmarks.load import Prepared
from graph_schema import Label
from graph_store import GraphStore, Neo4jStore
from scrgraph.settings import load_settings

# The five reads the issue names: (kind, named query, GraphQL field).
KINDS: tuple[tuple[str, str, str], ...] = (
    ("trace", "trace_recommendation", "traceRecommendation"),
    ("recurrence", "theme_recurrence", "themeRecurrence"),
    ("network", "theme_network", "themeNetwork"),
    ("search", "search", "search"),
    ("outstanding", "outstanding_actions", "outstandingActions"),
)

_SEARCH_WORDS = (
    "information sharing",
    "voice of the child",
    "supervision",
    "domestic abuse",
    "neglect",
    "professional curiosity",
    "threshold",
    "record keeping",
    "escalation",
    "hidden man",
)


@dataclass
class Workload:
    """Parameters drawn (seeded) from the corpus, the same for every backend."""

    recommendations: list[str]
    themes: list[str]
    boards: list[str]

    @classmethod
    def from_prepared(cls, prepared: Prepared, seed: int = 42) -> Workload:
        rng = random.Random(seed)
        recs, themes, boards = [], [], []
        published = {
            row["id"]
            for is_node, name, row in prepared.items
            if is_node and name == Label.REVIEW and row.get("status") == "published"
        }
        for is_node, name, row in prepared.items:
            if not is_node:
                continue
            # Only what the (public) bench viewer may see: a hidden one is a NOT_FOUND error.
            if name == Label.RECOMMENDATION and row.get("review_id") in published:
                recs.append(row["id"])
            elif name == Label.THEME:
                themes.append(row["id"])
            elif name == Label.BOARD:
                boards.append(row["id"])
        rng.shuffle(recs)
        return cls(recs[:2000], sorted(themes), sorted(boards))

    def params(self, kind: str, i: int) -> dict[str, Any]:
        if kind == "trace":
            return {"id": self.recommendations[i % len(self.recommendations)]}
        if kind == "recurrence":
            return {"theme": self.themes[(i * 7) % len(self.themes)]}
        if kind == "network":
            return {}  # the full year range
        if kind == "search":
            return {"text": _SEARCH_WORDS[i % len(_SEARCH_WORDS)], "limit": 20}
        if kind == "outstanding":
            return {"board": self.boards[(i * 13) % len(self.boards)], "limit": 50}
        raise ValueError(kind)


def _gql_args(params: Mapping[str, Any]) -> str:
    if not params:
        return ""
    return "(" + ", ".join(f"{_camel(k)}: {json.dumps(v)}" for k, v in params.items()) + ")"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)


# Typed answers: a selection of everything the named query answers, so that the API does the
# same work as the raw query (a field still answering JSON has none).
SELECTIONS: dict[str, str] = {
    "trace": " { citation verdict recommendation { key number text status location } "
    "review { key title year status } board { key name } agencies { key name } "
    "themes { key label } actions { action { key description status dueDate completedDate } "
    "owner { key name } audits { key date rating finding } verdict } "
    "laterReviews { review { key title year } board { key } themes { key } } }",
    "recurrence": " { theme { key label } yearFrom yearTo reviews recommendations boards "
    "firstSeen lastSeen trend perYear { year reviews recommendations } "
    "perBoard { boardKey boardName reviews recommendations firstYear lastYear } "
    "afterClosure { basis closedYear reviewYear recommendationStatus boardKey "
    "recommendationKey reviewKey reviewBoardKey } }",
    "outstanding": " { boardKey agencyKey asOf open overdue actions { key description status "
    "dueDate overdue daysOverdue year recommendationNumber ownerKey ownerName boardKey "
    "boardName recommendationKey reviewKey } }",
    "search": " { text terms kinds limit total hits { kind key score title text reviewKey "
    "year boardKey highlights { field fragment offset spans { start end } html } } }",
    "network": " { yearFrom yearTo minWeight category boardKeys reviews communities "
    "nodes { key label category kind reviews weightedDegree betweenness community x y } "
    "edges { sourceKey targetKey weight } "
    "slices { year reviews nodes { key reviews } edges { sourceKey targetKey weight } } }",
}


def gql_for(kind: str, params: Mapping[str, Any]) -> str:
    """The request with its parameters written into the document (a new text per value)."""
    field = next(f for k, _, f in KINDS if k == kind)
    return "{ " + field + _gql_args(params) + SELECTIONS.get(kind, "") + " }"


@functools.cache
def _arg_types(field: str) -> dict[str, str]:
    """The GraphQL type of each argument of a Query field, as the schema declares it."""
    from gql_api.schema import build_schema

    query_type = build_schema()._schema.query_type
    assert query_type is not None
    return {name: str(arg.type) for name, arg in query_type.fields[field].args.items()}


def gql_request(kind: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The request as a client sends it: one document per kind, the parameters as variables
    (typed as the schema declares the arguments), so the document text does not vary."""
    field = next(f for k, _, f in KINDS if k == kind)
    names = [_camel(k) for k in params]
    types = _arg_types(field)
    decl = "(" + ", ".join(f"${n}: {types[n]}" for n in names) + ")" if names else ""
    args = "(" + ", ".join(f"{n}: ${n}" for n in names) + ")" if names else ""
    query = f"query Bench{kind.title()}{decl} {{ {field}{args}{SELECTIONS.get(kind, '')} }}"
    return {"query": query, "variables": {_camel(k): v for k, v in params.items()}}


def uncache_network() -> None:
    """Drop the network layout cache, so every network run computes from scratch."""
    from queries import network

    clear = getattr(network, "clear_layout_cache", None)  # the layout kept per generation
    if clear is not None:
        clear()
    cached = getattr(network, "_cached_layout", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()


class InProcessApi:
    """The GraphQL app over a given store, called in-process through httpx's ASGI transport."""

    def __init__(self, store: GraphStore, tmp: Path, baseline: bool = False) -> None:
        """`baseline`: the schema without issue 16's speed work (no parse and validation
        cache, strawberry's wrapper on every field), for a before/after in the same run."""
        from gql_api import create_app

        settings = load_settings(
            {"SCRGRAPH_KEYS": str(tmp / "bench-keys.json"), "SCRGRAPH_REQUEST_TIMEOUT": "120"}
        )
        self.app = create_app(settings, store=store)
        if baseline:
            from starlette.routing import Route

            from gql_api.http import GraphQLApp
            from gql_api.schema import build_schema

            for route in self.app.routes:
                if isinstance(route, Route) and isinstance(route.endpoint, GraphQLApp):
                    route.endpoint.schema = build_schema(fast=False)

    def post_many(
        self, bodies: Sequence[str | dict[str, Any]], keep_layout: bool = False
    ) -> list[tuple[float, dict[str, Any]]]:
        """Each query (a document, or a request with variables) in turn; (seconds, parsed
        JSON) for each."""

        async def go() -> list[tuple[float, dict[str, Any]]]:
            out: list[tuple[float, dict[str, Any]]] = []
            no_sniffio_lookup()
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
                for body in bodies:
                    req = body if isinstance(body, dict) else {"query": body}
                    q = str(req["query"])
                    if "themeNetwork" in q and not keep_layout:
                        uncache_network()
                    t0 = time.perf_counter()
                    r = await c.post("/graphql", json=req)
                    data = r.json()
                    dt = time.perf_counter() - t0
                    if r.status_code != 200 or data.get("errors"):
                        raise RuntimeError(
                            f"API error for {q[:80]}: {r.status_code} {r.text[:300]}"
                        )
                    out.append((dt, data))
            return out

        return anyio.run(go)


class _RecordingNeo4j(Neo4jStore):
    """A Neo4jStore that also notes every read it makes (Cypher text and parameters)."""

    def __init__(self, inner: Neo4jStore) -> None:
        super().__init__(inner.driver, inner.database)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        self.calls.append((cypher, dict(params or {})))
        return super().read(cypher, params)


def _raw_time(store: Neo4jStore, calls: list[tuple[str, dict[str, Any]]]) -> float:
    """Seconds for the same Cypher straight through the driver (records fetched, not shaped)."""
    from neo4j import RoutingControl

    t0 = time.perf_counter()
    for cypher, params in calls:
        store.driver.execute_query(
            cypher,  # the query's own constant text
            params,
            database_=store.database,
            routing_=RoutingControl.READ,
        )
    return time.perf_counter() - t0


def bench_queries(
    store: GraphStore,
    work: Workload,
    reps: int,
    tmp: Path,
    warmup: int = 3,
    kinds: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """p50/p95/p99 per read: backend call, API call and (Neo4j) raw Cypher; `kinds` limits
    the reads to some of KINDS. The API is sent each read as a client sends it: one document,
    the parameters as variables; each request also goes, alternately, to the baseline app
    (`api_baseline`: the schema without the parse/validation cache and direct resolvers)
    and, on Neo4j, to the raw driver, so that API, baseline and raw see the same load."""
    api = InProcessApi(store, tmp)
    base = InProcessApi(store, tmp, baseline=True)
    out: dict[str, Any] = {}
    for kind, name, _ in KINDS:
        if kinds is not None and kind not in kinds:
            continue
        load_before = loadavg()
        n = reps if kind != "network" else max(5, min(20, reps // 4))
        say(f"queries {store.kind}: {kind} x{n}")
        plist = [work.params(kind, i) for i in range(n)]
        # warm up (connections, plan caches, imports), then interleave nothing: one kind at once
        for p in plist[:warmup]:
            queries.run(store, name, p)
        backend: list[float] = []
        for p in plist:
            if kind == "network":
                uncache_network()
            t0 = time.perf_counter()
            queries.run(store, name, p)
            backend.append(time.perf_counter() - t0)
        # On Neo4j, the Cypher each read sends (recorded once, before timing) is replayed
        # straight through the driver as the floor ("raw").
        neo = store if isinstance(store, Neo4jStore) else None
        calls: list[list[tuple[str, dict[str, Any]]]] = []
        if neo is not None:
            rec = _RecordingNeo4j(neo)
            for p in plist:
                rec.calls.clear()
                queries.run(rec, name, p)
                calls.append(list(rec.calls))
            for c in calls[:warmup]:
                _raw_time(neo, c)
        api.post_many([gql_request(kind, p) for p in plist[:warmup]])
        base.post_many([gql_request(kind, p) for p in plist[:warmup]])
        api_times: list[float] = []
        base_times: list[float] = []
        raw: list[float] = []
        for i, p in enumerate(plist):  # alternately, so that all of them see the same load
            api_times.append(api.post_many([gql_request(kind, p)])[0][0])
            base_times.append(base.post_many([gql_request(kind, p)])[0][0])
            if neo is not None:
                raw.append(_raw_time(neo, calls[i]))
        row: dict[str, Any] = {
            "query": name,
            "document": gql_request(kind, plist[0])["query"],
            "backend": percentiles(backend),
            "api": percentiles(api_times),
            "api_baseline": percentiles(base_times),
        }
        if neo is not None:
            row["raw"] = percentiles(raw)
            row["cypher_calls"] = len(calls[-1])
            row["api_over_raw_p50"] = round(row["api"]["p50_ms"] / row["raw"]["p50_ms"], 2)
            row["api_over_raw_p95"] = round(row["api"]["p95_ms"] / row["raw"]["p95_ms"], 2)
            row["baseline_over_raw_p50"] = round(
                row["api_baseline"]["p50_ms"] / row["raw"]["p50_ms"], 2
            )
        if kind == "network":
            # The same requests once the layout of this data generation is computed (what
            # every request but the first after a write meets; issue 14, item 5).
            api.post_many([gql_request(kind, plist[0])], keep_layout=True)
            row["api_layout_reused"] = percentiles(
                [api.post_many([gql_request(kind, p)], keep_layout=True)[0][0] for p in plist]
            )
        row["loadavg"] = [load_before, loadavg()]
        out[kind] = row
    return out


def run_api_queries(store: GraphStore, tmp: Path) -> Callable[[list[str]], list[float]]:
    """A function timing GraphQL bodies through the in-process app (used by other benches)."""
    api = InProcessApi(store, tmp)
    return lambda bodies: [dt for dt, _ in api.post_many(bodies)]
