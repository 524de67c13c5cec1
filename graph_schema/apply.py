"""Applying the schema to a store, any number of times."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph_schema.model import SCHEMA_VERSION

if TYPE_CHECKING:
    from graph_store.base import GraphStore


def apply_schema(store: GraphStore) -> int:
    """Create constraints and indexes if missing and record the schema version.

    Safe to run any number of times. Returns the schema version now recorded.
    """
    store.apply_schema()
    return SCHEMA_VERSION
