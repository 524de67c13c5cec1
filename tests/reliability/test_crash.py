"""Crash safety: `scrgraph load` killed with SIGKILL midway, on each backend.

`load_corpus` writes one deterministic list of items (nodes, then relationships) in batches
of `--batch-size`, one transaction each. So after a crash the store must hold exactly the
items of the first k whole batches, for some k: every node and relationship count equal to
that prefix's (no half batch visible). Loading again must reach the counts of an
uninterrupted load.
"""

from __future__ import annotations

import sqlite3
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph_schema.aggregates import AGGREGATES
from graph_store import EmbeddedStore, GraphStore
from loaders.load import _items, parse_corpus, run_id_for
from tests.reliability.helpers import (
    PrivateNeo4j,
    Tally,
    child_env,
    kill9,
    run_scrgraph,
    scrgraph_cmd,
    wait_for,
)

BATCH = 50
KILL_AFTER_NODES = 3000  # of about 13,000: well inside the load


def prefix_counts(corpus_path: Path, batch: int) -> list[dict[str, int]]:
    """Counts per label and relationship type after each whole batch (index 0: nothing)."""
    corpus, sink = parse_corpus(corpus_path)
    assert not sink.errors
    with EmbeddedStore(":memory:") as empty:
        items, _ = _items(corpus, empty, run_id_for(corpus), "now")
    seen: set[tuple[Any, ...]] = set()
    counts: Counter[str] = Counter()
    out = [dict(counts)]
    for i, (kind, name, row) in enumerate(items, start=1):
        key = (name.value, row["id"]) if kind == "node" else (name.value, row["start"], row["end"])
        if key not in seen:
            seen.add(key)
            counts[name.value] += 1
        if i % batch == 0 or i == len(items):
            out.append(dict(counts))
    return out


def observed(store: GraphStore) -> dict[str, int]:
    c = store.counts()
    return {k: v for k, v in {**c.nodes, **c.relationships}.items() if v and k != "SchemaInfo"}


def check_prefix(got: dict[str, int], prefixes: list[dict[str, int]], tally: Tally) -> int:
    """The k for which `got` is the first k whole batches; fails if there is none."""
    matches = [k for k, p in enumerate(prefixes) if p == got]
    tally.records_checked += sum(got.values())
    if not matches:
        # the closest prefix by total, to show what is off
        total = sum(got.values())
        near = min(prefixes, key=lambda p: abs(sum(p.values()) - total))
        diff = {k: (near.get(k, 0), got.get(k, 0)) for k in set(near) | set(got)}
        diff = {k: v for k, v in diff.items() if v[0] != v[1]}
        pytest.fail(f"after the crash the store holds no whole-batch prefix; off by {diff}")
    return matches[0]


def check_final(got: dict[str, int], expected: dict[str, int], tally: Tally) -> None:
    tally.records_checked += sum(expected.values())
    tally.records_lost += sum(max(0, n - got.get(k, 0)) for k, n in expected.items())
    assert got == expected


def _kill_midway(args: list[str], env: dict[str, str], written: Any, log: Path) -> int:
    """Start the load, SIGKILL it once `written()` passes the mark; the nodes seen then."""
    with log.open("wb") as out:
        proc = subprocess.Popen(scrgraph_cmd(*args), env=env, stdout=out, stderr=subprocess.STDOUT)
    try:

        def far_enough() -> int:
            if proc.poll() is not None:
                pytest.fail(f"the load ended before it could be killed: {log.read_text()[-2000:]}")
            n = int(written())
            return n if n > KILL_AFTER_NODES else 0

        seen = int(wait_for(far_enough, 120, "the load to be midway", every=0.01))
    finally:
        kill9(proc)
    return seen


def _sqlite_nodes(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return int(c.execute("SELECT count(*) FROM nodes").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


@pytest.mark.slow
def test_kill_load_embedded(
    demo_corpus: Path, demo_embedded: EmbeddedStore, tmp_path: Path, tally: Tally
) -> None:
    prefixes = prefix_counts(demo_corpus, BATCH)
    assert prefixes[-1] == observed(demo_embedded)  # the model of the load is right
    db = tmp_path / "crash.sqlite"
    args = ["load", str(demo_corpus), "--db", str(db), "--batch-size", str(BATCH)]
    _kill_midway(args, child_env(), lambda: _sqlite_nodes(db), tmp_path / "load.log")
    tally.faults += 1
    with EmbeddedStore(db) as s:
        k = check_prefix(observed(s), prefixes, tally)
        # The load was fresh: its batches left the aggregates stale, to its end that never came.
        assert s.schema_missing() == [STALE]
    assert 0 < k < len(prefixes) - 1, f"killed after {k} of {len(prefixes) - 1} batches"
    tally.note(f"embedded: killed after batch {k} of {len(prefixes) - 1}; whole batches only")
    res = run_scrgraph(["load", str(demo_corpus), "--db", str(db)])
    assert res.returncode == 0, res.stderr
    with EmbeddedStore(db) as s:
        check_final(observed(s), observed(demo_embedded), tally)
        assert s.schema_missing() == []
        # The aggregates of the reload are those of a load never interrupted.
        assert _aggregates(s) == _aggregates(demo_embedded)


STALE = (
    "the aggregates kept at write time (a load into an empty store is running, "
    "or stopped before its end, and left them stale)"
)


def _aggregates(store: EmbeddedStore) -> dict[str, list[tuple[Any, ...]]]:
    return {a.table: sorted(store.aggregate_rows(f"SELECT * FROM {a.table}")) for a in AGGREGATES}


@pytest.mark.slow
@pytest.mark.neo4j
def test_kill_load_neo4j(
    demo_corpus: Path,
    demo_embedded: EmbeddedStore,
    private_neo4j: PrivateNeo4j,
    tmp_path: Path,
    tally: Tally,
) -> None:
    prefixes = prefix_counts(demo_corpus, BATCH)
    store = private_neo4j.store()
    try:
        store.clear()
        env = child_env(**private_neo4j.env())
        args = ["load", str(demo_corpus), "--backend", "neo4j", "--batch-size", str(BATCH)]

        def nodes() -> int:
            rows = store.read("MATCH (n) WHERE NOT n:SchemaInfo RETURN count(n) AS c")
            return int(rows[0]["c"])

        _kill_midway(args, env, nodes, tmp_path / "load.log")
        tally.faults += 1
        k = check_prefix(observed(store), prefixes, tally)
        assert 0 < k < len(prefixes) - 1, f"killed after {k} of {len(prefixes) - 1} batches"
        tally.note(f"neo4j: killed after batch {k} of {len(prefixes) - 1}; whole batches only")
        res = run_scrgraph(["load", str(demo_corpus), "--backend", "neo4j"], env=env, timeout=300)
        assert res.returncode == 0, res.stderr
        check_final(observed(store), observed(demo_embedded), tally)
    finally:
        store.clear()
        store.close()


# -- `scrgraph load DIR`: a folder of documents, one transaction per document ----------------

KILL_AFTER_DOCUMENTS = 30  # of 194 good ones


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_kill_folder_load_then_again_writes_each_document_once(
    backend: str,
    store: GraphStore,
    document_folder: tuple[Path, Any],
    tmp_path: Path,
    tally: Tally,
) -> None:
    """SIGKILL `scrgraph load DIR` once some documents are written; the same command again
    finds those unchanged, writes the rest once, and ends with a clean run's counts."""
    from loaders.bulk import load_folder
    from scrgraph.settings import test_neo4j_settings

    path, folder = document_folder
    with EmbeddedStore(tmp_path / "clean.sqlite") as clean:
        load_folder(clean, path, jobs=2)
        expected = observed(clean)
    if backend == "embedded":
        db = tmp_path / "killed.sqlite"
        env = child_env()
        args = ["load", str(path), "--db", str(db), "--jobs", "2"]
    else:
        cfg = test_neo4j_settings()
        assert cfg is not None
        env = child_env(
            NEO4J_URI=cfg.uri,
            NEO4J_USER=cfg.user,
            NEO4J_PASSWORD=cfg.password,
            NEO4J_DATABASE=cfg.database,
        )
        args = ["load", str(path), "--backend", "neo4j", "--jobs", "2"]
    log = tmp_path / "load.log"
    env["PYTHONUNBUFFERED"] = "1"
    with log.open("wb") as out:
        proc = subprocess.Popen(scrgraph_cmd(*args), env=env, stdout=out, stderr=subprocess.STDOUT)
    try:

        def far_enough() -> int:
            if proc.poll() is not None:
                pytest.fail(f"the load ended before it could be killed: {log.read_text()[-2000:]}")
            n = log.read_text(encoding="utf-8", errors="replace").count("\n  written ")
            return n if n >= KILL_AFTER_DOCUMENTS else 0

        wait_for(far_enough, 120, "some documents to be written", every=0.005)
    finally:
        kill9(proc)
    tally.faults += 1
    if backend == "embedded":
        with EmbeddedStore(db) as s:
            after_kill = observed(s)
    else:
        after_kill = observed(store)
    reviews = after_kill.get("Review", 0)
    assert KILL_AFTER_DOCUMENTS <= reviews < len(folder.good), after_kill
    # Whole documents only: each written review has its ledger entry (LoadRun), its Source,
    # and all its recommendations; the taxonomy's run is the one more.
    assert after_kill["LoadRun"] == reviews + 1 and after_kill["Source"] == reviews + 1
    assert after_kill["FROM_SOURCE"] == reviews and after_kill["COMMISSIONED"] == reviews
    tally.note(f"{backend}: killed with {reviews} of {len(folder.good)} documents written")
    again = subprocess.run(
        scrgraph_cmd(*args), env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert again.returncode == 1, again.stderr  # 1: the six bad documents are refused again
    assert (
        f"  {len(folder.good) - reviews} written, {reviews} unchanged, 6 refused"
        in again.stdout.splitlines()
    ), again.stdout[-2000:]
    if backend == "embedded":
        with EmbeddedStore(db) as s:
            check_final(observed(s), expected, tally)
    else:
        check_final(observed(store), expected, tally)
