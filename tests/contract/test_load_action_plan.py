"""Action plans (`scrgraph load plan.xlsx --review ID`) load onto a review's recommendations
the same on both backends; a refused plan writes nothing; a reload changes nothing.
The review, the plans and every name in them are invented."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_schema import Label
from graph_store import GraphStore
from loaders import load_corpus
from loaders.action_plan import load_action_plan
from scrgraph.cli import main
from scrgraph.errors import InputError
from tests.unit.test_action_plan import FERNMOOR_ROWS, ashdale_plan, fernmoor_plan

REVIEW_TEXT = (
    "Fernmoor Safeguarding Children Partnership\nPractice review: Child M\nPublished 2023\n\n"
    "## Recommendations\n\n"
    "1. Fernmoor Police and children's social care should audit the records of children "
    "under five.\n"
    "2. Schools should share referrals with the police within one working day.\n"
    "3. Every agency should supervise its practitioners monthly.\n"
)
REVIEW = "review-fernmoor-partnership-2023-child-m"


def _review(store: GraphStore, tmp_path: Path) -> str:
    path = tmp_path / "child-m.md"
    path.write_text(REVIEW_TEXT, encoding="utf-8")
    load_corpus(store, path, board="Fernmoor Partnership", year=2023)
    assert store.get_nodes(Label.REVIEW, [REVIEW])
    return REVIEW


def _actions(store: GraphStore, recs: int = 3) -> dict[str, dict[str, object]]:
    ids = [f"{REVIEW}-r{n}-plan-{k}" for n in range(1, recs + 1) for k in (1, 2, 3)]
    return {
        k: {f: v.get(f) for f in ("status", "due_date", "owner_agency_id", "recommendation_id")}
        for k, v in store.get_nodes(Label.ACTION, ids).items()
    }


def test_two_partnerships_plans_load_as_actions_then_reload_changes_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    review = _review(store, tmp_path)
    before = store.counts()
    report = load_action_plan(store, fernmoor_plan(tmp_path / "fernmoor.xlsx"), review=review)
    r = f"{REVIEW}-r"
    assert _actions(store) == {
        f"{r}1-plan-1": {
            "status": "completed",
            "due_date": "2024-03-31",
            "owner_agency_id": "childrens-social-care",
            "recommendation_id": f"{r}1",
        },
        f"{r}1-plan-2": {
            "status": "in_progress",
            "due_date": "2024-06-30",
            "owner_agency_id": "police",  # the review's own addressee
            "recommendation_id": f"{r}1",
        },
        f"{r}2-plan-1": {
            "status": "not_started",
            "due_date": None,
            "owner_agency_id": "schools",
            "recommendation_id": f"{r}2",
        },
        f"{r}3-plan-1": {
            "status": "in_progress",
            "due_date": "2024-12-31",
            "owner_agency_id": "hospital-trust",
            "recommendation_id": f"{r}3",
        },
    }
    first = store.get_nodes(Label.ACTION, [f"{r}1-plan-1", f"{r}3-plan-1"])
    assert first[f"{r}1-plan-1"]["progress"] == "Audit done; report written; B"
    assert first[f"{r}1-plan-1"]["evidence"] == "Audit report to the board, May 2024"
    assert first[f"{r}3-plan-1"]["progress"] == "amber"  # the RAG cell's fill
    assert "evidence" not in first[f"{r}3-plan-1"]
    after = store.counts()
    assert after.nodes["Action"] - before.nodes["Action"] == 4
    assert after.relationships["RESPONDS_TO"] - before.relationships["RESPONDS_TO"] == 4
    assert after.relationships["OWNED_BY"] - before.relationships["OWNED_BY"] == 4
    assert after.nodes["Recommendation"] == before.nodes["Recommendation"] == 3
    assert report.new_nodes is not None and report.new_nodes["Action"] == 4
    assert any("'Q3 2024' is not a date" in w for w in report.warnings)

    again = load_action_plan(store, tmp_path / "fernmoor.xlsx", review=review)
    assert again.loaded_before and again.run_id == report.run_id
    assert again.new_nodes is not None and sum(again.new_nodes.values()) == 0
    assert again.new_relationships is not None and sum(again.new_relationships.values()) == 0
    assert store.counts() == after

    # A second partnership's layout, as CSV, for the same review: its rows take the same
    # keys (the plan's first action of each recommendation), so they update those actions.
    load_action_plan(store, ashdale_plan(tmp_path / "ashdale.csv"), review=review)
    got = _actions(store)
    assert got[f"{r}1-plan-1"]["status"] == "completed"
    assert got[f"{r}2-plan-1"]["status"] == "in_progress"
    assert got[f"{r}2-plan-1"]["due_date"] == "2024-10-31"
    assert got[f"{r}3-plan-1"]["status"] == "cancelled"
    assert store.counts().nodes["Action"] == after.nodes["Action"]
    # Fernmoor's second action of recommendation 1 is not in Ashdale's plan: kept, and said.
    ashdale = load_action_plan(store, tmp_path / "ashdale.csv", review=review)
    assert ashdale.warnings == [
        f"{tmp_path / 'ashdale.csv'}: 1 action(s) that an earlier plan wrote for review "
        f"{REVIEW}'s recommendations are not in this plan; they are kept as they were: "
        f"{r}1-plan-2"
    ]


def test_a_refused_plan_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    review = _review(store, tmp_path)
    bad = [list(row) for row in FERNMOOR_ROWS]
    bad[2][6] = "Purple"
    path = fernmoor_plan(tmp_path / "bad.xlsx", bad)
    before = store.counts()
    with pytest.raises(InputError) as e:
        load_action_plan(store, path, review=review)
    assert e.value.problems == [
        f"{path}, sheet 'Action plan', row 6, column G 'RAG': 'Purple' is not a RAG rating; "
        "expected red, amber, green or blue (R, A, G, B), or a progress word"
    ]
    assert store.counts() == before
    assert not store.get_nodes(Label.ACTION, [f"{REVIEW}-r1-plan-1"])


def test_an_unknown_review_and_a_review_without_recommendations(
    store: GraphStore, tmp_path: Path
) -> None:
    plan = ashdale_plan(tmp_path / "ashdale.csv")
    with pytest.raises(InputError, match="no review with the id 'review-nowhere'"):
        load_action_plan(store, plan, review="review-nowhere")
    store.ensure_schema()
    store.write_nodes(
        Label.REVIEW,
        [
            {
                "id": "review-empty",
                "title": "An invented review",
                "board_id": "b-x",
                "year": 2022,
                "review_type": "lcspr",
                "status": "published",
            }
        ],
    )
    with pytest.raises(InputError, match="review review-empty has no recommendations"):
        load_action_plan(store, plan, review="review-empty")


def test_the_command_says_a_reload_changed_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command (on the embedded store; the loader runs on both backends above)."""
    db = tmp_path / "cli.sqlite"
    doc = tmp_path / "child-m.md"
    doc.write_text(REVIEW_TEXT, encoding="utf-8")
    common = ["--db", str(db)]
    assert (
        main(["load", str(doc), "--board", "Fernmoor Partnership", "--year", "2023", *common]) == 0
    )
    plan = str(fernmoor_plan(tmp_path / "plan.xlsx"))
    capsys.readouterr()
    assert main(["load", plan, "--review", REVIEW, "--quiet", *common]) == 0
    first = capsys.readouterr()
    assert "7 new nodes, 10 new relationships; " in first.out
    assert main(["load", plan, "--review", REVIEW, "--quiet", *common]) == 0
    assert "nothing changed" in capsys.readouterr().out
    assert main(["load", plan, *common]) == 1
    assert "an action plan needs the review it answers" in capsys.readouterr().err
    csv_plan = str(ashdale_plan(tmp_path / "plan.csv"))
    assert main(["load", csv_plan, *common]) == 1
    assert "load an action plan with --review ID" in capsys.readouterr().err
    assert main(["load", str(doc), "--mapping", "map.json", *common]) == 1
    assert "--mapping applies to an action plan" in capsys.readouterr().err
