"""The embedded store reads SQL: a store that only answers queries never builds its networkx copy
of the whole store (issue 14 item 2). The answers themselves are pinned by the other contract
tests, on both backends; these check what the copy costs, on the embedded store only."""

from __future__ import annotations

from pathlib import Path

import pytest

import queries
from graph_schema import Label
from graph_store import Batch, EmbeddedStore, NodeWrite
from queries.base import ADMIN, PUBLIC


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
