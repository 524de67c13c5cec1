"""`scrgraph stats`: node counts per label and relationship counts per type."""

from __future__ import annotations

import argparse
import json
from typing import Any

from scrgraph.commands.common import add_store_options, reading_store_from


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "stats", help="node counts per label and relationship counts per type"
    )
    add_store_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with reading_store_from(args) as store:
        counts = store.counts().as_dict()
        version = store.schema_version()
    if args.json:
        print(json.dumps({**counts, "schema_version": version}, indent=2, sort_keys=True))
        return 0
    print(f"schema version {version}")
    for section in ("nodes", "relationships"):
        print(f"\n{section}")
        for name, n in sorted(counts[section].items()):
            print(f"  {name:<20} {n:>10,}")
    return 0
