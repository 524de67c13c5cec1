"""Every extracted item carries a confidence and its reasons; weak ones are loaded queued.

All documents here are synthetic (invented boards and children)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_schema import Label
from loaders.extract import QUEUE_THRESHOLD, extract_document, review_batches
from loaders.extract.confidence import document_confidence, item_confidence

QUILLBY = """Serious Case Review: Child Q (synthetic, invented for tests)

Recommendations

1. Quillby Police should share records of every domestic abuse call with children's social care within one working day.
2. Supervision.
3. The board must audit how health visitors record the voice of the child, and report the findings within six months.
"""


def _doc(tmp_path: Path, text: str, name: str = "child_q.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_items_carry_confidence_and_reasons(tmp_path: Path) -> None:
    review = extract_document(_doc(tmp_path, QUILLBY), board="Quillby LSCB", year=2016)
    got = [(r.number, r.confidence, r.reasons) for r in review.recommendations]
    numbered = "layout: a numbered item ('1.', '1)') (0.85)"
    heading = "under the heading 'Recommendations'"
    assert got == [
        ("1", 0.85, [numbered, heading]),
        (
            "2",
            0.5,
            [
                numbered,
                heading,
                "short: 1 word (-0.25)",
                "asks nothing of anyone: no 'should', 'must', 'ensure' ... (-0.10)",
            ],
        ),
        ("3", 0.85, [numbered, heading]),
    ]
    assert (review.confidence, review.reasons) == (
        0.5,
        ["weakest of 3 items: 0.50", "1 of 3 items below 0.70"],
    )


@pytest.mark.parametrize(
    ("body", "score", "first_reason"),
    [
        (
            "Recommendation 1: The partnership should review its threshold document.\n",
            0.95,
            "layout: a 'Recommendation N' paragraph (0.95)",
        ),
        (
            "Recommendations\n\nR1. The partnership should review its threshold document.\n",
            0.9,
            "layout: an 'R1.' item (0.90)",
        ),
        (
            "Recommendations\n\n- The partnership should review its threshold document.\n"
            "- Schools should train every designated lead in the new escalation policy.\n",
            0.75,
            "layout: a bullet, numbered by position (0.75)",
        ),
    ],
)
def test_layout_is_the_first_reason(
    tmp_path: Path, body: str, score: float, first_reason: str
) -> None:
    text = f"Serious Case Review: Child Z (synthetic)\n\n{body}"
    review = extract_document(_doc(tmp_path, text), board="Quillby LSCB", year=2016)
    first = review.recommendations[0]
    assert (first.confidence, first.reasons[0]) == (score, first_reason)


def test_rules_pinned() -> None:
    long_text = "The board should " + "look again " * 100
    assert item_confidence(layout="inline_list", heading="", text=long_text).score == 0.55
    twice = item_confidence(
        layout="recommendation_label", heading="", text="Schools should act.", listed_twice=True
    )
    assert (twice.score, twice.reasons[-1]) == (0.75, "listed twice in the document (+0.05)")
    pfd = item_confidence(
        layout="pfd_paragraphs", heading="MATTERS OF CONCERN", text="x " * 9, pfd=True
    )
    assert pfd.score == 0.65 and pfd.queued
    assert document_confidence([], []).score == 0.0
    doc = document_confidence([pfd, twice], ["a", "b"])
    assert (doc.score, doc.reasons[-1]) == (0.55, "2 things read but not kept (-0.10)")


def test_batch_writes_confidence_and_queues_weak_items(tmp_path: Path) -> None:
    review = extract_document(_doc(tmp_path, QUILLBY), board="Quillby LSCB", year=2016)
    (batch,) = review_batches(review, source_file="child_q.txt")
    recs = next(nw.rows for nw in batch.nodes if nw.label == Label.RECOMMENDATION)
    assert [(r["number"], r["confidence"], r.get("review_state")) for r in recs] == [
        ("1", 0.85, None),
        ("2", 0.5, "queued"),
        ("3", 0.85, None),
    ]
    assert recs[1]["confidence_reasons"][2] == "short: 1 word (-0.25)"
    (rv,) = next(nw.rows for nw in batch.nodes if nw.label == Label.REVIEW)
    assert (rv["confidence"], rv["review_state"]) == (0.5, "queued")
    assert QUEUE_THRESHOLD == 0.7
