"""The embedded store without its networkx copy (issue 14 item 2): server start and memory,
and the readers that used to walk the copy (search, corpus, repeated, briefing, agency load).

    python -m benchmarks.embedded_readers --db var/bench/embedded-national.sqlite \
        --reps 20 --json benchmarks/results/FILE.json

- `server`: `scrgraph serve --workers 1` on the store (benchmarks.api_load.Server): seconds
  until it answers, and its peak RSS (VmHWM) right after, a server that has read nothing but
  the warm-up trace.
- `readers`: each named query in this process, on the store opened afresh: the first call
  (which paid for building the graph copy, where one was built) and p50/p95 over `--reps`
  further calls, as the public viewer; the process's peak RSS after them.

Every run records the load average at its start and end: on a shared machine only figures
from one run (or a before/after pair taken back to back) compare.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks._util import _git_commit, loadavg, percentiles, say, vm_hwm_mb

# (label, named query, parameters for run i): the readers item 2 moves off the copy.
_WORDS = ("information sharing", "neglect", "supervision", "domestic abuse", "escalation")
_SECTORS = ("health", "police", "education", "childrens_social_care")
READERS: tuple[tuple[str, str, Any], ...] = (
    ("search", "search", lambda i: {"text": _WORDS[i % len(_WORDS)]}),
    ("corpus", "corpus_info", lambda i: {}),
    ("repeated", "repeated_recommendations", lambda i: {}),
    (
        "briefing recommendations",
        "briefing.sector_recommendations",
        lambda i: {"sector": _SECTORS[i % len(_SECTORS)]},
    ),
    (
        "briefing actions",
        "briefing.sector_actions",
        lambda i: {"sector": _SECTORS[i % len(_SECTORS)], "as_of": "2025-06-30"},
    ),
    (
        "agency load",
        "agency_load",
        lambda i: {"sector": _SECTORS[i % len(_SECTORS)], "as_of": "2025-06-30"},
    ),
)


def server(db: Path) -> dict[str, Any]:
    from benchmarks.api_load import Server

    before = loadavg()
    s = Server("embedded", db, {}, workers=1)
    try:
        return {
            "startup_s": round(s.startup_s, 2),
            "rss_after_start_mb": s.rss_after_start_mb,
            "loadavg": [before, loadavg()],
        }
    finally:
        s.stop()


def readers(db: Path, reps: int, only: tuple[str, ...] | None) -> dict[str, Any]:
    import queries
    from graph_store import EmbeddedStore

    t0 = time.perf_counter()
    store = EmbeddedStore(db)
    out: dict[str, Any] = {"open_s": round(time.perf_counter() - t0, 3)}
    for label, name, params in READERS:
        if only is not None and label.split()[0] not in only:
            continue
        before = loadavg()
        say(f"embedded readers: {label} x{reps}")
        t0 = time.perf_counter()
        queries.run(store, name, params(0))
        first = time.perf_counter() - t0
        times = []
        for i in range(1, reps + 1):
            t0 = time.perf_counter()
            queries.run(store, name, params(i))
            times.append(time.perf_counter() - t0)
        out[label] = {
            "query": name,
            "first_ms": round(first * 1000, 1),
            **percentiles(times),
            "loadavg": [before, loadavg()],
        }
    out["peak_rss_mb"] = vm_hwm_mb(os.getpid())
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="an embedded store (loaded)")
    ap.add_argument("--reps", type=int, default=20, help="timed calls per reader (20)")
    ap.add_argument("--skip-server", action="store_true", help="no server start")
    ap.add_argument("--only", help="readers to time, comma-separated first words")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    a = ap.parse_args(argv)
    only = tuple(a.only.split(",")) if a.only else None
    report: dict[str, Any] = {
        "commit": _git_commit() or "unknown",
        "db": str(a.db),
        "loadavg_start": loadavg(),
    }
    if not a.skip_server:
        report["server"] = server(a.db)
    # Readers in a fresh process of their own would cost another import; this one has not
    # opened the store yet (the server is a subprocess), so its RSS is the readers' own.
    report["readers"] = readers(a.db, a.reps, only)
    report["loadavg_end"] = loadavg()
    text = json.dumps(report, indent=2)
    print(text)
    if a.json:
        a.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
