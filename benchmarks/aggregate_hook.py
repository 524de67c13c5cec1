"""What the Neo4j aggregate hook (`graph_store.neo4j_store._keep_aggregates`) costs per write.

    python -m benchmarks.aggregate_hook [--scale demo] [--mutations 40] [--server-pid PID]
        [--profile] [--json FILE]

Needs a Neo4j named for tests (NEO4J_TEST_URI and its password, as pytest takes them): it
CLEARS that database. Three scenarios, each timed as wall seconds and, with `--server-pid`
(the Neo4j JVM, e.g. `$(cat .neo4j-local/neo4j.pid)`), the server's CPU seconds from /proc:

- `load`: the corpus into the empty store (the bulk path, every batch `fresh`);
- `reload`: the same corpus again (the merge path);
- `mutations`: small writes like the tests' (a review's status, a recommendation's status, a
  new action on a recommendation, a theme's label), `--mutations` of them.

Inside each, every statement the hook runs is timed (the result fetched whole), by name, and
the hook's share of the write transactions is given. `--profile` PROFILEs each hook statement
once with the parameters of one small mutation (in a transaction rolled back) and lists its
operators, so a label scan where an index seek belongs shows. Not a test: nothing here runs
under pytest, and the figures move with the machine's load (recorded at start and end).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks._util import loadavg, machine, say
from graph_schema import Label, RelType
from graph_store import Batch, Neo4jStore, NodeWrite, RelWrite
from graph_store import neo4j_store as ns
from scrgraph.settings import test_neo4j_settings

_CLK = os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int | None) -> float | None:
    """utime + stime of a process (all its threads), in seconds."""
    if pid is None:
        return None
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLK


def _name(text: str) -> str:
    """A short, stable name for a Cypher text the hook runs."""
    for const in dir(ns):
        if const.startswith("_") and const.isupper() and getattr(ns, const) == text:
            return const.lstrip("_").lower()
    flat = " ".join(text.split())
    return flat[:90]


class _Fetched:
    """A result fetched whole, answering what the hook asks of one."""

    def __init__(self, records: list[Any], summary: Any) -> None:
        self._records, self._summary = records, summary

    def __iter__(self) -> Iterator[Any]:
        return iter(self._records)

    def consume(self) -> Any:
        return self._summary

    def single(self) -> Any:
        return self._records[0] if self._records else None


class _TimedTx:
    """A transaction whose every `run` is fetched at once and timed under its text's name."""

    def __init__(self, tx: Any, stats: dict[str, list[float]], seen: dict[str, Any]) -> None:
        self._tx, self._stats, self._seen = tx, stats, seen

    def run(self, text: str, parameters: Any = None, **params: Any) -> _Fetched:
        t0 = time.perf_counter()
        res = self._tx.run(text, parameters, **params)
        records = list(res)
        summary = res.consume()
        name = _name(text)
        self._stats[name].append(time.perf_counter() - t0)
        self._seen.setdefault(name, (text, {**(parameters or {}), **params}))
        return _Fetched(records, summary)


class HookTimer:
    """Wraps the hook; collects per-statement times and the hook's total."""

    def __init__(self) -> None:
        self.stats: dict[str, list[float]] = defaultdict(list)
        self.hook: list[float] = []
        self.seen: dict[str, Any] = {}
        self._orig = ns._keep_aggregates

    def __enter__(self) -> HookTimer:
        orig = self._orig

        def timed(tx: Any, batch: Batch, **kw: Any) -> None:
            t0 = time.perf_counter()
            orig(_TimedTx(tx, self.stats, self.seen), batch, **kw)  # type: ignore[arg-type]
            self.hook.append(time.perf_counter() - t0)

        ns._keep_aggregates = timed
        return self

    def __exit__(self, *exc: object) -> None:
        ns._keep_aggregates = self._orig

    def reset(self) -> None:
        self.stats.clear()
        self.hook.clear()

    def summary(self) -> dict[str, Any]:
        per = {
            k: {"calls": len(v), "total_s": round(sum(v), 3), "max_ms": round(max(v) * 1000, 1)}
            for k, v in sorted(self.stats.items(), key=lambda kv: -sum(kv[1]))
        }
        return {"hook_calls": len(self.hook), "hook_s": round(sum(self.hook), 3), "statements": per}


def _mutations(store: Neo4jStore, n: int) -> Iterator[Batch]:
    """Small writes like the tests make, cycling through four kinds."""
    reviews = [
        r["id"] for r in store.read("MATCH (r:Review) RETURN r.id AS id ORDER BY id LIMIT 20")
    ]
    recs = [
        r["id"]
        for r in store.read("MATCH (r:Recommendation) RETURN r.id AS id ORDER BY id LIMIT 20")
    ]
    themes = [r["id"] for r in store.read("MATCH (t:Theme) RETURN t.id AS id ORDER BY id LIMIT 5")]
    for i in range(n):
        kind = i % 4
        if kind == 0:
            status = "draft" if i % 8 == 0 else "published"
            rows = [{"id": reviews[i % len(reviews)], "status": status}]
            yield Batch(nodes=[NodeWrite(Label.REVIEW, rows)])
        elif kind == 1:
            status = "open_awaiting_response" if i % 8 == 1 else "closed_acceptable_action"
            rows = [{"id": recs[i % len(recs)], "status": status}]
            yield Batch(nodes=[NodeWrite(Label.RECOMMENDATION, rows)])
        elif kind == 2:
            aid = f"bench-action-{i}"
            yield Batch(
                nodes=[
                    NodeWrite(
                        Label.ACTION,
                        [
                            {
                                "id": aid,
                                "description": "Benchmark action (synthetic)",
                                "status": "completed",
                                "completed_date": "2015-01-01",
                            }
                        ],
                    )
                ],
                rels=[
                    RelWrite(
                        RelType.RESPONDS_TO,
                        [{"start": aid, "end": recs[i % len(recs)]}],
                    )
                ],
            )
        else:
            rows = [{"id": themes[i % len(themes)], "label": f"Theme label {i}"}]
            yield Batch(nodes=[NodeWrite(Label.THEME, rows)])


def _profile(store: Neo4jStore, seen: dict[str, Any]) -> dict[str, list[str]]:
    """Each statement PROFILEd once (rolled back): its operators and total db hits."""
    out: dict[str, list[str]] = {}
    with store.driver.session(database=store.database) as session:
        for name, (text, params) in seen.items():
            tx = session.begin_transaction()
            try:
                summary = tx.run("PROFILE " + text, params).consume()
            finally:
                tx.rollback()
            ops: list[str] = []
            hits = 0

            def walk(p: Any, ops: list[str] = ops) -> int:
                h = int(p.get("dbHits", 0))
                args = p.get("args", {})
                ops.append(f"{p['operatorType']}({args.get('Details', '')[:60]})")
                return h + sum(walk(c) for c in p.get("children", []))

            if summary.profile:
                hits = walk(summary.profile)
            out[name] = [f"db_hits={hits}", *ops]
    return out


def _scenario(
    label: str, fn: Any, timer: HookTimer, pid: int | None, results: dict[str, Any]
) -> None:
    timer.reset()
    la0, c0, t0 = loadavg(), server_cpu(pid), time.perf_counter()
    fn()
    wall, c1 = time.perf_counter() - t0, server_cpu(pid)
    results[label] = {
        "wall_s": round(wall, 3),
        "server_cpu_s": None if c0 is None or c1 is None else round(c1 - c0, 2),
        "loadavg": [la0, loadavg()],
        **timer.summary(),
    }
    r = results[label]
    say(
        f"{label}: {r['wall_s']} s wall, server CPU {r['server_cpu_s']} s, "
        f"hook {r['hook_s']} s in {r['hook_calls']} writes, load {la0} -> {loadavg()}"
    )
    for k, v in list(r["statements"].items())[:8]:
        say(f"    {v['total_s']:8.3f} s  {v['calls']:5d} x  max {v['max_ms']:7.1f} ms  {k}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", default="demo")
    ap.add_argument("--mutations", type=int, default=40)
    ap.add_argument("--server-pid", type=int)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    cfg = test_neo4j_settings()
    if cfg is None:
        ap.error("NEO4J_TEST_URI is not set: this benchmark needs a Neo4j for tests (it clears it)")
    from neo4j import GraphDatabase

    from loaders import generate_corpus, load_corpus

    driver = GraphDatabase.driver(cfg.uri, auth=(cfg.user, cfg.password))
    store = Neo4jStore(driver, cfg.database, own_driver=True)
    results: dict[str, Any] = {"machine": machine(), "scale": args.scale}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        generate_corpus(corpus, scale=args.scale, seed=42)
        store.clear()
        store.apply_schema()
        with HookTimer() as timer:
            _scenario("load", lambda: load_corpus(store, corpus), timer, args.server_pid, results)
            _scenario("reload", lambda: load_corpus(store, corpus), timer, args.server_pid, results)

            def mutate() -> None:
                for b in _mutations(store, args.mutations):
                    store.write(b)

            timer.seen.clear()
            _scenario("mutations", mutate, timer, args.server_pid, results)
            seen = dict(timer.seen)
        if args.profile:
            results["profile"] = _profile(store, seen)
            for name, ops in results["profile"].items():
                say(f"PROFILE {name}: {ops[0]}")
                for op in ops[1:]:
                    say(f"    {op}")
    store.close()
    results["loadavg_end"] = loadavg()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
