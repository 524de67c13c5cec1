"""The embedded store reads and writes SQL: a store that answers queries, loads, reloads,
mutates or deletes never builds its networkx copy of the whole store (issue 14 item 2). The
answers themselves are pinned by the other contract tests, on both backends (the aggregates by
test_aggregates_kept); these check what the copy costs, on the embedded store only, and that a
copy something did build is kept up to date by the writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import queries
from graph_schema import Label, RelType
from graph_store import Batch, EmbeddedStore, NodeDelete, NodeWrite, RelDelete
from loaders import load_corpus
from queries.base import ADMIN, PUBLIC
from tests.api.conftest import make_api
from tests.contract.test_aggregates_kept import assert_kept

RECORD_ACTION = """mutation($i: RecordActionInput!) { recordAction(input: $i) {
  replayed action { key } } }"""


def _first(store: EmbeddedStore, label: Label) -> str:
    return sorted(store.ids(label.value))[0]


@pytest.fixture
def fresh(demo_embedded: EmbeddedStore) -> EmbeddedStore:
    """The demo store opened again, as a server worker opens it."""
    return EmbeddedStore(demo_embedded.path)


def test_opening_builds_no_copy(fresh: EmbeddedStore) -> None:
    assert fresh._graph is None
    assert len(fresh.ids(Label.REVIEW.value)) == 302  # the demo corpus's reviews
    assert fresh._graph is None


def test_the_readers_build_no_copy(fresh: EmbeddedStore) -> None:
    theme = _first(fresh, Label.THEME)
    board = _first(fresh, Label.BOARD)
    rec = _first(fresh, Label.RECOMMENDATION)
    calls = [
        ("search", {"text": "neglect"}),
        ("corpus_info", {}),
        ("repeated_recommendations", {}),
        ("briefing.sector_recommendations", {"sector": "health"}),
        ("briefing.sector_actions", {"sector": "police", "as_of": "2025-06-30"}),
        ("agency_load", {"sector": "health", "as_of": "2025-06-30"}),
        ("theme_recurrence", {"theme": theme}),
        ("theme_network", {}),
        ("trace_recommendation", {"id": rec}),
        ("outstanding_actions", {"board": board, "as_of": "2025-06-30"}),
        ("review_queue", {}),
    ]
    for name, params in calls:
        for viewer in (PUBLIC, ADMIN):
            queries.run(fresh, name, params, viewer)
        assert fresh._graph is None, f"{name} built the whole-store copy"


def test_another_process_commit_is_seen_and_the_copy_dropped(
    fresh: EmbeddedStore, tmp_path: Path
) -> None:
    path = tmp_path / "s.sqlite"
    reader, writer = EmbeddedStore(path), EmbeddedStore(path)
    theme = {"id": "th-x", "label": "X", "category": "practice"}
    writer.write(Batch(nodes=[NodeWrite(Label.THEME, [theme])]))
    gen = reader.data_generation()
    assert reader.get_nodes(Label.THEME, ["th-x"]) == {"th-x": theme}
    assert reader.graph.number_of_nodes() == 2  # the schema node and the theme, built lazily
    writer.write(Batch(nodes=[NodeWrite(Label.THEME, [{**theme, "label": "Y"}])]))
    assert reader.data_generation() == gen + 1
    assert reader._graph is None  # dropped, not rebuilt, until something asks for it
    assert reader.node(Label.THEME.value, "th-x") == {**theme, "label": "Y"}
    assert reader.graph.nodes[(Label.THEME.value, "th-x")]["label"] == "Y"


def _published_rec(store: EmbeddedStore) -> str:
    """The first recommendation (by key) of a published review."""
    recs = store.get_nodes(Label.RECOMMENDATION, sorted(store.ids(Label.RECOMMENDATION.value)))
    reviews = store.get_nodes(Label.REVIEW, sorted({r["review_id"] for r in recs.values()}))
    return next(k for k, r in recs.items() if reviews[r["review_id"]]["status"] == "published")


def _write_everything(store: EmbeddedStore, corpus: Path, tmp_path: Path) -> dict[str, Any]:
    """A load, a reload, a mutation through the API and deletions, into an empty store; what
    it did."""
    load_corpus(store, corpus)
    seen: dict[str, Any] = {"loaded": store._graph is None}
    load_corpus(store, corpus)
    seen["reloaded"] = store._graph is None
    rec = _published_rec(store)
    for api in make_api(store, tmp_path):
        done = api.gql(
            RECORD_ACTION,
            {"i": {"changeId": "nc-1", "recommendation": rec, "description": "Audit (synthetic)"}},
            role="inspector",
        )["data"]["recordAction"]
        assert done == {"replayed": False, "action": {"key": "act-nc-1"}}
    seen["mutated"] = store._graph is None
    theme = sorted(store.ids(Label.THEME.value))[0]
    store.write(
        Batch(
            delete_nodes=[NodeDelete(Label.ACTION, ["act-nc-1"])],
            delete_rels=[RelDelete(RelType.TAGGED, [{"start": rec, "end": theme}])],
        )
    )
    seen["deleted"] = store._graph is None
    assert store.get_nodes(Label.ACTION, ["act-nc-1"]) == {}
    return seen


def test_writes_build_no_copy(demo_corpus: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "w.sqlite")
    seen = _write_everything(store, demo_corpus, tmp_path)
    assert seen == {"loaded": True, "reloaded": True, "mutated": True, "deleted": True}
    assert_kept(store)  # what the SQL reads kept equals a full recomputation (also from SQL)
    assert store._graph is None
    assert store.counts().nodes[Label.REVIEW.value] == 302


def test_a_built_copy_is_kept_up_to_date_by_writes(demo_corpus: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "w.sqlite")
    assert store.graph.number_of_nodes() == 1  # the schema node: the copy exists from here on
    seen = _write_everything(store, demo_corpus, tmp_path)
    assert seen == {"loaded": False, "reloaded": False, "mutated": False, "deleted": False}
    kept = store.graph
    built = EmbeddedStore(store.path).graph  # built afresh from SQLite
    assert dict(kept.nodes(data=True)) == dict(built.nodes(data=True))
    assert sorted(kept.edges(keys=True, data=True)) == sorted(built.edges(keys=True, data=True))
