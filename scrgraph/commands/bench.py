"""`scrgraph bench`: load, query, API-under-load and GraphQL-shape benchmarks.

The benchmarks live in the repository's `benchmarks/` folder (not part of the installed
package); this command runs them from a checkout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scrgraph.errors import ConfigError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "bench",
        help="run the benchmarks (load, queries, API under load, GraphQL shape)",
        description="Prints a table; --json writes every figure. Generated corpora and the "
        "benchmark stores are cached under var/bench/. Neo4j runs on its own server "
        "(its own port and data folder), never the one tests use.",
    )
    p.add_argument("--quick", action="store_true", help="a smoke run on the demo corpus (< 2 min)")
    p.add_argument(
        "--scale",
        choices=("national", "large", "both"),
        default="both",
        help="corpus scale for a full run (both)",
    )
    p.add_argument(
        "--backend",
        choices=("embedded", "neo4j", "both"),
        help="backends to measure (default: both; Neo4j is skipped, saying why, where it cannot start)",
    )
    p.add_argument("--json", metavar="FILE", help="write every figure to FILE as JSON")
    p.add_argument(
        "--skip",
        action="append",
        choices=("load", "queries", "graphql", "side", "peer", "api"),
        default=[],
        help="skip a part (repeatable)",
    )
    p.add_argument(
        "--neo4j-port", type=int, default=7699, help="port of the benchmarks' own Neo4j (7699)"
    )
    p.add_argument("--neo4j-heap", default="2g", help="its JVM heap (2g)")
    p.add_argument(
        "--reps", type=int, metavar="N", help="runs of each query (default 150; quick 15)"
    )
    p.add_argument(
        "--sizes", metavar="N,N", help="batch sizes to sweep (default: 1000,5000,20000 national)"
    )
    p.add_argument(
        "--queries",
        metavar="KIND,KIND",
        help="reads the queries part times (default all: trace,recurrence,network,search,"
        "outstanding)",
    )
    p.add_argument(
        "--workers",
        metavar="N,N",
        help="the api part's server processes (serve --workers), one run each, repeats "
        "alternate: 1,2,1,2 (default: one run at serve's default, the number of cores)",
    )
    p.add_argument(
        "--clients",
        metavar="N,N",
        help="the api part's concurrent clients (default 1,8,32)",
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar (there is none either when stderr is not a terminal)",
    )
    p.set_defaults(func=run)


def _import_benchmarks() -> Any:
    root = Path(__file__).resolve().parents[2]
    if not (root / "benchmarks" / "__init__.py").exists():
        raise ConfigError(
            f"no benchmarks/ folder beside {root / 'scrgraph'}: run `scrgraph bench` from a "
            "checkout of the repository"
        )
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import benchmarks

    return benchmarks


def _counts(option: str, text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(s) for s in text.split(",") if s.strip())
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise ConfigError(f"{option} {text!r}: expected whole numbers, 1 or more, e.g. 1,2")
    return counts


def run(args: argparse.Namespace) -> int:
    import dataclasses

    bench = _import_benchmarks()
    backend = args.backend or "both"
    backends = ("embedded", "neo4j") if backend == "both" else (backend,)
    if args.quick:
        plan = bench.quick_plan(backends)
    else:
        scales = ("national", "large") if args.scale == "both" else (args.scale,)
        plan = bench.full_plan(scales, backends)
    plan = dataclasses.replace(
        plan, skip=tuple(args.skip), neo4j_port=args.neo4j_port, neo4j_heap=args.neo4j_heap
    )
    if args.reps:
        plan = dataclasses.replace(plan, query_reps=args.reps)
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
        plan = dataclasses.replace(plan, sizes=dict.fromkeys(plan.scales, sizes))
    if args.queries:
        kinds = tuple(k.strip() for k in args.queries.split(",") if k.strip())
        from benchmarks.queries import KINDS

        known = [k for k, _, _ in KINDS]
        bad = [k for k in kinds if k not in known]
        if bad:
            raise ConfigError(f"--queries: unknown {', '.join(bad)}; use {', '.join(known)}")
        plan = dataclasses.replace(plan, query_kinds=kinds)
    if args.workers:
        plan = dataclasses.replace(plan, api_workers=_counts("--workers", args.workers))
    if args.clients:
        plan = dataclasses.replace(plan, api_levels=_counts("--clients", args.clients))
    from scrgraph.progress import RowProgress, wants_progress

    bar = RowProgress("benchmarking", unit="parts") if wants_progress(args.quiet) else None
    out = Path(args.json) if args.json else None

    def checkpoint(partial: dict[str, Any]) -> None:
        # After every part: a part that fails later, or a run stopped, keeps what it measured.
        if out is not None:
            bench.write_json(partial, out)

    try:
        report = bench.run(plan, progress=bar, checkpoint=checkpoint)
    finally:
        if bar is not None:
            bar.close()
    print(bench.format_report(report))
    print(
        f"bench: {bench.steps(plan)} parts in {report['seconds']}s; load average at the end "
        f"{' '.join(str(x) for x in report['machine']['loadavg_end'])}"
    )
    if out is not None:
        bench.write_json(report, out)
        print(f"wrote {out}")
    failed = [t for t in report["targets"] if t["met"] is False]
    if failed:
        print(f"{len(failed)} target(s) not met (see above)", file=sys.stderr)
    for what in report["errors"]:
        print(
            f"error: a part failed, and the parts after it on that backend did not run: {what}",
            file=sys.stderr,
        )
    return 1 if report["errors"] else 0
