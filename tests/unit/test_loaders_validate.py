"""Validation as tables of (input, expected problem). Pure: no database."""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from loaders.readers import Problem
from loaders.validate import parse_corpus

HEADERS = {
    "boards": "id,name,kind,region,established_year,ended_year",
    "agencies": "id,name,sector",
    "reviews": "id,board_id,title,year,incident_year,review_type,method,age_band,sex,pseudonym,"
    "status,summary,document",
    "recommendations": "id,review_id,number,text,level,status,location",
    "actions": "id,recommendation_id,owner_agency_id,description,due_date,status,completed_date",
    "audits": "id,action_id,date,auditor,method,finding,rating,evidence",
    "review_themes": "review_id,theme_id,evidence",
}
ROWS = {
    "boards": ["b1,Fernmoor LSCB,lscb,North East,2006,2019"],
    "agencies": ["ag1,Fernmoor Police,police"],
    "reviews": [
        "rv1,b1,Serious Case Review: Child W,2012,2011,scr,systems,under_1,male,Child W,"
        "published,A summary.,doc.pdf"
    ],
    "recommendations": ["rc1,rv1,1,Share information.,board,closed_acceptable_action,p. 3"],
    "actions": ["a1,rc1,ag1,Train staff.,2013-06-01,completed,2013-05-01"],
    "audits": ["u1,a1,2013-08-01,board_qa,case audit,Fine.,embedded,20 cases"],
    "review_themes": ["rv1,information_sharing,"],
}


def write_corpus(root: Path, edits: dict[str, list[str]] | None = None) -> Path:
    """A small valid corpus, with some files' data rows replaced by `edits`."""
    root.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        rows = (edits or {}).get(name, ROWS[name])
        (root / f"{name}.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return root


def problems(path: Path) -> list[Problem]:
    _, sink = parse_corpus(path)
    return sink.problems


def test_valid_corpus_has_no_problems(tmp_path: Path) -> None:
    corpus, sink = parse_corpus(write_corpus(tmp_path / "c"))
    assert sink.problems == []
    assert len(corpus.records["recommendations"]) == 1
    assert corpus.records["reviews"][0].values["year"] == 2012
    assert len(corpus.records["themes"]) >= 85  # the default taxonomy loads by default


NEXT_YEAR = dt.date.today().year + 1

# (file edited, its data rows, file, line, field, words the expectation contains)
CASES: list[tuple[str, list[str], str, int | None, str | None, str]] = [
    (
        "recommendations",
        ["rc1,rv-missing,1,Share information.,board,closed_acceptable_action,"],
        "recommendations.csv",
        2,
        "review_id",
        "an id defined in reviews",
    ),
    (
        "reviews",
        ["rv1,b1,T,2099,,scr,,,,,published,,"],
        "reviews.csv",
        2,
        "year",
        "a year between 1945 and",
    ),
    (
        "recommendations",
        ["rc1,rv1,1,Share information.,board,done,"],
        "recommendations.csv",
        2,
        "status",
        "one of open_awaiting_response",
    ),
    ("reviews", ["rv1,b1,T,1900,,scr,,,,,published,,"], "reviews.csv", 2, "year", "1945"),
    (
        "reviews",
        ["rv1,b1,T,twenty twelve,,scr,,,,,published,,"],
        "reviews.csv",
        2,
        "year",
        "a whole number",
    ),
    ("reviews", ["rv1,b1,,2012,,scr,,,,,published,,"], "reviews.csv", 2, "title", "required"),
    (
        "reviews",
        ["rv1,b1,T,2012,2014,scr,,,,,published,,"],
        "reviews.csv",
        2,
        "incident_year",
        "no later than the publication year",
    ),
    ("audits", ["u1,a1,2013-08-01,board_qa,,,great,"], "audits.csv", 2, "rating", "embedded"),
    ("audits", ["u1,a1,2013-02-30,board_qa,,,embedded,"], "audits.csv", 2, "date", "YYYY-MM-DD"),
    (
        "audits",
        [f"u1,a1,{NEXT_YEAR}-01-01,board_qa,,,embedded,"],
        "audits.csv",
        2,
        "date",
        "no later than today",
    ),
    (
        "audits",
        ["u1,a-missing,2013-08-01,board_qa,,,embedded,"],
        "audits.csv",
        2,
        "action_id",
        "actions",
    ),
    ("boards", ["b1,Fernmoor LSCB,council,,,"], "boards.csv", 2, "kind", "lscb, partnership"),
    ("agencies", ["ag1,Police,army"], "agencies.csv", 2, "sector", "one of health"),
    (
        "agencies",
        ["ag1,Police,police", "ag1,Police again,police"],
        "agencies.csv",
        3,
        "id",
        "a unique id (also on line 2)",
    ),
    (
        "review_themes",
        ["rv1,no_such_theme,"],
        "review_themes.csv",
        2,
        "theme_id",
        "an id defined in themes",
    ),
    (
        "actions",
        ["a1,rc1,ag-missing,Train.,2013-06-01,completed,2013-05-01"],
        "actions.csv",
        2,
        "owner_agency_id",
        "agencies",
    ),
    (
        "actions",
        ["a1,rc1,ag1,Train.,2013-06-01,finished,"],
        "actions.csv",
        2,
        "status",
        "completed",
    ),
    # Malformed CSV.
    ("agencies", ["ag1,Police"], "agencies.csv", 2, None, "3 columns as in the header"),
    ("agencies", ['ag1,"Police,police'], "agencies.csv", 2, None, "a quote is probably not closed"),
    (
        "agencies",
        ["ag1,Police,police", "id,name,sector", "ag2,Health,health"],
        "agencies.csv",
        3,
        None,
        "not a repeated header",
    ),
]


@pytest.mark.parametrize(
    ("edit", "rows", "file", "line", "field", "expected"),
    CASES,
    ids=[f"{c[0]}-{c[5][:24]}" for c in CASES],
)
def test_problem_is_reported(
    tmp_path: Path,
    edit: str,
    rows: list[str],
    file: str,
    line: int | None,
    field: str | None,
    expected: str,
) -> None:
    found = problems(write_corpus(tmp_path / "c", {edit: rows}))
    hits = [
        p
        for p in found
        if p.file == file and p.line == line and p.field == field and expected in p.expected
    ]
    assert hits, f"expected {file}:{line} {field} '{expected}', got: {[str(p) for p in found]}"
    assert not hits[0].warning


def test_audit_before_completion_is_a_warning(tmp_path: Path) -> None:
    found = problems(
        write_corpus(tmp_path / "c", {"audits": ["u1,a1,2013-04-01,board_qa,,,embedded,"]})
    )
    assert [p.warning for p in found] == [True]
    assert "after its action's completion (2013-05-01)" in found[0].expected
    assert str(found[0]).startswith("warning: audits.csv:2: date='2013-04-01'")


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    found = problems(
        write_corpus(
            tmp_path / "c",
            {
                "reviews": ["rv1,b1,T,2099,,scr,,,,,secret,,"],
                "recommendations": ["rc1,rv1,1,Text,,done,", "rc2,rv-x,2,Text,,done,"],
            },
        )
    )
    fields = sorted((p.file, p.line, p.field) for p in found if not p.warning)
    assert ("reviews.csv", 2, "status") in fields
    assert ("reviews.csv", 2, "year") in fields
    assert ("recommendations.csv", 3, "review_id") in fields
    assert ("recommendations.csv", 3, "status") in fields


def test_theme_cycle(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "c")
    (root / "themes.jsonl").write_text(
        '{"id": "t_a", "label": "A", "category": "practice", "kind": "practice", "parent": "t_b"}\n'
        '{"id": "t_b", "label": "B", "category": "practice", "kind": "practice", "parent": "t_a"}\n',
        encoding="utf-8",
    )
    found = problems(root)
    assert any(p.field == "parent" and "without cycles" in p.expected for p in found), found


def test_refs_found_in_the_graph_are_accepted(tmp_path: Path) -> None:
    root = write_corpus(
        tmp_path / "c",
        {"recommendations": ["rc1,rv-old,1,Text,,closed_acceptable_action,"]},
    )

    class Graph:
        def get_nodes(self, label: object, ids: object) -> dict[str, dict[str, object]]:
            return {"rv-old": {"id": "rv-old"}}

    _, sink = parse_corpus(root, Graph())
    assert sink.errors == []


def _bytes_case(data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        root = write_corpus(tmp / "c")
        (root / "agencies.csv").write_bytes(data)
        return root

    return make


GOOD = "id,name,sector\nag1,Police – Fernmoor,police\n"

ENCODINGS: list[tuple[str, bytes, str | None]] = [
    ("utf8", GOOD.encode("utf-8"), None),
    ("utf8-bom", codecs.BOM_UTF8 + GOOD.encode("utf-8"), None),
    ("utf16-le-bom", codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"), None),
    ("utf16-be-bom", codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be"), None),
    ("latin-1", GOOD.replace("–", "é").encode("latin-1"), "at byte 26"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("empty", b"", "this file is empty"),
    ("header-only", b"id,name,sector\n", None),
]


@pytest.mark.parametrize(("name", "data", "expected"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_encodings(tmp_path: Path, name: str, data: bytes, expected: str | None) -> None:
    found = [p for p in problems(_bytes_case(data)(tmp_path)) if p.file == "agencies.csv"]
    if expected is None:
        # A header with no rows is valid but leaves the action's owner unresolved.
        assert all(p.field == "owner_agency_id" for p in problems(_bytes_case(data)(tmp_path))) or (
            not found
        )
        assert not found
    else:
        assert any(expected in p.expected for p in found), [str(p) for p in found]


JSONL: list[tuple[str, str, int, str | None, str]] = [
    (
        "broken",
        '{"id": "ag1", "name": "P", "sector": "police"\n',
        1,
        None,
        "one JSON object per line",
    ),
    ("array", '["ag1", "P", "police"]\n', 1, None, "a JSON object"),
    ("year-as-string", "", 0, None, ""),
    (
        "unknown-column",
        '{"id": "ag1", "name": "P", "sector": "police", "colour": "red"}\n',
        1,
        "colour",
        "only the columns",
    ),
    ("wrong-type", '{"id": "ag1", "name": ["P"], "sector": "police"}\n', 1, "name", "a string"),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "field", "expected"), JSONL, ids=[j[0] for j in JSONL]
)
def test_jsonl(
    tmp_path: Path, name: str, text: str, line: int, field: str | None, expected: str
) -> None:
    root = write_corpus(tmp_path / "c")
    if name == "year-as-string":
        (root / "reviews.csv").unlink()
        (root / "reviews.jsonl").write_text(
            '{"id": "rv1", "board_id": "b1", "title": "T", "year": "2012", '
            '"review_type": "scr", "status": "published"}\n',
            encoding="utf-8",
        )
        found = problems(root)
        assert any(
            p.file == "reviews.jsonl" and p.line == 1 and p.field == "year" for p in found
        ), found
        return
    (root / "agencies.csv").unlink()
    (root / "agencies.jsonl").write_text(text, encoding="utf-8")
    found = [p for p in problems(root) if p.file == "agencies.jsonl"]
    assert any(p.line == line and p.field == field and expected in p.expected for p in found), [
        str(p) for p in found
    ]


FILES: list[tuple[str, str]] = [
    ("reviews.txt", "only .csv or .jsonl corpus files"),
    ("review.csv", "a corpus file named one of"),
]


@pytest.mark.parametrize(("extra", "expected"), FILES)
def test_unknown_files(tmp_path: Path, extra: str, expected: str) -> None:
    root = write_corpus(tmp_path / "c")
    (root / extra).write_text("id\n1\n", encoding="utf-8")
    assert any(p.file == extra and expected in p.expected for p in problems(root))


def test_missing_required_file_and_doubled_file(tmp_path: Path) -> None:
    root = write_corpus(tmp_path / "c")
    (root / "audits.csv").unlink()
    (root / "boards.jsonl").write_text("", encoding="utf-8")
    found = problems(root)
    assert any(p.file == "audits.csv" and "audits.jsonl" in p.expected for p in found)
    assert any("one file per entity" in p.expected for p in found)


def test_problem_text_names_file_line_field_value_and_expectation() -> None:
    p = Problem("reviews.csv", 7, "year", 2099, "a year between 1945 and 2026")
    assert str(p) == "reviews.csv:7: year=2099: expected a year between 1945 and 2026"
