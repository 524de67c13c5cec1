"""The evaluation set's documents in the layouts real reviews use, read as a person would.

The documents are synthetic (evaluation/extraction/docs); these tests pin what the gold
file cannot: provenance of a recommendation listed twice, and agency sections.
"""

from __future__ import annotations

import sys
from pathlib import Path

from loaders.extract import extract_document

DOCS = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"


def test_research_report_lists_each_recommendation_once_with_both_places() -> None:
    review = extract_document(DOCS / "northfold_research_report.txt")
    recs = review.recommendations
    assert [r.number for r in recs] == ["1", "2", "3", "4", "5"]
    # The chapter's fuller wording is kept; the executive summary's place is provenance.
    assert recs[0].text.endswith("so that agencies see the same picture.")
    assert [r.location for r in recs] == [
        "line 71 (page 3); also line 20",
        "line 76 (page 3); also line 23",
        "line 80 (page 3); also line 27",
        "line 84 (page 3); also line 30",
        "line 87 (page 3); also line 33",
    ]
    # Interview questions, findings, learning, and questions and areas for further
    # exploration are not recommendations.
    assert not any(
        r.text.startswith(("How far", "Whether", "When did", "A young person")) for r in recs
    )


def test_case_review_summary_keeps_agency_sections_with_restarting_numbers() -> None:
    review = extract_document(DOCS / "ravensmoor_child_k_summary.txt")
    got = [(r.section, r.number) for r in review.recommendations]
    assert got == [
        ("Recommendations for health", "1"),
        ("Recommendations for health", "2"),
        ("Recommendations for the police", "1"),
        ("Recommendations for children's social care", "1"),
        ("Recommendations for children's social care", "2"),
    ]
    assert not any("put down to a car seat" in r.text for r in review.recommendations)


def test_recommendation_running_over_a_page_break_in_a_pdf(tmp_path: Path) -> None:
    sys.path.insert(0, str(DOCS.parent))
    from minipdf import write_text_pdf

    source = (DOCS / "thornbury_child_p.pdf-source").read_text(encoding="utf-8")
    pdf = write_text_pdf(tmp_path / "thornbury_child_p.pdf", source)
    recs = extract_document(pdf).recommendations
    assert [r.number for r in recs] == ["1", "2", "3", "4"]
    assert recs[1].text.endswith(
        "the designated safeguarding lead should talk to the young person's parents within a week."
    )
    assert recs[1].location == "page 1"
    # The key-learning bullets before the recommendations are not recommendations.
    assert not any(r.text.startswith("Waiting lists") for r in recs)
