"""Tables of recommendations (with an addressee column) and action-plan tables, in text,
markdown and generated PDFs. All text here is invented."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fpdf import FPDF

from graph_schema import Label, RelType
from graph_store import EmbeddedStore
from graph_store.base import Batch, NodeWrite, check_batch
from loaders.extract import extract_document, extract_to_batch, load_taxonomy
from loaders.extract.document import action_status, due_date

HEAD = "Anyshire Safeguarding Children Partnership\nPractice review: Child Q\nPublished 2022\n\n"


def _write(tmp_path: Path, text: str, suffix: str = ".md") -> Path:
    path = tmp_path / f"review{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def test_markdown_table_addressee_column_gives_addressees(tmp_path: Path) -> None:
    text = HEAD + (
        "## Recommendations\n\n"
        "| Rec no. | Recommendation | Addressed to |\n|:--|:--|:--|\n"
        "| R1 | The partnership should audit the records of children under five. | "
        "Children's social care; General practice |\n"
        "| R2 | Leaders should share referrals within a day. | Anyshire Police |\n"
    )
    recs = extract_document(_write(tmp_path, text)).recommendations
    assert [(r.number, r.addressees) for r in recs] == [
        ("1", ["Children's social care", "General practice"]),
        ("2", ["Anyshire Police"]),
    ]
    # The addressee column's agencies first, then those the text names ("the partnership").
    assert [a.sector for a in recs[0].agencies] == ["childrens_social_care", "health", "board"]
    assert [a.name for a in recs[1].agencies] == ["Police"]
    assert recs[1].text == "Leaders should share referrals within a day."


def test_aligned_text_table_with_addressee_and_wrapped_rows(tmp_path: Path) -> None:
    text = HEAD + (
        "Recommendations\n\n"
        "No.   Recommendation                              Lead agency\n"
        "----  ------------------------------------------  ----------------\n"
        "1     The partnership should audit the records    Children's social\n"
        "      of every child under five.                  care\n"
        "2     Schools should record each absence.         Schools\n"
        "\nNext steps\n\nThe board will meet.\n"
    )
    recs = extract_document(_write(tmp_path, text, ".txt")).recommendations
    assert [(r.number, r.text, r.addressees) for r in recs] == [
        (
            "1",
            "The partnership should audit the records of every child under five.",
            ["Children's social care"],
        ),
        ("2", "Schools should record each absence.", ["Schools"]),
    ]


ACTION_PLAN = HEAD + (
    "## Recommendations\n\n"
    "1. The partnership should audit the records of children under five.\n"
    "2. Police should share referrals with schools within one working day.\n\n"
    "## Action plan\n\n"
    "| Recommendation | Action | Lead agency | Timescale | RAG status |\n"
    "|---|---|---|---|---|\n"
    "| 1 | Run a multi-agency audit of fifty case files. | Children's social care "
    "| 31/03/2023 | Green |\n"
    "|  | Report the audit to the board. | Safeguarding partnership | June 2023 | Amber |\n"
    "| Rec 2 | Agree a referral protocol. | Anyshire Police | by September 2023 | "
    "not started |\n"
    "| 7 | A row naming no recommendation of this review. | Schools | 2023 | Red |\n"
)


def test_action_plan_table_becomes_actions_not_recommendations(tmp_path: Path) -> None:
    review = extract_document(_write(tmp_path, ACTION_PLAN))
    assert [r.number for r in review.recommendations] == ["1", "2"]
    got = [
        (a.recommendation, a.text, a.owner.name if a.owner else None, a.due_date, a.status)
        for a in review.actions
    ]
    assert got == [
        (
            "1",
            "Run a multi-agency audit of fifty case files.",
            "Children's social care",
            dt.date(2023, 3, 31),
            "completed",
        ),
        (
            "1",
            "Report the audit to the board.",
            "Safeguarding board or partnership",
            dt.date(2023, 6, 30),
            "in_progress",
        ),
        ("2", "Agree a referral protocol.", "Police", dt.date(2023, 9, 30), "not_started"),
    ]
    assert len(review.warnings) == 1 and "recommendation 7" in review.warnings[0]
    assert review.as_json()["actions"][2]["due_text"] == "by September 2023"


def test_aligned_action_plan_with_wrapped_action(tmp_path: Path) -> None:
    text = HEAD + (
        "Recommendations\n\n1. Schools should record each absence.\n\n"
        "Action plan\n\n"
        "Rec no.  Action                         Owner     Due         Status\n"
        "1        Add absence codes to the       Schools   Dec 2023    In progress\n"
        "         register and train staff.\n"
    )
    review = extract_document(_write(tmp_path, text, ".txt"))
    assert [r.number for r in review.recommendations] == ["1"]
    assert [(a.text, a.status, a.due_date) for a in review.actions] == [
        (
            "Add absence codes to the register and train staff.",
            "in_progress",
            dt.date(2023, 12, 31),
        )
    ]


def test_status_words_and_due_dates() -> None:
    assert [action_status(w) for w in ("Red", "AMBER", "green", "Complete", "", "Withdrawn")] == [
        "not_started",
        "in_progress",
        "completed",
        "completed",
        "not_started",
        "cancelled",
    ]
    assert due_date("2024-02-10") == dt.date(2024, 2, 10)
    assert due_date("February 2024") == dt.date(2024, 2, 29)
    assert due_date("ongoing") is None


def test_actions_are_loaded_onto_their_recommendations(tmp_path: Path) -> None:
    _review, batches = extract_to_batch(_write(tmp_path, ACTION_PLAN), board=None, year=None)
    for b in batches:
        check_batch(b)
    store = EmbeddedStore(tmp_path / "g.sqlite")
    try:
        store.apply_schema()
        themes = [
            {"id": t.id, "label": t.label, "category": t.category, "kind": t.kind}
            for t in load_taxonomy(1)
        ]
        store.write(Batch(nodes=[NodeWrite(Label.THEME, themes)]))
        for b in batches:
            store.write(b)
        counts = store.counts().as_dict()
        assert counts["nodes"]["Recommendation"] == 2
        assert counts["nodes"]["Action"] == 3
        assert counts["relationships"]["RESPONDS_TO"] == 3
        assert counts["relationships"]["OWNED_BY"] == 3
        rows = [r for nw in batches[0].nodes if nw.label == Label.ACTION for r in nw.rows]
        assert {r["recommendation_id"].rsplit("-", 1)[1] for r in rows} == {"r1", "r2"}
        assert rows[0]["due_date"] == "2023-03-31" and rows[0]["status"] == "completed"
        responds = next(rw for rw in batches[0].rels if rw.type == RelType.RESPONDS_TO)
        assert responds.rows[0]["end"] == rows[0]["recommendation_id"]
    finally:
        store.close()


def _table_pdf(path: Path, pages: list[list[tuple[str, ...]]], *, heading: str) -> Path:
    """A PDF with one ruled table a page (rows given per page), drawn by fpdf2."""
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    for k, rows in enumerate(pages):
        pdf.add_page()
        if k == 0:
            for ln in HEAD.strip().split("\n"):
                pdf.cell(0, 7, ln, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
            pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        with pdf.table(col_widths=(20, 110, 50), first_row_as_headings=False) as table:
            for row in rows:
                cells = table.row()
                for c in row:
                    cells.cell(c)
    pdf.output(str(path))
    return path


def test_pdf_table_of_recommendations_over_a_page_break(tmp_path: Path) -> None:
    header = ("No.", "Recommendation", "Lead agency")
    pages = [
        [
            header,
            ("1", "The partnership should audit the records of every child under five.", "Schools"),
            ("2", "Police should share referrals with schools within one working day.", "Police"),
        ],
        [("3", "General practice should ask who lives in the household.", "General practice")],
    ]
    path = _table_pdf(tmp_path / "review.pdf", pages, heading="Recommendations")
    review = extract_document(path)
    assert [(r.number, r.addressees, r.location) for r in review.recommendations] == [
        ("1", ["Schools"], "page 1"),
        ("2", ["Police"], "page 1"),
        ("3", ["General practice"], "page 2"),
    ]
    assert review.recommendations[0].text == (
        "The partnership should audit the records of every child under five."
    )


def test_pdf_action_plan_table(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for ln in [*HEAD.strip().split("\n"), "", "Recommendations", ""]:
        pdf.cell(0, 7, ln, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, "1. Schools should record each absence on the day it happens.")
    pdf.ln(8)
    pdf.cell(0, 7, "Action plan", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    with pdf.table(col_widths=(20, 80, 40, 30, 30)) as table:
        for row in [
            ("Rec", "Action", "Owner", "Due date", "Status"),
            ("1", "Train every attendance officer.", "Schools", "2024-07-01", "Amber"),
        ]:
            cells = table.row()
            for c in row:
                cells.cell(c)
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    review = extract_document(path)
    assert [r.number for r in review.recommendations] == ["1"]
    assert [(a.recommendation, a.text, a.status, a.due_date) for a in review.actions] == [
        ("1", "Train every attendance officer.", "in_progress", dt.date(2024, 7, 1))
    ]


def test_pdf_unruled_aligned_table(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    y = 20.0
    for ln in [*HEAD.strip().split("\n"), "", "Recommendations", ""]:
        pdf.set_xy(10, y)
        pdf.cell(0, 6, ln)
        y += 6
    rows = [
        ("No.", "Recommendation", "Lead agency"),
        ("1", "The partnership should audit the records", "Schools"),
        ("", "of every child under five.", ""),
        ("2", "Police should share referrals the same day.", "Anyshire Police"),
    ]
    for row in rows:
        for x, cell in zip((10, 30, 130), row, strict=True):
            pdf.set_xy(x, y)
            pdf.cell(0, 6, cell)
        y += 6
    pdf.set_xy(10, y + 8)
    pdf.cell(0, 6, "Next steps")
    pdf.set_xy(10, y + 20)
    pdf.cell(0, 6, "The board will meet in the spring to agree an action plan.")
    path = tmp_path / "unruled.pdf"
    pdf.output(str(path))
    recs = extract_document(path).recommendations
    assert [(r.number, r.text, r.addressees) for r in recs] == [
        ("1", "The partnership should audit the records of every child under five.", ["Schools"]),
        ("2", "Police should share referrals the same day.", ["Anyshire Police"]),
    ]


def test_extract_prints_the_action_plan_and_its_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scrgraph.cli import main

    assert main(["extract", str(_write(tmp_path, ACTION_PLAN))]) == 0
    captured = capsys.readouterr()
    assert "2 recommendation(s)" in captured.out
    assert "3 action(s) from action-plan tables" in captured.out
    assert "for recommendation 2 " in captured.out and "Agree a referral protocol." in captured.out
    assert "2023-09-30, not_started" in captured.out
    [warning] = captured.err.strip().splitlines()
    assert warning.startswith("warning: ") and "recommendation 7" in warning
