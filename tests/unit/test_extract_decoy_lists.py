"""Numbered lists inside a recommendations section that are not recommendations.

Invented text only. A sentence that leads into questions, learning or findings ("The review
also identified four questions for further exploration:") starts a list that is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.extract import extract_document

HEAD = "Wexcombe Safeguarding Children Partnership\nThematic review, published 2025\n\n"
RECS = (
    "Recommendations\n\n"
    "Recommendation 1: The Partnership should agree a single assessment for young people "
    "at risk of exploitation.\n\n"
    "Recommendation 2: Schools should tell the local authority when a pupil is moved to a "
    "reduced timetable.\n\n"
)


def _numbers_and_texts(tmp_path: Path, body: str) -> list[tuple[str, str]]:
    path = tmp_path / "review.txt"
    path.write_text(HEAD + body, encoding="utf-8")
    return [(r.number, r.text) for r in extract_document(path).recommendations]


@pytest.mark.parametrize(
    "lead",
    [
        "The review also identified four questions for further exploration:",
        "Practitioners' learning from the case files includes:",
        "The panel's findings were:",
        "Areas for further research are:",
    ],
)
def test_a_list_led_into_by_a_decoy_sentence_is_skipped(tmp_path: Path, lead: str) -> None:
    body = RECS + (
        f"{lead}\n\n"
        "1. How far the reduced timetable is used to manage behaviour rather than need.\n"
        "2. Whether young people would use an online route to ask for help.\n"
        "3. The part played by older siblings in drawing young people into harm.\n"
    )
    got = _numbers_and_texts(tmp_path, body)
    assert [n for n, _ in got] == ["1", "2"]


def test_a_recommendation_after_the_decoy_list_is_still_read(tmp_path: Path) -> None:
    body = RECS + (
        "The review also identified two questions for further exploration:\n\n"
        "1. How far the reduced timetable is used to manage behaviour.\n"
        "2. Whether an online route to help would be used.\n\n"
        "Recommendation 3: The health trust should offer follow-up within seven days of an "
        "attendance for self-harm.\n"
    )
    got = _numbers_and_texts(tmp_path, body)
    assert [n for n, _ in got] == ["1", "2", "3"]
    assert got[2][1].startswith("The health trust should offer follow-up")


def test_a_lead_in_to_the_recommendations_themselves_is_not_a_decoy(tmp_path: Path) -> None:
    body = (
        "Recommendations\n\n"
        "From its findings the review makes the following recommendations:\n\n"
        "1. The police should share every attended incident where a baby lives.\n"
        "2. Health visitors should ask about every male carer.\n"
    )
    assert [n for n, _ in _numbers_and_texts(tmp_path, body)] == ["1", "2"]


def test_two_lists_with_the_same_numbers_but_different_recommendations_stay_two(
    tmp_path: Path,
) -> None:
    body = (
        "Summary of findings and recommendations\n\n"
        "Recommendation 1: The Partnership should seek assurance that all agencies record "
        "details of fathers and male carers.\n\n"
        "Recommendation 2: Health partners should share concerns about maternal mental health "
        "with the GP.\n\n"
        "Recommendations include: auditing records of fathers; training on perinatal mental "
        "health; and a new protocol for seeing children alone.\n"
    )
    got = _numbers_and_texts(tmp_path, body)
    assert [n for n, _ in got] == ["1", "2", "1", "2", "3"]
    assert got[3][1] == "Training on perinatal mental health."


def test_a_short_summary_list_and_its_full_wording_are_still_one_list(tmp_path: Path) -> None:
    body = (
        "Summary of recommendations\n\n1. Sharing records.\n2. Seeing children alone.\n\n"
        "Findings\n\nText of the findings.\n\n"
        "Recommendations\n\n1. GPs should share records of who lives in the household.\n"
        "2. Social workers should see children alone on every visit.\n"
    )
    got = _numbers_and_texts(tmp_path, body)
    assert [n for n, _ in got] == ["1", "2"]
    assert got[0][1].startswith("GPs should share records")
