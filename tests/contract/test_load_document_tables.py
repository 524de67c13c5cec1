"""A document's action-plan table loads as Actions of its recommendations, and a PFD
report with no board loads under its coroner area, the same on both backends.
All text is invented."""

from __future__ import annotations

from pathlib import Path

from graph_schema import Label
from graph_store import GraphStore
from loaders import load_corpus
from tests.unit.test_extract_pfd_board import REPORT
from tests.unit.test_extract_tables import ACTION_PLAN


def test_action_plan_rows_load_as_actions(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(ACTION_PLAN, encoding="utf-8")
    first = load_corpus(store, path)
    counts = store.counts()
    assert counts.nodes["Recommendation"] == 2 and counts.nodes["Action"] == 3
    assert counts.relationships["RESPONDS_TO"] == 3 and counts.relationships["OWNED_BY"] == 3
    assert first.nodes["Action"] == 3
    # The row naming recommendation 7, which the review does not make, is reported.
    assert len(first.warnings) == 1 and "recommendation 7" in first.warnings[0]
    again = load_corpus(store, path)
    assert again.loaded_before and again.new_nodes is not None
    assert sum(again.new_nodes.values()) == 0
    assert store.counts().nodes["Action"] == 3


def test_pfd_report_loads_under_its_coroner_area(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    load_corpus(store, path)
    boards = store.get_nodes(Label.BOARD, ["coroner-area-north-wendshire"])
    assert [b["kind"] for b in boards.values()] == ["coroner_area"]
    assert store.counts().relationships["COMMISSIONED"] == 1
    assert store.counts().nodes["Recommendation"] == 2
