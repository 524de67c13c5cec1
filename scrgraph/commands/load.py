"""`scrgraph load`: validate a corpus (or one review document) and merge it into the store."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrgraph.commands.common import add_store_options, store_from, writable_store_from
from scrgraph.errors import InputError
from scrgraph.progress import progress

if TYPE_CHECKING:
    from loaders.load import LoadReport


def register(sub: Any) -> None:
    from graph_schema import REVIEW_STATUSES, REVIEW_TYPES

    p: argparse.ArgumentParser = sub.add_parser(
        "load",
        help="validate a corpus folder (or a .txt, .md or .pdf review, or an action plan) and "
        "load it",
        description="Validate every file first; on any problem, list them all and write nothing. "
        "Loading the same corpus again changes nothing.",
    )
    p.add_argument(
        "path",
        help="corpus folder, one .txt, .md or .pdf review document, or (with --review) an "
        "action plan as .xlsx or .csv",
    )
    add_store_options(p)
    p.add_argument("--dry-run", action="store_true", help="validate and count; write nothing")
    p.add_argument(
        "--batch-size", type=int, default=5000, metavar="N", help="rows per transaction (5000)"
    )
    p.add_argument("--board", help="only reviews of this board id (a document: its board name)")
    p.add_argument("--year", type=int, help="only reviews of this year (a document: its year)")
    p.add_argument(
        "--status",
        choices=REVIEW_STATUSES,
        help="a document's review status (draft: only keys with restricted access see it until "
        "it is published); a corpus folder keeps the statuses in its files",
    )
    p.add_argument(
        "--kind",
        choices=REVIEW_TYPES,
        help="a document's kind, instead of the one found from its text (pfd: a coroner's "
        "report; its coroner area stands for the board unless --board is given)",
    )
    p.add_argument(
        "--ocr",
        action="store_true",
        help="read a scanned PDF (no text layer) by OCR; needs the tesseract program "
        "(Debian: apt-get install tesseract-ocr)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="a folder of documents: processes that read them (default: the machine's cores)",
    )
    p.add_argument(
        "--format",
        choices=("pfd",),
        help="read PATH as a table in this layout (pfd: a CSV of coroners' Prevention of "
        "Future Deaths reports with the columns url, id, date, coroner, area, receiver, "
        "investigation, circumstances, concerns); see loaders/pfd_table.py",
    )
    p.add_argument(
        "--review",
        metavar="ID",
        help="read PATH (.xlsx or .csv) as the action plan of the review with this id: each "
        "row becomes an Action of the recommendation whose number it names; see "
        "loaders/action_plan.py",
    )
    p.add_argument(
        "--mapping",
        metavar="FILE",
        help="with --review: a .json or .toml file naming the plan's columns "
        '({"columns": {"recommendation": "Ref", "action": "What we will do"}}, and optionally '
        '"sheet" and "header_row"), instead of reading them from the headers',
    )
    p.add_argument(
        "--neo4j-import",
        metavar="DIR",
        help="a first load of an empty Neo4j, the fastest way: validate the corpus folder and "
        "write it into DIR as the CSV files of neo4j-admin database import, instead of "
        "writing to a store; then run `scripts/neo4j-local import DIR` (it replaces the "
        "database) and `scrgraph schema --backend neo4j`",
    )
    p.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar (there is none either when stderr is not a terminal)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from loaders import load_corpus
    from loaders.bulk import is_document_folder

    opener = store_from if args.dry_run else writable_store_from
    if args.neo4j_import is not None:
        return _run_import_csv(args)
    if args.review is not None or Path(args.path).suffix.lower() == ".xlsx":
        return _run_plan(args, opener)
    if args.mapping is not None:
        raise InputError("--mapping applies to an action plan, loaded with --review ID")
    if args.format is not None:
        return _run_table(args, opener)
    if Path(args.path).is_file() and Path(args.path).suffix.lower() == ".csv":
        raise InputError(
            f"{args.path} is one CSV table: load an action plan with --review ID, or a table "
            "of PFD reports with --format pfd; a corpus is a folder of such files"
        )
    if is_document_folder(Path(args.path)):
        return run_folder(args)
    with progress("loading", quiet=args.quiet or args.dry_run) as bar, opener(args) as store:
        report = load_corpus(
            store,
            args.path,
            batch_size=args.batch_size,
            dry_run=args.dry_run,
            progress=bar,
            board=args.board,
            year=args.year,
            status=args.status,
            kind=args.kind,
            ocr=args.ocr,
        )
    return _print(report)


def _run_import_csv(args: argparse.Namespace) -> int:
    """`--neo4j-import DIR`: the corpus's rows as neo4j-admin import files (graph_store.neo4j_import)."""
    from graph_store.neo4j_import import ImportCsvStore
    from loaders import load_corpus

    if args.dry_run or args.review or args.format or not Path(args.path).is_dir():
        raise InputError(
            "--neo4j-import takes a corpus folder, without --dry-run, --review or --format"
        )
    sink = ImportCsvStore()
    try:
        with progress("reading", quiet=args.quiet) as bar:
            report = load_corpus(sink, args.path, progress=bar, board=args.board, year=args.year)
        out = Path(args.neo4j_import)
        sink.write_files(out)
        nodes, rels = sink.taken()
    finally:
        sink.close()
    print(
        f"wrote {nodes:,} nodes and {rels:,} relationships ({report.rows:,} rows read) to "
        f"{out} for neo4j-admin database import.\nNext, for the local server: "
        f"scripts/neo4j-local import {out}, then scrgraph schema --backend neo4j"
    )
    return 0


def _run_table(args: argparse.Namespace, opener: Any) -> int:
    """`--format pfd`: a table of PFD reports (loaders.pfd_table)."""
    from loaders.pfd_table import load_pfd_table

    _refuse_flags(
        args,
        ("board", "year", "kind"),
        f"--format {args.format}: each report's row says its area, date and kind",
    )
    return _load_with(
        args,
        opener,
        lambda store, bar: load_pfd_table(
            store,
            args.path,
            batch_size=args.batch_size,
            dry_run=args.dry_run,
            progress=bar,
            status=args.status,
        ),
    )


def _run_plan(args: argparse.Namespace, opener: Any) -> int:
    """`--review ID`: an action plan spreadsheet (loaders.action_plan)."""
    from loaders.action_plan import load_action_plan

    if args.review is None:
        raise InputError(
            f"{args.path} is a spreadsheet: an action plan needs the review it answers; "
            "load it with --review ID"
        )
    _refuse_flags(
        args,
        ("board", "year", "kind", "status", "format", "jobs"),
        "an action plan (--review): the plan's rows are actions of the review's recommendations",
    )
    return _load_with(
        args,
        opener,
        lambda store, bar: load_action_plan(
            store,
            args.path,
            review=args.review,
            mapping=args.mapping,
            dry_run=args.dry_run,
            progress=bar,
        ),
    )


def _refuse_flags(args: argparse.Namespace, flags: tuple[str, ...], what: str) -> None:
    for flag in flags:
        if getattr(args, flag) is not None:
            raise InputError(f"--{flag} does not apply to {what}")


def _load_with(
    args: argparse.Namespace, opener: Any, load: Callable[[Any, Any], LoadReport]
) -> int:
    """Run `load(store, progress bar)` on the store the arguments name, and print its report."""
    with progress("loading", quiet=args.quiet or args.dry_run) as bar, opener(args) as store:
        report = load(store, bar)
    return _print(report)


def _print(report: LoadReport) -> int:
    for w in report.warnings:
        print(w, file=sys.stderr)
    print(f"{'dry run: ' if report.dry_run else ''}{report.path}  (run {report.run_id})")
    print(f"\n  {'file':<28} {'rows':>10}")
    for name, n in sorted(report.counts.items()):
        print(f"  {name:<28} {n:>10,}")
    _table("label", report.nodes, report.new_nodes, report.dry_run)
    _table("relationship", report.relationships, report.new_relationships, report.dry_run)
    print(
        f"\n  {report.similar_pairs:,} repeated-recommendation pairs; "
        f"{len(report.warnings)} warning(s); {rate(report)}"
        + ("; the corpus says it is synthetic" if report.synthetic else "")
    )
    if not report.dry_run:
        print("  " + change_summary(report))
    n = report.nodes.get("Review", 1)
    what = "the review is" if n == 1 else f"the {n:,} reviews are"
    if report.document_status == "draft":
        them = "it" if n == 1 else "them"
        print(
            f"  {what} {'a draft' if n == 1 else 'drafts'}: only keys with restricted access "
            f"see {them}; load {them} again with --status published to make {them} public"
        )
    elif report.document_status:
        print(f"  {what} {report.document_status}")
    return 0


def rate(report: LoadReport) -> str:
    """How long the load took, and its rows per second when anything was written."""
    took = f"{report.duration:.1f}s"
    if report.rows and report.duration > 0:
        took += f" ({report.rows:,} rows, {report.rows / report.duration:,.0f} rows/s)"
    return took


def _table(kind: str, written: dict[str, int], new: dict[str, int] | None, dry_run: bool) -> None:
    if dry_run or new is None:
        print(f"\n  {kind:<28} {'would write':>11}")
        for name, n in sorted(written.items()):
            print(f"  {name:<28} {n:>11,}")
        return
    print(f"\n  {kind:<28} {'in the load':>11} {'new':>10}")
    for name, n in sorted(written.items()):
        print(f"  {name:<28} {n:>11,} {new.get(name, 0):>10,}")


def change_summary(report: LoadReport) -> str:
    """One line: how much of the load was new to the store, and how much was there already.

    "Unchanged" is said only when this very corpus (the run id is a hash of its content) was
    loaded before, so that every row merged again carries the values it carried then.
    """
    nodes, rels = sum(report.nodes.values()), sum(report.relationships.values())
    new_n = sum((report.new_nodes or {}).values())
    new_r = sum((report.new_relationships or {}).values())
    old = f"{nodes - new_n:,} nodes and {rels - new_r:,} relationships"
    if new_n == 0 and new_r == 0:
        if report.loaded_before:
            return (
                f"nothing changed: 0 new, {old} unchanged (run {report.run_id} was loaded before)"
            )
        return f"nothing new: 0 new, {old} were already there and were merged"
    new = f"{_n(new_n, 'new node')}, {_n(new_r, 'new relationship')}"
    if new_n == nodes and new_r == rels:
        return f"{new}; nothing was there before"
    return f"{new}; {old} were already there and were merged"


def _n(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def run_folder(args: argparse.Namespace) -> int:
    """A folder of review documents: one line per document, then the summary.

    Exit 0 when every document was written or was there already, 1 when any was refused
    (each is listed with its reason; the others were written all the same).
    """
    from tqdm import tqdm

    from loaders.bulk import DocumentResult, ReadOptions, load_folder
    from scrgraph.commands.common import settings_from
    from scrgraph.progress import RowProgress, wants_progress

    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {args.jobs}")
    options = ReadOptions(
        status=args.status or "draft",
        board=args.board,
        year=args.year,
        kind=args.kind,
        max_pages=settings_from(args).max_pages,
        ocr=args.ocr,
    )
    bar = RowProgress("loading", unit="documents") if wants_progress(args.quiet) else None

    def say(result: DocumentResult) -> None:
        if bar is not None:
            tqdm.write(result.line(), file=sys.stdout)
        else:
            print(result.line(), flush=True)
        for w in result.warnings:
            print(f"warning: {result.name}: {w}", file=sys.stderr)

    opener = store_from if args.dry_run else writable_store_from
    try:
        with opener(args) as store:
            report = load_folder(
                store,
                args.path,
                options=options,
                jobs=args.jobs,
                dry_run=args.dry_run,
                progress=bar,
                on_document=say,
            )
    finally:
        if bar is not None:
            bar.close()
    print(report.summary())
    if options.status == "draft" and report.count("written"):
        print(
            "  the reviews are drafts: only keys with restricted access see them; "
            "load the folder again with --status published to make them public"
        )
    return 1 if report.refused else 0
