"""Generic layouts of real reviews, and the lists that are not recommendations.

All text is invented in the style of published reviews.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.extract import ExtractedRecommendation, extract_document

HEAD = "Anyshire Safeguarding Children Partnership\nPractice review: Child Q\nPublished 2020\n\n"


def _read(tmp_path: Path, body: str) -> list[ExtractedRecommendation]:
    path = tmp_path / "review.txt"
    path.write_text(HEAD + body, encoding="utf-8")
    return extract_document(path).recommendations


@pytest.mark.parametrize(
    ("body", "numbers"),
    [
        (
            "Recommendations\n\na) The board should audit records.\nb) GPs should record it.\n",
            ["a", "b"],
        ),
        (
            "Recommendations\n\n(a) The board should audit records.\n(b) GPs should record it.\n",
            ["a", "b"],
        ),
        (
            "Recommendations\n\ni. The board should audit records.\nii. GPs should record it.\n"
            "iii. Schools should train staff.\n",
            ["i", "ii", "iii"],
        ),
    ],
)
def test_letters_and_roman_numerals_number_items(
    tmp_path: Path, body: str, numbers: list[str]
) -> None:
    assert [r.number for r in _read(tmp_path, body)] == numbers


def test_letters_under_a_numbered_item_stay_its_sub_points(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Recommendations\n\n1. The board should ask agencies to:\na) audit records;\n"
        "b) train staff.\n2. Police should share information.\n",
    )
    assert [r.number for r in recs] == ["1", "2"]
    assert "audit records" in recs[0].text and "train staff" in recs[0].text


def test_numbering_restarting_under_agency_headings_is_section_and_number(
    tmp_path: Path,
) -> None:
    recs = _read(
        tmp_path,
        "Recommendations for health\n\n1. GPs should record who lives in the home.\n"
        "2. Health visitors should see the baby at home.\n\n"
        "Recommendations for police\n\n1. Officers should share domestic abuse notifications.\n",
    )
    assert [(r.section, r.number) for r in recs] == [
        ("Recommendations for health", "1"),
        ("Recommendations for health", "2"),
        ("Recommendations for police", "1"),
    ]
    assert recs[2].as_json()["section"] == "Recommendations for police"


def test_an_inline_list_of_recommendations(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Conclusion\n\nThe review found gaps in practice. Recommendations include: the board "
        "should audit records; GPs should record fathers; and police should share "
        "information.\n",
    )
    assert [(r.number, r.text) for r in recs] == [
        ("1", "The board should audit records."),
        ("2", "GPs should record fathers."),
        ("3", "Police should share information."),
    ]


def test_learning_listed_inline_is_not_a_recommendation(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Learning\n\nLearning includes: the value of curiosity; seeing the child alone.\n\n"
        "Recommendations\n\n1. The board should audit records.\n",
    )
    assert [r.text for r in recs] == ["The board should audit records."]


def test_hard_wrapped_and_hyphenated_lines_are_one_item(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Recommendations\n\n1. The board should audit the records of every child\n"
        "known to two or more agen-\ncies.\n2. GPs should record it.\n",
    )
    assert recs[0].text == (
        "The board should audit the records of every child known to two or more agencies."
    )


def test_the_same_list_in_summary_and_body_is_one_with_both_places(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Executive summary\n\nRecommendation 1: The board should audit records.\n"
        "Recommendation 2: GPs should record fathers.\n\nFindings\n\nThe panel found gaps.\n\n"
        "Recommendations\n\nRecommendation 1: The board should audit the records of every child.\n"
        "Recommendation 2: GPs should record fathers in the notes.\n",
    )
    assert [(r.number, r.text) for r in recs] == [
        ("1", "The board should audit the records of every child."),
        ("2", "GPs should record fathers in the notes."),
    ]
    assert recs[0].location == "line 16; also line 7"
    assert recs[1].location == "line 17; also line 8"


@pytest.mark.parametrize(
    "decoy",
    [
        "Areas for further exploration\n\n1. How do agencies share information about fathers?\n"
        "2. What helps families engage with early help?\n",
        "Questions for the partnership to consider\n\n1. Are agencies confident to escalate?\n",
        "Research questions\n\nRecommendation 1: Should the board audit records?\n",
        "Terms of reference\n\n1. To consider how agencies worked together.\n",
        "Lines of enquiry\n\n1. The school's response to absence should be examined.\n",
        "Points for reflection\n\n1. Practitioners should think about who is in the home.\n",
    ],
)
def test_decoys_are_not_recommendations(tmp_path: Path, decoy: str) -> None:
    body = "Recommendations\n\n1. The board should audit records.\n\n" + decoy
    assert [r.text for r in _read(tmp_path, body)] == ["The board should audit records."]
    body = decoy + "\nRecommendations\n\n1. The board should audit records.\n"
    assert [r.text for r in _read(tmp_path, body)] == ["The board should audit records."]


def test_a_label_on_its_own_line_heads_the_paragraph_below(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Recommendations\n\nRecommendation 1\n\nThe board should audit records of every "
        "child.\n\nRecommendation 2\n\nGPs should record fathers.\n",
    )
    assert [(r.number, r.text) for r in recs] == [
        ("1", "The board should audit records of every child."),
        ("2", "GPs should record fathers."),
    ]


def test_a_recommendation_running_over_two_paragraphs(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Recommendations\n\n1. The board should audit records.\n\nThis audit should include "
        "health and police records.\n\n2. GPs should record fathers.\n",
    )
    assert [r.text for r in recs] == [
        "The board should audit records. This audit should include health and police records.",
        "GPs should record fathers.",
    ]


def test_a_recommendation_running_over_a_page_break(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Recommendations\n\n1. The board should audit the records of every child known\n\f\n"
        "to two or more agencies.\n2. GPs should record fathers.\n",
    )
    assert recs[0].text == (
        "The board should audit the records of every child known to two or more agencies."
    )
    assert recs[1].location == "line 10 (page 2)"


@pytest.mark.parametrize(
    "quoted",
    [
        "The previous review's recommendations include: audit records; train staff.",
        "The national panel report's recommendations include: audit records; train staff.",
        "Its recommendations are: to audit records; to train staff.",
    ],
)
def test_another_reports_inline_recommendations_are_not_this_reviews(
    tmp_path: Path, quoted: str
) -> None:
    recs = _read(
        tmp_path, f"Background\n\n{quoted}\n\nRecommendations\n\n1. GPs should record it.\n"
    )
    assert [r.text for r in recs] == ["GPs should record it."]


def test_this_reviews_own_inline_recommendations_are_kept(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Conclusion\n\nThis review's recommendations are: the board should audit records; "
        "GPs should record fathers.\n",
    )
    assert [r.text for r in recs] == [
        "The board should audit records.",
        "GPs should record fathers.",
    ]


def test_a_numbered_title_line_stays_a_title(tmp_path: Path) -> None:
    recs = _read(
        tmp_path,
        "Recommendations\n\n1. Information sharing\nThe board should audit information sharing.\n"
        "\n2. Fathers\nAgencies should record who lives in the home.\n",
    )
    assert [r.text for r in recs] == [
        "Information sharing: The board should audit information sharing.",
        "Fathers: Agencies should record who lives in the home.",
    ]
