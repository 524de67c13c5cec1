"""`scrgraph generate`: write the deterministic synthetic corpus."""

from __future__ import annotations

import argparse
import time
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
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar (there is none either when stderr is not a terminal)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loaders import generate_corpus
    from scrgraph.progress import RowProgress, wants_progress

    t0 = time.perf_counter()
    bar = RowProgress("generating", unit="reviews") if wants_progress(args.quiet) else None
    try:
        meta = generate_corpus(
            args.out, scale=args.scale, seed=args.seed, fmt=args.format, progress=bar
        )
    finally:
        if bar is not None:
            bar.close()
    took = time.perf_counter() - t0
    print(f"wrote {meta['name']} to {args.out}")
    for name, n in sorted(meta["rows"].items()):
        print(f"  {name:<26} {n:>10,}")
    print(summary_line(meta["rows"], took))
    return 0


def summary_line(rows: dict[str, int], seconds: float) -> str:
    """The last line: rows and reviews written, and how fast."""
    total = sum(rows.values())
    rate = f", {total / seconds:,.0f} rows/s" if seconds > 0 and total else ""
    return (
        f"  {total:,} rows ({rows.get('reviews', 0):,} reviews) in {len(rows)} files, "
        f"{seconds:.1f}s{rate}"
    )
