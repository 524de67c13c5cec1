"""The hidden-against-absent timing bench (issue 17): its plumbing, on both backends.

The timing itself is a benchmark (`scrgraph bench`, part `side`), never asserted here; this
checks that the bench really probes hidden records and that both kinds of request get the
same answer, so that the figures it prints compare like with like.
"""

from __future__ import annotations

import csv
from pathlib import Path

from benchmarks.load import Item
from benchmarks.side_channel import bench_hidden_vs_absent, hidden_ids
from graph_schema import Label
from graph_store import GraphStore


def _items(corpus: Path) -> list[Item]:
    out: list[Item] = []
    for name, label in (
        ("reviews.csv", Label.REVIEW),
        ("recommendations.csv", Label.RECOMMENDATION),
        ("actions.csv", Label.ACTION),
    ):
        with (corpus / name).open(newline="", encoding="utf-8") as f:
            out += [(True, label, dict(row)) for row in csv.DictReader(f)]
    return out


def test_hidden_ids_name_records_of_a_hidden_review(demo_corpus: Path) -> None:
    items = _items(demo_corpus)
    ids = hidden_ids(items, "demo")
    status = {r["id"]: r["status"] for ok, lab, r in items if lab == Label.REVIEW}
    rec = {r["id"]: r["review_id"] for ok, lab, r in items if lab == Label.RECOMMENDATION}
    act = {r["id"]: r["recommendation_id"] for ok, lab, r in items if lab == Label.ACTION}
    assert status[ids["review"]] != "published"
    assert rec[ids["recommendation"]] == ids["review"]
    assert act[ids["action"]] == ids["recommendation"]


def test_hidden_and_absent_requests_get_the_same_codes(
    demo_store: GraphStore, demo_corpus: Path
) -> None:
    out = bench_hidden_vs_absent(demo_store, hidden_ids(_items(demo_corpus)), reps=3, warmup=1)
    probes = out["probes"]
    assert set(probes) == {
        "node(Review) public",
        "traceRecommendation public",
        "recordAction inspector",
        "recordAudit inspector",
        "recordResponse inspector",
    }
    for name, p in probes.items():
        assert p["same_codes"], (name, p["codes"])
        assert p["hidden"]["n"] == p["absent"]["n"] == 3
    # a node lookup answers null without an error; a trace is not found; a mutation naming a
    # record it may not see is refused as bad input, as one naming nothing at all
    assert probes["node(Review) public"]["codes"] == [""]
    assert probes["traceRecommendation public"]["codes"] == ["NOT_FOUND"]
    for name in ("recordAction inspector", "recordAudit inspector", "recordResponse inspector"):
        assert probes[name]["codes"] == ["BAD_USER_INPUT"], (name, probes[name]["codes"])
