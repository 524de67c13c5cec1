"""A first load of an empty Neo4j two ways, in one run: through the driver (`load_corpus`, the
bulk path) and by `neo4j-admin database import` (CSV files written by the loader, the
import with the server stopped, then `apply_schema`: constraints, indexes and aggregates).

    python -m benchmarks.neo4j_import [--scale demo|national] [--files-only]

Prints seconds per step and the load average; the graph the two give is the same (checked by
tests/contract/test_neo4j_import.py on the demo corpus). `--files-only` times the import files
alone (read, validate and merge; write), with the process's peak RSS, and starts no Neo4j.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from benchmarks._util import BENCH_DIR, loadavg, say
from benchmarks.load import corpus_dir
from benchmarks.neo4j_instance import BenchNeo4j
from graph_store.neo4j_import import ImportCsvStore, admin_import
from loaders import load_corpus


def files_only(corpus: Path, csv: Path) -> None:
    """The import files alone: seconds to read, validate and merge the corpus into an
    `ImportCsvStore`, seconds to write the files, and the process's peak RSS."""
    t0 = time.perf_counter()
    sink = ImportCsvStore()
    load_corpus(sink, corpus)
    t1 = time.perf_counter()
    sink.write_files(csv)
    sink.close()
    t2 = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import files: read, validate and merge {t1 - t0:.1f} s + write {t2 - t1:.1f} s = "
        f"{t2 - t0:.1f} s; peak RSS {peak:.0f} MB; load {loadavg()}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", default="demo", choices=("demo", "national", "large"))
    ap.add_argument("--port", type=int, default=7697)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--files-only", action="store_true", help="time the import files alone")
    args = ap.parse_args()
    corpus = corpus_dir(args.scale)
    home = BENCH_DIR / "neo4j-import-home"
    csv = BENCH_DIR / f"import-{args.scale}"
    print(f"scale {args.scale}; load average at start {loadavg()}")
    if args.files_only:
        files_only(corpus, csv)
        return

    neo = BenchNeo4j(port=args.port, heap=args.heap, home=home)
    with neo.running_store() as store:
        store.clear()
        store.apply_schema()
        t0 = time.perf_counter()
        load_corpus(store, corpus)
        driver_s = time.perf_counter() - t0
    print(f"through the driver (bulk path, schema first): {driver_s:.1f} s; load {loadavg()}")

    t0 = time.perf_counter()
    sink = ImportCsvStore()
    load_corpus(sink, corpus)
    sink.write_files(csv)
    sink.close()
    csv_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    admin_import(home, csv)
    import_s = time.perf_counter() - t0
    with neo.running_store() as store:
        t0 = time.perf_counter()
        store.apply_schema()
        schema_s = time.perf_counter() - t0
        n = store.counts()
    total = csv_s + import_s + schema_s
    print(
        f"by neo4j-admin import: read and write CSV {csv_s:.1f} s + import {import_s:.1f} s + "
        f"schema and aggregates {schema_s:.1f} s = {total:.1f} s (server stop/start not "
        f"counted); {sum(n.nodes.values()):,} nodes; load {loadavg()}"
    )
    say(f"CSV files in {Path(csv)}")


if __name__ == "__main__":
    main()
