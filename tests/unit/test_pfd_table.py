"""Reading a table of PFD reports (`load --format pfd`): rows checked before anything is written.

Every report, name and sentence here is invented; the layout is the PFD-toolkit dataset's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from loaders.pfd_table import (
    COLUMNS,
    name_sector,
    parse_report_date,
    read_pfd_table,
    receiver_name,
)
from scrgraph.errors import InputError

# Three invented reports in two coroner areas. The first's concerns are numbered, the
# second's are plain paragraphs after the statutory lead-in, the third's are lettered.
ROWS: list[dict[str, str]] = [
    {
        "url": "https://example.org/pfd/2031-0001",
        "id": "2031-0001",
        "date": "2031-03-04",
        "coroner": "A. Example",
        "area": "Fenshire",
        "receiver": "Chief Executive, Northmoor NHS Trust; Chief Constable of Fenshire Police",
        "investigation": "An inquest was opened into an invented death.",
        "circumstances": "The invented patient left the ward unseen.",
        "concerns": (
            "1. There was no shared care record, so information sharing between the ward "
            "and the GP failed.\n\n"
            "2. Staff had not received training on risk assessment before the discharge.\n"
        ),
    },
    {
        "url": "https://example.org/pfd/2031-0002",
        "id": "2031-0002",
        "date": "2031-05-20",
        "coroner": "B. Example",
        "area": "Fenshire",
        "receiver": "Secretary of State for Health and Social Care",
        "investigation": "",
        "circumstances": "",
        "concerns": (
            "The MATTERS OF CONCERN are as follows:\n\n"
            "Information sharing between the invented trust and the school was slow and "
            "depended on one person.\n\n"
            "No one owned the follow-up appointment after the invented patient was sent home."
        ),
    },
    {
        "url": "",
        "id": "2032-0003",
        "date": "2032-01-10",
        "coroner": "C. Example",
        "area": "North Wendshire",
        "receiver": "",
        "investigation": "",
        "circumstances": "",
        "concerns": (
            "a) The invented ward's observation policy was not followed at night.\n"
            "b) The invented staff rota left one nurse for two wards at weekends.\n"
        ),
    },
]


def table(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def write_table(tmp: Path, rows: list[dict[str, str]] | None = None, name: str = "pfd.csv") -> Path:
    path = tmp / name
    path.write_text(table(ROWS if rows is None else rows), encoding="utf-8")
    return path


def test_reads_every_report(tmp_path: Path) -> None:
    rows, warnings = read_pfd_table(write_table(tmp_path))
    assert [r.reference for r in rows] == ["2031-0001", "2031-0002", "2032-0003"]
    assert [r.row for r in rows] == [2, 3, 4]
    assert [r.date for r in rows] == [
        dt.date(2031, 3, 4),
        dt.date(2031, 5, 20),
        dt.date(2032, 1, 10),
    ]
    assert [[c[0] for c in r.concerns] for r in rows] == [["1", "2"], ["1", "2"], ["a", "b"]]
    assert rows[1].concerns[1][1].startswith("No one owned the follow-up")
    assert [(x.name, x.sector, x.basis) for x in rows[0].receivers] == [
        ("Northmoor NHS Trust", "health", "gazetteer"),
        ("Fenshire Police", "police", "gazetteer"),
    ]
    assert [(x.name, x.sector) for x in rows[1].receivers] == [
        ("Secretary of State for Health and Social Care", "central_government")
    ]
    assert rows[2].receivers == []
    assert warnings == [
        f"{tmp_path / 'pfd.csv'}: row 4, column 'receiver': empty; its concerns are addressed "
        "to no agency"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2031-03-04", dt.date(2031, 3, 4)),
        ("2031-03-04T00:00:00", dt.date(2031, 3, 4)),
        ("04/03/2031", dt.date(2031, 3, 4)),
        ("2031-02-30", None),
        ("March 2031", None),
        ("soon", None),
    ],
)
def test_report_dates(text: str, expected: dt.date | None) -> None:
    assert parse_report_date(text) == expected


@pytest.mark.parametrize(
    ("raw", "name", "sector"),
    [
        ("Chief Executive, Northmoor NHS Trust", "Northmoor NHS Trust", "health"),
        ("The Chief Executive of Eastholm Council", "Eastholm Council", "adult_services"),
        (
            "HM Prison and Probation Service",
            "HM Prison and Probation Service",
            "probation_youth_justice",
        ),
        ("Minister for Invented Affairs", "Minister for Invented Affairs", "central_government"),
        ("Northtown Academy Trust", "Northtown Academy Trust", "education"),
        ("Eastholm Sixth Form College", "Eastholm Sixth Form College", "education"),
        ("Invented Rail Ltd", "Invented Rail Ltd", None),
    ],
)
def test_receivers_as_agencies(raw: str, name: str, sector: str | None) -> None:
    assert receiver_name(raw) == name
    assert name_sector(name) == sector


def _refused(path: Path) -> list[str]:
    with pytest.raises(InputError) as e:
        read_pfd_table(path)
    assert "nothing was written" in str(e.value)
    return e.value.problems


def test_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "pfd.csv"
    path.write_text(table(ROWS, tuple(c for c in COLUMNS if c != "concerns")), encoding="utf-8")
    assert _refused(path) == [
        f"{path}: row 1, column 'concerns': missing column; the header must name "
        + ", ".join(COLUMNS)
    ]


def test_bad_cells_are_all_listed(tmp_path: Path) -> None:
    rows = [dict(r) for r in ROWS]
    rows[0]["date"] = "the fourth of March"
    rows[1]["concerns"] = "   "
    rows[2]["id"] = "2031-0001"
    path = write_table(tmp_path, rows)
    assert _refused(path) == [
        f"{path}: row 2, column 'date': 'the fourth of March' is not a date (YYYY-MM-DD expected)",
        f"{path}: row 3, column 'concerns': empty; every report needs its concerns",
        f"{path}: row 4, column 'id': '2031-0001' is also the id of row 2",
    ]


def test_concerns_with_nothing_to_read(tmp_path: Path) -> None:
    rows = [dict(ROWS[0], concerns="See above.")]
    path = write_table(tmp_path, rows)
    assert _refused(path) == [
        f"{path}: row 2, column 'concerns': no matter of concern could be read from the cell"
    ]


def test_wrong_files(tmp_path: Path) -> None:
    txt = tmp_path / "report.txt"
    txt.write_text("Not a table.", encoding="utf-8")
    assert _refused(txt) == [
        f"{txt}: not a .csv file (.txt); --format pfd reads a CSV table with the columns "
        + ", ".join(COLUMNS)
    ]
    binary = tmp_path / "pfd.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert _refused(binary) == [f"{binary}: not UTF-8 text (byte 0); save it as UTF-8 CSV"]
    other = tmp_path / "other.csv"
    other.write_text("name,year\nx,2020\n", encoding="utf-8")
    assert len(_refused(other)) == len(COLUMNS)
    empty = tmp_path / "empty.csv"
    empty.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    assert _refused(empty) == [f"{empty}: no reports: the table has a header and no rows"]
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(",".join(COLUMNS) + "\na,b\n", encoding="utf-8")
    assert _refused(ragged) == [f"{ragged}: row 2: 2 cells; the header has 9"]
    assert _refused(tmp_path / "absent.csv") == [
        f"{tmp_path / 'absent.csv'}: no such file; give a CSV table of PFD reports"
    ]
