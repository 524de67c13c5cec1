"""corpus_info gives the same answer on both backends (the load time aside)."""

from __future__ import annotations

import queries
from graph_store import EmbeddedStore, GraphStore
from queries import ADMIN, PUBLIC


def test_corpus_info_same_on_both(demo_store: GraphStore, demo_embedded: EmbeddedStore) -> None:
    for viewer in (PUBLIC, ADMIN):
        got = queries.run(demo_store, "corpus_info", {}, viewer)
        want = queries.run(demo_embedded, "corpus_info", {}, viewer)
        assert got.pop("loaded_at") and want.pop("loaded_at")
        assert got == want
        assert got["synthetic"] is True and got["load_runs"] == 1
    assert "path" not in queries.run(demo_store, "corpus_info", {}, PUBLIC)
