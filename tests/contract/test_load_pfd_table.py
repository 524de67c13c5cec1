"""`load --format pfd` on both backends: reports, coroner areas, concerns and their receivers;
responses owed 56 days on; bad tables refused with nothing written. All text is invented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import queries
from graph_schema import Label
from graph_store import GraphStore
from loaders.pfd_table import load_pfd_table
from queries import Viewer
from scrgraph.errors import InputError
from tests.unit.test_pfd_table import ROWS, write_table

ROOT = Path(__file__).resolve().parents[2]
INSPECTOR = Viewer(role="inspector", restricted=True, name="inspector-1")


def test_reports_load_as_pfd_reviews(store: GraphStore, tmp_path: Path) -> None:
    report = load_pfd_table(store, write_table(tmp_path))
    assert report.counts == {"pfd.csv": 3, "taxonomy": 96}  # taxonomy v2, as documents
    assert report.nodes["Review"] == 3 and report.nodes["Board"] == 2
    assert report.nodes["Recommendation"] == 6 and report.nodes["Agency"] == 3
    reviews = store.get_nodes(Label.REVIEW, ["pfd-2031-0001", "pfd-2031-0002", "pfd-2032-0003"])
    first = reviews["pfd-2031-0001"]
    assert {k: first[k] for k in ("review_type", "reference", "url", "report_date", "coroner")} == {
        "review_type": "pfd",
        "reference": "2031-0001",
        "url": "https://example.org/pfd/2031-0001",
        "report_date": "2031-03-04",
        "coroner": "A. Example",
    }
    assert (first["board_id"], first["year"], first["status"]) == (
        "coroner-area-fenshire",
        2031,
        "published",
    )
    assert "url" not in reviews["pfd-2032-0003"] or reviews["pfd-2032-0003"]["url"] is None
    boards = store.get_nodes(Label.BOARD, ["coroner-area-fenshire", "coroner-area-north-wendshire"])
    assert sorted((b["name"], b["kind"]) for b in boards.values()) == [
        ("Fenshire coroner area", "coroner_area"),
        ("North Wendshire coroner area", "coroner_area"),
    ]
    recs = store.get_nodes(
        Label.RECOMMENDATION,
        ["pfd-2031-0001-c1", "pfd-2031-0001-c2", "pfd-2031-0002-c2", "pfd-2032-0003-ca"],
    )
    assert {k: (r["number"], r["status"], r["response_due"]) for k, r in recs.items()} == {
        "pfd-2031-0001-c1": ("1", "open_awaiting_response", "2031-04-29"),
        "pfd-2031-0001-c2": ("2", "open_awaiting_response", "2031-04-29"),
        "pfd-2031-0002-c2": ("2", "open_awaiting_response", "2031-07-15"),
        "pfd-2032-0003-ca": ("a", "open_awaiting_response", "2032-03-06"),
    }
    agencies = store.get_nodes(
        Label.AGENCY,
        [
            "agency-northmoor-nhs-trust",
            "agency-fenshire-police",
            "agency-secretary-of-state-for-health-and-social-care",
        ],
    )
    assert sorted((a["name"], a["sector"]) for a in agencies.values()) == [
        ("Fenshire Police", "police"),
        ("Northmoor NHS Trust", "health"),
        ("Secretary of State for Health and Social Care", "central_government"),
    ]
    c = store.counts()
    # 2 concerns x 2 receivers + 2 concerns x 1 receiver; the third report names none.
    assert c.relationships["ADDRESSED_TO"] == 6
    assert c.relationships["COMMISSIONED"] == 3 and c.relationships["MAKES"] == 6
    assert c.relationships["FROM_SOURCE"] == 3
    again = load_pfd_table(store, write_table(tmp_path))
    assert again.loaded_before and again.new_nodes is not None
    assert sum(again.new_nodes.values()) == 0 and sum((again.new_relationships or {}).values()) == 0


def test_queries_answer_on_pfd_reports(store: GraphStore, tmp_path: Path) -> None:
    load_pfd_table(store, write_table(tmp_path))
    rec = queries.run(store, "theme_recurrence", {"theme": "information_sharing"})
    assert (rec["reviews"], rec["recommendations"], rec["boards"]) == (2, 2, 1)
    assert [(b["board_id"], b["reviews"]) for b in rec["by_board"]] == [
        ("coroner-area-fenshire", 2)
    ]
    assert [(y["year"], y["reviews"]) for y in rec["by_year"]] == [(2031, 2)]
    pfd = queries.run(store, "theme_recurrence", {"theme": "information_sharing", "kind": "pfd"})
    assert (pfd["reviews"], pfd["recommendations"]) == (2, 2)
    scr = queries.run(store, "theme_recurrence", {"theme": "information_sharing", "kind": "scr"})
    assert (scr["reviews"], scr["recommendations"], scr["by_board"]) == (0, 0, [])
    trace = queries.run(store, "trace_recommendation", {"id": "pfd-2031-0001-c1"})
    assert trace["review"]["id"] == "pfd-2031-0001"
    assert sorted(a["id"] for a in trace["agencies"]) == [
        "agency-fenshire-police",
        "agency-northmoor-nhs-trust",
    ]
    out = queries.run(store, "outstanding_actions", {"as_of": "2031-06-01"})
    assert (out["responses_awaited"], out["responses_overdue"]) == (6, 2)
    assert [(r["id"], r["days_overdue"]) for r in out["responses"][:3]] == [
        ("pfd-2031-0001-c1", 33),
        ("pfd-2031-0001-c2", 33),
        ("pfd-2031-0002-c1", 0),
    ]
    assert out["responses"][0]["agencies"] == [
        "agency-fenshire-police",
        "agency-northmoor-nhs-trust",
    ]
    by_agency = queries.run(
        store, "outstanding_actions", {"as_of": "2031-06-01", "agency": "agency-fenshire-police"}
    )
    assert [r["id"] for r in by_agency["responses"]] == ["pfd-2031-0001-c1", "pfd-2031-0001-c2"]
    area = queries.run(
        store,
        "outstanding_actions",
        {"as_of": "2031-06-01", "board": "coroner-area-north-wendshire", "kind": "pfd"},
    )
    assert [r["id"] for r in area["responses"]] == ["pfd-2032-0003-ca", "pfd-2032-0003-cb"]
    other = queries.run(store, "outstanding_actions", {"as_of": "2031-06-01", "kind": "scr"})
    assert (other["responses_awaited"], other["open"]) == (0, 0)


def test_hidden_reports_are_not_counted(store: GraphStore, tmp_path: Path) -> None:
    load_pfd_table(store, write_table(tmp_path), status="draft")
    out = queries.run(store, "outstanding_actions", {"as_of": "2031-06-01"})
    assert out["responses_awaited"] == 0 and out["responses"] == []
    seen = queries.run(store, "outstanding_actions", {"as_of": "2031-06-01"}, INSPECTOR)
    assert seen["responses_awaited"] == 6


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"date": "04.03.31"},
            "row 3, column 'date': '04.03.31' is not a date (YYYY-MM-DD expected)",
        ),
        ({"concerns": ""}, "row 3, column 'concerns': empty; every report needs its concerns"),
        ({"area": ""}, "row 3, column 'area': empty; every report needs its area"),
    ],
)
def test_a_bad_row_writes_nothing(
    store: GraphStore, tmp_path: Path, change: dict[str, str], problem: str
) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1].update(change)
    path = write_table(tmp_path, rows)
    with pytest.raises(InputError) as e:
        load_pfd_table(store, path)
    assert e.value.problems == [f"{path}: {problem}"]
    assert store.is_empty()


def test_cli_refuses_a_wrong_file_and_loads_a_table(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    notes = tmp_path / "notes.txt"
    notes.write_text("Not a table of reports.", encoding="utf-8")
    cmd = [sys.executable, "-m", "scrgraph.cli", "load", "--db", str(db), "-q", "--format", "pfd"]
    bad = subprocess.run([*cmd, str(notes)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert f"{notes}: not a .csv file (.txt)" in bad.stderr
    flag = subprocess.run(
        [*cmd, "--board", "x", str(write_table(tmp_path))], capture_output=True, text=True, cwd=ROOT
    )
    assert flag.returncode == 1 and "--board does not apply to --format pfd" in flag.stderr
    ok = subprocess.run(
        [*cmd, str(write_table(tmp_path))], capture_output=True, text=True, cwd=ROOT
    )
    assert ok.returncode == 0, ok.stderr
    assert "  pfd.csv                               3" in ok.stdout
    assert "row 4, column 'receiver': empty" in ok.stderr
    assert "the 3 reviews are published" in ok.stdout  # a table loads many reviews, not one
