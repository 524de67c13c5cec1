"""Deleting through the store (Batch.delete_nodes / delete_rels), on both backends.

A deletion shares its batch's transaction, data generation and write-time aggregates: after
it the counts, reads, search and every aggregate (equal to a full recomputation, as in
test_aggregates_kept) no longer show what went, and a batch that fails leaves everything as
it was. The graph is test_aggregates_kept's small synthetic one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import queries
from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeDelete, NodeWrite, RelDelete, RelWrite
from scrgraph.errors import MissingEndpoint, SchemaViolation
from tests.contract.test_aggregates_kept import STAFF, _base, _rec, assert_kept, snapshot

R2_TEXT = "Quarrelsome ledgers must be reconciled weekly (synthetic)."


def _graph(store: GraphStore) -> None:
    """_base() plus a second recommendation of rv-1, tagged t-neglect, with its own text."""
    store.write(_base())
    store.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.RECOMMENDATION,
                    [{**_rec("rv-1-r2", "rv-1", 2012, "open_awaiting_response"), "text": R2_TEXT}],
                )
            ],
            rels=[
                RelWrite(RelType.MAKES, [{"start": "rv-1", "end": "rv-1-r2"}]),
                RelWrite(
                    RelType.TAGGED,
                    [
                        {"start": "rv-1-r2", "end": "t-neglect"},
                        {"start": "rv-1-r2", "end": "t-info"},
                    ],
                ),
            ],
        )
    )


def _tallies(snap: dict[str, Any]) -> dict[tuple[str, str, int], tuple[int, int]]:
    return {
        (r["theme"], r["board"], r["year"]): (r["reviews"], r["recommendations"])
        for r in snap["ThemeTally"].values()
    }


def _search(store: GraphStore, text: str) -> list[str]:
    found = queries.run(store, "search", {"text": text, "limit": 50}, STAFF)
    return sorted(h["id"] for h in found["hits"])


def test_delete_nodes_and_relationships(store: GraphStore) -> None:
    _graph(store)
    kept = assert_kept(store)
    assert _tallies(kept) == {
        ("t-info", "b-fern", 2012): (1, 2),
        ("t-neglect", "b-fern", 2012): (0, 1),
        ("t-info", "b-ash", 2016): (1, 0),
        ("t-info", "b-ash", 2017): (1, 0),
        ("t-neglect", "b-ash", 2017): (1, 0),
    }
    assert len(kept["RecurrenceEvent"]) == 2
    assert _search(store, "quarrelsome ledgers") == ["rv-1-r2"]

    # The closed recommendation goes, with its MAKES and TAGGED: its events and its count go.
    gen = store.data_generation()
    store.delete(nodes=[NodeDelete(Label.RECOMMENDATION, ["rv-1-r1", "no-such-rec"])])
    assert store.data_generation() != gen
    assert store.get_nodes(Label.RECOMMENDATION, ["rv-1-r1", "rv-1-r2"]).keys() == {"rv-1-r2"}
    counts = store.counts()
    assert counts.nodes["Recommendation"] == 1
    assert (counts.relationships["MAKES"], counts.relationships["TAGGED"]) == (1, 2)
    kept = assert_kept(store)
    assert kept["RecurrenceEvent"] == {}
    assert _tallies(kept)[("t-info", "b-fern", 2012)] == (1, 1)
    assert _search(store, "information sharing") == []  # the deleted item's text

    # One relationship goes: the tally of its theme loses the recommendation (row and all).
    store.delete(rels=[RelDelete(RelType.TAGGED, [{"start": "rv-1-r2", "end": "t-neglect"}])])
    assert store.counts().relationships["TAGGED"] == 1
    kept = assert_kept(store)
    assert ("t-neglect", "b-fern", 2012) not in _tallies(kept)
    themes = queries.run(
        store, "entities.neighbours", {"edge": "recommendation.themes", "ids": ["rv-1-r2"]}, STAFF
    )
    assert [n["node"]["id"] for n in themes["rv-1-r2"]] == ["t-info"]

    # A review goes with its relationships; its ReviewFact and tallies go too.
    store.delete(nodes=[NodeDelete(Label.REVIEW, ["rv-3"])])
    kept = assert_kept(store)
    assert "rv-3" not in kept["ReviewFact"]
    assert _tallies(kept) == {
        ("t-info", "b-fern", 2012): (1, 1),
        ("t-info", "b-ash", 2016): (1, 0),
    }
    assert store.counts().relationships["RAISES"] == 2


def test_delete_and_write_in_one_batch(store: GraphStore) -> None:
    _graph(store)
    # rv-1-r2 deleted and written again: anew, without its old properties or links.
    store.write(
        Batch(
            delete_nodes=[NodeDelete(Label.RECOMMENDATION, ["rv-1-r2"])],
            nodes=[
                NodeWrite(
                    Label.RECOMMENDATION, [_rec("rv-1-r2", "rv-1", 2012, "open_awaiting_response")]
                )
            ],
            rels=[RelWrite(RelType.MAKES, [{"start": "rv-1", "end": "rv-1-r2"}])],
        )
    )
    assert store.get_nodes(Label.RECOMMENDATION, ["rv-1-r2"])["rv-1-r2"]["text"] == (
        "The board should audit information sharing (synthetic)."
    )
    assert store.counts().relationships["TAGGED"] == 1  # rv-1-r1's alone
    kept = assert_kept(store)
    assert _tallies(kept)[("t-info", "b-fern", 2012)] == (1, 1)
    assert ("t-neglect", "b-fern", 2012) not in _tallies(kept)
    assert _search(store, "quarrelsome ledgers") == []


def test_a_failing_batch_deletes_nothing(store: GraphStore) -> None:
    _graph(store)
    before = snapshot(store)
    counts = store.counts()
    # The deleted node is named by a relationship the same batch writes: refused, all of it.
    with pytest.raises(MissingEndpoint):
        store.write(
            Batch(
                delete_nodes=[NodeDelete(Label.RECOMMENDATION, ["rv-1-r2"])],
                delete_rels=[RelDelete(RelType.RAISES, [{"start": "rv-2", "end": "t-info"}])],
                rels=[RelWrite(RelType.TAGGED, [{"start": "rv-1-r2", "end": "t-info"}])],
            )
        )
    assert store.counts() == counts
    assert snapshot(store) == before
    assert store.get_nodes(Label.RECOMMENDATION, ["rv-1-r2"])["rv-1-r2"]["text"] == R2_TEXT
    assert _search(store, "quarrelsome ledgers") == ["rv-1-r2"]
    assert_kept(store)


@pytest.mark.parametrize(
    ("batch", "message"),
    [
        (
            Batch(delete_nodes=[NodeDelete(Label.SCHEMA_INFO, ["schema"])]),
            "SchemaInfo: the schema's own node is never deleted",
        ),
        (
            Batch(delete_nodes=[NodeDelete(Label.REVIEW, [""])]),
            "delete Review key 0: expected a non-empty string 'id'",
        ),
        (
            Batch(delete_rels=[RelDelete(RelType.TAGGED, [{"start": "a", "end": "b", "x": 1}])]),
            "delete TAGGED row 0: unexpected fields ['x']; a deletion names only 'start' and 'end'",
        ),
    ],
)
def test_bad_deletions_are_refused(store: GraphStore, batch: Batch, message: str) -> None:
    _graph(store)
    with pytest.raises(SchemaViolation) as e:
        store.write(batch)
    assert str(e.value) == message
    assert json.dumps(sorted(store.counts().nodes.items()))  # the store still answers
