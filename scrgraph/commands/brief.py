"""`scrgraph brief`: write a themed briefing for one audience (Markdown, HTML or PDF).

    scrgraph brief --audience police --years 2014-2019 --format html --out police.html
    scrgraph brief --audience dsl --board "Ashdale LSCB" --out schools.pdf

The format follows --format, else the --out file's extension, else Markdown. `--role` picks
the viewer as `scrgraph query` does: `public` (the default) sees published reviews only.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from scrgraph.commands.common import add_store_options, reading_store_from
from scrgraph.errors import ScrgraphError


class BadBriefArgs(ScrgraphError):
    """An argument of `scrgraph brief` is malformed."""

    exit_code = 2


_EXT = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def _audiences_help() -> str:
    from queries.briefing import AUDIENCES, ROLES

    roles = ", ".join(f"{r.key} ({r.label})" for r in ROLES)
    sectors = ", ".join(k for k in AUDIENCES if k not in {r.key for r in ROLES})
    return f"audiences: sectors {sectors}; roles {roles}"


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "brief",
        help="write a short themed briefing for one audience (md, html or pdf)",
        description="Write a briefing of what keeps recurring in case reviews for one "
        "audience: top themes, repeated recommendations, open and overdue actions, what "
        "audits found, and questions for supervision. At most two A4 pages.",
        epilog=_audiences_help(),
    )
    p.add_argument(
        "--audience",
        required=True,
        metavar="SECTOR_OR_ROLE",
        help="a sector key or a role, e.g. police, education, dsl, gp, health_visitor",
    )
    p.add_argument(
        "--board",
        action="append",
        default=[],
        metavar="B",
        help="board id or name (repeatable); boards before or after it in the 2019 reform "
        "are included",
    )
    p.add_argument("--years", metavar="Y1-Y2", help="review years, e.g. 2014-2019, 2016, 2014-")
    p.add_argument("--format", choices=("md", "html", "pdf"), help="default: from --out, or md")
    p.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    p.add_argument("--as-of", metavar="DATE", help="overdue means due before this (default today)")
    p.add_argument(
        "--role",
        default="public",
        choices=("public", "analyst", "inspector", "admin"),
        help="viewer role (default public: published reviews only)",
    )
    add_store_options(p)
    p.set_defaults(func=run)


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """'2014-2019' -> (2014, 2019); '2016' -> (2016, 2016); '2014-' / '-2019' open-ended."""
    if text is None or not text.strip():
        return None, None
    m = re.fullmatch(r"\s*(\d{4})?\s*(?:([-–])\s*(\d{4})?)?\s*", text)
    if m is None or (m.group(1) is None and m.group(3) is None):
        raise BadBriefArgs(f"--years {text!r}: expected YEAR or FIRST-LAST, e.g. 2014-2019")
    first = int(m.group(1)) if m.group(1) else None
    last = int(m.group(3)) if m.group(3) else (first if not m.group(2) else None)
    if first is not None and last is not None and first > last:
        raise BadBriefArgs(f"--years {text!r}: the first year is after the last; swap them")
    return first, last


def pick_format(fmt: str | None, out: str | None) -> str:
    if fmt:
        return fmt
    if out:
        return _EXT.get(Path(out).suffix.lower(), "md")
    return "md"


def run(args: argparse.Namespace) -> int:
    from queries.briefing import build_briefing
    from queries.briefing_render import render
    from scrgraph.commands.query import viewer_for

    year_from, year_to = parse_years(args.years)
    fmt = pick_format(args.format, args.out)
    if fmt == "pdf" and not args.out and sys.stdout.isatty():
        raise BadBriefArgs("a PDF is binary: pass --out FILE (or redirect standard output)")
    with reading_store_from(args) as store:
        briefing = build_briefing(
            store,
            args.audience,
            boards=args.board,
            year_from=year_from,
            year_to=year_to,
            viewer=viewer_for(args.role),
            as_of=args.as_of,
        )
    doc = render(briefing, fmt)
    if args.out:
        path = Path(args.out)
        if isinstance(doc, bytes):
            path.write_bytes(doc)
        else:
            path.write_text(doc, encoding="utf-8")
        print(
            f"wrote {path} ({fmt}): {briefing.audience_label}, "
            f"{briefing.recommendations:,} recommendations, {len(briefing.sources)} reviews cited",
            file=sys.stderr,
        )
    elif isinstance(doc, bytes):
        sys.stdout.buffer.write(doc)
    else:
        sys.stdout.write(doc)
    return 0
