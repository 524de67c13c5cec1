"""Finding a review's own recommendations in text of many layouts."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.extract import extract_document


def _recs(tmp_path: Path, text: str, suffix: str = ".txt") -> list[tuple[str, str]]:
    path = tmp_path / f"review{suffix}"
    path.write_text(text, encoding="utf-8")
    return [(r.number, r.text) for r in extract_document(path).recommendations]


HEAD = "Anyshire Safeguarding Children Partnership\nPractice review: Child Q\nPublished 2020\n\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Recommendations\n\nRecommendation 3: The board should audit records.\n"
            "Recommendation 4: Police should share information.\n",
            [("3", "The board should audit records."), ("4", "Police should share information.")],
        ),
        (
            "Recommendations\n\nRecommendation 3 - The board should audit records.\n",
            [("3", "The board should audit records.")],
        ),
        (
            "Recommendations\n\n1. The board should audit records.\n2. Schools should train staff.\n",
            [("1", "The board should audit records."), ("2", "Schools should train staff.")],
        ),
        (
            "Recommendations\n\nR1 The board should audit records.\nR2: GPs should record it.\n",
            [("1", "The board should audit records."), ("2", "GPs should record it.")],
        ),
        (
            "Recommendations\n\n(1) The board should audit records.\n\n(2) GPs should ask.\n",
            [("1", "The board should audit records."), ("2", "GPs should ask.")],
        ),
        (
            "RECOMMENDATIONS\n\n1. The board should audit\nthe records of\nall agencies.\n",
            [("1", "The board should audit the records of all agencies.")],
        ),
        (
            "Recommendations\n\n1. The board should ensure that:\n  a) GPs record it;\n"
            "  b) schools share it.\n\n2. Police should act.\n",
            [
                ("1", "The board should ensure that: a) GPs record it; b) schools share it."),
                ("2", "Police should act."),
            ],
        ),
        (
            "Findings\n\nFinding 1: records were poor.\n\nRecommendation 1: GPs should keep "
            "records.\n\nFinding 2: no one asked.\n\nRecommendation 2: Ask who lives there.\n",
            [("1", "GPs should keep records."), ("2", "Ask who lives there.")],
        ),
    ],
)
def test_numbered_forms(tmp_path: Path, body: str, expected: list[tuple[str, str]]) -> None:
    assert _recs(tmp_path, HEAD + body) == expected


def test_markdown_table(tmp_path: Path) -> None:
    text = HEAD + (
        "## Recommendations\n\n| No. | Recommendation | Lead |\n|---|---|---|\n"
        "| 1 | The board should audit records. | Board |\n"
        "| 2 | Police should share information. | Police |\n"
    )
    assert _recs(tmp_path, text, ".md") == [
        ("1", "The board should audit records."),
        ("2", "Police should share information."),
    ]


def test_text_table_with_wrapped_cells(tmp_path: Path) -> None:
    text = HEAD + (
        "Recommendations\n\n"
        "No.  Recommendation                      Lead\n"
        "1    The board should audit records      Board\n"
        "     of every agency.\n"
        "2    Police should share information.    Police\n"
        "\nNext steps\n\nThe board will act.\n"
    )
    assert _recs(tmp_path, text) == [
        ("1", "The board should audit records of every agency."),
        ("2", "Police should share information."),
    ]


def test_contents_page_questions_and_quoted_reports_are_skipped(tmp_path: Path) -> None:
    text = HEAD + (
        "Contents\n\n1. Introduction ..... 2\n2. Recommendations ..... 9\n3. Appendix ..... 10\n\n"
        "1. Introduction\n\nThis review concerns Child Q.\n\n"
        "Research questions\n\n1. Was the risk recognised?\n2. Was it shared?\n\n"
        "Literature review\n\nAn earlier review made these recommendations:\n\n"
        "1. Schools should teach online safety.\nRecommendation 2: The board should act.\n\n"
        "Recommendations from the Child K review\n\nRecommendation 3: Health should act.\n\n"
        "2. Recommendations\n\n1. GPs should record who lives in the household.\n\n"
        "3. Appendix\n\n1. A list that is not recommendations.\n"
    )
    assert _recs(tmp_path, text) == [("1", "GPs should record who lives in the household.")]


def test_page_break_mid_recommendation(tmp_path: Path) -> None:
    header = "Anyshire SCR Child Q"
    text = (
        f"{HEAD}Recommendations\n\n(1) The board should ensure that all agencies\n\nPage 1\n\f"
        f"{header}\n\nshare information.\n\n(2) GPs should ask.\n\nPage 2\n\f"
        f"{header}\n\nAppendix\n\nNothing.\n\nPage 3\n\f{header}\n\nMore.\n\nPage 4\n"
    )
    path = tmp_path / "paged.txt"
    path.write_text(text, encoding="utf-8")
    recs = extract_document(path).recommendations
    assert [(r.number, r.text) for r in recs] == [
        ("1", "The board should ensure that all agencies share information."),
        ("2", "GPs should ask."),
    ]
    assert recs[0].location == "line 7"
    assert recs[1].location.endswith("(page 2)")


def test_summary_list_repeated_in_full_is_kept_once(tmp_path: Path) -> None:
    text = HEAD + (
        "Summary of recommendations\n\n1. Records.\n2. Sharing.\n\nFindings\n\nText.\n\n"
        "Recommendations\n\n1. GPs should keep full records of who lives there.\n"
        "2. Police should share information with the school.\n"
    )
    assert [n for n, _ in _recs(tmp_path, text)] == ["1", "2"]
    assert _recs(tmp_path, text)[0][1].startswith("GPs")


def test_unnumbered_bullets_are_numbered_by_position(tmp_path: Path) -> None:
    text = HEAD + (
        "Recommendations\n\n- The board should audit records\n  across all agencies.\n"
        "- Police should share information.\n\nConclusion\n\n- Not a recommendation.\n"
    )
    assert _recs(tmp_path, text) == [
        ("1", "The board should audit records across all agencies."),
        ("2", "Police should share information."),
    ]


def test_bullets_under_numbered_items_stay_sub_points(tmp_path: Path) -> None:
    text = HEAD + (
        "Recommendations\n\nThe panel found:\n\n- records were poor.\n\n"
        "1. The board should act on:\n- records;\n- sharing.\n2. GPs should ask.\n"
    )
    assert _recs(tmp_path, text) == [
        ("1", "The board should act on: - records; - sharing."),
        ("2", "GPs should ask."),
    ]
