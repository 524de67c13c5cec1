"""Bulk loading: a folder of review documents (.txt, .md, .pdf), each in one transaction.

`load_folder` reads every document of a folder in a process pool (the reading is the slow,
CPU-bound part) and writes each one from the calling process, one transaction per document:
its review, recommendations, agencies and actions, its Source node and a LoadRun node for it,
finished. That LoadRun is the ledger: its id is a hash of the taxonomy, the reader's version
(`loaders.extract.READER_VERSION`), the file's name and content and the options it was read
with, so a run killed at any point and started again skips every document already written (it
says "unchanged"), writes each of the others once, and never leaves a document half-written;
after the reader changes (its version goes up) every document is read and written again, over
the same review and items, a person's decisions in the review queue kept. A bad document
(encrypted, no text layer, not a review, too many pages, not UTF-8) is refused with its reason
and the rest go on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from graph_schema import Label, RelType
from graph_store.base import Batch, GraphStore, NodeWrite, RelWrite, Row
from loaders.extract.version import READER_VERSION
from loaders.id_series import IdSeries, batch_records
from loaders.load import (
    DOCUMENT_SUFFIXES,
    LoadReport,
    Progress,
    _batches,
    _file_sha256,
    _items,
    _write_all,
    stamp_reviews,
)
from loaders.taxonomy import CURRENT_TAXONOMY_VERSION
from loaders.validate import taxonomy_corpus
from scrgraph.errors import ConstraintViolation, InputError, MissingEndpoint, SchemaViolation
from scrgraph.settings import DEFAULT_MAX_PAGES

Outcome = Literal["written", "unchanged", "refused", "would write"]


@dataclass(frozen=True)
class ReadOptions:
    """How every document of the folder is read (what `scrgraph load FILE` takes for one)."""

    status: str = "draft"
    board: str | None = None
    year: int | None = None
    kind: str | None = None
    max_pages: int = DEFAULT_MAX_PAGES
    ocr: bool = False  # read scanned PDFs (no text layer) by OCR


@dataclass
class DocumentResult:
    """What happened to one document of the folder."""

    name: str
    outcome: Outcome
    reason: str = ""  # why it was refused
    review_type: str = ""
    recommendations: int = 0
    actions: int = 0
    themes: int = 0
    agencies: int = 0
    warnings: list[str] = field(default_factory=list)
    # The same file was written before, read otherwise (a new reader, taxonomy or options).
    again: bool = False

    def line(self) -> str:
        """One line for the per-document summary."""
        if self.outcome == "refused":
            return f"  refused     {self.name}: {self.reason}"
        if self.outcome == "unchanged":
            return f"  unchanged   {self.name}"
        found = (
            f"{self.review_type}, {_n(self.recommendations, 'recommendation')}, "
            f"{_n(self.actions, 'action')}, {_n(self.themes, 'theme')}, "
            f"{_n(self.agencies, 'agency', 'agencies')}"
        )
        if self.warnings:
            found += f"; {_n(len(self.warnings), 'warning')}"
        if self.again:
            found += "; read again (the same file, read before by another reader or options)"
        return f"  {self.outcome:<11} {self.name}: {found}"


@dataclass
class BulkReport:
    """What a bulk load did, document by document."""

    path: str
    dry_run: bool
    jobs: int
    documents: list[DocumentResult] = field(default_factory=list)
    duration: float = 0.0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for d in self.documents if d.outcome == outcome)

    @property
    def refused(self) -> list[DocumentResult]:
        return sorted((d for d in self.documents if d.outcome == "refused"), key=lambda d: d.name)

    def summary(self) -> str:
        """The final lines: how many documents were written, unchanged and refused, and why."""
        n = len(self.documents)
        rate = f"{n / self.duration:,.1f} documents/s" if self.duration > 0 and n else "-"
        procs = _n(self.jobs, "process", "processes")
        again = sum(1 for d in self.documents if d.again and d.outcome != "refused")
        read_again = f" ({again:,} of them read again: a new reader, taxonomy or options)"
        lines = [
            f"{'dry run: ' if self.dry_run else ''}{self.path}: {_n(n, 'document')} in "
            f"{self.duration:.1f}s ({rate}, {procs} reading)",
            f"  {self.count('would write' if self.dry_run else 'written'):,} "
            f"{'would be written' if self.dry_run else 'written'}"
            f"{read_again if again else ''}, "
            f"{self.count('unchanged'):,} unchanged, {self.count('refused'):,} refused",
        ]
        if self.refused:
            lines.append("  refused (nothing of them was written; fix them and load again):")
            lines += [f"    {d.name}: {d.reason}" for d in self.refused]
        return "\n".join(lines)


def _n(count: int, thing: str, things: str | None = None) -> str:
    return f"{count:,} {thing if count == 1 else (things or thing + 's')}"


def is_document_folder(path: Path) -> bool:
    """A folder of review documents, not a corpus: no corpus file, and a document in it."""
    from loaders.models import FILES, METADATA_FILE

    if not path.is_dir():
        return False
    if (path / METADATA_FILE).exists() or any(
        (path / f"{spec.name}.{ext}").exists() for spec in FILES for ext in ("csv", "jsonl")
    ):
        return False
    return any(p.suffix.lower() in DOCUMENT_SUFFIXES for p in _files(path))


def _files(path: Path) -> Iterator[Path]:
    """Every file under `path`, hidden ones (".DS_Store", ".git") aside, in name order."""
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path)
        if p.is_file() and not any(part.startswith(".") for part in rel.parts):
            yield p


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def document_run_id(
    taxonomy_hash: str, name: str, sha256: str, options: ReadOptions, *, reader_version: int
) -> str:
    """The ledger key of one document: what was read (name and content), how, and by which
    version of the reader (a new reader reads the document again)."""
    how = f"|status={options.status}|board={options.board}|year={options.year}|kind={options.kind}"
    what = f"{taxonomy_hash}|reader={reader_version}|{name}|{sha256}{how}"
    digest = hashlib.sha256(what.encode()).hexdigest()
    return f"run-{digest[:16]}"


def _page_count(path: Path) -> int | None:
    """Pages of a PDF (None if pypdf cannot tell: the reader then says why), or of a text."""
    if path.suffix.lower() != ".pdf":
        return path.read_bytes().count(b"\f") + 1
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError):
        return None


def _reason(path: Path, message: str) -> str:
    """An error's message without the file's path in front (the summary names the file)."""
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def read_one(path: Path, options: ReadOptions) -> tuple[DocumentResult, Batch | None]:
    """Read one document (in a worker process): its result, and its writes unless refused."""
    from loaders.extract import ThemeTagger, extract_document, review_batches

    name = path.name
    try:
        pages = _page_count(path)
        if pages is not None and pages > options.max_pages:
            return DocumentResult(
                name,
                "refused",
                reason=f"{pages} pages, more than SCRGRAPH_MAX_PAGES={options.max_pages}; "
                "not read (raise the setting to read it)",
            ), None
        review = extract_document(
            path,
            board=options.board,
            year=options.year,
            tagger=ThemeTagger(CURRENT_TAXONOMY_VERSION),
            document_kind=options.kind,
            ocr=options.ocr,
        )
        if not review.recommendations:
            return DocumentResult(
                name,
                "refused",
                reason="no recommendations or matters of concern found: not a review, or in a "
                "layout the reader does not know (`scrgraph extract` shows what it reads)",
            ), None
        review.status = options.status
        batches = review_batches(review, source_file=str(path))
    except InputError as e:
        return DocumentResult(name, "refused", reason=_reason(path, str(e))), None
    except Exception as e:
        return DocumentResult(
            name, "refused", reason=f"the reader failed ({type(e).__name__}: {e}); please report it"
        ), None
    result = DocumentResult(
        name,
        "written",
        review_type=review.review_type,
        recommendations=len(review.recommendations),
        actions=len(review.actions),
        themes=len(review.themes),
        agencies=len(review.agencies),
        warnings=list(review.warnings),
    )
    return result, Batch(
        nodes=[nw for b in batches for nw in b.nodes], rels=[rw for b in batches for rw in b.rels]
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _with_ledger(batch: Batch, path: Path, sha256: str, run_id: str, started_at: str) -> Batch:
    """The document's writes with its Source and its finished LoadRun: one transaction."""
    reviews = stamp_reviews([batch], run_id)
    source: Row = {
        "id": path.name,
        "file": str(path),
        "kind": path.suffix.lower().lstrip("."),
        "rows": 1,
        "sha256": sha256,
        "load_run": run_id,
    }
    run: Row = {
        "id": run_id,
        "path": str(path),
        "started_at": started_at,
        "finished_at": _now(),
        "counts": json.dumps({path.name: len(reviews)}, sort_keys=True),
        "taxonomy_version": CURRENT_TAXONOMY_VERSION,
        "synthetic": False,
    }
    return Batch(
        nodes=[*batch.nodes, NodeWrite(Label.SOURCE, [source]), NodeWrite(Label.LOAD_RUN, [run])],
        rels=[
            *batch.rels,
            RelWrite(RelType.LOADED, [{"start": run_id, "end": path.name, "props": {}}]),
            RelWrite(
                RelType.FROM_SOURCE, [{"start": r, "end": path.name, "props": {}} for r in reviews]
            ),
        ],
        # What a reload cleans (loaders.extract.batch.keep_decisions), in the same transaction.
        delete_nodes=batch.delete_nodes,
        delete_rels=batch.delete_rels,
    )


def load_folder(
    store: GraphStore,
    path: Path | str,
    *,
    options: ReadOptions | None = None,
    jobs: int | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_document: Callable[[DocumentResult], None] | None = None,
) -> BulkReport:
    """Load every review document under the folder `path`; see the module's docstring.

    `jobs` processes read the documents (the machine's cores unless told; 1 reads them in
    this process). `progress(done, total)` is called per document, and `on_document` with
    each document's result as soon as it is written (or refused, or found unchanged).
    """
    options = options or ReadOptions()
    path = Path(path)
    jobs = max(1, jobs if jobs is not None else default_jobs())
    t0 = time.perf_counter()
    started_at = _now()
    report = BulkReport(str(path), dry_run, jobs)

    def done(result: DocumentResult) -> None:
        report.documents.append(result)
        if on_document is not None:
            on_document(result)
        if progress is not None:
            progress(len(report.documents), total)

    taxonomy = taxonomy_corpus(path)
    tax_hash = taxonomy.content_hash()
    todo: list[tuple[Path, str, str]] = []  # (file, sha256, run id)
    seen: dict[str, Path] = {}
    refused: list[DocumentResult] = []
    for p in _files(path):
        if p.suffix.lower() not in DOCUMENT_SUFFIXES:
            refused.append(
                DocumentResult(p.name, "refused", reason="not a .txt, .md or .pdf review document")
            )
        elif p.name in seen:
            refused.append(
                DocumentResult(
                    str(p.relative_to(path)),
                    "refused",
                    reason=f"another document of the same name was read ({seen[p.name]}); "
                    "rename one",
                )
            )
        else:
            seen[p.name] = p.relative_to(path)
            sha = _file_sha256(p)
            run_id = document_run_id(tax_hash, p.name, sha, options, reader_version=READER_VERSION)
            todo.append((p, sha, run_id))
    total = len(todo) + len(refused)
    for r in refused:
        done(r)
    ledger = store.get_nodes(Label.LOAD_RUN, [run_id for _, _, run_id in todo])
    finished = {k for k, v in ledger.items() if v.get("finished_at")}
    for p, _, run_id in todo:
        if run_id in finished:
            done(DocumentResult(p.name, "unchanged"))
    todo = [t for t in todo if t[2] not in finished]
    # A document whose file was written before, unchanged, is read again because the reader,
    # the taxonomy or the options changed: its summary line says so.
    sources = store.get_nodes(Label.SOURCE, [p.name for p, _, _ in todo])
    again = {p.name for p, sha, _ in todo if sources.get(p.name, {}).get("sha256") == sha}

    if todo and not dry_run:
        # The taxonomy and the sectors first, as for one document: a recommendation's themes
        # link to them. Merging them again changes nothing.
        tax_run = f"run-{hashlib.sha256(f'{tax_hash}|documents'.encode()).hexdigest()[:16]}"
        items, _ = _items(taxonomy, store, tax_run, started_at)
        tax_report = LoadReport(tax_run, str(path), False, {})
        tax_report.rows = len(items)
        _write_all(store, _batches(items, 5000), None, tax_run, str(path), started_at, tax_report)

    # Ids that would count hidden records (id_series): each document is checked against the
    # graph and the documents written before it.
    series = IdSeries.of_store(store) if todo else None

    def write(p: Path, sha: str, run_id: str, result: DocumentResult, batch: Batch | None) -> None:
        records = (
            batch_records([(nw.label, nw.rows) for nw in batch.nodes], p.name) if batch else []
        )
        gaps = series.check(records) if series is not None else []
        if batch is not None and gaps:
            more = f" (and {len(gaps) - 1} more)" if len(gaps) > 1 else ""
            result = DocumentResult(p.name, "refused", reason=f"not written: {gaps[0]}{more}")
            batch = None
        if batch is not None and dry_run:
            result.outcome = "would write"
            if series is not None:
                series.add(records)
        elif batch is not None:
            try:
                # A person's decisions in the review queue stand (loaders.extract.batch).
                from loaders.extract import keep_decisions

                kept = keep_decisions(store, [batch])[0]
                store.write(_with_ledger(kept, p, sha, run_id, started_at))
                if series is not None:
                    series.add(records)
            except (ConstraintViolation, MissingEndpoint, SchemaViolation, InputError) as e:
                result = DocumentResult(p.name, "refused", reason=f"not written: {e}")
        result.again = result.outcome != "refused" and p.name in again
        done(result)

    if jobs == 1 or len(todo) <= 1:
        for p, sha, run_id in todo:
            write(p, sha, run_id, *read_one(p, options))
    else:
        # "spawn": a fresh interpreter per worker, never a fork of a process holding a
        # database connection or a driver's threads.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=ctx) as pool:
            futures: dict[Future[tuple[DocumentResult, Batch | None]], tuple[Path, str, str]] = {
                pool.submit(read_one, p, options): (p, sha, run_id) for p, sha, run_id in todo
            }
            try:
                for fut in as_completed(futures):
                    write(*futures[fut], *fut.result())
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    report.duration = time.perf_counter() - t0
    return report
