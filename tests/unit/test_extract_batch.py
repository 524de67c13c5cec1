"""extract_to_batch: the writes are valid for the schema, land in a store, and rerun cleanly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_schema import Label, RelType
from graph_store import EmbeddedStore
from graph_store.base import Batch, NodeWrite, check_batch
from loaders.extract import extract_to_batch, load_taxonomy
from scrgraph.errors import InputError

DOCS = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"


def _theme_batch() -> Batch:
    rows = [
        {"id": t.id, "label": t.label, "category": t.category, "kind": t.kind}
        for t in load_taxonomy(1)
    ]
    return Batch(nodes=[NodeWrite(Label.THEME, rows)])


def test_batch_is_schema_valid_and_idempotent(tmp_path: Path) -> None:
    review, batches = extract_to_batch(DOCS / "anyshire_child_w.txt", board=None, year=None)
    assert review.board == "Anyshire Local Safeguarding Children Board" and review.year == 2014
    for b in batches:
        check_batch(b)
    store = EmbeddedStore(tmp_path / "g.sqlite")
    try:
        store.apply_schema()
        store.write(_theme_batch())
        for b in batches:
            store.write(b)
        first = store.counts().as_dict()
        for b in batches:
            store.write(b)
        assert store.counts().as_dict() == first
        nodes, rels = first["nodes"], first["relationships"]
        assert nodes["Review"] == 1 and nodes["Recommendation"] == 5 and nodes["Board"] == 1
        assert rels["MAKES"] == 5 and rels["COMMISSIONED"] == 1
        assert rels["TAGGED"] >= 5 and rels["RAISES"] >= 5 and rels["ADDRESSED_TO"] >= 5
        assert nodes["Sector"] == rels["IN_SECTOR"] or nodes["Sector"] <= nodes["Agency"]
        board = store.get_nodes(Label.BOARD, ["anyshire-local-safeguarding-children-board"])
        assert next(iter(board.values()))["kind"] == "lscb"
        recs = [r for nw in batches[0].nodes if nw.label == Label.RECOMMENDATION for r in nw.rows]
        assert {r["status"] for r in recs} == {"open_awaiting_response"}
        assert recs[0]["location"].startswith("line ")
        tagged = next(rw for rw in batches[0].rels if rw.type == RelType.TAGGED)
        assert all(row["props"]["evidence"] for row in tagged.rows)
    finally:
        store.close()


def test_options_win_and_partnership_kind(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# Review of Child Z\n\n## Recommendations\n\n1. GPs should act.\n")
    review, batches = extract_to_batch(path, board="Westfold Partnership", year=2021)
    rows = {nw.label: nw.rows for nw in batches[0].nodes}
    assert rows[Label.BOARD] == [
        {"id": "westfold-partnership", "name": "Westfold Partnership", "kind": "partnership"}
    ]
    assert rows[Label.REVIEW][0]["board_id"] == "westfold-partnership"
    assert rows[Label.REVIEW][0]["review_type"] == "scr"
    assert rows[Label.AGENCY] == [
        {"id": "general-practice", "name": "General practice", "sector": "health"}
    ]
    assert review.as_json()["recommendations"][0]["agencies"] == [
        {"name": "General practice", "sector": "health"}
    ]
    json.dumps(review.as_json())


def test_missing_board_or_year_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("Recommendations\n\n1. GPs should act.\n")
    with pytest.raises(InputError, match="--board"):
        extract_to_batch(path, board=None, year=2020)
    with pytest.raises(InputError, match="--year"):
        extract_to_batch(path, board="Westfold Partnership", year=None)
