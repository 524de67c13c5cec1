"""Coroners' PFD reports: concerns in every layout, receivers, date and response due.

All text here is invented in the style of the reports; none is from a real one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph_schema import REVIEW_TYPES
from loaders.extract import extract_document
from loaders.extract.pfd import is_pfd, parse_date, split_concerns, split_receivers

WIDE = "word " * 40  # padding that makes a line longer than a page holds


def _concerns(text: str) -> list[tuple[str, str, str]]:
    return [(c.number, c.section, c.text) for c in split_concerns(text.split("\n"))]


def _doc(tmp_path: Path, text: str, kind: str | None = None) -> object:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_document(path, document_kind=kind)


WHOLE = """REGULATION 28: REPORT TO PREVENT FUTURE DEATHS

THIS REPORT IS BEING SENT TO:

1. Chief Executive, Northmoor Mental Health NHS Trust
2. Chief Constable, Fenshire Police

1 CORONER

A. N. Example, Senior Coroner for the area of Fenshire

2 CORONER'S LEGAL POWERS

This report is made under the coroners' statutory powers.

3 INVESTIGATION and INQUEST

An inquest was opened and concluded with a narrative conclusion.

4 CIRCUMSTANCES OF THE DEATH

The person died at home after a period of low mood.

5 CORONER'S CONCERNS

During the inquest the evidence revealed matters giving rise to concern. In my opinion
there is a risk that future deaths will occur unless action is taken.

The MATTERS OF CONCERN are as follows:

1. The ward discharged the patient without a written safety plan or a follow-up
appointment being booked.
2. Officers attending the address did not check the force's records for earlier
welfare concerns.

6 ACTION SHOULD BE TAKEN

In my opinion action should be taken to prevent future deaths and I believe you have
the power to take such action.

7 YOUR RESPONSE

You are under a duty to respond to this report within 56 days of the date of this report.

8 COPIES and PUBLICATION

Copies go to the interested persons.

9 14 March 2023
"""


def test_a_whole_pfd_report(tmp_path: Path) -> None:
    assert is_pfd(WHOLE)
    review = extract_document(_write(tmp_path, WHOLE))
    assert review.review_type == "pfd"
    assert [(r.number, r.section) for r in review.recommendations] == [
        ("1", "concerns"),
        ("2", "concerns"),
    ]
    assert review.recommendations[0].text.startswith("The ward discharged the patient")
    assert "follow-up appointment being booked." in review.recommendations[0].text
    assert review.recommendations[0].addressees == [
        "Chief Executive, Northmoor Mental Health NHS Trust",
        "Chief Constable, Fenshire Police",
    ]
    assert review.report_date == dt.date(2023, 3, 14)
    assert review.response_due == dt.date(2023, 5, 9)  # 56 days on
    assert review.year == 2023
    assert review.area == "Fenshire"
    out = review.as_json()
    assert out["review_type"] == "pfd"
    assert out["response_due"] == "2023-05-09"
    assert out["recommendations"][0]["section"] == "concerns"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_pfd_is_a_document_kind_in_the_schema() -> None:
    for kind in ("scr", "lcspr", "child_practice_review", "sar", "dhr", "pfd"):
        assert kind in REVIEW_TYPES


def test_a_review_that_is_not_a_pfd_report_is_read_as_before(tmp_path: Path) -> None:
    text = (
        "Anyshire Safeguarding Children Partnership\nSerious case review: Child Q\n"
        "Published 2019\n\nRecommendations\n\n1. The board should audit records.\n"
    )
    review = extract_document(_write(tmp_path, text))
    assert review.review_type == "scr"
    assert [r.number for r in review.recommendations] == ["1"]
    assert review.response_due is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The MATTERS OF CONCERN are as follows:\n\n1. The rota left one nurse on nights.\n"
            "2. The alarm in the garden was not tested.\n",
            [
                ("1", "The rota left one nurse on nights."),
                ("2", "The alarm in the garden was not tested."),
            ],
        ),
        (
            "(1) Records of the call were kept on paper only.\n\n(2) No one reviewed the "
            "referral within the week it was due.\n",
            [
                ("1", "Records of the call were kept on paper only."),
                ("2", "No one reviewed the referral within the week it was due."),
            ],
        ),
        (
            "a) The hostel had no out-of-hours contact.\nb) Staff had not been trained in "
            "ligature checks.\n",
            [
                ("a", "The hostel had no out-of-hours contact."),
                ("b", "Staff had not been trained in ligature checks."),
            ],
        ),
        (
            "• The school was not told of the earlier overdose.\n• The GP letter went to an "
            "old address.\n",
            [
                ("1", "The school was not told of the earlier overdose."),
                ("2", "The GP letter went to an old address."),
            ],
        ),
        (
            "i. The crisis line kept callers waiting for an hour.\nii. The triage notes were "
            "not shared with the team.\n",
            [
                ("i", "The crisis line kept callers waiting for an hour."),
                ("ii", "The triage notes were not shared with the team."),
            ],
        ),
    ],
)
def test_marked_layouts(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(n, t) for n, _, t in _concerns(text)] == expected


def test_plain_paragraphs_after_the_preamble() -> None:
    text = (
        "During the inquest the evidence revealed matters giving rise to concern. The "
        "MATTERS OF CONCERN are as follows:\n\n"
        "The trust has no policy for patients who leave the ward without\nagreeing it "
        "with staff.\n\n"
        "The discharge letter did not reach the practice for three weeks after\nthe "
        "patient went home.\n"
    )
    got = _concerns(text)
    assert [n for n, _, _ in got] == ["1", "2"]
    assert got[0][2] == (
        "The trust has no policy for patients who leave the ward without agreeing it with staff."
    )


def test_a_paragraph_to_a_line_without_blank_lines() -> None:
    text = f"The first worry is the long wait for a bed {WIDE}.\nThe second worry is {WIDE}.\n"
    assert [n for n, _, _ in _concerns(text)] == ["1", "2"]


def test_hard_wrapped_lines_and_hyphenation_join() -> None:
    text = "1. The assess-\nment was not repeated after the second\nadmission.\n"
    assert _concerns(text) == [
        ("1", "concerns", "The assessment was not repeated after the second admission.")
    ]


def test_several_items_in_one_paragraph() -> None:
    text = (
        "I have the following concerns: 1. The ward had no plan for leave. 2. Staff did not "
        "record the risk. 3. The family were not told of the discharge."
    )
    got = _concerns(text)
    assert [n for n, _, _ in got] == ["1", "2", "3"]
    assert got[1][2] == "Staff did not record the risk."


def test_sub_items_stay_with_their_concern() -> None:
    text = (
        "1. When the alarm sounded the following happened:\na) the door was locked;\n"
        "b) the key was kept in another building.\n2. The night log was incomplete.\n"
    )
    got = _concerns(text)
    assert [n for n, _, _ in got] == ["1", "2"]
    assert "(a) the door was locked; (b) the key" in got[0][2]


def test_suggested_actions_restart_the_numbering() -> None:
    text = (
        "1. The triage form does not ask about previous attempts.\n"
        "2. The on-call rota has gaps at weekends.\n\n"
        "Suggested actions:\n\n"
        "1. Add a question on previous attempts to the form.\n"
        "2. Fill the weekend gaps in the rota.\n"
    )
    got = _concerns(text)
    assert [(n, s) for n, s, _ in got] == [
        ("1", "concerns"),
        ("2", "concerns"),
        ("1", "actions"),
        ("2", "actions"),
    ]


def test_numbering_restarting_under_receiver_headings_keeps_the_heading() -> None:
    text = (
        "Northmoor Mental Health NHS Trust\n\n1. The crisis team did not visit in time.\n"
        "2. The care plan was out of date.\n\nFenshire Police\n\n"
        "1. The call handler did not grade the call as urgent.\n"
    )
    got = _concerns(text)
    assert [(n, s) for n, s, _ in got] == [
        ("1", "Northmoor Mental Health NHS Trust"),
        ("2", "Northmoor Mental Health NHS Trust"),
        ("1", "Fenshire Police"),
    ]


def test_prose_before_a_numbered_list_is_context() -> None:
    text = (
        "The evidence showed that the service had changed its model in the year before.\n\n"
        "1. The new model has no named worker.\n2. Waiting lists are not reviewed.\n"
    )
    assert [n for n, _, _ in _concerns(text)] == ["1", "2"]


def test_a_concerns_cell_read_alone(tmp_path: Path) -> None:
    review = _doc(
        tmp_path,
        "(1) The pharmacy dispensed a month's supply at once.\n"
        "(2) Nobody reviewed the prescription.\n",
        kind="pfd",
    )
    assert review.review_type == "pfd"  # type: ignore[attr-defined]
    assert [r.number for r in review.recommendations] == ["1", "2"]  # type: ignore[attr-defined]


def test_the_action_section_boilerplate_is_not_an_item(tmp_path: Path) -> None:
    review = extract_document(_write(tmp_path, WHOLE))
    assert all("power to take such action" not in r.text for r in review.recommendations)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 14 March 2023", dt.date(2023, 3, 14)),
        ("Dated: 3rd Sept 2021", dt.date(2021, 9, 3)),
        ("Date 05/11/2019", dt.date(2019, 11, 5)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("no date here", None),
    ],
)
def test_report_dates(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_receivers_from_a_list_or_a_cell() -> None:
    assert split_receivers("1. Fenshire Police\n2. Northmoor NHS Trust") == [
        "Fenshire Police",
        "Northmoor NHS Trust",
    ]
    assert split_receivers("Fenshire Police; Northmoor NHS Trust") == [
        "Fenshire Police",
        "Northmoor NHS Trust",
    ]
    assert split_receivers(
        "Chief Executive, Northmoor NHS Trust, Chief Constable, Fenshire Police"
    ) == ["Chief Executive, Northmoor NHS Trust", "Chief Constable, Fenshire Police"]
    assert split_receivers(
        "Fenwick, Eastholm and Northmoor NHS Trust (FENT, ENT); CEO, Anyshire Council"
    ) == [
        "Fenwick, Eastholm and Northmoor NHS Trust (FENT, ENT)",
        "CEO, Anyshire Council",
    ]
    assert split_receivers("Fenshire Police, Northmoor NHS Trust") == [
        "Fenshire Police",
        "Northmoor NHS Trust",
    ]


def test_a_case_review_that_quotes_a_coroner_is_not_a_pfd_report(tmp_path: Path) -> None:
    text = (
        "Anyshire Safeguarding Children Partnership\nLocal child safeguarding practice review\n"
        "Published 2022\n\nBackground\n\nThe coroner issued a Regulation 28 report to prevent "
        "future deaths; the matters of concern were shared and action should be taken.\n\n"
        "Recommendations\n\n1. The partnership should audit discharge planning.\n"
    )
    assert not is_pfd(text)
    review = extract_document(_write(tmp_path, text))
    assert review.review_type == "lcspr"
    assert [r.text for r in review.recommendations] == [
        "The partnership should audit discharge planning."
    ]


def test_pdf_text_without_blank_lines_splits_at_short_last_lines() -> None:
    text = (
        "The trust told the inquest that its crisis team works only in the daytime and\n"
        "that calls made after six in the evening are passed to a regional line that\n"
        "has no access to the patient's notes.\n"
        "The practice did not receive the discharge summary until three weeks after\n"
        "the patient went home, and no one followed the missing letter up with the\n"
        "ward at any point.\n"
        "The family were not told whom to call if matters got worse over the weekend\n"
        "and they said they had no written plan to turn to at all in the end.\n"
    )
    got = _concerns(text)
    assert [n for n, _, _ in got] == ["1", "2", "3"]
    assert got[1][2].startswith("The practice did not receive")
    assert got[1][2].endswith("ward at any point.")


def _minipdf() -> object:
    from tests.scripts import load_script

    return load_script("evaluation/extraction/minipdf.py")


PDF_TEXT = (
    "REGULATION 28: REPORT TO PREVENT FUTURE DEATHS\n"
    "THIS REPORT IS BEING SENT TO: Chief Executive, Northmoor Mental Health NHS Trust\n"
    "1 CORONER I am A. N. Example, assistant coroner for Fenshire.\n"
    "4 CIRCUMSTANCES OF THE DEATH The person died in hospital.\n"
    "5 CORONER'S CONCERNS The MATTERS OF CONCERN are as follows:\n"
    "(1) The observation records on the ward were completed in advance of the\n"
    "checks they recorded.\n"
    "(2) Agency nurses were not given the ward's ligature risk assessment.\n"
    "\f6 ACTION SHOULD BE TAKEN In my opinion action should be taken to prevent future\n"
    "deaths and I believe you have the power to take such action.\n"
    "7 YOUR RESPONSE You are under a duty to respond within 56 days.\n"
    "9 Dated: 02/08/2021\n"
)


def test_a_pfd_report_as_pdf_with_headings_running_on(tmp_path: Path) -> None:
    path = _minipdf().write_text_pdf(tmp_path / "pfd.pdf", PDF_TEXT)  # type: ignore[attr-defined]
    review = extract_document(path)
    assert review.review_type == "pfd"
    assert [(r.number, r.location) for r in review.recommendations] == [
        ("1", "page 1"),
        ("2", "page 1"),
    ]
    assert review.recommendations[0].text == (
        "The observation records on the ward were completed in advance of the checks they recorded."
    )
    assert review.recommendations[0].addressees == [
        "Chief Executive, Northmoor Mental Health NHS Trust"
    ]
    assert review.report_date == dt.date(2021, 8, 2)
    assert review.response_due == dt.date(2021, 9, 27)


def test_suggested_actions_in_the_action_section(tmp_path: Path) -> None:
    text = WHOLE.replace(
        "the power to take such action.\n",
        "the power to take such action. I suggest:\n\n"
        "1. A written safety plan before every discharge.\n"
        "2. A records check on every welfare visit.\n",
    )
    review = extract_document(_write(tmp_path, text))
    assert [(r.number, r.section) for r in review.recommendations] == [
        ("1", "concerns"),
        ("2", "concerns"),
        ("1", "actions"),
        ("2", "actions"),
    ]
    assert review.recommendations[2].text == "A written safety plan before every discharge."


@pytest.mark.parametrize(
    ("line", "area"),
    [
        ("A. N. Example, Senior Coroner for the area of Fenshire", "Fenshire"),
        (
            "Assistant Coroner for the coroner area of North Fenshire and Wold.",
            "North Fenshire and Wold",
        ),
        ("I am the Area Coroner for Eastholm", "Eastholm"),
    ],
)
def test_coroner_area(tmp_path: Path, line: str, area: str) -> None:
    text = WHOLE.replace("A. N. Example, Senior Coroner for the area of Fenshire", line)
    assert extract_document(_write(tmp_path, text)).area == area


def test_a_stated_due_date_gives_the_report_date_when_its_own_is_missing(
    tmp_path: Path,
) -> None:
    text = WHOLE.replace(
        "within 56 days of the date of this report.",
        "within 56 days of the date of this report, namely by 9 May 2023.",
    ).replace("9 14 March 2023", "9 [signature]")
    review = extract_document(_write(tmp_path, text))
    assert review.report_date == dt.date(2023, 3, 14)
    assert review.response_due == dt.date(2023, 5, 9)
    # With both, the report's own date wins over the stated one.
    text = WHOLE.replace(
        "within 56 days of the date of this report.",
        "within 56 days of the date of this report, namely by 30 May 2023.",
    )
    assert extract_document(_write(tmp_path, text)).report_date == dt.date(2023, 3, 14)


def test_receivers_numbered_on_one_line() -> None:
    assert split_receivers("1. Fenshire Police 2. Chief Executive, Northmoor NHS Trust") == [
        "Fenshire Police",
        "Chief Executive, Northmoor NHS Trust",
    ]


def test_a_number_wrapped_to_the_start_of_a_line_is_not_an_item() -> None:
    text = (
        "1. Callers to the crisis line waited between\n"
        "20 - 30 minutes before anyone answered.\n"
        "2. The line had no way to call back.\n"
    )
    assert _concerns(text) == [
        (
            "1",
            "concerns",
            "Callers to the crisis line waited between 20 - 30 minutes before anyone answered.",
        ),
        ("2", "concerns", "The line had no way to call back."),
    ]


def test_numbering_with_a_gap_and_letters_past_h() -> None:
    text = "1. First worry here.\n2. Second worry here.\n4. Fourth worry here.\n"
    assert [n for n, _, _ in _concerns(text)] == ["1", "2", "4"]
    letters = "abcdefghij"
    text = "".join(f"{c}) Worry number {k} was raised.\n" for k, c in enumerate(letters, 1))
    assert [n for n, _, _ in _concerns(text)] == list(letters)
