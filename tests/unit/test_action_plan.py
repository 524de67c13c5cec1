"""Action plans as partnerships keep them (loaders.action_plan), read without a store.

The spreadsheets are made here, at test time, in two invented partnerships' own layouts.
All names and text are invented.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from loaders.action_plan import (
    PlanMapping,
    classify_header,
    column_letter,
    plan_status,
    read_action_plan,
    read_mapping,
    rec_key,
    rec_keys,
    timescale_date,
)
from scrgraph.errors import InputError

RECS: list[dict[str, Any]] = [
    {"id": "rv-1-r1", "number": "1"},
    {"id": "rv-1-r2", "number": "2"},
    {"id": "rv-1-r3", "number": "3"},
]
AGENCIES = [{"id": "ag-fernmoor-police", "name": "Fernmoor Police", "sector": "police"}]

# Fernmoor's layout: a title row merged over the table, a blank row, then the header; the
# recommendation merged down over the rows of its two actions; RAG as letters and as a
# cell's fill; blue used for complete (so green is "on track"); a key sheet beside it.
FERNMOOR_HEADER = [
    "Rec no.",
    "Recommendation",
    "Action",
    "Lead agency",
    "Timescale",
    "Progress update",
    "RAG",
    "Evidence of impact",
]
FERNMOOR_ROWS: list[list[Any]] = [
    [
        "R1",
        "Audit the records of children under five.",
        "Run a multi-agency audit of fifty case files.",
        "Children's social care",
        dt.datetime(2024, 3, 31),
        "Audit done; report written",
        "B",
        "Audit report to the board, May 2024",
    ],
    [
        None,  # merged with the cell above
        None,
        "Report the audit's findings to the partnership board.",
        "Fernmoor Police",
        "June 2024",
        "",
        "G",
        "",
    ],
    [
        "Rec 2",
        "Share referrals with schools within a day.",
        "Agree a referral protocol with every school.",
        "Schools",
        "Q3 2024",
        "Not started",
        "R",
        "",
    ],
    [
        "3",
        "Supervise every practitioner monthly.",
        "Introduce monthly supervision audits.",
        "Fernmoor Community Health NHS Trust",
        "31/12/2024",
        "",
        None,  # amber by its fill only
        "",
    ],
]


def fernmoor_plan(path: Path, rows: list[list[Any]] | None = None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Action plan"
    ws.append(["Fernmoor Safeguarding Children Partnership: practice review action plan"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(FERNMOOR_HEADER)
    for row in rows if rows is not None else FERNMOOR_ROWS:
        ws.append(row)
    if rows is None:
        ws.merge_cells("A4:A5")
        ws.merge_cells("B4:B5")
        ws["G7"].fill = PatternFill("solid", fgColor="FFFFC000")  # amber
    key = book.create_sheet("Key")
    for line in (["Colour", "Meaning"], ["Blue", "Complete"], ["Green", "On track"]):
        key.append(line)
    book.save(path)
    return path


# Ashdale's layout: its own words and order, no RAG column, statuses as words, blank rows,
# and the recommendation written out in full ("Recommendation 2: ...").
ASHDALE_HEADER = ["Action", "Owner", "By when", "Status", "Recommendation", "Outcome"]
ASHDALE_ROWS: list[list[str]] = [
    [
        "Publish a neglect toolkit.",
        "Ashdale Council children's services",
        "2024-09-30",
        "Complete",
        "Recommendation 1: audit the records of children under five.",
        "Toolkit used in 80% of audited cases",
    ],
    ["", "", "", "", "", ""],
    [
        "Write referral guidance for schools.",
        "Education",
        "end of October 2024",
        "Overdue",
        "Recommendation 2: share referrals with schools within a day.",
        "",
    ],
    [
        "Retire the old supervision form.",
        "",
        "",
        "No longer required",
        "Recommendation 3",
        "",
    ],
]


def ashdale_plan(path: Path, rows: list[list[str]] | None = None) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(ASHDALE_HEADER)
        w.writerows(rows if rows is not None else ASHDALE_ROWS)
    return path


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Rec no.", "number"),
        ("Recommendation number", "number"),
        ("Ref", "number"),
        ("Recommendation", "recommendation"),
        ("Action", "action"),
        ("Actions agreed", "action"),
        ("What will be done", "action"),
        ("Action owner", "lead"),
        ("Lead agency", "lead"),
        ("Timescale", "timescale"),
        ("By when", "timescale"),
        ("Target completion date", "timescale"),
        ("Date completed", "completed"),
        ("RAG status", "rag"),
        ("BRAG rating", "rag"),
        ("Progress update", "progress"),
        ("Status", "progress"),
        ("Evidence of impact", "evidence"),
        ("Outcome", "evidence"),
        ("Findings", None),
        ("", None),
    ],
)
def test_headers_map_to_fields(header: str, field: str | None) -> None:
    assert classify_header(header) == field


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1", "1"),
        ("R1", "1"),
        ("Rec 1", "1"),
        ("Rec. no. 4", "4"),
        ("Recommendation 1.2", "1.2"),
        ("1.2", "1.2"),
        ("3(a)", "3a"),
        ("3 (b)", "3b"),
        ("4b", "4b"),
        ("1 A multi-agency audit", "1"),
        ("Recommendation 2: share referrals", "2"),
        ("Ongoing", None),
        ("None", None),
    ],
)
def test_recommendation_references(text: str, key: str | None) -> None:
    assert rec_key(text) == key


@pytest.mark.parametrize(
    ("progress", "rag", "brag", "status"),
    [
        ("", "", False, "not_started"),
        ("Complete", "", False, "completed"),
        ("Not yet complete", "", False, "in_progress"),
        ("Not started", "Green", False, "not_started"),
        ("Ongoing", "", False, "in_progress"),
        ("Overdue", "", False, "in_progress"),
        ("Cancelled", "", False, "cancelled"),
        ("", "R", False, "not_started"),
        ("", "Amber", False, "in_progress"),
        ("", "G", False, "completed"),
        ("", "G", True, "in_progress"),
        ("", "Blue", True, "completed"),
        ("", "Amber/Green", False, "in_progress"),
        ("", "Complete", False, "completed"),
        ("Training delivered to most teams, more planned", "A", False, "in_progress"),
        ("", "Purple", False, None),
    ],
)
def test_progress_words_and_rag_ratings_to_statuses(
    progress: str, rag: str, brag: bool, status: str | None
) -> None:
    assert plan_status(progress, rag, brag=brag) == status


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        (dt.datetime(2024, 3, 31, 0, 0), dt.date(2024, 3, 31)),
        (dt.date(2024, 3, 31), dt.date(2024, 3, 31)),
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("2024-03-31", dt.date(2024, 3, 31)),
        ("by 31 March 2024", dt.date(2024, 3, 31)),
        ("March 2024", dt.date(2024, 3, 31)),
        ("end of Sept 2024", dt.date(2024, 9, 30)),
        ("31/03/24", dt.date(2024, 3, 31)),
        ("Mar-24", dt.date(2024, 3, 31)),
        ("Dec-24", dt.date(2024, 12, 31)),
        ("15-Feb-25", dt.date(2025, 2, 15)),
        ("31/02/24", None),
        ("Ongoing", None),
        ("Q3 2024", None),
        ("Within 6 months", None),
        (None, None),
    ],
)
def test_timescales_as_dates(cell: object, date: dt.date | None) -> None:
    assert timescale_date(cell) == date


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 8, 26, 27, 28)] == ["A", "H", "Z", "AA", "AB"]


def _read(path: Path, **kw: Any) -> tuple[list[Any], list[str]]:
    return read_action_plan(path, review_id="rv-1", recommendations=RECS, agencies=AGENCIES, **kw)


def test_fernmoor_workbook_title_row_merged_cells_fills_and_brag(tmp_path: Path) -> None:
    rows, warned = _read(fernmoor_plan(tmp_path / "fernmoor.xlsx"))
    got = [
        (
            r.sheet,
            r.row,
            r.recommendation_id,
            r.status,
            r.owner.id if r.owner else None,
            r.due,
            r.evidence,
        )
        for r in rows
    ]
    assert got == [
        (
            "Action plan",
            4,
            "rv-1-r1",
            "completed",
            "childrens-social-care",
            dt.date(2024, 3, 31),
            "Audit report to the board, May 2024",
        ),
        # Merged down from row 4; green is "on track" where the plan uses blue.
        (
            "Action plan",
            5,
            "rv-1-r1",
            "in_progress",
            "ag-fernmoor-police",
            dt.date(2024, 6, 30),
            "",
        ),
        ("Action plan", 6, "rv-1-r2", "not_started", "schools", None, ""),
        # The gazetteer's agency for an NHS trust, as a document's action plan gets it.
        ("Action plan", 7, "rv-1-r3", "in_progress", "hospital-trust", dt.date(2024, 12, 31), ""),
    ]
    assert rows[1].owner is not None and rows[1].owner.known  # the review's own addressee
    assert rows[3].rag == "amber"  # read from the cell's fill
    assert any(
        "sheet 'Action plan', row 6, column E 'Timescale': 'Q3 2024' is not a date" in w
        for w in warned
    ), warned
    assert any("sheet 'Key': not read" in w for w in warned), warned
    assert any("columns not read: Recommendation" in w for w in warned), warned


def test_ashdale_csv_own_order_words_and_blank_rows(tmp_path: Path) -> None:
    rows, warned = _read(ashdale_plan(tmp_path / "ashdale.csv"))
    assert [(r.row, r.recommendation_id, r.status, r.due) for r in rows] == [
        (2, "rv-1-r1", "completed", dt.date(2024, 9, 30)),
        (4, "rv-1-r2", "in_progress", dt.date(2024, 10, 31)),
        (5, "rv-1-r3", "cancelled", None),
    ]
    assert rows[0].evidence == "Toolkit used in 80% of audited cases"
    assert [r.sheet for r in rows] == ["ashdale.csv"] * 3
    assert warned == []


def test_a_bad_row_is_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    bad = [list(r) for r in FERNMOOR_ROWS]
    bad[2][6] = "Purple"  # row 6, column G
    bad[3][0] = "Rec 9"  # row 7, column A: no such recommendation
    with pytest.raises(InputError) as e:
        _read(fernmoor_plan(tmp_path / "bad.xlsx", bad))
    assert "nothing was written" in str(e.value)
    assert e.value.problems == [
        f"{tmp_path / 'bad.xlsx'}, sheet 'Action plan', row 6, column G 'RAG': 'Purple' is not "
        "a RAG rating; expected red, amber, green or blue (R, A, G, B), or a progress word",
        f"{tmp_path / 'bad.xlsx'}, sheet 'Action plan', row 7, column A 'Rec no.': 'Rec 9' "
        "names recommendation 9, which review rv-1 does not have; expected one of its "
        "numbers: 1, 2, 3",
    ]


def test_a_missing_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nocol.csv"
    path.write_text(
        "Recommendation,Lead agency,Timescale,RAG status\n1,Police,2024-01-31,Green\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        _read(path)
    assert len(e.value.problems) == 1
    assert e.value.problems[0].startswith(
        f"{path}, sheet 'nocol.csv', row 1: missing column: no header names the action"
    )


def test_an_empty_recommendation_cell_with_nothing_above_is_refused(tmp_path: Path) -> None:
    path = ashdale_plan(tmp_path / "a.csv", [["Do it.", "", "", "", "", ""]])
    with pytest.raises(InputError) as e:
        _read(path)
    assert e.value.problems[0].startswith(
        f"{path}, sheet 'a.csv', row 2, column E 'Recommendation': empty, and no row above"
    )


def test_a_mapping_file_names_columns_the_headers_do_not(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Learning point,What we will deliver,Lead agency\n2,Train every school lead,Schools\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="problem"):
        _read(path)
    mapping_file = tmp_path / "map.json"
    mapping_file.write_text(
        json.dumps(
            {"columns": {"recommendation": "Learning point", "action": "What we will deliver"}}
        ),
        encoding="utf-8",
    )
    mapping = read_mapping(mapping_file)
    rows, _ = _read(path, mapping=mapping)
    assert [(r.recommendation_id, r.action) for r in rows] == [
        ("rv-1-r2", "Train every school lead")
    ]
    toml_file = tmp_path / "map.toml"
    toml_file.write_text(
        '[columns]\nrecommendation = "Learning point"\naction = "What we will deliver"\n',
        encoding="utf-8",
    )
    assert read_mapping(toml_file) == mapping


def test_a_bad_mapping_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    path.write_text('{"columns": {"owner": "Lead"}, "header_row": 0}', encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_mapping(path)
    assert e.value.problems == [
        "columns: 'owner' is not a field; expected one of recommendation, action, lead, "
        "timescale, progress, rag, evidence, completed",
        "`header_row` must be a row number (1 or more)",
    ]


def test_a_review_with_no_recommendations_and_a_file_that_is_not_a_plan(tmp_path: Path) -> None:
    plan = ashdale_plan(tmp_path / "a.csv")
    with pytest.raises(InputError, match="has no recommendations"):
        read_action_plan(plan, review_id="rv-2", recommendations=[])
    not_plan = tmp_path / "plan.xlsx"
    not_plan.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputError) as e:
        _read(not_plan)
    assert "not a readable .xlsx workbook" in e.value.problems[0]
    ods = tmp_path / "plan.ods"
    ods.write_bytes(b"PK")
    with pytest.raises(InputError) as e:
        _read(ods)
    assert e.value.problems == [
        f"{ods}: not a .xlsx or .csv file (.ods); save the action plan as an Excel workbook "
        "(.xlsx) or as CSV"
    ]


def test_mapping_defaults() -> None:
    assert PlanMapping().canonical() == '{"columns": {}, "header_row": null, "sheet": null}'


def test_csv_with_a_title_row_heading_rows_and_a_repeated_header(tmp_path: Path) -> None:
    path = tmp_path / "kestrel.csv"
    path.write_text(
        "Kestrel Vale Safeguarding Partnership - action plan,,,\n"
        ",,,\n"
        "Ref,Agreed actions,Lead,Update\n"
        "Recommendation 2: share referrals,,,\n"  # a heading over the actions below it
        ",Agree a referral protocol,Kestrel Vale Police,Delivered to all schools in May\n"
        ",Audit referrals after six months,Parish knitting circle,\n"
        "Ref,Agreed actions,Lead,Update\n"  # the header again, as a printed page repeats it
        "R3,Introduce supervision audits,Schools,Training given to most staff\n",
        encoding="utf-8",
    )
    rows, warned = _read(path)
    assert [(r.row, r.recommendation_id, r.status) for r in rows] == [
        (5, "rv-1-r2", "completed"),
        (6, "rv-1-r2", "not_started"),
        (8, "rv-1-r3", "not_started"),
    ]
    assert warned == [
        f"{path}, sheet 'kestrel.csv', row 6, column C 'Lead': 'Parish knitting circle' is "
        "not an agency scrgraph knows; the action has no owner",
        f"{path}, sheet 'kestrel.csv', row 8, column D 'Update': 'Training given to most "
        "staff' names no status; taken as not_started",
    ]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("1, 2", ["1", "2"]),
        ("R1 and R2", ["1", "2"]),
        ("Rec 1 / Rec 3", ["1", "3"]),
        ("1.2 & 1.3", ["1.2", "1.3"]),
        ("1 and the partnership", ["1"]),
        ("Recommendation 2: share referrals, within a day", ["2"]),
        ("none", []),
    ],
)
def test_a_cell_may_name_several_recommendations(text: str, keys: list[str]) -> None:
    assert rec_keys(text) == keys


def test_an_action_answering_two_recommendations_answers_each(tmp_path: Path) -> None:
    path = ashdale_plan(
        tmp_path / "two.csv",
        [["Joint audit of referrals.", "Police", "", "Ongoing", "R1 and R2", ""]],
    )
    rows, _ = _read(path)
    assert [(r.row, r.recommendation_id, r.action) for r in rows] == [
        (2, "rv-1-r1", "Joint audit of referrals."),
        (2, "rv-1-r2", "Joint audit of referrals."),
    ]
    bad = ashdale_plan(tmp_path / "bad.csv", [["Joint audit.", "", "", "", "R1 and R8", ""]])
    with pytest.raises(InputError) as e:
        _read(bad)
    assert e.value.problems == [
        f"{bad}, sheet 'bad.csv', row 2, column E 'Recommendation': 'R1 and R8' names "
        "recommendation 8, which review rv-1 does not have; expected one of its numbers: 1, 2, 3"
    ]
