"""The embedded store's write path without its networkx copy (issue 14 item 2, the writes).

    python -m benchmarks.embedded_writes --prepared var/bench/prepared-national.pickle \
        --db /tmp/national.sqlite --json benchmarks/results/FILE.json

- `load`: the prepared rows (`benchmarks.load.prepare`'s cache) written into a new embedded
  store in batches of 5,000 (marked fresh, as `loaders.load_corpus` marks them), then one
  ordinary write of a LoadRun node, as a load ends (the store keeps the aggregates of a fresh
  load there, once: `final_write_s`, counted in `load_s`), then the same rows written again
  (a reload); seconds in `store.write` for each, and the process's peak RSS after each (it
  holds the prepared rows too).
- `mutation`: `scrgraph serve --workers 1` on the loaded store (benchmarks.api_load.Server):
  its peak RSS (VmHWM) after start, then an inspector's `recordAction` on a published
  recommendation (a write that moves the aggregates: a new action responds to it), timed
  through HTTP, and the server's peak RSS after it; then a second one, for comparison.

Every part records the load average at its start and end: on a shared machine only figures
from one run (or a before/after pair taken back to back) compare.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._util import loadavg, machine, say, vm_hwm_mb
from benchmarks.load import Prepared, close_load, write_all
from graph_schema import Label

_ACTION = "mutation($i: RecordActionInput!) { recordAction(input: $i) { replayed } }"


def load(prepared: Prepared, db: Path, size: int) -> dict[str, Any]:
    from graph_store import EmbeddedStore

    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    before = loadavg()
    store = EmbeddedStore(db)
    t_batches = write_all(store, prepared.items, size, close=False)
    t_final = close_load(store)
    t_load = t_batches + t_final
    rss_load = vm_hwm_mb(os.getpid())
    t_reload = write_all(store, prepared.items, size)
    out = {
        "records": len(prepared.items),
        "batch_size": size,
        "load_s": round(t_load, 2),
        "final_write_s": round(t_final, 2),
        "records_per_s": round(len(prepared.items) / t_load, 1),
        "reload_s": round(t_reload, 2),
        "rss_after_load_mb": rss_load,
        "rss_after_reload_mb": vm_hwm_mb(os.getpid()),
        "copy_built": store._graph is not None,
        "loadavg": [before, loadavg()],
    }
    store.close()
    return out


def published_recommendation(prepared: Prepared) -> str:
    """The first recommendation (in write order) of a published review."""
    published = {
        str(row["id"])
        for is_node, name, row in prepared.items
        if is_node and name == Label.REVIEW and row.get("status") == "published"
    }
    for is_node, name, row in prepared.items:
        if is_node and name == Label.RECOMMENDATION and row.get("review_id") in published:
            return str(row["id"])
    raise ValueError("the corpus has no recommendation of a published review")


def _mutate(port: int, token: str, rec: str, change: str) -> float:
    body = json.dumps(
        {
            "query": _ACTION,
            "variables": {"i": {"changeId": change, "recommendation": rec, "description": "d"}},
        }
    )
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        t0 = time.perf_counter()
        c.request("POST", "/graphql", body, headers)
        answer = json.loads(c.getresponse().read())
        spent = time.perf_counter() - t0
    finally:
        c.close()
    if answer.get("errors") or answer["data"]["recordAction"]["replayed"]:
        raise RuntimeError(f"the mutation failed: {answer}")
    return spent


def mutation(db: Path, rec: str) -> dict[str, Any]:
    from benchmarks.api_load import Server
    from gql_api.auth import create_key

    keys = Path(tempfile.mkdtemp(prefix="scrgraph-writes-")) / "keys.json"
    token = create_key(keys, "inspector", "bench-writes")
    before = loadavg()
    s = Server("embedded", db, {"SCRGRAPH_KEYS": str(keys)}, workers=1)
    try:
        rss_start = s.peak_rss_mb()
        stamp = f"{time.time_ns()}"
        first = _mutate(s.port, token, rec, f"bench-{stamp}-1")
        rss_first = s.peak_rss_mb()
        second = _mutate(s.port, token, rec, f"bench-{stamp}-2")
        return {
            "recommendation": rec,
            "startup_s": round(s.startup_s, 2),
            "rss_after_start_mb": rss_start,
            "first_mutation_s": round(first, 3),
            "rss_after_first_mutation_mb": rss_first,
            "second_mutation_s": round(second, 3),
            "loadavg": [before, loadavg()],
        }
    finally:
        s.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prepared", type=Path, required=True, help="a prepared-*.pickle")
    ap.add_argument("--db", type=Path, required=True, help="the store to write (replaced)")
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--skip", choices=("load", "mutation"), action="append", default=[])
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    with args.prepared.open("rb") as f:
        prepared: Prepared = pickle.load(f)  # our own cache under var/bench
    out: dict[str, Any] = {
        "machine": machine(),
        "scale": prepared.scale,
        "prepared": str(args.prepared),
    }
    if "load" not in args.skip:
        say(f"load {prepared.scale}: {len(prepared.items):,} records into {args.db}")
        out["load"] = load(prepared, args.db, args.batch_size)
        say(json.dumps(out["load"]))
    if "mutation" not in args.skip:
        rec = published_recommendation(prepared)
        del prepared
        say(f"mutation: recordAction on {rec} through a server on {args.db}")
        out["mutation"] = mutation(args.db, rec)
        say(json.dumps(out["mutation"]))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
