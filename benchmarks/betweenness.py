"""Where betweenness needs sampling: exact and sampled betweenness (queries.network.betweenness)
on theme networks of growing size, timed in CPU seconds, with the sampled answer's error.

    python -m benchmarks.betweenness [--json FILE]

Theme networks are dense: at national scale every pair of the 40 themes shares a review, so
the networks here are complete graphs of n themes with co-occurrence weights drawn from a
seeded generator (1 to 60 shared reviews, as the national corpus has). Exact betweenness is
one weighted shortest-path search per theme, O(n^3 log n) on a complete graph; the sampled
one runs `BETWEENNESS_SAMPLES` searches. CPU time (not wall time) is what is compared, so a
busy machine does not move the threshold; the wall figures and the load average are recorded
beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import networkx as nx

from queries import network as qn

SIZES = (10, 20, 30, 40, 50, 60, 64, 70, 80, 100, 120)


def _network(n: int, seed: int = 7) -> nx.Graph:
    rng = random.Random(seed)
    g = nx.Graph()
    names = [f"theme{i:03d}" for i in range(n)]
    g.add_nodes_from(names)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            w = rng.randint(1, 60)
            g.add_edge(a, b, weight=w, distance=1.0 / w)
    return g


def _time(fn: Any, reps: int) -> tuple[float, float, Any]:
    """(CPU ms, wall ms) per call, best of `reps`, and the last answer."""
    best_cpu = best_wall = float("inf")
    out = None
    for _ in range(reps):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        best_cpu = min(best_cpu, (time.process_time() - c0) * 1000)
        best_wall = min(best_wall, (time.perf_counter() - w0) * 1000)
    return best_cpu, best_wall, out


def measure(sizes: tuple[int, ...] = SIZES, reps: int = 3) -> dict[str, Any]:
    rows = []
    for n in sizes:
        g = _network(n)
        exact_cpu, exact_wall, exact = _time(lambda g=g: qn.betweenness(g, exact_max=10**9), reps)
        row: dict[str, Any] = {
            "themes": n,
            "edges": g.number_of_edges(),
            "exact_cpu_ms": round(exact_cpu, 1),
            "exact_wall_ms": round(exact_wall, 1),
        }
        if n > qn.BETWEENNESS_SAMPLES:
            s_cpu, s_wall, sampled = _time(lambda g=g: qn.betweenness(g, exact_max=0), reps)
            top = 5
            rank_exact = sorted(exact, key=lambda v: (-exact[v], v))[:top]
            rank_sampled = sorted(sampled, key=lambda v: (-sampled[v], v))[:top]
            row.update(
                sampled_cpu_ms=round(s_cpu, 1),
                sampled_wall_ms=round(s_wall, 1),
                max_abs_error=round(max(abs(exact[v] - sampled[v]) for v in g), 6),
                max_exact=round(max(exact.values()), 6),
                top5_shared=len(set(rank_exact) & set(rank_sampled)),
            )
        rows.append(row)
    return {
        "samples": qn.BETWEENNESS_SAMPLES,
        "exact_max_nodes": qn.EXACT_BETWEENNESS_MAX_NODES,
        "loadavg": list(os.getloadavg()),
        "rows": rows,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    report = measure()
    print(f"samples {report['samples']}; load average {report['loadavg']}")
    print(
        f"{'themes':>6} {'edges':>6} {'exact cpu':>10} {'networkx':>9} {'sampled':>8} error/max top5"
    )
    for r in report["rows"]:
        extra = (
            f"{r['sampled_cpu_ms']:>8.1f} {r['max_abs_error']:.4f}/{r['max_exact']:.4f} "
            f"{r['top5_shared']}/5"
            if "sampled_cpu_ms" in r
            else ""
        )
        print(
            f"{r['themes']:>6} {r['edges']:>6} {r['exact_cpu_ms']:>10.1f} "
            f"{r['networkx_cpu_ms']:>9.1f} {extra}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
