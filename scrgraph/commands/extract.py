"""`scrgraph extract FILE`: read a review document and show its recommendations."""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    from graph_schema import REVIEW_TYPES

    p: argparse.ArgumentParser = sub.add_parser(
        "extract",
        help="read a review (.txt, .md, .pdf): recommendations, themes and agencies",
        description="Read a case review document and print each recommendation with its "
        "number, text, themes and agencies. Nothing is written to the graph; "
        "`scrgraph load FILE` loads it.",
    )
    p.add_argument("file", type=Path, help="a .txt, .md or .pdf review document")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--board", help="board name (overrides what the text states)")
    p.add_argument("--year", type=int, help="year of publication (overrides the text)")
    p.add_argument(
        "--kind", choices=REVIEW_TYPES, help="the document's kind, instead of the one found"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loaders.extract import extract_document

    review = extract_document(args.file, board=args.board, year=args.year, document_kind=args.kind)
    if args.json:
        print(json.dumps(review.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(review.title)
    print(f"board: {review.board or 'not stated (use --board)'}")
    print(f"year:  {review.year or 'not stated (use --year)'}")
    print(f"{len(review.recommendations)} recommendation(s)\n")
    for rec in review.recommendations:
        print(f"Recommendation {rec.number} ({rec.location})")
        print(textwrap.fill(rec.text, width=96, initial_indent="  ", subsequent_indent="  "))
        themes = ", ".join(f"{t.theme} [{t.evidence}]" for t in rec.themes) or "none"
        agencies = ", ".join(f"{a.name} ({a.sector})" for a in rec.agencies) or "none"
        print(f"  themes:   {themes}")
        print(f"  agencies: {agencies}\n")
    print("review themes: " + (", ".join(review.theme_keys) or "none"))
    return 0
