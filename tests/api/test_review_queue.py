"""The review queue through GraphQL: what the reader was unsure of, listed and decided by
analysts and inspectors, each decision recorded, and kept when the document is loaded again.
Both backends; the document is synthetic (an invented board and child)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import queries
from graph_schema import Label
from graph_store import GraphStore
from loaders.load import load_corpus
from tests.api.conftest import Api, make_api
from tests.contract.test_aggregates_kept import assert_kept

DOC = """Serious Case Review: Child Q (synthetic, invented for tests)

Recommendations

1. Quillby Police should share records of every domestic abuse call with children's social care within one working day.
2. Supervision.
3. The board must audit how health visitors record the voice of the child, and report the findings within six months.
"""
R1_TEXT = (
    "Quillby Police should share records of every domestic abuse call with children's social "
    "care within one working day."
)
REVIEW = "review-quillby-lscb-2016-child-q"
R1, R2, R3 = (f"{REVIEW}-r{n}" for n in (1, 2, 3))

QUEUE = """query($review: String) { reviewQueue(review: $review) { threshold totalItems
  totalDocuments items { recommendation { key number text } reviewKey confidence reasons }
  documents { review { key title } confidence reasons queuedItems } } }"""
CHANGE = "change { id kind target actor before after }"
CONFIRM = f"""mutation($i: ConfirmItemInput!) {{ confirmItem(input: $i) {{
  recommendation {{ key }} state {CHANGE} replayed }} }}"""
CORRECT = f"""mutation($i: CorrectItemInput!) {{ correctItem(input: $i) {{
  recommendation {{ key number text reviewState confidence confidenceReasons
    themes {{ key }} }}
  state {CHANGE} replayed }} }}"""
MERGE = f"""mutation($i: MergeItemsInput!) {{ mergeItems(input: $i) {{
  recommendation {{ key text location agencies {{ key }} }}
  state {CHANGE} replayed }} }}"""
REMOVE = f"""mutation($i: RemoveItemInput!) {{ removeItem(input: $i) {{
  recommendation {{ key }} state {CHANGE} replayed }} }}"""
CONFIRM_DOC = f"""mutation($i: ConfirmDocumentInput!) {{ confirmDocument(input: $i) {{
  review {{ key }} state {CHANGE} replayed }} }}"""


def _load(store: GraphStore, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / "child_q.txt"
    path.write_text(DOC, encoding="utf-8")
    load_corpus(store, path, board="Quillby LSCB", year=2016)  # a draft


@pytest.fixture
def queue_api(store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    _load(store, tmp_path / "doc")
    yield from make_api(store, tmp_path)


def _error(body: dict[str, Any]) -> tuple[str, str]:
    (e,) = body["errors"]
    return e["extensions"]["code"], e["message"]


def test_the_queue_lists_what_the_reader_was_unsure_of(queue_api: Api) -> None:
    q = queue_api.gql(QUEUE, role="restricted")["data"]["reviewQueue"]
    assert q == {
        "threshold": 0.7,
        "totalItems": 1,
        "totalDocuments": 1,
        "items": [
            {
                "recommendation": {"key": R2, "number": "2", "text": "Supervision."},
                "reviewKey": REVIEW,
                "confidence": 0.5,
                "reasons": [
                    "layout: a numbered item ('1.', '1)') (0.85)",
                    "under the heading 'Recommendations'",
                    "short: 1 word (-0.25)",
                    "asks nothing of anyone: no 'should', 'must', 'ensure' ... (-0.10)",
                ],
            }
        ],
        "documents": [
            {
                "review": {
                    "key": REVIEW,
                    "title": "Serious Case Review: Child Q (synthetic, invented for tests)",
                },
                "confidence": 0.5,
                "reasons": ["weakest of 3 items: 0.50", "1 of 3 items below 0.70"],
                "queuedItems": 1,
            }
        ],
    }
    assert queue_api.gql(QUEUE, {"review": REVIEW}, role="inspector")["data"] == {"reviewQueue": q}


def test_roles_and_visibility(queue_api: Api) -> None:
    # No key (public): neither the queue nor a decision.
    for query, variables in (
        (QUEUE, {}),
        (CONFIRM, {"i": {"changeId": "c-1", "item": R2}}),
    ):
        body = queue_api.gql(query, variables, expect_errors=True)
        code, message = _error(body)
        assert code == "FORBIDDEN" and "analyst, inspector or admin" in message
    # An analyst without the restricted grant may not see the draft: an empty queue, and
    # the draft's item is refused exactly as an item that does not exist.
    q = queue_api.gql(QUEUE, role="analyst")["data"]["reviewQueue"]
    assert (q["totalItems"], q["totalDocuments"], q["items"], q["documents"]) == (0, 0, [], [])
    hidden = queue_api.gql(
        CONFIRM, {"i": {"changeId": "c-1", "item": R2}}, role="analyst", expect_errors=True
    )
    absent = queue_api.gql(
        CONFIRM, {"i": {"changeId": "c-1", "item": "nope-r9"}}, role="analyst", expect_errors=True
    )
    assert _error(hidden) == ("BAD_USER_INPUT", f"item {R2!r} does not exist")
    assert _error(absent) == ("BAD_USER_INPUT", "item 'nope-r9' does not exist")
    hidden_q = queue_api.gql(QUEUE, {"review": REVIEW}, role="analyst", expect_errors=True)
    absent_q = queue_api.gql(QUEUE, {"review": "nope"}, role="analyst", expect_errors=True)
    assert _error(hidden_q) == ("BAD_USER_INPUT", f"review {REVIEW!r} does not exist")
    assert _error(absent_q) == ("BAD_USER_INPUT", "review 'nope' does not exist")


def test_each_decision_is_a_recorded_change(queue_api: Api) -> None:
    i = {
        "changeId": "fix-1",
        "item": R2,
        "text": "Supervisors should review every open case.",
        "themes": ["supervision", "record_keeping"],
    }
    out = queue_api.gql(CORRECT, {"i": i}, role="restricted")["data"]["correctItem"]
    assert out["state"] == "corrected" and out["replayed"] is False
    assert out["recommendation"]["text"] == "Supervisors should review every open case."
    rec = out["recommendation"]
    assert (rec["reviewState"], rec["confidence"], rec["confidenceReasons"][2]) == (
        "corrected",
        0.5,
        "short: 1 word (-0.25)",
    )
    themes = [t["key"] for t in out["recommendation"]["themes"]]
    assert themes == ["record_keeping", "supervision"]
    change = out["change"]
    assert (change["id"], change["kind"], change["target"], change["actor"]) == (
        "fix-1",
        "correctItem",
        R2,
        "analyst-restricted",
    )
    assert json.loads(change["before"]) == {
        "review_state": "queued",
        "text": "Supervision.",
        "themes": ["supervision"],
    }
    assert json.loads(change["after"]) == {
        "review_state": "corrected",
        "text": "Supervisors should review every open case.",
        "themes": ["record_keeping", "supervision"],
    }
    # The same changeId again: replayed, nothing new; with other input: refused.
    again = queue_api.gql(CORRECT, {"i": i}, role="restricted")["data"]["correctItem"]
    assert again["replayed"] is True and again["change"] == change
    body = queue_api.gql(
        CORRECT, {"i": {**i, "text": "Other."}}, role="restricted", expect_errors=True
    )
    assert _error(body)[0] == "CHANGE_CONFLICT"
    stored = queue_api.store.get_nodes(Label.CHANGE, ["analyst-restricted:fix-1"])
    assert stored["analyst-restricted:fix-1"]["before"] == change["before"]
    # The corrected item has left the queue; the document stays until confirmed.
    q = queue_api.gql(QUEUE, role="restricted")["data"]["reviewQueue"]
    assert (q["totalItems"], q["totalDocuments"]) == (0, 1)
    doc = queue_api.gql(CONFIRM_DOC, {"i": {"changeId": "d-1", "review": REVIEW}}, role="inspector")
    assert doc["data"]["confirmDocument"]["state"] == "confirmed"
    q = queue_api.gql(QUEUE, role="restricted")["data"]["reviewQueue"]
    assert (q["totalItems"], q["totalDocuments"]) == (0, 0)


def test_bad_decisions_are_refused(queue_api: Api) -> None:
    cases = [
        (
            CORRECT,
            {"changeId": "b-1", "item": R2},
            "give at least one of text, number, addressees or themes",
        ),
        (
            CORRECT,
            {"changeId": "b-2", "item": R2, "themes": ["no_such_theme"]},
            "themes: theme 'no_such_theme' does not exist",
        ),
        (
            CORRECT,
            {"changeId": "b-3", "item": R2, "number": ""},
            "number '': expected 1 to 20 characters",
        ),
        (
            MERGE,
            {"changeId": "b-4", "keep": R1, "merge": R1},
            "keep and merge name the same item; name two",
        ),
    ]
    for query, i, message in cases:
        body = queue_api.gql(query, {"i": i}, role="inspector", expect_errors=True)
        assert _error(body) == ("BAD_USER_INPUT", message)


# Recommendations per theme in the tallies: as loaded (R1 and R3 both record keeping), after
# R3 is merged into R1 (its themes now R1's: record keeping counted once), after R2 is removed.
TALLIES_LOADED = {
    "audit_impact_embedding": 1,
    "domestic_abuse": 1,
    "record_keeping": 2,
    "supervision": 1,
    "voice_of_child": 1,
}
TALLIES_MERGED = {**TALLIES_LOADED, "record_keeping": 1}
TALLIES_REMOVED = {k: v for k, v in TALLIES_MERGED.items() if k != "supervision"}
LISTED = """{ recommendations(first: 100) { totalCount edges { node { key } } }
  search(text: "health visitors") { total }
  supervision: search(text: "supervision") { total } }"""


def _listed(api: Api) -> tuple[int, list[str], int, int]:
    d = api.gql(LISTED, role="restricted")["data"]
    keys = sorted(e["node"]["key"] for e in d["recommendations"]["edges"])
    return d["recommendations"]["totalCount"], keys, d["search"]["total"], d["supervision"]["total"]


def _rec_tallies(store: GraphStore) -> dict[str, int]:
    """Recommendations per theme in the write-time tallies, which must equal a full
    recomputation (tests/contract/test_aggregates_kept.py)."""
    kept = assert_kept(store)
    out: dict[str, int] = {}
    for r in kept["ThemeTally"].values():
        if r["recommendations"]:
            out[r["theme"]] = out.get(r["theme"], 0) + r["recommendations"]
    return out


def test_merge_and_remove_delete_and_a_reload_keeps_every_decision(
    queue_api: Api, tmp_path: Path
) -> None:
    api = queue_api
    assert _listed(api) == (3, [R1, R2, R3], 1, 1)
    assert _rec_tallies(api.store) == TALLIES_LOADED
    merged = api.gql(MERGE, {"i": {"changeId": "m-1", "keep": R1, "merge": R3}}, role="inspector")
    m = merged["data"]["mergeItems"]
    assert m["state"] == "merged" and m["recommendation"]["location"] == "line 5; also line 7"
    agencies = [a["key"] for a in m["recommendation"]["agencies"]]
    assert "health-visiting-service" in agencies  # R3's addressee, now R1's too
    assert m["recommendation"]["text"] == R1_TEXT
    assert json.loads(m["change"]["after"])["merge"] == {
        "review_state": "merged",
        "merged_into": R1,
        "deleted": True,
    }
    assert json.loads(m["change"]["before"])["merge"]["text"].startswith("The board must audit")
    # The merged-away item is gone: from lists, counts, search and the aggregates.
    assert _listed(api) == (2, [R1, R2], 0, 1)
    assert _rec_tallies(api.store) == TALLIES_MERGED
    assert api.store.counts().nodes["Recommendation"] == 2
    body = api.gql(
        CONFIRM, {"i": {"changeId": "c-9", "item": R3}}, role="inspector", expect_errors=True
    )
    assert _error(body) == ("BAD_USER_INPUT", f"item {R3!r} does not exist")
    removed = api.gql(
        REMOVE, {"i": {"changeId": "x-1", "item": R2, "reason": "a heading"}}, role="restricted"
    )["data"]["removeItem"]
    # The payload gives the item as it was; the Change keeps it, the store no longer does.
    assert removed["state"] == "removed" and removed["recommendation"] == {"key": R2}
    assert json.loads(removed["change"]["before"]) == {
        "review_state": "queued",
        "number": "2",
        "text": "Supervision.",
        "status": "open_awaiting_response",
    }
    again = api.gql(
        REMOVE, {"i": {"changeId": "x-1", "item": R2, "reason": "a heading"}}, role="restricted"
    )["data"]["removeItem"]
    assert again["replayed"] is True and again["change"] == removed["change"]
    assert _listed(api) == (1, [R1], 0, 0)
    assert _rec_tallies(api.store) == TALLIES_REMOVED
    assert api.store.get_nodes(Label.RECOMMENDATION, [R2, R3]) == {}
    review = api.store.get_nodes(Label.REVIEW, [REVIEW])[REVIEW]
    assert review["removed_items"] == [R2, R3]
    before = api.store.get_nodes(Label.RECOMMENDATION, [R1])
    # The same document again: the loader writes the review, never over a person's decision,
    # and the items decided away do not come back.
    _load(api.store, tmp_path / "doc")
    after = api.store.get_nodes(Label.RECOMMENDATION, [R1, R2, R3])
    assert after == before
    assert after[R1]["merged_from"] == [R3] and after[R1]["review_state"] == "merged"
    assert _listed(api) == (1, [R1], 0, 0)
    assert _rec_tallies(api.store) == TALLIES_REMOVED
    q = api.gql(QUEUE, role="restricted")["data"]["reviewQueue"]
    assert q["totalItems"] == 0  # the removed item was not queued again


def test_a_correction_unlinks_what_it_drops(queue_api: Api, tmp_path: Path) -> None:
    api = queue_api
    fix = {"changeId": "u-1", "item": R3, "themes": ["voice_of_child"], "addressees": []}
    out = api.gql(CORRECT, {"i": fix}, role="inspector")["data"]["correctItem"]
    themes = [t["key"] for t in out["recommendation"]["themes"]]
    assert themes == ["voice_of_child"]
    assert json.loads(out["change"]["before"]) == {
        "review_state": None,
        "themes": ["audit_impact_embedding", "record_keeping", "voice_of_child"],
        "addressees": ["health-visiting-service", "safeguarding-board-or-partnership"],
    }
    assert json.loads(out["change"]["after"]) == {
        "review_state": "corrected",
        "themes": ["voice_of_child"],
        "addressees": [],
    }
    corrected = {k: v for k, v in TALLIES_LOADED.items() if k != "audit_impact_embedding"}
    corrected["record_keeping"] = 1
    assert _rec_tallies(api.store) == corrected
    linked = queries.run(
        api.store,
        "entities.neighbours",
        {"edge": "recommendation.agencies", "ids": [R3]},
        queries.Viewer(role="admin", restricted=True),
    )
    assert linked.get(R3, []) == []
    _load(api.store, tmp_path / "doc")  # the dropped links do not come back
    assert _rec_tallies(api.store) == corrected


def test_a_reload_keeps_a_correction_and_a_confirmation(queue_api: Api, tmp_path: Path) -> None:
    api = queue_api
    fix = {
        "changeId": "f-1",
        "item": R2,
        "text": "Supervisors should review every open case.",
        "number": "2a",
    }
    api.gql(CORRECT, {"i": fix}, role="inspector")
    api.gql(CONFIRM, {"i": {"changeId": "k-1", "item": R1}}, role="analyst", expect_errors=True)
    api.gql(CONFIRM, {"i": {"changeId": "k-1", "item": R1}}, role="restricted")
    api.gql(CONFIRM_DOC, {"i": {"changeId": "d-1", "review": REVIEW}}, role="restricted")
    _load(api.store, tmp_path / "doc")
    recs = api.store.get_nodes(Label.RECOMMENDATION, [R1, R2, R3])
    assert (recs[R2]["text"], recs[R2]["number"], recs[R2]["review_state"]) == (
        "Supervisors should review every open case.",
        "2a",
        "corrected",
    )
    assert (
        recs[R1]["review_state"] == "confirmed" and recs[R1]["decided_by"] == "analyst-restricted"
    )
    assert recs[R3].get("review_state") is None  # undecided and sure: written as before
    assert api.store.get_nodes(Label.REVIEW, [REVIEW])[REVIEW]["review_state"] == "confirmed"
    q = api.gql(QUEUE, role="restricted")["data"]["reviewQueue"]
    assert (q["totalItems"], q["totalDocuments"]) == (0, 0)


def test_a_pfd_table_reload_keeps_a_correction(store: GraphStore, tmp_path: Path) -> None:
    """`load --format pfd` carries the reader's confidence too, and never overwrites a
    decision either (the table is the invented one of tests/unit/test_pfd_table.py)."""
    from loaders.pfd_table import load_pfd_table
    from tests.unit.test_pfd_table import write_table

    table = write_table(tmp_path)
    load_pfd_table(store, table)
    rec = "pfd-2031-0001-c1"
    loaded = store.get_nodes(Label.RECOMMENDATION, [rec])[rec]
    assert (loaded["confidence"], loaded["confidence_reasons"][0]) == (
        0.9,
        "layout: a numbered matter of concern (0.90)",
    )
    api = next(make_api(store, tmp_path))
    fix = {"changeId": "p-1", "item": rec, "text": "Care records were not shared with the GP."}
    assert api.gql(CORRECT, {"i": fix}, role="analyst")["data"]["correctItem"]["state"] == (
        "corrected"
    )
    gone = "pfd-2031-0001-c2"
    api.gql(REMOVE, {"i": {"changeId": "p-2", "item": gone}}, role="analyst")
    assert store.get_nodes(Label.RECOMMENDATION, [gone]) == {}
    load_pfd_table(store, table)
    again = store.get_nodes(Label.RECOMMENDATION, [rec])[rec]
    assert (again["text"], again["review_state"]) == (fix["text"], "corrected")
    assert store.get_nodes(Label.RECOMMENDATION, [gone]) == {}  # removed, and stays so


def test_a_folder_reload_keeps_a_decision(queue_api: Api, tmp_path: Path) -> None:
    """`load DIR` too: the same document published from a folder (a new ledger entry, so
    it is written again) keeps the removal a person made on the draft."""
    from loaders.bulk import ReadOptions, load_folder

    api = queue_api
    api.gql(REMOVE, {"i": {"changeId": "x-1", "item": R2}}, role="inspector")
    options = ReadOptions(status="published", board="Quillby LSCB", year=2016)
    report = load_folder(api.store, tmp_path / "doc", options=options, jobs=1)
    assert [r.outcome for r in report.documents] == ["written"]
    recs = api.store.get_nodes(Label.RECOMMENDATION, [R1, R2])
    assert sorted(recs) == [R1]  # the removed item stays removed
    assert api.store.get_nodes(Label.REVIEW, [REVIEW])[REVIEW]["status"] == "published"
    assert _listed(api)[:2] == (2, [R1, R3])
