"""Run the benchmarks, print a table, and return (or write) the figures as JSON."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks._util import BENCH_DIR, loadavg, machine, say
from graph_store import EmbeddedStore, GraphStore, Neo4jStore

if TYPE_CHECKING:
    from benchmarks.load import Prepared
    from benchmarks.neo4j_instance import BenchNeo4j
    from benchmarks.queries import Workload


@dataclass(frozen=True)
class Plan:
    """How much of everything to run."""

    scales: tuple[str, ...]
    backends: tuple[str, ...]
    sizes: dict[str, tuple[int, ...]]  # batch sizes swept, per scale
    default_size: int = 5000
    naive_sample: int = 2000
    naive_scales: tuple[str, ...] = ("demo", "national")  # the naive baseline runs at these
    query_reps: int = 200
    api_levels: tuple[int, ...] = (1, 8, 32)
    api_requests: int = 600
    api_max_s: float = 60.0
    gql_reps: int = 5
    peer_reps: int = 50  # interleaved runs of each request against the peer (issue 14)
    neo4j_port: int = 7699
    neo4j_heap: str = "2g"
    skip: tuple[str, ...] = field(default_factory=tuple)  # parts to skip: load, queries, ...
    query_kinds: tuple[str, ...] | None = None  # reads the queries part times (None: all)
    # `serve --workers` for the api part, one server (and run) each; repeats alternate
    # (1,2,1,2). None: one run at the server's default, the number of cores.
    api_workers: tuple[int, ...] | None = None


def quick_plan(backends: tuple[str, ...]) -> Plan:
    return Plan(
        scales=("demo",),
        backends=backends,
        sizes={"demo": (5000,)},  # one batch size, no naive baseline: the peer table in < 2 min
        naive_scales=(),
        query_reps=15,
        api_requests=60,
        api_max_s=10.0,
        gql_reps=2,
        peer_reps=20,
    )


def full_plan(scales: tuple[str, ...], backends: tuple[str, ...]) -> Plan:
    return Plan(
        scales=scales,
        backends=backends,
        sizes={"national": (1000, 5000, 20000), "large": (5000,)},
        query_reps=150,
    )


def _embedded_db(scale: str) -> Path:
    return BENCH_DIR / f"embedded-{scale}.sqlite"


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            p.unlink()


def _stores(
    backend: str, scale: str, driver: Any
) -> tuple[Callable[[], GraphStore], Callable[[], GraphStore], Path | None]:
    """(open an empty store, open the loaded store, the embedded file) for a backend."""
    if backend == "embedded":
        db = _embedded_db(scale)

        def fresh_embedded() -> GraphStore:
            _remove_db(db)
            return EmbeddedStore(db)

        return fresh_embedded, lambda: EmbeddedStore(db), db

    def fresh_neo4j() -> GraphStore:
        s = Neo4jStore(driver, "neo4j")
        s.clear()
        s.apply_schema()
        return s

    return fresh_neo4j, lambda: Neo4jStore(driver, "neo4j"), None


PARTS = ("load", "queries", "graphql", "side", "peer", "api")
NEO4J_ONLY = ("peer",)


def steps(plan: Plan) -> int:
    """The parts `run` will measure: each part not skipped, per scale and backend."""
    per_backend = [
        sum(1 for p in PARTS if p not in plan.skip and (b == "neo4j" or p not in NEO4J_ONLY))
        for b in plan.backends
    ]
    return len(plan.scales) * sum(per_backend)


def _holds_the_corpus(
    backend: str,
    prepared: Prepared,
    opened: Callable[[], GraphStore],
    fresh: Callable[[], GraphStore],
    size: int,
) -> None:
    """With the load part skipped, the parts after it read the store as the bench left it;
    unless it holds this corpus's nodes, load it once (untimed), so that no part measures
    another scale's data, a half-finished load, or an empty store."""
    from benchmarks.load import write_all

    want: dict[str, int] = {}
    for is_node, label, _ in prepared.items:
        if is_node:
            want[label.value] = want.get(label.value, 0) + 1
    store = opened()
    try:
        have = store.counts().nodes
    finally:
        store.close()
    if all(have.get(k) == v for k, v in want.items()):
        say(f"{backend}: the store holds the {prepared.scale} corpus; not loading it")
        return
    say(
        f"{backend}: the store does not hold the {prepared.scale} corpus (load skipped): "
        f"loading it once, untimed, in batches of {size:,}"
    )
    store = fresh()
    try:
        write_all(store, prepared.items, size)
    finally:
        store.close()


def _bench_backend(
    plan: Plan,
    backend: str,
    scale: str,
    prepared: Prepared,
    work: Workload,
    r: dict[str, Any],
    neo: BenchNeo4j | None,
    driver: Any,
    tmp: Path,
    step: Callable[[], None],
) -> None:
    """Every part of the plan on one backend at one scale, each part's figures into `r`."""
    from benchmarks.api_load import bench_api_load
    from benchmarks.graphql import bench_large_response, bench_naive_vs_loaders
    from benchmarks.load import bench_load
    from benchmarks.peer import bench_peer
    from benchmarks.queries import bench_queries
    from benchmarks.side_channel import bench_hidden_vs_absent, hidden_ids

    fresh, opened, db = _stores(backend, scale, driver)
    if "load" not in plan.skip:
        r["load"] = bench_load(
            backend,
            prepared,
            fresh,
            list(plan.sizes.get(scale, (plan.default_size,))),
            plan.default_size,
            plan.naive_sample if scale in plan.naive_scales else 0,
            neo.cpu_seconds if backend == "neo4j" and neo else None,
        )
        step()
    else:
        _holds_the_corpus(backend, prepared, opened, fresh, plan.default_size)
    store = opened()
    try:
        if "queries" not in plan.skip:
            r["queries"] = bench_queries(store, work, plan.query_reps, tmp, kinds=plan.query_kinds)
            step()
        if "graphql" not in plan.skip:
            r["naive_vs_dataloaders"] = bench_naive_vs_loaders(store, tmp, plan.gql_reps)
            r["large_response"] = bench_large_response(store, tmp, plan.gql_reps)
            step()
        if "side" not in plan.skip:
            r["hidden_vs_absent"] = bench_hidden_vs_absent(
                store, hidden_ids(prepared.items, scale), plan.query_reps
            )
            step()
    finally:
        store.close()
    if backend == "neo4j" and neo is not None and "peer" not in plan.skip:
        r["peer"] = bench_peer(
            neo.env, work.recommendations[0], _peer_theme(work.themes),
            plan.peer_reps, _raw_reader(driver, neo.env),
        )  # fmt: skip
        step()
    if "api" not in plan.skip:
        runs = [
            bench_api_load(
                backend,
                db,
                neo.env if backend == "neo4j" and neo else {},
                work,
                plan.api_levels,
                plan.api_requests,
                plan.api_max_s,
                workers,
            )
            for workers in (plan.api_workers or (None,))
        ]
        r["api_load"] = runs[0]
        if len(runs) > 1:
            r["api_load_runs"] = runs
        step()


def run(
    plan: Plan,
    progress: Callable[[int, int], None] | None = None,
    checkpoint: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run the plan; `progress(parts done, parts in all)` after each part (see `steps`), and
    `checkpoint(report so far)` after each part too, so that a part that fails or a run that
    is stopped loses nothing already measured.

    A part that raises ends its backend's run at that scale: the error goes in the report
    (`errors`, and `error` in that backend's results) and the next backend goes on."""
    from benchmarks.load import prepare
    from benchmarks.neo4j_instance import BenchNeo4j
    from benchmarks.queries import Workload
    from graph_store import make_driver

    started = time.perf_counter()
    report: dict[str, Any] = {"machine": machine(), "plan": asdict(plan), "results": {}}
    total = steps(plan)
    done = 0

    report["errors"] = []

    def save() -> None:
        if checkpoint is not None:
            report["seconds"] = round(time.perf_counter() - started, 1)
            report["targets"] = targets(report)
            checkpoint(report)

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)
        save()

    tmp = Path(tempfile.mkdtemp(prefix="scrgraph-bench-"))
    neo: BenchNeo4j | None = None
    driver: Any = None
    if "neo4j" in plan.backends:
        neo = BenchNeo4j(port=plan.neo4j_port, heap=plan.neo4j_heap)
        why = neo.available()
        if why:
            say(f"skipping Neo4j: {why}")
            report["neo4j_skipped"] = why
            neo = None
        else:
            neo.start()
            driver = make_driver(neo.settings)
    try:
        for scale in plan.scales:
            say(f"preparing the {scale} corpus")
            prepared = prepare(scale)
            work = Workload.from_prepared(prepared)
            report["results"][scale] = {}
            for backend in plan.backends:
                if backend == "neo4j" and neo is None:
                    continue
                r: dict[str, Any] = {"loadavg_before": loadavg()}
                report["results"][scale][backend] = r  # filled part by part (see `save`)
                try:
                    _bench_backend(plan, backend, scale, prepared, work, r, neo, driver, tmp, step)
                except Exception as e:  # a part failed: keep what was measured, go on
                    what = f"{scale}/{backend}: {type(e).__name__}: {e}"
                    say(f"failed: {what}")
                    r["error"] = what
                    report["errors"].append(what)
                r["loadavg_after"] = loadavg()
                save()
            del prepared
    finally:
        if driver is not None:
            driver.close()
        if neo is not None:
            neo.stop()
    report["machine"]["loadavg_end"] = loadavg()
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["targets"] = targets(report)
    return report


# -- targets --------------------------------------------------------------------------------


def _peer_theme(themes: list[str]) -> str:
    """The theme of the filtered count: the README's headline theme where the corpus has it."""
    return "information_sharing" if "information_sharing" in themes else themes[0]


def _raw_reader(driver: Any, env: dict[str, str]) -> Callable[[str, dict[str, Any]], list[Any]]:
    """One statement straight through the driver, its records fetched (the Cypher floor)."""
    from neo4j import RoutingControl

    def read(cypher: str, params: dict[str, Any]) -> list[Any]:
        records, _, _ = driver.execute_query(
            cypher,  # the peer bench's own constant text
            params,
            database_=env.get("NEO4J_DATABASE") or None,
            routing_=RoutingControl.READ,
        )
        return list(records)

    return read


def _get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issue 8 against what was measured (None where not measured)."""
    res = report["results"]
    out: list[dict[str, Any]] = []

    def add(what: str, target: str, value: Any, ok: bool | None, where: str) -> None:
        out.append({"what": what, "target": target, "measured": value, "met": ok, "where": where})

    for scale, by_backend in res.items():
        for backend, r in by_backend.items():
            rate = _get(r, "load", "best", "records_per_s")
            if rate is not None:
                goal = 50_000 if backend == "neo4j" else 100_000
                add(
                    f"{backend} load",
                    f">= {goal:,} records/s",
                    f"{rate:,.0f}/s (batch {r['load']['best']['batch_size']:,})",
                    rate >= goal,
                    scale,
                )
            p95 = _get(r, "queries", "trace", "api", "p95_ms")
            if p95 is not None:
                add(
                    "trace through the API",
                    "p95 <= 15 ms",
                    f"{p95:.1f} ms",
                    p95 <= 15,
                    f"{scale}/{backend}",
                )
            for kind in ("trace", "recurrence"):
                ratio = _get(r, "queries", kind, "api_over_raw_p50")
                if ratio is not None:  # issue 16 (issue 8 asked for 1.5)
                    add(
                        f"API/raw {kind} (p50)", "<= 1.3", ratio, ratio <= 1.3, f"{scale}/{backend}"
                    )
            net = _get(r, "queries", "network", "api", "p50_ms")
            if net is not None:
                add(
                    "network, full range, uncached (API p50)",
                    "<= 300 ms",
                    f"{net:.0f} ms",
                    net <= 300,
                    f"{scale}/{backend}",
                )
            big = _get(r, "large_response", "p50_ms")
            if big is not None:
                n = r["large_response"]["objects"]
                add(
                    f"{n:,}-object response (API p50)",
                    "<= 500 ms",
                    f"{big:.0f} ms",
                    big <= 500,
                    f"{scale}/{backend}",
                )
            for name, p in (_get(r, "hidden_vs_absent", "probes") or {}).items():
                add(
                    f"hidden vs absent: {name}",
                    "p50 within noise",
                    f"{p['hidden']['p50_ms']:.2f}/{p['absent']['p50_ms']:.2f} ms",
                    p["ok"],
                    f"{scale}/{backend}",
                )
            for name, q in (_get(r, "peer", "requests") or {}).items():
                add(
                    f"vs @neo4j/graphql: {name}",
                    "scrgraph p50 <= peer p50",
                    f"{q['scrgraph']['p50_ms']:.1f}/{q['peer']['p50_ms']:.1f} ms",
                    q["scrgraph"]["p50_ms"] <= q["peer"]["p50_ms"] and q["same_answer"],
                    f"{scale}/{backend}",
                )
            rss = _get(r, "api_load", "peak_rss_mb")
            if rss is not None and backend == "embedded":
                add("embedded server peak RSS", "<= 1,536 MB", f"{rss:,.0f} MB", rss <= 1536, scale)
    return out


# -- printing -------------------------------------------------------------------------------


def _row(cols: list[Any], widths: list[int]) -> str:
    cells = []
    for i, (c, w) in enumerate(zip(cols, widths, strict=True)):
        s = f"{c:,.1f}" if isinstance(c, float) else f"{c:,}" if isinstance(c, int) else str(c)
        cells.append(s.ljust(w) if i == 0 else s.rjust(w))
    return "  ".join(cells)


def format_report(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}, "
        f"commit {m['commit']}; load average {m['loadavg_start']} -> {m.get('loadavg_end')}",
        "",
    ]
    for scale, by_backend in report["results"].items():
        for backend, r in by_backend.items():
            lines.append(f"== {scale} / {backend}  (load average before {r['loadavg_before']})")
            if "error" in r:
                lines.append(f"FAILED (the parts after it did not run): {r['error']}")
            if "load" in r:
                ld = r["load"]
                lines.append(
                    f"load: {ld['records']:,} records ({ld['nodes']:,} nodes); preparing "
                    f"(parse, validate, similarity) {ld['prepare_s']:.1f}s; end to end at "
                    f"batch {ld['default']['batch_size']:,}: {ld['end_to_end_records_per_s']:,.0f}/s"
                )
                w = [22, 10, 14, 10, 14]
                lines.append(_row(["batch size", "write s", "records/s", "cpu s", "rec/cpu-s"], w))
                for s in ld["sweep"]:
                    lines.append(
                        _row(
                            [s["batch_size"], s["write_s"], s["records_per_s"], s["cpu_s"],
                             s["records_per_cpu_s"]],
                            w,
                        )
                    )  # fmt: skip
                if "naive" in ld:
                    nv = ld["naive"]
                    lines.append(
                        _row(
                            [
                                f"naive (1/tx, {nv['sampled_records']:,})",
                                nv["seconds"],
                                nv["records_per_s"],
                                "-",
                                "-",
                            ],
                            w,
                        )
                        + f"   batched/naive x{ld.get('batched_vs_naive')}"
                    )
            if "queries" in r:
                w = [12, 9, 9, 9, 9, 9, 9, 9, 7]
                lines.append(
                    _row(
                        [
                            "query",
                            "be p50",
                            "be p95",
                            "api p50",
                            "api p95",
                            "api p99",
                            "raw p50",
                            "raw p95",
                            "api/raw",
                        ],
                        w,
                    )
                )
                for kind, q in r["queries"].items():
                    raw = q.get("raw") or {}
                    lines.append(
                        _row(
                            [
                                kind,
                                q["backend"]["p50_ms"],
                                q["backend"]["p95_ms"],
                                q["api"]["p50_ms"],
                                q["api"]["p95_ms"],
                                q["api"]["p99_ms"],
                                raw.get("p50_ms", "-"),
                                raw.get("p95_ms", "-"),
                                q.get("api_over_raw_p50", "-"),
                            ],
                            w,
                        )
                    )
                lines.append(
                    "  (ms; be = queries.run, api = GraphQL in-process over ASGI, raw = driver)"
                )
                for kind, q in r["queries"].items():
                    if q.get("api_baseline"):
                        b = q["api_baseline"]
                        lines.append(
                            f"  {kind}: baseline api (no document cache, wrapped fields) p50 "
                            f"{b['p50_ms']:.1f}, p95 {b['p95_ms']:.1f}"
                            + (f", baseline/raw {q['baseline_over_raw_p50']}" if "raw" in q else "")
                        )
                    if q.get("api_layout_reused"):
                        lr = q["api_layout_reused"]
                        lines.append(
                            f"  {kind}: api with the generation's layout reused p50 "
                            f"{lr['p50_ms']:.1f}, p95 {lr['p95_ms']:.1f}"
                        )
                    if q.get("loadavg"):
                        lines.append(
                            f"  {kind}: load average {q['loadavg'][0]} -> {q['loadavg'][1]}"
                        )
            if "naive_vs_dataloaders" in r:
                nd = r["naive_vs_dataloaders"]
                for v in ("dataloaders", "naive"):
                    x = nd[v]
                    lines.append(
                        f"page of 100 ({v}): p50 {x['p50_ms']:.0f} ms, {x['backend_calls']} "
                        f"backend calls, {x['objects']:,} objects"
                    )
                lines.append(f"  naive / dataloaders: x{nd['naive_over_loaders_p50']}")
            if "large_response" in r:
                lr = r["large_response"]
                lines.append(
                    f"large response: {lr['objects']:,} objects, {lr['bytes']:,} bytes, "
                    f"p50 {lr['p50_ms']:.0f} ms, {lr['backend_calls']} backend calls "
                    f"(backend alone {lr['backend_only_ms']:.0f} ms)"
                    + (
                        f"; load average {lr['loadavg'][0]} -> {lr['loadavg'][1]}"
                        if lr.get("loadavg")
                        else ""
                    )
                    + (
                        f"; baseline p50 {lr['baseline']['p50_ms']:.0f} ms"
                        if lr.get("baseline")
                        else ""
                    )
                )
            if "hidden_vs_absent" in r:
                w = [30, 11, 11, 10, 10, 6]
                lines.append(
                    _row(["hidden vs absent", "hidden p50", "absent p50", "diff", "noise", "ok"], w)
                )
                for name, p in r["hidden_vs_absent"]["probes"].items():
                    lines.append(
                        _row(
                            [name, p["hidden"]["p50_ms"], p["absent"]["p50_ms"], p["p50_diff_ms"],
                             p["allowed_ms"], "yes" if p["ok"] else "NO"],
                            w,
                        )
                    )  # fmt: skip
                lines.append("  (ms; requests alternate; noise = max(10 % of absent p50, its IQR))")
            if "peer" in r:
                w = [48, 10, 10, 10, 9, 6]
                lines.append(
                    _row(["against @neo4j/graphql (p50 ms)", "scrgraph", "peer", "raw", "scr/peer",
                          "same"], w)
                )  # fmt: skip
                for name, q in r["peer"]["requests"].items():
                    lines.append(
                        _row(
                            [name, q["scrgraph"]["p50_ms"], q["peer"]["p50_ms"], q["raw"]["p50_ms"],
                             q["scrgraph_over_peer_p50"], "yes" if q["same_answer"] else "NO"],
                            w,
                        )
                    )  # fmt: skip
                lines.append(
                    "  (both servers over loopback HTTP, called alternately; raw = one hand-written"
                    " statement per request through the driver)"
                )
            for al in r.get("api_load_runs") or ([r["api_load"]] if "api_load" in r else []):
                w = [10, 8, 9, 9, 10, 9, 9, 7, 12]
                lines.append(
                    _row(["clients", "workers", "requests", "seconds", "req/s", "p50", "p95",
                          "errors", "load avg"], w)
                )  # fmt: skip
                for lv in al["levels"]:
                    lines.append(
                        _row(
                            [lv["clients"], al.get("workers") or "cores", lv["requests"],
                             lv["seconds"], lv["requests_per_s"], lv["latency"]["p50_ms"],
                             lv["latency"]["p95_ms"], lv["errors"],
                             "/".join(str(x) for x in (lv.get("loadavg_after") or [])[:1])],
                            w,
                        )
                    )  # fmt: skip
                lines.append(
                    f"  server: start {al['startup_s']}s, RSS after start "
                    f"{al['rss_after_start_mb']} MB, peak RSS {al['peak_rss_mb']} MB"
                )
            lines.append("")
    if report.get("targets"):
        lines.append("== targets")
        w = [42, 14, 26, 6, 18]
        lines.append(_row(["what", "target", "measured", "met", "where"], w))
        for t in report["targets"]:
            met = "yes" if t["met"] else "NO" if t["met"] is not None else "-"
            lines.append(_row([t["what"], t["target"], str(t["measured"]), met, t["where"]], w))
    lines.append(f"\n{report['seconds']}s in all")
    return "\n".join(lines)


def write_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")
