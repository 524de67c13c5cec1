"""A PFD report's coroner area stands for its board, and --kind forces a document's kind.

All text here is invented in the style of the reports; none is from a real one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_schema import BOARD_KINDS, Label
from graph_store import EmbeddedStore
from loaders.extract import coroner_area_board, extract_document, extract_to_batch
from scrgraph.cli import main
from scrgraph.errors import InputError

REPORT = """REGULATION 28: REPORT TO PREVENT FUTURE DEATHS

THIS REPORT IS BEING SENT TO:

1. Chief Executive, Eastholm Community NHS Trust

1 CORONER

B. C. Sample, Assistant Coroner for the area of North Wendshire

2 CORONER'S LEGAL POWERS

This report is made under the coroners' statutory powers.

3 INVESTIGATION and INQUEST

An inquest was opened and concluded.

4 CIRCUMSTANCES OF THE DEATH

The young person died after a period of distress at school.

5 CORONER'S CONCERNS

The MATTERS OF CONCERN are as follows:

1. The referral to the community team waited eleven weeks without anyone reviewing the
risk it described.
2. No one told the school that the referral had been closed.

6 ACTION SHOULD BE TAKEN

In my opinion action should be taken to prevent future deaths.

7 YOUR RESPONSE

You are under a duty to respond to this report within 56 days of the date of this report.

8 COPIES and PUBLICATION

Copies go to the interested persons.

9 2 May 2024
"""


def _write(tmp_path: Path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_coroner_area_is_the_board(tmp_path: Path) -> None:
    review, batches = extract_to_batch(_write(tmp_path, REPORT), board=None, year=None)
    assert review.review_type == "pfd" and review.area == "North Wendshire"
    boards = [r for nw in batches[0].nodes if nw.label == Label.BOARD for r in nw.rows]
    assert boards == [
        {
            "id": "coroner-area-north-wendshire",
            "name": "North Wendshire coroner area",
            "kind": "coroner_area",
        }
    ]
    assert "coroner_area" in BOARD_KINDS
    assert coroner_area_board("North Wendshire") == (boards[0]["id"], boards[0]["name"])
    reviews = [r for nw in batches[0].nodes if nw.label == Label.REVIEW for r in nw.rows]
    assert reviews[0]["board_id"] == "coroner-area-north-wendshire"
    assert reviews[0]["year"] == 2024 and reviews[0]["review_type"] == "pfd"


def test_board_given_wins_over_the_area(tmp_path: Path) -> None:
    _, batches = extract_to_batch(
        _write(tmp_path, REPORT), board="Wendshire Partnership", year=None
    )
    boards = [r for nw in batches[0].nodes if nw.label == Label.BOARD for r in nw.rows]
    assert boards[0]["id"] == "wendshire-partnership" and boards[0]["kind"] == "partnership"


def test_pfd_without_an_area_asks_for_a_board(tmp_path: Path) -> None:
    text = REPORT.replace("Assistant Coroner for the area of North Wendshire", "B. C. Sample")
    with pytest.raises(InputError, match=r"does not name its coroner area.*--board"):
        extract_to_batch(_write(tmp_path, text), board=None, year=None)


def test_load_a_pfd_report_without_board(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "g.sqlite"
    assert main(["load", str(_write(tmp_path, REPORT)), "--db", str(db)]) == 0
    capsys.readouterr()
    store = EmbeddedStore(db)
    try:
        board = store.get_nodes(Label.BOARD, ["coroner-area-north-wendshire"])
        assert next(iter(board.values()))["kind"] == "coroner_area"
        assert store.counts().as_dict()["nodes"]["Recommendation"] == 2
        assert store.counts().as_dict()["relationships"]["COMMISSIONED"] == 1
    finally:
        store.close()


def test_kind_forces_the_document_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Concerns alone carry no PFD frame: found as a review, read as a PFD report when told.
    concerns = _write(
        tmp_path,
        "The MATTERS OF CONCERN are as follows:\n\n"
        "(1) The ward did not book a follow-up appointment before discharge took place.\n"
        "(2) The family were not told whom to call out of hours about the risk.\n",
        "concerns.txt",
    )
    assert main(["extract", str(concerns), "--json", "--kind", "pfd"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["review_type"] == "pfd" and len(data["recommendations"]) == 2
    review = extract_document(_write(tmp_path, REPORT), document_kind="lcspr")
    assert review.review_type == "lcspr"
    review_path = _write(
        tmp_path,
        "Anyshire Safeguarding Children Partnership\nPractice review\nPublished 2022\n\n"
        "Recommendations\n\n1. Schools should record each absence.\n",
        "review.txt",
    )
    db = tmp_path / "g.sqlite"
    assert main(["load", str(review_path), "--db", str(db), "--kind", "child_practice_review"]) == 0
    capsys.readouterr()
    store = EmbeddedStore(db)
    try:
        rows = store.get_nodes(
            Label.REVIEW, ["review-anyshire-safeguarding-children-partnership-2022-review"]
        )
        assert next(iter(rows.values()))["review_type"] == "child_practice_review"
    finally:
        store.close()


def test_bad_kind_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["extract", str(_write(tmp_path, REPORT)), "--kind", "novel"])
    assert "invalid choice: 'novel'" in capsys.readouterr().err
    with pytest.raises(InputError, match="not one of"):
        extract_document(_write(tmp_path, REPORT), document_kind="novel")


def test_kind_on_a_corpus_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    code = main(["load", str(folder), "--db", str(tmp_path / "g.sqlite"), "--kind", "pfd"])
    assert code != 0
    assert "--kind applies to one review document" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("title", "area"),
    [
        ("Senior Coroner for the area of North Wendshire", "North Wendshire"),
        (
            "Area Coroner for the coroner area of Fenshire, Northtown and Eastholm",
            "Fenshire, Northtown and Eastholm",
        ),
        ("Assistant Coroner for Wendshire (East and Central)", "Wendshire (East and Central)"),
        ("Senior Coroner for Fenshire, sitting at the town hall", "Fenshire"),
    ],
)
def test_coroner_area_shapes(tmp_path: Path, title: str, area: str) -> None:
    text = REPORT.replace("Assistant Coroner for the area of North Wendshire", title)
    assert extract_document(_write(tmp_path, text)).area == area
