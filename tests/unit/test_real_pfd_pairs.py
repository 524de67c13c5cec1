"""Repeated concerns: the SIMILAR_TO threshold measured on hand-labelled real pairs.

The sampling and scoring code is checked on invented text. The labels (ids and verdicts
only, evaluation/real_pfd/pair_labels.json) are checked against ../shared/real-pfd/dev.csv
read in place; that test is skipped when the real reports are absent.
"""

from __future__ import annotations

import argparse
import json

import pytest

from loaders.similarity import features, jaccard
from tests.scripts import load_script

pairs = load_script("evaluation/real_pfd/pairs.py")

ITEMS = [
    ("R1#1", "The ward had no plan for the return of patients absent without leave."),
    ("R1#2", "The ward had no plan for the return of patients absent without leave today."),
    ("R2#1", "The ward had no plan for the return of patients absent without leave."),
    ("R2#2", "Staff were not trained in the observation policy."),
    ("R3#1", "Staff were not trained in the observation policy of the trust."),
]


def test_scored_pairs_use_the_loaders_score_and_skip_pairs_of_one_report() -> None:
    got = pairs.scored_pairs(ITEMS, floor=0.2)
    assert [(a, b) for a, b, _ in got] == [("R1#1", "R2#1"), ("R1#2", "R2#1"), ("R2#2", "R3#1")]
    text = dict(ITEMS)
    for a, b, s in got:
        assert s == round(jaccard(features(text[a]), features(text[b])), 4)
    assert got[0][2] == 1.0
    assert pairs.report_of("2020-0001#12") == "2020-0001"


def test_sample_is_stratified_seeded_and_keeps_every_linked_pair() -> None:
    bands = ((0.0, 0.5), (0.5, 0.8), (0.8, 1.0))
    pop = [(f"A{k:02}#1", f"B{k:02}#1", k / 100) for k in range(100)]
    sample = pairs.draw_sample(pop, per_band=3, seed=1, bands=bands, always=0.9)
    low = [p for p in sample if p[2] < 0.5]
    mid = [p for p in sample if 0.5 <= p[2] < 0.8]
    high = [p for p in sample if p[2] >= 0.8]
    assert len(low) == 3 and len(mid) == 3
    assert {p[2] for p in pop if p[2] >= 0.9} <= {p[2] for p in high}
    # 20 pairs score 0.8 or more: 3 drawn, plus the 10 at 0.9 or more (some may be both).
    assert 10 <= len(high) <= 13
    assert sample == pairs.draw_sample(pop, per_band=3, seed=1, bands=bands, always=0.9)
    assert sample != pairs.draw_sample(pop, per_band=3, seed=2, bands=bands, always=0.9)
    assert pairs.band_of(1.0, bands) == 2 and pairs.band_of(0.5, bands) == 1


def test_estimate_weights_each_band_back_to_its_population() -> None:
    bands = ((0.0, 0.5), (0.5, 1.0))
    pop = [
        ("a", "b", 0.1),
        ("a", "c", 0.2),
        ("a", "d", 0.3),
        ("a", "e", 0.4),
        ("b", "c", 0.6),
        ("b", "d", 0.9),
    ]
    labels = {("a", "b"): True, ("a", "d"): False, ("b", "c"): True, ("b", "d"): False}
    at_05, at_025 = pairs.estimate(pop, labels, thresholds=(0.5, 0.25), bands=bands)
    # t=0.5: band 1 holds 2 links, half of its labelled pairs the same: 1 true link; band 0
    # (half the same) holds 4 pairs below: 2 missed. Precision 1/2, recall 1/3.
    assert (at_05.links, at_05.precision, at_05.recall) == (2, 0.5, 1 / 3)
    # t=0.25: band 0's pairs above (0.3, 0.4) take the rate of its labelled pair above (0 of
    # 1), those below take 1 of 1: 0 + 1 true links of 4, 2 missed.
    assert (at_025.links, at_025.precision, at_025.recall) == (4, 0.25, 1 / 3)
    assert (at_025.sample_precision, at_025.sample_recall) == (1 / 3, 0.5)
    with pytest.raises(ValueError, match="no labelled pair"):
        pairs.estimate(pop, {("b", "c"): True}, thresholds=(0.5,), bands=bands)


def test_labels_name_real_concerns_and_the_printed_figures_come_from_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    if not pairs.DEV_CSV.is_file():
        pytest.skip(f"{pairs.DEV_CSV} is absent: the real PFD reports are not on this machine")
    labels = pairs.load_pair_labels()
    # 65 drawn; six later named items the reader no longer reads (LABELS.md) and went.
    assert len(labels) >= 59
    items = pairs.dev_concerns()
    known = {i for i, _ in items}
    assert {x for k in labels for x in k} <= known
    population = pairs.scored_pairs(items)
    # The labelled pairs were the seeded stratified sample of the concerns as the reader
    # read them then; a later reader change (which adds or splits some reports' items)
    # moves the draw, so what is checked is that each labelled pair is still a scored pair
    # and that the sample holds every pair the loader links today.
    scored = {(a, b) for a, b, _ in population}
    assert set(labels) <= scored
    assert {(a, b) for a, b, s in population if s >= 0.8} <= set(labels)
    rows = pairs.estimate(population, labels)
    ns = argparse.Namespace(csv=pairs.DEV_CSV, sample=False, json=True)
    assert pairs.main(ns) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["rows"] == [r.__dict__ for r in rows]
    assert printed["concerns"] == len(items)
    for r in rows:
        sampled = [
            labels[(a, b)] for a, b, s in population if (a, b) in labels and s >= r.threshold
        ]
        assert r.sample_precision == (sum(sampled) / len(sampled) if sampled else None)
        assert r.links == sum(1 for p in population if p[2] >= r.threshold)
