"""A coroner's report drawn as the statutory form: a two-column table (section number, then
the section's heading in capitals and its text). Invented report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF

from loaders.extract import extract_document
from loaders.extract.reading import _layout_table_lines

ROWS = [
    ("", "REGULATION 28: REPORT TO PREVENT FUTURE DEATHS"),
    (
        "",
        "THIS REPORT IS BEING SENT TO:\n1. Chief Executive, Northmoor Mental Health NHS Trust\n"
        "2. Chief Constable, Fenshire Police",
    ),
    ("1", "CORONER\nI am Alex Example, Assistant Coroner for the coroner area of Fenshire"),
    ("2", "CORONER'S LEGAL POWERS\nI make this report under the Coroners and Justice Act 2009."),
    ("3", "INVESTIGATION and INQUEST\nOn 3 March 2023 I opened an inquest into a death."),
    ("4", "CIRCUMSTANCES OF THE DEATH\nHe died at home after a period of low mood."),
    (
        "5",
        "CORONER'S CONCERNS\nDuring the course of the inquest the evidence revealed matters "
        "giving rise to concern. In my opinion there is a risk that future deaths will occur "
        "unless action is taken.\nThe MATTERS OF CONCERN are as follows:\n"
        "(1) The ward discharged the patient without a written safety plan or a follow-up "
        "appointment being booked for him.\n"
        "(2) Officers attending the address did not check the force's records for earlier "
        "welfare concerns about him.",
    ),
    ("6", "ACTION SHOULD BE TAKEN\nIn my opinion action should be taken to prevent future deaths."),
    ("7", "YOUR RESPONSE\nYou are under a duty to respond within 56 days of this report."),
    ("8", "COPIES and PUBLICATION\nI have sent a copy of my report to the family."),
    ("9", "14 March 2023"),
]


def test_a_report_on_the_statutory_form_is_read_as_its_sections(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    with pdf.table(col_widths=(10, 170), first_row_as_headings=False) as table:
        for number, text in ROWS:
            row = table.row()
            row.cell(number)
            row.cell(text)
    path = tmp_path / "form.pdf"
    pdf.output(str(path))
    review = extract_document(path)
    assert review.review_type == "pfd"
    assert review.area == "Fenshire"
    assert review.report_date == dt.date(2023, 3, 14)
    assert [(r.number, r.text[:30]) for r in review.recommendations] == [
        ("1", "The ward discharged the patien"),
        ("2", "Officers attending the address"),
    ]
    assert review.recommendations[0].addressees == [
        "Chief Executive, Northmoor Mental Health NHS Trust",
        "Chief Constable, Fenshire Police",
    ]


def test_a_table_of_data_is_not_taken_for_a_form() -> None:
    rows: list[list[str | None]] = [
        ["No.", "Recommendation", "Lead agency"],
        ["1", "The board should audit\nrecords every year.", "Board"],
    ]
    assert _layout_table_lines(rows) is None
    two_columns: list[list[str | None]] = [
        ["1", "The board should audit\nrecords every year."],
        ["2", "Police should share\ninformation with schools."],
    ]
    assert _layout_table_lines(two_columns) is None
    form: list[list[str | None]] = [
        ["1", "CORONER\nI am the coroner."],
        ["5", "CORONER'S CONCERNS\n(1) A concern.\n(2) Another."],
    ]
    assert _layout_table_lines(form) == [
        "1 CORONER",
        "I am the coroner.",
        "",
        "5 CORONER'S CONCERNS",
        "(1) A concern.",
        "(2) Another.",
    ]


def test_a_form_going_on_over_a_page_break_stays_a_form() -> None:
    rest: list[list[str | None]] = [["", "(3) A third concern that ran onto the next page."]]
    assert _layout_table_lines(rest) is None
    assert _layout_table_lines(rest, going_on=True) == [
        "(3) A third concern that ran onto the next page."
    ]
