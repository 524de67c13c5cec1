"""`scrgraph extract FILE`: read a review document and show its recommendations."""

from __future__ import annotations

import argparse
import json
import sys
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
    print(f"kind:  {review.review_type}")
    print(f"board: {review.board or review.area or 'not stated (use --board)'}")
    print(f"year:  {review.year or 'not stated (use --year)'}")
    if review.response_due:
        print(f"response due: {review.response_due.isoformat()} (56 days after the report)")
    print(f"{len(review.recommendations)} recommendation(s)\n")
    for rec in review.recommendations:
        print(f"Recommendation {rec.number} ({rec.location})")
        print(textwrap.fill(rec.text, width=96, initial_indent="  ", subsequent_indent="  "))
        themes = ", ".join(f"{t.theme} [{t.evidence}]" for t in rec.themes) or "none"
        agencies = ", ".join(f"{a.name} ({a.sector})" for a in rec.agencies) or "none"
        print(f"  themes:   {themes}")
        print(f"  agencies: {agencies}\n")
    print("review themes: " + (", ".join(review.theme_keys) or "none"))
    if review.actions:
        print(f"\n{len(review.actions)} action(s) from action-plan tables")
        for act in review.actions:
            owner = act.owner.name if act.owner else (act.owner_text or "no owner")
            due = act.due_date.isoformat() if act.due_date else (act.due_text or "no date")
            print(
                f"  for recommendation {act.recommendation} ({act.location}): {owner}, {due}, {act.status}"
            )
            print(
                textwrap.fill(act.text, width=96, initial_indent="    ", subsequent_indent="    ")
            )
    if review.warnings:
        # Read but not kept, and why: on stderr, so that stdout stays the reading itself.
        for w in review.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 0
