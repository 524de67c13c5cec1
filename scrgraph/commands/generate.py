"""`scrgraph generate`: write the deterministic synthetic corpus."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    from loaders import SCALES

    p: argparse.ArgumentParser = sub.add_parser(
        "generate",
        help="write a synthetic corpus (invented names, realistic shape)",
        description="The same scale and seed always write the same files.",
    )
    p.add_argument("--scale", choices=SCALES, default="demo", help="demo (~300 reviews), "
                   "national (~3,000 reviews) or large (over a million nodes)")  # fmt: skip
    p.add_argument("--seed", type=int, default=42, help="random seed (42)")
    p.add_argument("--out", required=True, help="folder to write the corpus into")
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="file format (csv)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loaders import generate_corpus

    meta = generate_corpus(args.out, scale=args.scale, seed=args.seed, fmt=args.format)
    print(f"wrote {meta['name']} to {args.out}")
    for name, n in sorted(meta["rows"].items()):
        print(f"  {name:<26} {n:>10,}")
    return 0
