"""The reader measured on real PFD reports, read in place (skipped when they are absent).

The real file is never copied: the test reads ../shared/real-pfd/dev.csv where it lies and
asserts only counts. The independent counting rule is checked on invented text.
"""

from __future__ import annotations

import pytest

from tests.scripts import load_script

measure = load_script("evaluation/real_pfd/measure.py")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. The ward had no plan for leave.\n\n2. Staff were not trained.\n", 2),
        ("(1) Records were late.\n(2) Nobody checked.\n(3) The alarm failed.", 3),
        ("a) The rota was thin.\nb) The door was locked.", 2),
        ("The matters of concern are as follows:\n\n" + "word " * 15 + "\n\n" + "term " * 15, 2),
        ("1. The first worry was raised. 2. The second followed it. 3. A third.", 3),
        ("", 0),
    ],
)
def test_independent_count(text: str, expected: int) -> None:
    assert measure.independent_count(text) == expected


@pytest.mark.slow
def test_measured_on_real_pfd_reports() -> None:
    if not measure.DEV_CSV.is_file():
        pytest.skip(f"{measure.DEV_CSV} is absent: the real PFD reports are not on this machine")
    fig = measure.measure(measure.DEV_CSV)
    print("\n".join(fig.lines()))
    assert fig.reports == 219
    assert fig.expected >= fig.reports
    # Floors: the figures measured when this test last changed; the reader must not fall below.
    # Baseline before PFD reading: 0/219 reports and 0 items, both ways.
    assert fig.concerns_reports_found == fig.reports
    assert fig.whole_reports_found == fig.reports
    # The independent count takes every long paragraph for a concern; the hand labels show
    # that evidence paragraphs lead into the concern they support, so since the reader
    # groups them (802 of 868 then) agreement with that count is a floor, not a target.
    # A story paragraph or one going on in time now joins its neighbour too (796 of 868).
    assert fig.concerns_matched >= 0.91 * fig.expected
    assert fig.whole_matched >= 0.91 * fig.expected
    assert fig.concerns_items <= 1.02 * fig.expected  # not found by splitting too finely
    # It counts paragraphs, so a paragraph holding two matters, or a request joined to its
    # concern, departs from it by design (exact counts 187 -> 183 of 219 with those rules;
    # the hand-labelled reports they changed now agree with their labels).
    assert fig.concerns_exact >= 0.83 * fig.reports
    # The same documents hard-wrapped with no blank lines, as PDF text comes.
    assert fig.wrapped_reports_found == fig.reports
    assert fig.wrapped_matched >= 0.90 * fig.expected


labelled = load_script("evaluation/real_pfd/labelled.py")


def test_span_jaccard_and_one_to_one_matching() -> None:
    assert labelled.jaccard((0, 10), (5, 15)) == 5 / 15
    assert labelled.jaccard((0, 10), (10, 20)) == 0.0
    assert labelled.jaccard((0, 10), (0, 10)) == 1.0
    # Two predictions over one label: only one matches; a half-overlap is enough.
    assert labelled.match([(0, 10), (0, 9)], [(0, 10)]) == 1
    assert labelled.match([(0, 10), (10, 20)], [(0, 10), (10, 20)]) == 2
    assert labelled.match([(0, 20)], [(0, 10), (10, 20)]) == 1
    assert labelled.match([(0, 30)], [(0, 10)]) == 0  # Jaccard 1/3: a merged item misses


def test_extracted_items_map_back_to_their_spans_of_the_cell() -> None:
    # Invented text. The reader drops the markers and joins wrapped lines; the spans
    # still cover each item's words in the cell.
    cell = (
        "The MATTERS OF CONCERN are as follows:\n\n"
        "1. The ward kept no record of the calls that\nfamilies made about a patient.\n\n"
        "2. Night staff were not trained to open a safety plan.\n"
    )
    spans = labelled.extracted_spans(cell)
    first = cell.index("The ward")
    second = cell.index("Night staff")
    assert spans == [
        (first, cell.index("patient.") + len("patient")),
        (second, cell.index("plan.") + len("plan")),
    ]
    assert labelled.locate(cell, "nothing alike here", 0) is None


def test_labels_are_offsets_only_and_splits_are_disjoint() -> None:
    splits = labelled.load_labels()
    assert len(splits["test"]) >= 20 and len(splits["dev"]) >= 40
    ids = [r["id"] for s in splits.values() for r in s]
    assert len(ids) == len(set(ids))
    for reports in splits.values():
        for r in reports:
            assert set(r) == {"id", "items", "spans", "cell_sha256"}
            assert all(0 <= s < e for s, e in r["spans"])
            assert all(a[1] <= b[0] for a, b in zip(r["spans"], r["spans"][1:], strict=False))


def test_splits_follow_the_hash_rule() -> None:
    if not labelled.DEV_CSV.is_file():
        pytest.skip(f"{labelled.DEV_CSV} is absent: the real PFD reports are not on this machine")
    import hashlib

    cells = labelled.concerns_cells(labelled.DEV_CSV)
    order = sorted(
        cells, key=lambda i: hashlib.sha256(f"scrgraph-pfd-split:{i}".encode()).hexdigest()
    )
    splits = labelled.load_labels()
    assert [r["id"] for r in splits["test"]] == order[:24]
    # The first 48 DEV reports are the next in hash order; those after them were picked
    # from the rest of DEV for their layout (LABELS.md, "Splits"), never from TEST.
    assert [r["id"] for r in splits["dev"][:48]] == order[24:72]
    assert set(r["id"] for r in splits["dev"]) <= set(order[24:])


def test_measured_on_hand_labelled_real_pfd_reports() -> None:
    """Item-level floors on the hand labels: DEV (tuned on) and TEST (never tuned on)."""
    if not labelled.DEV_CSV.is_file():
        pytest.skip(f"{labelled.DEV_CSV} is absent: the real PFD reports are not on this machine")
    figures = labelled.measure_labelled(labelled.DEV_CSV)
    dev, test = figures["dev"], figures["test"]
    assert not dev.changed and not test.changed
    assert (dev.reports, dev.labelled, test.reports, test.labelled) == (131, 478, 24, 96)
    # Floors: what the reader reached when this test last changed (baseline before the
    # prose rules: DEV 0.867 / 0.955, TEST 0.870 / 0.906 on the first 48 DEV reports;
    # the eighth DEV batch read by the reader before its rules: 0.981 / 0.983).
    assert dev.precision >= 0.98 and dev.recall >= 0.99
    # TEST fell from 0.967 to 0.957 precision (one more false item; recall unchanged) with
    # the run-together, request and enclosure rules, measured once after they were fixed on
    # DEV; the floor follows the measure, no rule was chosen on it.
    assert test.precision >= 0.95 and test.recall >= 0.92


def test_theme_tagging_on_hand_labelled_dev_reports() -> None:
    if not labelled.DEV_CSV.is_file():
        pytest.skip(f"{labelled.DEV_CSV} is absent: the real PFD reports are not on this machine")
    fig = labelled.measure_themes(labelled.DEV_CSV)
    assert not fig.changed
    assert (fig.reports, fig.labelled, fig.taxonomy_version) == (26, 88, 2)
    # Floors: what the tagger reached when this test last changed (first run of version 2:
    # precision 0.534, recall 0.625). The targets are 0.8 and 0.7.
    assert fig.precision >= 0.80
    assert fig.recall >= 0.80


def test_theme_tagging_on_dev_reports_it_was_never_tuned_on() -> None:
    """The check batch: labelled by a second person before the tagger ran on them, never
    used to choose a rule (its disagreements are not listed). Far below the tuned batch: the
    tuned figures overstate the tagger on unseen reports (and two labellers differ too)."""
    if not labelled.DEV_CSV.is_file():
        pytest.skip(f"{labelled.DEV_CSV} is absent: the real PFD reports are not on this machine")
    fig = labelled.measure_themes(labelled.DEV_CSV, batch=labelled.CHECK_BATCH)
    assert not fig.changed
    assert (fig.reports, fig.labelled, fig.taxonomy_version) == (22, 90, 2)
    # As measured (first 17 reports: tagged 68, matched 40, 0.588 / 0.597; all 22: 0.589 /
    # 0.622; after the short-sentence rule: tagged 94, matched 56, 0.596 / 0.622); the
    # issue's targets are 0.8 and 0.7, not met here.
    assert (fig.tagged, fig.matched) == (94, 56)


def test_theme_labels_are_dev_ids_and_taxonomy_keys_only() -> None:
    import json

    from loaders.extract import load_taxonomy

    data = json.loads(labelled.THEME_LABELS.read_text(encoding="utf-8"))
    keys = {t.id for t in load_taxonomy(data["taxonomy_version"])}
    dev = [r["id"] for r in labelled.load_labels()["dev"]]
    assert len(data["reports"]) >= 20
    assert [r["id"] for r in data["reports"]] == dev[: len(data["reports"])]
    # The check batch: the DEV reports right after the tuned ones, in labels.json's order.
    n, check = len(data["reports"]), data[labelled.CHECK_BATCH]
    assert [r["id"] for r in check] == dev[n : n + len(check)] and len(check) == 22
    for r in [*data["reports"], *check]:
        assert set(r) == {"id", "themes"}
        assert r["themes"] and set(r["themes"]) <= keys
