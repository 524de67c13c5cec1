"""`scrgraph bench` keeps what it measured: a failing part is reported, and the rest goes on;
a run with its load part skipped loads the store once rather than measure the wrong data.

The embedded backend only: what is tested here is the bench's own bookkeeping, the same for
both backends. Every file goes under the test's own folder, never var/bench/.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from graph_store import EmbeddedStore

# By module: the package `benchmarks` exports the function `run` under the module's name.
bench_run = importlib.import_module("benchmarks.run")
bench_load = importlib.import_module("benchmarks.load")
quick_plan, run = bench_run.quick_plan, bench_run.run

# Only the load part runs (or, with "load" skipped too, only the check that precedes the
# parts that read the store).
_ONLY_LOAD = ("queries", "graphql", "side", "peer", "api")


@pytest.fixture
def bench_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(bench_run, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(bench_load, "BENCH_DIR", tmp_path)
    return tmp_path


def test_a_failing_part_is_reported_and_what_ran_before_it_is_kept(
    bench_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> dict[str, Any]:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(bench_load, "bench_load", broken)
    plan = dataclasses.replace(quick_plan(("embedded",)), skip=_ONLY_LOAD)
    saved: list[str] = []
    report = run(plan, checkpoint=lambda r: saved.append(json.dumps(r)))

    assert report["errors"] == ["demo/embedded: RuntimeError: the store went away"]
    r = report["results"]["demo"]["embedded"]
    assert r["error"] == report["errors"][0]
    assert "load" not in r and "loadavg_before" in r and "loadavg_after" in r
    # The checkpoint saw the failure (it is written after every part and at the end).
    assert saved and json.loads(saved[-1])["errors"] == report["errors"]
    text = bench_run.format_report(report)
    assert "FAILED (the parts after it did not run): demo/embedded: RuntimeError" in text


def test_each_part_is_checkpointed_as_it_ends(bench_dir: Path) -> None:
    plan = dataclasses.replace(quick_plan(("embedded",)), skip=_ONLY_LOAD)
    saved: list[dict[str, Any]] = []
    report = run(plan, checkpoint=lambda r: saved.append(json.loads(json.dumps(r))))

    assert report["errors"] == []
    # One checkpoint after the load part, one when the backend is done.
    assert len(saved) == 2
    first = saved[0]["results"]["demo"]["embedded"]
    assert first["load"]["sweep"][0]["batch_size"] == 5000
    assert "loadavg_after" not in first
    assert "loadavg_after" in saved[1]["results"]["demo"]["embedded"]


def test_skipping_the_load_loads_a_store_that_lacks_the_corpus(bench_dir: Path) -> None:
    db = bench_run._embedded_db("demo")
    EmbeddedStore(db).close()  # an empty store where the bench keeps the demo's
    plan = dataclasses.replace(quick_plan(("embedded",)), skip=("load", *_ONLY_LOAD))
    report = run(plan)
    assert report["errors"] == []

    prepared = bench_load.prepare("demo")
    want = sum(1 for is_node, label, _ in prepared.items if is_node and label.value == "Review")
    store = EmbeddedStore(db)
    try:
        assert want > 0 and store.counts().nodes["Review"] == want
        # The load ended as a loader's does: its aggregates kept, none left stale.
        assert store.schema_missing() == []
        assert len(store.aggregate_rows("SELECT id FROM agg_review_fact")) == want
    finally:
        store.close()
