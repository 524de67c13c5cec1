"""The GraphStore interface and its two backends."""

from __future__ import annotations

from graph_store.base import (
    Batch,
    Counts,
    GraphStore,
    NodeDelete,
    NodeWrite,
    RelDelete,
    RelWrite,
    Row,
    merge_props,
)
from graph_store.embedded import EmbeddedStore
from graph_store.neo4j_store import Neo4jStore, make_driver
from scrgraph.settings import Settings


def open_store(settings: Settings) -> GraphStore:
    """Open the configured backend. A Neo4j store made here owns its driver."""
    if settings.backend == "neo4j":
        store: GraphStore = Neo4jStore(
            make_driver(settings), settings.neo4j_database, own_driver=True
        )
        return store
    return EmbeddedStore(settings.db)


__all__ = [
    "Batch",
    "Counts",
    "EmbeddedStore",
    "GraphStore",
    "Neo4jStore",
    "NodeDelete",
    "NodeWrite",
    "RelDelete",
    "RelWrite",
    "Row",
    "make_driver",
    "merge_props",
    "open_store",
]
