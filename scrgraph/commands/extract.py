"""`scrgraph extract FILE`: read a review document and show its recommendations."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loaders.extract import ExtractedReview


def register(sub: Any) -> None:
    from graph_schema import REVIEW_TYPES

    p: argparse.ArgumentParser = sub.add_parser(
        "extract",
        help="read a review (.txt, .md, .pdf): recommendations, themes and agencies",
        description="Read a case review document and print each recommendation with its "
        "number, text, themes and agencies. Nothing is written to the graph; "
        "`scrgraph load FILE` loads it.",
    )
    p.add_argument(
        "file",
        type=Path,
        nargs="+",
        help="a .txt, .md or .pdf review document (several: each read in turn, a summary last)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--board", help="board name (overrides what the text states)")
    p.add_argument("--year", type=int, help="year of publication (overrides the text)")
    p.add_argument(
        "--kind", choices=REVIEW_TYPES, help="the document's kind, instead of the one found"
    )
    p.add_argument(
        "--ocr",
        action="store_true",
        help="read a scanned PDF (no text layer) by OCR; needs the tesseract program "
        "(Debian: apt-get install tesseract-ocr)",
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="several files: no progress bar (there is none either when stderr is not a terminal)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if len(args.file) == 1:
        return _one(args, args.file[0])
    return _many(args)


def _many(args: argparse.Namespace) -> int:
    """Several files: each reading (or a JSON list), a bar on stderr, then one summary line.

    A file that cannot be read is named with its reason on stderr and the others go on; the
    exit status is 1 if any was refused.
    """
    from loaders.extract import extract_document
    from scrgraph.errors import InputError
    from scrgraph.progress import RowProgress, wants_progress

    t0 = time.perf_counter()
    bar = RowProgress("reading", unit="documents") if wants_progress(args.quiet) else None
    readings: list[dict[str, Any]] = []
    refused: list[str] = []
    recs = 0
    try:
        for i, path in enumerate(args.file, start=1):
            try:
                review = extract_document(
                    path, board=args.board, year=args.year, document_kind=args.kind, ocr=args.ocr
                )
            except InputError as e:
                refused.append(str(e))
                print(f"refused: {e}", file=sys.stderr)
            else:
                recs += len(review.recommendations)
                if args.json:
                    readings.append({"file": str(path), **review.as_json()})
                else:
                    print(f"== {path}")
                    _print_review(review)
                    print()
            if bar is not None:
                bar(i, len(args.file))
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print(json.dumps(readings, indent=2, ensure_ascii=False))
    took = time.perf_counter() - t0
    rate = f", {len(args.file) / took:,.1f} documents/s" if took > 0 else ""
    print(
        f"extract: {len(args.file)} documents in {took:.1f}s{rate}: "
        f"{len(args.file) - len(refused)} read ({recs} recommendations), {len(refused)} refused",
        file=sys.stderr,
    )
    return 1 if refused else 0


def _one(args: argparse.Namespace, path: Path) -> int:
    from loaders.extract import extract_document

    review = extract_document(
        path, board=args.board, year=args.year, document_kind=args.kind, ocr=args.ocr
    )
    if args.json:
        print(json.dumps(review.as_json(), indent=2, ensure_ascii=False))
        return 0
    _print_review(review)
    return 0


def _print_review(review: ExtractedReview) -> None:
    from loaders.extract import QUEUE_THRESHOLD

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
        print(f"  agencies: {agencies}")
        queued = " - queued for review" if rec.confidence < QUEUE_THRESHOLD else ""
        print(f"  confidence: {rec.confidence:.2f}{queued} ({'; '.join(rec.reasons)})\n")
    print("review themes: " + (", ".join(review.theme_keys) or "none"))
    queued = " - queued for review" if review.confidence < QUEUE_THRESHOLD else ""
    print(f"confidence: {review.confidence:.2f}{queued} ({'; '.join(review.reasons)})")
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
