"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse
import sys

from scrgraph.settings import Settings, load_settings
from scrgraph.store import GraphStore, open_store


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
