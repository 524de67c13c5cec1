"""Issue 17 on both backends: a coroner area or agency that only a draft PFD table names is
hidden from viewers without the restricted grant, with its load run, until a published load
names it. All text is invented (tests/unit/test_pfd_table.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import queries
from graph_store import GraphStore
from loaders.pfd_table import load_pfd_table
from queries import PUBLIC, Viewer
from tests.unit.test_pfd_table import ROWS as PFD_ROWS
from tests.unit.test_pfd_table import write_table

ANALYST = Viewer(role="analyst", name="analyst-open")
GRANTED = Viewer(role="analyst", restricted=True, name="analyst-restricted")


def _seen(store: GraphStore, viewer: Viewer) -> dict[str, Any]:
    def listed(label: str) -> list[str]:
        got = queries.run(store, "entities.list", {"label": label, "limit": 100}, viewer)
        assert got["total"] == len(got["items"])
        return sorted(x["id"] for x in got["items"])

    return {
        "boards": listed("Board"),
        "agencies": len(listed("Agency")),
        "board_keys": sorted(queries.run(store, "entities.keys", {"label": "Board"}, viewer)),
        "get": sorted(
            queries.run(
                store, "entities.get", {"label": "Board", "ids": ["coroner-area-fenshire"]}, viewer
            )
        ),
        "health_agencies": len(
            queries.run(store, "agency_load", {"sector": "health"}, viewer)["agencies"]
        ),
        "load_runs": queries.run(store, "corpus_info", {}, viewer)["load_runs"],
    }


AREAS = ["coroner-area-fenshire", "coroner-area-north-wendshire"]
NOTHING = {
    "boards": [],
    "agencies": 0,
    "board_keys": [],
    "get": [],
    "health_agencies": 0,
    "load_runs": 0,
}


def test_a_draft_tables_areas_and_receivers_are_hidden_until_published(
    store: GraphStore, tmp_path: Path
) -> None:
    load_pfd_table(store, write_table(tmp_path), status="draft")
    everything = {
        "boards": AREAS,
        "agencies": 3,
        "board_keys": AREAS,
        "get": ["coroner-area-fenshire"],
        "health_agencies": 1,
        "load_runs": 1,
    }
    assert _seen(store, GRANTED) == everything
    assert _seen(store, PUBLIC) == NOTHING
    assert _seen(store, ANALYST) == NOTHING
    load_pfd_table(store, write_table(tmp_path), status="published")
    # the published load names them: every viewer sees them. The published run last wrote
    # the reviews, so a viewer without the grant is told of it alone; the draft run that read
    # the same file before counts for the grant only.
    for viewer in (PUBLIC, ANALYST):
        assert _seen(store, viewer) == {**everything, "load_runs": 1}
    assert _seen(store, GRANTED) == {**everything, "load_runs": 2}


def test_a_hidden_load_of_a_same_named_file_is_not_counted(
    store: GraphStore, tmp_path: Path
) -> None:
    """A draft load of another table under the published table's file name reads a Source of
    the same name; it still counts only for viewers who may see its reviews."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    load_pfd_table(store, write_table(tmp_path / "a"), status="published")
    other = [
        {**r, "id": r["id"].replace("-0", "-9"), "url": r["url"].replace("-0", "-9")}
        for r in PFD_ROWS
    ]
    load_pfd_table(store, write_table(tmp_path / "b", other), status="draft")
    for viewer in (PUBLIC, ANALYST):
        assert queries.run(store, "corpus_info", {}, viewer)["load_runs"] == 1
    assert queries.run(store, "corpus_info", {}, GRANTED)["load_runs"] == 2


def test_an_action_plans_owners_follow_the_review_the_plan_is_for(
    store: GraphStore, tmp_path: Path
) -> None:
    """An agency that only owns actions of an action plan is hidden with the plan's review:
    loaded onto a draft review, the plan's owners are not listed for viewers without the
    grant; once the review is published they are (they own actions of a visible
    recommendation)."""
    from loaders import load_corpus
    from loaders.action_plan import load_action_plan
    from tests.contract.test_load_action_plan import REVIEW, REVIEW_TEXT
    from tests.unit.test_action_plan import fernmoor_plan

    doc = tmp_path / "child-m.md"
    doc.write_text(REVIEW_TEXT, encoding="utf-8")

    def agencies(viewer: Viewer) -> list[str]:
        got = queries.run(store, "entities.list", {"label": "Agency", "limit": 100}, viewer)
        assert got["total"] == len(got["items"])
        return sorted(x["id"] for x in got["items"])

    load_corpus(store, doc, board="Fernmoor Partnership", year=2023)  # a draft
    load_action_plan(store, fernmoor_plan(tmp_path / "plan.xlsx"), review=REVIEW)
    owners = {
        a["owner_agency_id"]
        for a in queries.run(store, "trace_recommendation", {"id": f"{REVIEW}-r3"}, GRANTED)[
            "actions"
        ]
    }
    assert "hospital-trust" in owners  # owns an action only: the review does not name it
    assert "hospital-trust" in agencies(GRANTED)
    granted = queries.run(store, "agency_load", {"sector": "health"}, GRANTED)["agencies"]
    assert "hospital-trust" in [a["id"] for a in granted]
    for viewer in (PUBLIC, ANALYST):
        assert agencies(viewer) == []
        health = queries.run(store, "agency_load", {"sector": "health"}, viewer)["agencies"]
        assert health == []
    load_corpus(store, doc, board="Fernmoor Partnership", year=2023, status="published")
    for viewer in (PUBLIC, ANALYST):
        assert "hospital-trust" in agencies(viewer)
        assert agencies(viewer) == agencies(GRANTED)
