"""Concurrency: two loads at once lose nothing; reads during a load never see half a batch."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from graph_store import EmbeddedStore, GraphStore
from loaders import load_corpus
from tests.reliability.helpers import PrivateNeo4j, Tally, child_env, scrgraph_cmd, tiny_corpus
from tests.reliability.test_crash import check_final, check_prefix, observed, prefix_counts


def _expected(demo_corpus: Path, tiny: Path, tmp_path: Path) -> dict[str, int]:
    """Counts after loading both corpora one after the other."""
    with EmbeddedStore(tmp_path / "reference.sqlite") as ref:
        load_corpus(ref, demo_corpus)
        load_corpus(ref, tiny)
        return observed(ref)


def _two_loads(args: list[list[str]], env: dict[str, str], tmp_path: Path) -> None:
    procs = [
        subprocess.Popen(
            scrgraph_cmd(*a),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"load{i}.err").open("wb"),
        )
        for i, a in enumerate(args)
    ]
    for i, p in enumerate(procs):
        assert p.wait(timeout=300) == 0, (tmp_path / f"load{i}.err").read_text()[-2000:]


@pytest.mark.slow
def test_two_loads_on_one_sqlite_file(demo_corpus: Path, tmp_path: Path, tally: Tally) -> None:
    tiny = tiny_corpus(tmp_path / "tiny")
    expected = _expected(demo_corpus, tiny, tmp_path)
    db = tmp_path / "shared.sqlite"
    EmbeddedStore(db).close()  # the schema first, as a deployed store has it
    _two_loads(
        [
            ["load", str(demo_corpus), "--db", str(db), "--batch-size", "1000"],
            ["load", str(tiny), "--db", str(db), "--batch-size", "20"],
        ],
        child_env(),
        tmp_path,
    )
    tally.faults += 1
    with EmbeddedStore(db) as s:
        check_final(observed(s), expected, tally)


@pytest.mark.slow
def test_reads_during_a_load_see_whole_batches(
    demo_corpus: Path, tmp_path: Path, tally: Tally
) -> None:
    """A reader in another process polls the counts while `scrgraph load` writes: each
    snapshot must be a whole-batch prefix, and snapshots never go backwards."""
    batch = 100
    prefixes = prefix_counts(demo_corpus, batch)
    db = tmp_path / "live.sqlite"
    EmbeddedStore(db).close()
    load = subprocess.Popen(
        scrgraph_cmd("load", str(demo_corpus), "--db", str(db), "--batch-size", str(batch)),
        env=child_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    seen: list[int] = []
    with EmbeddedStore(db) as reader:
        while load.poll() is None:
            seen.append(check_prefix(observed(reader), prefixes, tally))
            time.sleep(0.02)
        assert load.returncode == 0, load.stderr.read() if load.stderr else ""
        seen.append(check_prefix(observed(reader), prefixes, tally))
    tally.faults += 1
    assert seen == sorted(seen), "a later read saw fewer batches than an earlier one"
    assert seen[-1] == len(prefixes) - 1
    distinct = len(set(seen))
    assert distinct >= 3, f"the reads saw only {distinct} states; the load was too quick"
    tally.note(f"embedded: {len(seen)} reads during a load saw {distinct} whole-batch states")


@pytest.mark.slow
@pytest.mark.neo4j
def test_two_loads_on_neo4j(
    demo_corpus: Path, private_neo4j: PrivateNeo4j, tmp_path: Path, tally: Tally
) -> None:
    tiny = tiny_corpus(tmp_path / "tiny")
    expected = _expected(demo_corpus, tiny, tmp_path)
    store: GraphStore = private_neo4j.store()
    try:
        store.clear()
        env = child_env(**private_neo4j.env())
        _two_loads(
            [
                ["load", str(demo_corpus), "--backend", "neo4j", "--batch-size", "1000"],
                ["load", str(tiny), "--backend", "neo4j", "--batch-size", "20"],
            ],
            env,
            tmp_path,
        )
        tally.faults += 1
        check_final(observed(store), expected, tally)
    finally:
        store.clear()
        store.close()


def test_concurrent_writers_in_one_process(tmp_path: Path, tally: Tally) -> None:
    """Threads writing through one embedded store (as the API's mutations do) lose nothing."""
    from graph_schema import Label

    db = tmp_path / "threads.sqlite"
    with EmbeddedStore(db) as s:

        def writer(t: int) -> None:
            for i in range(50):
                s.write_nodes(Label.SECTOR, [{"id": f"t{t}-{i}", "label": f"s {t} {i}"}])

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        tally.faults += 1
        check_final({"Sector": s.counts().nodes["Sector"]}, {"Sector": 200}, tally)
