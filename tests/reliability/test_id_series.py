"""Ids that would count hidden records (issue 17): every load path refuses them, on both
backends, before writing anything.

A corpus that numbers a restricted review between published ones (`rv-001` public, `rv-002`
restricted, `rv-003` public) would show the gap in the public ids; so would recommendations,
actions or audits numbered in one series across visible and hidden reviews, a document whose
file name continues a published one's numbering, and a PFD report kept as a draft between
published ones. See loaders/id_series.py for the rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from graph_schema import Label
from graph_store import GraphStore
from loaders import load_corpus
from loaders.bulk import ReadOptions, load_folder
from loaders.id_series import IdSeries, Incoming
from loaders.pfd_table import load_pfd_table
from scrgraph.errors import InputError
from tests.api.conftest import make_api
from tests.unit.test_loaders_validate import ROWS, write_corpus
from tests.unit.test_pfd_table import ROWS as PFD_ROWS
from tests.unit.test_pfd_table import write_table

DOC = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"
DOC = DOC / "anyshire_child_w.txt"

REVIEW = (
    "{id},b1,Serious Case Review: Child {c},2012,2011,scr,systems,under_1,male,Child {c},"
    "{status},A summary.,doc.pdf"
)


def _reviews(*pairs: tuple[str, str]) -> list[str]:
    return [REVIEW.format(id=i, c=chr(65 + n), status=s) for n, (i, s) in enumerate(pairs)]


def _rec(rid: str, review: str) -> str:
    return f"{rid},{review},1,Share information.,board,closed_acceptable_action,p. 3"


def _corpus(path: Path, **edits: list[str]) -> Path:
    """The small valid corpus of the unit tests with these files' rows (others empty)."""
    empty: dict[str, list[str]] = {"review_themes": [], "actions": [], "audits": []}
    return write_corpus(path, {**empty, **edits})


def _ids(store: GraphStore, label: Label) -> list[str]:
    return sorted(IdSeries.of_store(store).graph[label])


# -- the rule, pure ----------------------------------------------------------------------------


def _r(key: str, status: str) -> Incoming:
    return Incoming(Label.REVIEW, key, status, "reviews.csv", 2)


@pytest.mark.parametrize(
    ("reviews", "refused"),
    [
        # a hidden number between visible ones, or below them, is a gap
        ([("rv-001", "published"), ("rv-002", "restricted"), ("rv-003", "published")], ["rv-002"]),
        ([("rv-1", "draft"), ("rv-2", "published")], ["rv-1"]),
        ([("rv-001", "published"), ("rv-002", "withdrawn"), ("rv-003", "published")], ["rv-002"]),
        # above every visible one there is nothing to count yet
        ([("rv-001", "published"), ("rv-002", "published"), ("rv-003", "restricted")], []),
        # a series of their own, or no number at all
        ([("rv-001", "published"), ("rv-x001", "restricted"), ("rv-002", "published")], []),
        ([("rv-001", "published"), ("child-w", "restricted"), ("rv-002", "published")], []),
        # the same number in another place of a visible id is no gap (a year, say)
        ([("pfd-2031-0001", "published"), ("pfd-2031-0002", "published")], []),
        ([("pfd-2031-0001", "published"), ("pfd-2032-0001", "draft")], []),
        ([("pfd-2031-0002", "published"), ("pfd-2031-0001", "draft")], ["pfd-2031-0001"]),
        # numbers compare as numbers, whatever their width
        ([("rv-9", "published"), ("rv-10", "restricted"), ("rv-011", "published")], ["rv-10"]),
    ],
)
def test_the_rule(reviews: list[tuple[str, str]], refused: list[str]) -> None:
    problems = IdSeries(_empty()).check([_r(k, s) for k, s in reviews])
    assert [p.value for p in problems] == refused
    assert all(p.file == "reviews.csv" and p.field == "id" for p in problems)


def _empty() -> dict[Label, dict[str, tuple[str | None, ...]]]:
    return {lb: {} for lb in (Label.REVIEW, Label.RECOMMENDATION, Label.ACTION, Label.AUDIT)}


def test_children_are_hidden_with_their_review() -> None:
    g = _empty()
    g[Label.REVIEW] = {"rv-a": ("published",), "rv-b": ("restricted",)}

    def rec(key: str, review: str, line: int) -> Incoming:
        return Incoming(Label.RECOMMENDATION, key, review, "recommendations.csv", line)

    def act(key: str, rec: str, line: int) -> Incoming:
        return Incoming(Label.ACTION, key, rec, "actions.csv", line)

    # the action of a hidden recommendation is hidden; its number is a gap
    recs = [rec("rec-a", "rv-a", 2), rec("rec-b", "rv-b", 3), rec("rec-c", "rv-a", 4)]
    acts = [act("act-7", "rec-a", 2), act("act-8", "rec-b", 3), act("act-9", "rec-c", 4)]
    problems = IdSeries(g).check(recs + acts)
    assert [(p.file, p.line, p.value) for p in problems] == [("actions.csv", 3, "act-8")]
    # a recommendation numbered in the series is refused, and what hangs off it is not listed
    recs = [rec("rec-1", "rv-a", 2), rec("rec-2", "rv-b", 3), rec("rec-3", "rv-a", 4)]
    acts = [act("act-7", "rec-1", 2), act("act-8", "rec-2", 3), act("act-9", "rec-3", 4)]
    problems = IdSeries(g).check(recs + acts)
    assert [(p.file, p.line, p.value) for p in problems] == [("recommendations.csv", 3, "rec-2")]


# -- every load path, both backends ------------------------------------------------------------


def test_a_corpus_numbering_a_restricted_review_between_published_ones_is_refused(
    store: GraphStore, tmp_path: Path
) -> None:
    path = _corpus(
        tmp_path / "c",
        reviews=_reviews(
            ("rv-001", "published"), ("rv-002", "restricted"), ("rv-003", "published")
        ),
        recommendations=[_rec("rc1", "rv-001")],
    )
    with pytest.raises(InputError) as e:
        load_corpus(store, path)
    problems = e.value.problems
    assert len(problems) == 1, problems
    assert problems[0].startswith("reviews.csv:3: id='rv-002': expected an id that does not share")
    assert "rv-x001" in problems[0] and "'rv-003'" in problems[0]
    assert _ids(store, Label.REVIEW) == []  # nothing written


def test_recommendations_numbered_across_visible_and_hidden_reviews_are_refused(
    store: GraphStore, tmp_path: Path
) -> None:
    path = _corpus(
        tmp_path / "c",
        reviews=_reviews(("rv-001", "published"), ("rv-x001", "restricted")),
        recommendations=[
            _rec("rec-0001", "rv-001"),
            _rec("rec-0002", "rv-x001"),
            _rec("rec-0003", "rv-001"),
        ],
        actions=[ROWS["actions"][0].replace("rc1", "rec-0001")],
    )
    with pytest.raises(InputError) as e:
        load_corpus(store, path)
    assert [p.split(": expected")[0] for p in e.value.problems] == [
        "recommendations.csv:3: id='rec-0002'"
    ]
    assert _ids(store, Label.RECOMMENDATION) == []


def test_a_separate_series_loads_and_a_later_published_id_past_a_hidden_one_is_refused(
    store: GraphStore, tmp_path: Path
) -> None:
    first = _corpus(
        tmp_path / "a",
        reviews=_reviews(("rv-001", "published"), ("rv-002", "restricted")),
        recommendations=[_rec("rc1", "rv-001"), _rec("rc2", "rv-002")],
    )
    load_corpus(store, first)  # the hidden one is past the visible end: nothing to count
    assert _ids(store, Label.REVIEW) == ["rv-001", "rv-002"]
    later = _corpus(
        tmp_path / "b",
        reviews=_reviews(("rv-003", "published")),
        recommendations=[_rec("rc3", "rv-003")],
    )
    with pytest.raises(InputError) as e:
        load_corpus(store, later)
    # rc3 is numbered past the hidden rc2 as well
    assert [p.split(": expected")[0] for p in e.value.problems] == [
        "recommendations.csv:2: id='rc3'",
        "reviews.csv:2: id='rv-003'",
    ]
    assert "past the hidden 'rv-002'" in e.value.problems[1]
    assert _ids(store, Label.REVIEW) == ["rv-001", "rv-002"]


def _doc(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(DOC, folder / name))


def test_a_draft_document_continuing_a_published_ones_numbering_is_refused(
    store: GraphStore, tmp_path: Path
) -> None:
    load_corpus(store, _doc(tmp_path / "pub", "scr-3.txt"), status="published")
    before = _ids(store, Label.REVIEW)
    with pytest.raises(InputError) as e:
        load_corpus(store, _doc(tmp_path / "draft", "scr-2.txt"))
    assert len(e.value.problems) == 1
    assert e.value.problems[0].startswith("scr-2.txt:1: id='review-")
    assert "rename the file" in e.value.problems[0]
    assert _ids(store, Label.REVIEW) == before and len(before) == 1
    # a folder of drafts: the same document is refused and listed, the other written
    folder = tmp_path / "folder"
    _doc(folder, "scr-1.txt")
    _doc(folder, "child-w-draft.txt")
    report = load_folder(store, folder, options=ReadOptions(status="draft"), jobs=1)
    outcome = {d.name: d.outcome for d in report.documents}
    assert outcome == {"child-w-draft.txt": "written", "scr-1.txt": "refused"}
    reason = {d.name: d.reason for d in report.documents}["scr-1.txt"]
    assert "not written: scr-1.txt:1: id='review-" in str(reason), reason
    assert len(_ids(store, Label.REVIEW)) == 2


def test_a_draft_pfd_report_between_published_ones_is_refused(
    store: GraphStore, tmp_path: Path
) -> None:
    published = [PFD_ROWS[0], {**PFD_ROWS[1], "id": "2031-0003"}]
    load_pfd_table(store, write_table(tmp_path, published, "published.csv"))
    with pytest.raises(InputError) as e:
        load_pfd_table(store, write_table(tmp_path, [PFD_ROWS[1]], "draft.csv"), status="draft")
    assert [p.split(": expected")[0] for p in e.value.problems] == [
        "draft.csv:2: id='pfd-2031-0002'"
    ]
    assert _ids(store, Label.REVIEW) == ["pfd-2031-0001", "pfd-2031-0003"]
    # the next year's drafts start no gap
    load_pfd_table(store, write_table(tmp_path, [PFD_ROWS[2]], "next.csv"), status="draft")
    assert _ids(store, Label.REVIEW) == ["pfd-2031-0001", "pfd-2031-0003", "pfd-2032-0003"]


def test_the_demo_corpus_numbers_hidden_reviews_apart(demo_store: GraphStore) -> None:
    """The generator's corpora load: hidden reviews have a series of their own."""
    series = IdSeries.of_store(demo_store)
    reviews = series.graph[Label.REVIEW]
    assert any(s != ("published",) for s in reviews.values())
    assert len(series.graph[Label.AUDIT]) > 100
    # and checking the whole graph again as if it were loaded anew finds nothing
    again = [Incoming(Label.REVIEW, k, s[0], "reviews.csv", None) for k, s in reviews.items()]
    assert series.check(again) == []


def test_a_granted_inspector_cannot_number_a_hidden_action_between_public_ones(
    store: GraphStore, tmp_path: Path
) -> None:
    """Mutations too: a key that sees every review may choose action and audit keys (or get
    `act-` + changeId), and a hidden one numbered between public ones is refused."""
    load_corpus(
        store,
        _corpus(
            tmp_path / "c",
            reviews=_reviews(("rv-a", "published"), ("rv-b", "restricted")),
            recommendations=[_rec("rc-a", "rv-a"), _rec("rc-b", "rv-b")],
            actions=[
                f"act-{n},rc-a,ag1,Train staff.,2013-06-01,completed,2013-05-01" for n in (1, 3)
            ],
        ),
    )
    api = next(make_api(store, tmp_path))
    q = "mutation($i: RecordActionInput!) { recordAction(input: $i) { action { key } } }"

    def record(change: str, rec: str, action_id: str | None) -> dict[str, Any]:
        i = {"changeId": change, "recommendation": rec, "description": "d"}
        if action_id:
            i["actionId"] = action_id
        return api.gql(q, {"i": i}, role="inspector", expect_errors=True)

    for body in (record("m-1", "rc-b", "act-2"), record("2", "rc-b", None)):
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
        assert body["errors"][0]["message"].startswith(
            "actionId 'act-2': expected an id that does not share a numbered series"
        ), body
    assert _ids(store, Label.ACTION) == ["act-1", "act-3"]
    # in a series of its own, or past the public ones, it is written
    assert record("m-3", "rc-b", "act-x1")["data"]["recordAction"]["action"]["key"] == "act-x1"
    assert record("m-4", "rc-b", "act-4")["data"]["recordAction"]["action"]["key"] == "act-4"
    # and then a public action numbered past the hidden one is refused
    body = record("m-5", "rc-a", "act-5")
    assert "past the hidden 'act-4'" in body["errors"][0]["message"], body
