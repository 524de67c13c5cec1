"""`scrgraph schema`: apply the graph schema (constraints and indexes) to the store, or check it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from scrgraph.commands.common import add_store_options, store_from


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "schema",
        help="apply the schema's constraints and indexes to the store (safe to rerun)",
        description="Create every constraint and index the schema declares that the store lacks, "
        "and record the schema version. `scrgraph load` does this before writing; `--check` "
        "only reports what is missing (exit 1 if anything is).",
    )
    add_store_options(p)
    p.add_argument("--check", action="store_true", help="report what is missing; change nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_from(args) as store:
        missing = store.schema_missing()
        if args.check:
            if missing:
                print(
                    f"the {store.kind} store lacks {len(missing)} schema item(s):", file=sys.stderr
                )
                for m in missing:
                    print(f"  {m}", file=sys.stderr)
                print("run `scrgraph schema` to apply them", file=sys.stderr)
                return 1
            print(f"the {store.kind} store has the whole schema (version {store.schema_version()})")
            return 0
        if missing:
            store.apply_schema()
            print(
                f"applied the schema to the {store.kind} store ({len(missing)} item(s) were missing)"
            )
        else:
            print(f"the {store.kind} store already has the whole schema; nothing to do")
    return 0
