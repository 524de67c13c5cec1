"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse
import sys

from graph_store import EmbeddedStore, GraphStore, open_store
from scrgraph.settings import Settings, load_settings


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings with --backend/--db applied."""
    return load_settings(
        {
            "SCRGRAPH_BACKEND": getattr(args, "backend", None),
            "SCRGRAPH_DB": getattr(args, "db", None),
        }
    )


def store_from(args: argparse.Namespace) -> GraphStore:
    """Open the store the arguments and environment name."""
    return open_store(settings_from(args))


def store_name(settings: Settings) -> str:
    """The store these settings open, as a user would name it."""
    if settings.backend == "neo4j":
        return f"Neo4j at {settings.neo4j_uri} (database {settings.neo4j_database})"
    return str(settings.db)


def _empty_hint(settings: Settings) -> str:
    if settings.backend == "neo4j":
        return "run `scrgraph load CORPUS --backend neo4j`"
    return (
        "run scripts/demo or `scrgraph load CORPUS`, or name another store with --db or SCRGRAPH_DB"
    )


def reading_store_from(args: argparse.Namespace) -> GraphStore:
    """Open the named store to read it, warning on stderr when it has nothing in it.

    An embedded store file that does not exist is not created: the command reads an empty
    in-memory store instead, and says which file it looked for.
    """
    settings = settings_from(args)
    name = store_name(settings)
    if settings.backend == "embedded" and not settings.db.exists():
        warn(
            f"the store {name} does not exist, so there is nothing to read: {_empty_hint(settings)}"
        )
        return EmbeddedStore(":memory:")
    store = open_store(settings)
    try:
        if store.is_empty():
            warn(f"the store {name} is empty: {_empty_hint(settings)}")
    except BaseException:
        store.close()
        raise
    return store


def warn(message: str) -> None:
    """A warning on stderr, for the user at the terminal."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def writable_store_from(args: argparse.Namespace) -> GraphStore:
    """Open the named store for writing, with the schema applied first (on either backend).

    The embedded store applies it when opened; a fresh Neo4j gets its constraints and indexes
    here, before any data, so that every write merges through an index.
    """
    store = store_from(args)
    try:
        if store.ensure_schema():
            print(f"scrgraph: applied the schema to the {store.kind} store", file=sys.stderr)
    except BaseException:
        store.close()
        raise
    return store


def add_store_options(p: argparse.ArgumentParser) -> None:
    """The --backend and --db options every store-using command takes."""
    p.add_argument("--backend", choices=("embedded", "neo4j"), help="override SCRGRAPH_BACKEND")
    p.add_argument("--db", help="embedded store file (overrides SCRGRAPH_DB)")
