"""Aggregates kept at write time (graph_schema.aggregates) equal a full recomputation.

On both backends: after a load, a reload, status and year changes, new relationships,
actions and audits that close a recommendation, a board succession, and after `clear`. The
full recomputation is `rebuild_aggregates()` (every aggregate deleted and computed again from
the whole graph); the kept rows must be the same, row for row. A few values are pinned too,
and a public viewer's answers must not count a hidden review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import queries
from graph_schema import Label, RelType
from graph_schema.aggregates import AGGREGATES
from graph_store import Batch, EmbeddedStore, GraphStore, Neo4jStore, NodeWrite, RelWrite
from queries.base import Viewer

PUBLIC = Viewer()
STAFF = Viewer(role="analyst", restricted=True)
Snapshot = dict[str, dict[str, dict[str, Any]]]


def snapshot(store: GraphStore) -> Snapshot:
    """Every aggregate row, by label then id (missing and null properties alike absent)."""
    out: Snapshot = {}
    for a in AGGREGATES:
        rows: dict[str, dict[str, Any]] = {}
        if isinstance(store, EmbeddedStore):
            cols = a.columns
            for row in store.aggregate_rows(f"SELECT {', '.join(cols)} FROM {a.table}"):
                r = dict(zip(cols, row, strict=True))
                for p in a.props:
                    if p.type.startswith("list") and r[p.name] is not None:
                        r[p.name] = json.loads(r[p.name])
                rows[r["id"]] = {k: v for k, v in r.items() if v is not None}
        else:
            assert isinstance(store, Neo4jStore)
            for rec in store.read(f"MATCH (n:{a.label.value}) RETURN properties(n) AS p"):
                rows[rec["p"]["id"]] = dict(rec["p"])
        out[a.label.value] = rows
    return out


def assert_kept(store: GraphStore) -> Snapshot:
    """The kept aggregates equal a full recomputation; returns them."""
    kept = snapshot(store)
    store.rebuild_aggregates()
    full = snapshot(store)
    for label in full:
        assert kept[label] == full[label], label
    return kept


def _review(rid: str, board: str, year: int, status: str = "published") -> dict[str, Any]:
    return {
        "id": rid,
        "title": f"{rid}: a synthetic review",
        "board_id": board,
        "year": year,
        "review_type": "scr",
        "status": status,
    }


def _rec(rid: str, review: str, year: int, status: str) -> dict[str, Any]:
    return {
        "id": rid,
        "review_id": review,
        "number": "1",
        "text": "The board should audit information sharing (synthetic).",
        "status": status,
        "year": year,
    }


def _theme(tid: str) -> dict[str, Any]:
    return {"id": tid, "label": tid.title(), "category": "practice", "kind": "issue"}


def _base() -> Batch:
    """Two boards (Fernmoor succeeded by Ashby), three reviews, two themes, one closed rec."""
    return Batch(
        nodes=[
            NodeWrite(
                Label.BOARD,
                [
                    {"id": "b-fern", "name": "Fernmoor LSCB (synthetic)", "kind": "lscb"},
                    {"id": "b-ash", "name": "Ashby Partnership (synthetic)", "kind": "partnership"},
                ],
            ),
            NodeWrite(Label.THEME, [_theme("t-info"), _theme("t-neglect")]),
            NodeWrite(
                Label.REVIEW,
                [
                    _review("rv-1", "b-fern", 2012),
                    _review("rv-2", "b-ash", 2016),
                    _review("rv-3", "b-ash", 2017, status="restricted"),
                ],
            ),
            NodeWrite(
                Label.RECOMMENDATION, [_rec("rv-1-r1", "rv-1", 2012, "closed_acceptable_action")]
            ),
        ],
        rels=[
            RelWrite(
                RelType.COMMISSIONED,
                [
                    {"start": "b-fern", "end": "rv-1"},
                    {"start": "b-ash", "end": "rv-2"},
                    {"start": "b-ash", "end": "rv-3"},
                ],
            ),
            RelWrite(RelType.SUCCEEDED_BY, [{"start": "b-fern", "end": "b-ash"}]),
            RelWrite(RelType.MAKES, [{"start": "rv-1", "end": "rv-1-r1"}]),
            RelWrite(RelType.TAGGED, [{"start": "rv-1-r1", "end": "t-info"}]),
            RelWrite(
                RelType.RAISES,
                [
                    {"start": "rv-1", "end": "t-info"},
                    {"start": "rv-2", "end": "t-info"},
                    {"start": "rv-3", "end": "t-info"},
                    {"start": "rv-3", "end": "t-neglect"},
                ],
            ),
        ],
    )


def _recurrence(store: GraphStore, viewer: Viewer, **params: Any) -> Any:
    return queries.run(store, "theme_recurrence", {"theme": "t-info", **params}, viewer)


def test_small_graph_pinned_and_kept(store: GraphStore) -> None:
    store.write(_base())
    kept = assert_kept(store)
    tallies = {
        (r["theme"], r["board"], r["year"], r["status"]): (r["reviews"], r["recommendations"])
        for r in kept["ThemeTally"].values()
    }
    assert tallies == {
        ("t-info", "b-fern", 2012, "published"): (1, 1),
        ("t-info", "b-ash", 2016, "published"): (1, 0),
        ("t-info", "b-ash", 2017, "restricted"): (1, 0),
        ("t-neglect", "b-ash", 2017, "restricted"): (1, 0),
    }
    # closed as acted on in 2012 (no completed action: its review's year); raised again in
    # Ashby (Fernmoor's successor) in 2016 (published) and 2017 (restricted)
    events = sorted((e["review"], e["closed_year"]) for e in kept["RecurrenceEvent"].values())
    assert events == [("rv-2", 2012), ("rv-3", 2012)]

    pub = _recurrence(store, PUBLIC)
    assert (pub["reviews"], pub["recommendations"], pub["boards"]) == (2, 1, 2)
    assert [e["review_id"] for e in pub["recurrence_after_closure"]] == ["rv-2"]
    staff = _recurrence(store, STAFF)
    assert (staff["reviews"], staff["last_seen"]) == (3, 2017)
    assert [e["review_id"] for e in staff["recurrence_after_closure"]] == ["rv-2", "rv-3"]

    # a status change moves the counts: rv-2 withdrawn is hidden from the public
    store.write(Batch(nodes=[NodeWrite(Label.REVIEW, [{"id": "rv-2", "status": "withdrawn"}])]))
    assert_kept(store)
    pub = _recurrence(store, PUBLIC)
    assert (pub["reviews"], pub["last_seen"], pub["recurrence_after_closure"]) == (1, 2012, [])
    network = queries.run(store, "theme_network", {}, PUBLIC)
    assert [n["id"] for n in network["nodes"]] == ["t-info"] and network["reviews"] == 1

    # a year change moves the review between tally rows and past the closure
    store.write(Batch(nodes=[NodeWrite(Label.REVIEW, [{"id": "rv-3", "year": 2011}])]))
    kept = assert_kept(store)
    assert sorted(e["review"] for e in kept["RecurrenceEvent"].values()) == ["rv-2"]

    # a completed action dates the closure later (2018): no review comes after it
    store.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.ACTION,
                    [
                        {
                            "id": "ac-1",
                            "description": "Audit sharing (synthetic)",
                            "status": "completed",
                            "completed_date": "2018-03-01",
                        }
                    ],
                )
            ],
            rels=[RelWrite(RelType.RESPONDS_TO, [{"start": "ac-1", "end": "rv-1-r1"}])],
        )
    )
    kept = assert_kept(store)
    assert kept["RecurrenceEvent"] == {}

    # an audit rating it embedded in 2014 makes it closed earlier again (audited_embedded)
    store.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.AUDIT,
                    [
                        {
                            "id": "au-1",
                            "date": "2014-05-01",
                            "rating": "embedded",
                            "auditor": "board_qa",
                        }
                    ],
                )
            ],
            rels=[RelWrite(RelType.CHECKS, [{"start": "au-1", "end": "ac-1"}])],
        )
    )
    kept = assert_kept(store)
    assert [
        (e["review"], e["basis"], e["closed_year"]) for e in kept["RecurrenceEvent"].values()
    ] == [("rv-2", "audited_embedded", 2014)]

    # a new review, its theme, a second recommendation tagged twice; then the same again
    more = Batch(
        nodes=[
            NodeWrite(Label.REVIEW, [_review("rv-4", "b-fern", 2013)]),
            NodeWrite(
                Label.RECOMMENDATION, [_rec("rv-4-r1", "rv-4", 2013, "open_awaiting_response")]
            ),
        ],
        rels=[
            RelWrite(RelType.COMMISSIONED, [{"start": "b-fern", "end": "rv-4"}]),
            RelWrite(RelType.MAKES, [{"start": "rv-4", "end": "rv-4-r1"}]),
            RelWrite(
                RelType.TAGGED,
                [{"start": "rv-4-r1", "end": "t-info"}, {"start": "rv-4-r1", "end": "t-neglect"}],
            ),
            RelWrite(RelType.RAISES, [{"start": "rv-4", "end": "t-neglect"}]),
        ],
    )
    store.write(more)
    once = assert_kept(store)
    store.write(more)  # a reload changes nothing
    assert assert_kept(store) == once
    assert once["ThemeTally"][json.dumps(["t-neglect", "b-fern", 2013, "published", "scr"])] == {
        "id": json.dumps(["t-neglect", "b-fern", 2013, "published", "scr"]),
        "theme": "t-neglect",
        "board": "b-fern",
        "year": 2013,
        "status": "published",
        "kind": "scr",
        "reviews": 1,
        "recommendations": 1,
    }

    store.clear()
    assert snapshot(store) == {a.label.value: {} for a in AGGREGATES}


def test_demo_load_reload_and_changes(store: GraphStore, demo_corpus: Path) -> None:
    from loaders import load_corpus

    load_corpus(store, demo_corpus)
    loaded = assert_kept(store)
    assert loaded["ThemeTally"] and loaded["RecurrenceEvent"]
    load_corpus(store, demo_corpus)  # a reload: nothing moves
    assert assert_kept(store) == loaded

    # hide some published reviews and un-close some recommendations, in one batch
    published = sorted(k for k, f in loaded["ReviewFact"].items() if f["status"] == "published")
    closed = sorted({e["recommendation"] for e in loaded["RecurrenceEvent"].values()})
    store.write(
        Batch(
            nodes=[
                NodeWrite(Label.REVIEW, [{"id": k, "status": "draft"} for k in published[:5]]),
                NodeWrite(
                    Label.RECOMMENDATION,
                    [{"id": k, "status": "open_awaiting_response"} for k in closed[:5]],
                ),
            ]
        )
    )
    changed = assert_kept(store)
    assert changed != loaded
    # no public answer counts the hidden reviews
    themes = sorted({r["theme"] for r in changed["ThemeTally"].values()})
    for t in themes[:5]:
        public = queries.run(store, "theme_recurrence", {"theme": t}, PUBLIC)
        hidden = {k for k, f in changed["ReviewFact"].items() if f["status"] != "published"}
        assert not {e["review_id"] for e in public["recurrence_after_closure"]} & hidden
        assert public["reviews"] == sum(
            r["reviews"]
            for r in changed["ThemeTally"].values()
            if r["theme"] == t and r["status"] == "published"
        )


def test_narrow_writes_keep_them(store: GraphStore) -> None:
    """Writes the hook narrows: rows setting no property the aggregates read, a theme alone,
    a review's new board, a new review with a title only; each still equals a recomputation."""
    store.write(_base())
    before = assert_kept(store)
    # a title, a recommendation's text, a theme's label: nothing moves
    store.write(
        Batch(
            nodes=[
                NodeWrite(Label.REVIEW, [{"id": "rv-1", "title": "rv-1: retitled (synthetic)"}]),
                NodeWrite(Label.RECOMMENDATION, [{"id": "rv-1-r1", "text": "Reworded."}]),
                NodeWrite(Label.THEME, [{"id": "t-info", "label": "Information sharing"}]),
            ]
        )
    )
    assert assert_kept(store) == before
    # a review commissioned by a second board counts there too, and its event follows
    store.write(
        Batch(
            nodes=[NodeWrite(Label.BOARD, [{"id": "b-new", "name": "New LSCB (synthetic)"}])],
            rels=[
                RelWrite(RelType.COMMISSIONED, [{"start": "b-new", "end": "rv-1"}]),
                RelWrite(RelType.SUCCEEDED_BY, [{"start": "b-new", "end": "b-ash"}]),
            ],
        )
    )
    kept = assert_kept(store)
    assert kept["ReviewFact"]["rv-1"]["boards"] == ["b-fern", "b-new"]
    assert sorted({e["board"] for e in kept["RecurrenceEvent"].values()}) == ["b-fern", "b-new"]
    # a new review with a title only has a ReviewFact (and no tally)
    store.write(
        Batch(nodes=[NodeWrite(Label.REVIEW, [{"id": "rv-9", "title": "rv-9 (synthetic)"}])])
    )
    kept = assert_kept(store)
    assert kept["ReviewFact"]["rv-9"] == {
        "id": "rv-9",
        "boards": [],
        "themes": [],
        "rec_themes": [],
    }
    # an action described only, then given a completed date in a later write
    store.write(
        Batch(
            nodes=[NodeWrite(Label.ACTION, [{"id": "ac-9", "description": "Train (synthetic)"}])],
            rels=[RelWrite(RelType.RESPONDS_TO, [{"start": "ac-9", "end": "rv-1-r1"}])],
        )
    )
    assert_kept(store)
    store.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.ACTION,
                    [{"id": "ac-9", "status": "completed", "completed_date": "2016-06-01"}],
                )
            ]
        )
    )
    kept = assert_kept(store)
    assert sorted(e["review"] for e in kept["RecurrenceEvent"].values()) == ["rv-3", "rv-3"]
    # a reload with one new relationship among known ones, and that one twice in the batch
    again = _base()
    again.rels.append(
        RelWrite(
            RelType.RAISES,
            [{"start": "rv-2", "end": "t-neglect"}, {"start": "rv-2", "end": "t-neglect"}],
        )
    )
    store.write(again)
    kept = assert_kept(store)
    assert kept["ReviewFact"]["rv-2"]["themes"] == ["t-info", "t-neglect"]
    assert (
        kept["ThemeTally"][json.dumps(["t-neglect", "b-ash", 2016, "published", "scr"])]["reviews"]
        == 1
    )


def test_a_bulk_load_keeps_them_at_its_end(store: GraphStore) -> None:
    """Batches marked fresh (a load into an empty store) may leave the aggregates to the
    load's end: the next ordinary write, even one touching no aggregate, brings them up to
    date, and so does applying the schema."""
    first, second = (
        _base(),
        Batch(
            nodes=[NodeWrite(Label.REVIEW, [_review("rv-4", "b-ash", 2019)])],
            rels=[
                RelWrite(RelType.COMMISSIONED, [{"start": "b-ash", "end": "rv-4"}]),
                RelWrite(RelType.RAISES, [{"start": "rv-4", "end": "t-neglect"}]),
            ],
        ),
    )
    for b in (first, second):
        b.fresh = True
        store.write(b)
    store.write(Batch(nodes=[NodeWrite(Label.THEME, [{"id": "t-info", "label": "Info"}])]))
    kept = assert_kept(store)
    assert sorted(kept["ReviewFact"]) == ["rv-1", "rv-2", "rv-3", "rv-4"]
    assert sorted(e["review"] for e in kept["RecurrenceEvent"].values()) == ["rv-2", "rv-3"]

    assert store.schema_missing() == []
    assert not _stale_mark(store)

    store.clear()
    first = _base()
    first.fresh = True
    store.write(first)
    # A load stopped after a fresh batch: what `scrgraph schema --check` and /readyz read.
    assert _stale_mark(store)
    assert store.schema_missing() == [
        "the aggregates kept at write time (a load into an empty store is running, "
        "or stopped before its end, and left them stale)"
    ]
    assert snapshot(store)["ReviewFact"] == {}  # left to the load's end, not kept per batch
    store.apply_schema()
    assert store.schema_missing() == []
    assert not _stale_mark(store)
    assert sorted(snapshot(store)["ReviewFact"]) == ["rv-1", "rv-2", "rv-3"]
    assert_kept(store)


def _stale_mark(store: GraphStore) -> bool:
    """The mark a fresh batch leaves: the embedded meta table's flag, the schema node's."""
    if isinstance(store, EmbeddedStore):
        return bool(store.aggregate_rows("SELECT 1 FROM meta WHERE key = 'aggregates_stale'"))
    assert isinstance(store, Neo4jStore)
    rows = store.read("MATCH (s:SchemaInfo {id: 'schema'}) RETURN s.aggregates_stale AS stale")
    return bool(rows and rows[0]["stale"])


@pytest.mark.parametrize("backend", ["embedded"], indirect=True)
def test_an_old_store_gets_its_aggregates(store: GraphStore, tmp_path: Path) -> None:
    """A store written before schema version 2 builds its aggregates when the schema applies."""
    assert isinstance(store, EmbeddedStore)
    store.write(_base())
    kept = snapshot(store)
    for a in AGGREGATES:
        store.aggregate_rows(f"DELETE FROM {a.table}")
    store.aggregate_rows("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    reopened = EmbeddedStore(store.path)
    try:
        assert snapshot(reopened) == kept
    finally:
        reopened.close()
