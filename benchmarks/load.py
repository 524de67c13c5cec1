"""Load speed: records/s into a backend, a batch-size sweep, and the naive one-write-per-record
baseline, all from the same prepared record stream.

The corpus is parsed, validated and turned into rows once (`loaders.load_corpus` against a
recording store); what is timed is the write stage, `GraphStore.write`, which is what differs
between backends and batch sizes. Preparation time is reported separately.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._util import BENCH_DIR, say
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeWrite, RelWrite, Row
from graph_store.neo4j_import import SinkStore

Item = tuple[bool, Label | RelType, Row]  # (is_node, label or type, row)


class _RecordingStore(SinkStore):
    """Answers reads as an empty store and keeps every batch instead of writing it."""

    kind = "recording"

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[Batch] = []

    def write(self, batch: Batch) -> None:
        self.batches.append(batch)  # unchecked: the loader's rows, timed later per backend


def corpus_dir(scale: str) -> Path:
    """The cached generated corpus for a scale (generated once under var/bench/)."""
    from loaders import generate_corpus

    out = BENCH_DIR / f"corpus-{scale}"
    if not (out / "metadata.json").exists() and not any(out.glob("*.csv")):
        say(f"generating the {scale} corpus into {out} (once; cached) ...")
        generate_corpus(out, scale=scale, seed=42)
    return out


@dataclass
class Prepared:
    """Every row of a corpus in write order (nodes first), and how long preparing took."""

    scale: str
    items: list[Item]
    prepare_s: float

    @property
    def nodes(self) -> int:
        return sum(1 for is_node, _, _ in self.items if is_node)


def _cache_path(scale: str) -> Path:
    return BENCH_DIR / f"prepared-{scale}.pickle"


def prepare(scale: str) -> Prepared:
    """The rows of the scale's corpus, prepared once and cached under var/bench/.

    The cache is used while it is newer than every corpus file; delete
    var/bench/prepared-*.pickle to prepare again after changing the loaders.
    """
    import pickle

    cache = _cache_path(scale)
    path = corpus_dir(scale)
    if cache.exists() and cache.stat().st_mtime > max(p.stat().st_mtime for p in path.iterdir()):
        with cache.open("rb") as f:
            cached: Prepared = pickle.load(f)  # our own file under var/bench
        say(f"using the prepared {scale} rows cached in {cache}")
        return cached
    prepared = _prepare(scale, path)
    tmp = cache.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(prepared, f, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(cache)
    return prepared


def _prepare(scale: str, path: Path) -> Prepared:
    """Parse, validate and build the rows of the corpus without writing them."""
    from loaders import load_corpus

    rec = _RecordingStore()
    t0 = time.perf_counter()
    load_corpus(rec, path, batch_size=10**9)
    prep = time.perf_counter() - t0
    items: list[Item] = []
    rels: list[Item] = []
    for b in rec.batches:
        for nw in b.nodes:
            items.extend((True, nw.label, r) for r in nw.rows)
        for rw in b.rels:
            rels.extend((False, rw.type, r) for r in rw.rows)
    items.extend(rels)
    rec.close()
    return Prepared(scale, items, prep)


def batches(items: list[Item], size: int, fresh: bool = False) -> Iterator[Batch]:
    """Consecutive chunks of `size` rows, grouped by label and type (as loaders do); `fresh`
    marks them as the loader does when the store was empty (a backend's bulk path)."""
    for i in range(0, len(items), size):
        nodes: dict[Label, list[Row]] = {}
        rels: dict[RelType, list[Row]] = {}
        for is_node, name, row in items[i : i + size]:
            if is_node:
                nodes.setdefault(name, []).append(row)  # type: ignore[arg-type]
            else:
                rels.setdefault(name, []).append(row)  # type: ignore[arg-type]
        yield Batch(
            nodes=[NodeWrite(label, rows) for label, rows in nodes.items()],
            rels=[RelWrite(t, rows) for t, rows in rels.items()],
            fresh=fresh,
        )


def write_all(store: GraphStore, items: list[Item], size: int, *, close: bool = True) -> float:
    """Write every row in batches of `size`; seconds spent in `store.write`."""
    return write_all_cpu(store, items, size, close=close)[0]


def close_load(store: GraphStore) -> float:
    """A load's last write, an ordinary one (loaders write their LoadRun node): where both
    stores keep the aggregates of a load into an empty store, once. Seconds it took."""
    t0 = time.perf_counter()
    store.write_nodes(Label.LOAD_RUN, [{"id": "bench-load", "path": "prepared"}])
    return time.perf_counter() - t0


def write_all_cpu(
    store: GraphStore,
    items: list[Item],
    size: int,
    server_cpu: Callable[[], float] | None = None,
    *,
    close: bool = True,
) -> tuple[float, float]:
    """(wall seconds in `store.write`, CPU seconds: this process's, plus the server's if given).

    Into an empty store the batches are marked fresh, as `loaders.load_corpus` marks them, and
    (unless `close` is false) the load ends as a loader's does, with `close_load`, timed: until
    then the store's aggregates are stale.
    """
    spent = 0.0
    cpu = 0.0
    fresh = store.is_empty()
    for b in batches(items, size, fresh):
        c0 = time.process_time() + (server_cpu() if server_cpu else 0.0)
        t0 = time.perf_counter()
        store.write(b)
        spent += time.perf_counter() - t0
        cpu += time.process_time() + (server_cpu() if server_cpu else 0.0) - c0
    if fresh and close:
        c0 = time.process_time() + (server_cpu() if server_cpu else 0.0)
        spent += close_load(store)
        cpu += time.process_time() + (server_cpu() if server_cpu else 0.0) - c0
    return spent, cpu


def naive_sample(
    fresh: Callable[[], GraphStore], items: list[Item], sample: int, size: int
) -> dict[str, Any]:
    """One transaction per record, on a bounded sample, extrapolated.

    Half the sample is node rows written one by one into an empty store (the corpus's first
    nodes), half is relationship rows written one by one once every node exists (the corpus's
    first relationships). Nodes in between are written untimed in batches of `size` (the
    loader's default): they merge into a store that is not empty, and a batch much bigger than
    the loader's can outlast Neo4j's transaction timeout on a busy machine.
    """
    half = max(1, sample // 2)
    node_items = [it for it in items if it[0]]
    rel_items = [it for it in items if not it[0]]
    store = fresh()
    try:
        t_nodes = 0.0
        for it in node_items[:half]:
            b = next(batches([it], 1))
            t0 = time.perf_counter()
            store.write(b)
            t_nodes += time.perf_counter() - t0
        write_all(store, node_items[half:], size)
        t_rels = 0.0
        for it in rel_items[:half]:
            b = next(batches([it], 1))
            t0 = time.perf_counter()
            store.write(b)
            t_rels += time.perf_counter() - t0
    finally:
        store.close()
    n = min(half, len(node_items)) + min(half, len(rel_items))
    rate = n / (t_nodes + t_rels) if t_nodes + t_rels > 0 else 0.0
    return {
        "sampled_records": n,
        "seconds": round(t_nodes + t_rels, 3),
        "records_per_s": round(rate, 1),
        "extrapolated_full_load_s": round(len(items) / rate, 1) if rate else None,
        "note": f"{n:,} records written one per transaction (half nodes into an empty store, "
        "half relationships once every node existed); the full-corpus time is extrapolated "
        "from that rate, not measured",
    }


def bench_load(
    backend: str,
    prepared: Prepared,
    fresh: Callable[[], GraphStore],
    sizes: list[int],
    default_size: int,
    naive: int,
    server_cpu: Callable[[], float] | None = None,
) -> dict[str, Any]:
    """The sweep (each size into a fresh store) and the naive baseline, on one backend.

    The store loaded at `default_size` is left loaded (the last in `sizes` order is
    `default_size`) so the query benchmarks can use it.
    """
    out: dict[str, Any] = {
        "backend": backend,
        "scale": prepared.scale,
        "records": len(prepared.items),
        "nodes": prepared.nodes,
        "prepare_s": round(prepared.prepare_s, 2),
        "sweep": [],
        "cpu_note": "cpu_s is CPU time (user+system) of the benchmark process"
        + (" plus the Neo4j server's" if server_cpu else "")
        + " during the writes: what the load costs whatever else the machine is doing",
    }
    if naive:
        say(f"load {backend}/{prepared.scale}: naive sample of {naive} records")
        out["naive"] = naive_sample(fresh, prepared.items, naive, default_size)
    order = [s for s in sizes if s != default_size] + [default_size]
    for size in order:
        say(f"load {backend}/{prepared.scale}: batch size {size:,}")
        store = fresh()
        try:
            spent, cpu = write_all_cpu(store, prepared.items, size, server_cpu)
        finally:
            store.close()
        out["sweep"].append(
            {
                "batch_size": size,
                "write_s": round(spent, 2),
                "records_per_s": round(len(prepared.items) / spent, 1),
                "cpu_s": round(cpu, 2),
                "records_per_cpu_s": round(len(prepared.items) / cpu, 1) if cpu else None,
            }
        )
    best = max(out["sweep"], key=lambda r: r["records_per_s"])
    default = next(r for r in out["sweep"] if r["batch_size"] == default_size)
    out["best"] = best
    out["default"] = default
    out["end_to_end_records_per_s"] = round(
        len(prepared.items) / (default["write_s"] + prepared.prepare_s), 1
    )
    if "naive" in out and out["naive"]["records_per_s"]:
        out["batched_vs_naive"] = round(best["records_per_s"] / out["naive"]["records_per_s"], 1)
    return out
