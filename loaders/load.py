"""The write stage: a validated corpus into a GraphStore, in batches, idempotently.

Every batch is one transaction (`GraphStore.write`). Nodes are written before the
relationships that need them; a batch may mix labels. The LoadRun's id is derived from the
corpus content, so loading the same corpus again merges onto the same nodes and leaves every
count as it was (it only refreshes the run's times); a changed row updates its node.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_schema import SECTORS, Label, RelType, node_spec
from graph_store.base import Batch, GraphStore, NodeWrite, RelWrite, Row
from loaders.id_series import PARENT_FIELD, IdSeries, Incoming, batch_records
from loaders.models import FILE_BY_NAME, LINK_FILES, WRITE_ORDER
from loaders.readers import Problem
from loaders.similarity import SimilarityIndex
from loaders.taxonomy import CURRENT_TAXONOMY_VERSION
from loaders.validate import (
    DEFAULT_TAXONOMY_SOURCE,
    Corpus,
    Record,
    SourceFile,
    Spill,
    parse_corpus,
    taxonomy_corpus,
)
from scrgraph.errors import InputError

Progress = Callable[[int, int], None]  # (rows written so far, rows in all)

DEFAULT_BATCH_SIZE = 5000
DOCUMENT_SUFFIXES = (".txt", ".md", ".pdf")
MAX_PROBLEMS_SHOWN = 200

SECTOR_LABELS: dict[str, str] = {
    "health": "Health",
    "police": "Police",
    "childrens_social_care": "Children's social care",
    "education": "Education",
    "early_years_pvi": "Early years and PVI sector",
    "probation_youth_justice": "Probation and youth justice",
    "adult_services": "Adult services",
    "housing": "Housing",
    "board": "Safeguarding board or partnership",
    "central_government": "Central government",
}
assert set(SECTOR_LABELS) == set(SECTORS)


@dataclass
class LoadReport:
    """What a load did (or, for a dry run, would do)."""

    run_id: str
    path: str
    dry_run: bool
    counts: dict[str, int]  # rows per corpus file
    nodes: dict[str, int] = field(default_factory=dict)  # distinct nodes written per label
    relationships: dict[str, int] = field(default_factory=dict)  # distinct rels per type
    # What the store did not hold before this load (count after minus count before); None for
    # a dry run.
    new_nodes: dict[str, int] | None = None
    new_relationships: dict[str, int] | None = None
    loaded_before: bool = False  # a finished LoadRun with this id was already in the store
    document_status: str | None = None  # the status a loaded document's review was given
    rows: int = 0  # rows sent to the store (a node or relationship may come more than once)
    similar_pairs: int = 0
    duration: float = 0.0
    warnings: list[str] = field(default_factory=list)
    synthetic: bool = False
    taxonomy_version: int = 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "path": self.path,
            "dry_run": self.dry_run,
            "counts": dict(self.counts),
            "nodes": dict(self.nodes),
            "relationships": dict(self.relationships),
            "new_nodes": None if self.new_nodes is None else dict(self.new_nodes),
            "new_relationships": (
                None if self.new_relationships is None else dict(self.new_relationships)
            ),
            "loaded_before": self.loaded_before,
            "document_status": self.document_status,
            "similar_pairs": self.similar_pairs,
            "duration": round(self.duration, 3),
            "warnings": list(self.warnings),
            "synthetic": self.synthetic,
            "taxonomy_version": self.taxonomy_version,
        }


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def run_id_for(corpus: Corpus, board: str | None = None, year: int | None = None) -> str:
    """The LoadRun id: a hash of the corpus content (and of any filter)."""
    extra = f"|board={board}|year={year}" if board is not None or year is not None else ""
    digest = hashlib.sha256((corpus.content_hash() + extra).encode()).hexdigest()
    return f"run-{digest[:16]}"


def corpus_run_id(path: Path | str) -> str | None:
    """The LoadRun id a load of this corpus would write, or None if it does not validate."""
    corpus, sink = parse_corpus(path)
    return None if sink.errors else run_id_for(corpus)


def _raise_if_errors(path: Path, problems: list[Problem]) -> None:
    errors = sorted((p for p in problems if not p.warning), key=lambda p: (p.file, p.line or 0))
    _refuse(path, [str(p) for p in errors])


def _refuse(path: Path, problems: list[str], fix: str = "Fix them and load again.") -> None:
    """Raise InputError listing the problems (at most MAX_PROBLEMS_SHOWN), if there are any."""
    if not problems:
        return
    shown = problems[:MAX_PROBLEMS_SHOWN]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
    raise InputError(
        f"{path}: {len(problems)} problem(s) found; nothing was written. {fix}", problems=shown
    )


def _filter(corpus: Corpus, board: str | None, year: int | None) -> None:
    """Keep only reviews of `board` and/or `year`, and what hangs off them."""
    if board is None and year is None:
        return

    def keep_where(name: str, pred: Callable[[Record], bool]) -> set[str]:
        pairs = list(zip(corpus.records[name], corpus.record_source[name], strict=True))
        kept = [(r, s) for r, s in pairs if pred(r)]
        corpus.records[name] = [r for r, _ in kept]
        corpus.record_source[name] = [s for _, s in kept]
        return {r.values["id"] for r, _ in kept} if FILE_BY_NAME[name].is_entity else set()

    reviews = keep_where(
        "reviews",
        lambda r: (
            (board is None or r.values["board_id"] == board)
            and (year is None or r.values["year"] == year)
        ),
    )
    recs = keep_where("recommendations", lambda r: r.values["review_id"] in reviews)
    actions = keep_where("actions", lambda r: r.values["recommendation_id"] in recs)
    keep_where("audits", lambda r: r.values["action_id"] in actions)
    keep_where("review_themes", lambda r: r.values["review_id"] in reviews)
    keep_where("recommendation_themes", lambda r: r.values["recommendation_id"] in recs)
    keep_where("recommendation_agencies", lambda r: r.values["recommendation_id"] in recs)


def corpus_records(corpus: Corpus) -> list[Incoming]:
    """The records of a corpus whose ids public viewers may see or not (see id_series)."""
    out: list[Incoming] = []
    for name, spec in FILE_BY_NAME.items():
        if spec.label not in PARENT_FIELD:
            continue
        field = PARENT_FIELD[spec.label] or "status"
        for r, (src, _) in zip(corpus.records[name], corpus.record_source[name], strict=True):
            up = r.values.get(field)
            out.append(
                Incoming(
                    spec.label, r.values["id"], None if up is None else str(up), src.name, r.line
                )
            )
    return out


def check_id_series(path: Path, store: GraphStore, batches: list[Batch]) -> None:
    """Refuse, before writing, a load whose ids would count hidden records (id_series)."""
    rows = [(nw.label, nw.rows) for b in batches for nw in b.nodes]
    problems = IdSeries.of_store(store).check(batch_records(rows, path.name))
    _raise_if_errors(path, problems)


Item = tuple[str, Any, Row]  # ("node", Label, row) or ("rel", RelType, row)
Rows = Iterator[tuple[dict[str, Any], SourceFile, int]]  # (values, source, line)


def _records(corpus: Corpus, name: str, spill: Spill | None = None) -> Rows:
    """The records of one corpus file as (values, source, line), in read order.

    Without `spill` the corpus holds them. With it the corpus holds slim records (and only
    those a board/year filter kept) and the whole records are read back from the spill: a
    merge walk, since both are in read order and filtering only removes.
    """
    pairs = zip(corpus.records[name], corpus.record_source[name], strict=True)
    if spill is None:
        for rec, (src, line) in pairs:
            yield rec.values, src, line
        return
    reading: dict[str, Iterator[tuple[int, dict[str, Any]]]] = {}
    for _, (src, line) in pairs:
        it = reading.get(src.name)
        if it is None:
            it = reading[src.name] = spill.records(src.name)
        for spilled_line, values in it:
            if spilled_line == line:
                yield values, src, line
                break


class _Similar:
    """Repeated recommendations, linked as they stream past (see loaders.similarity)."""

    def __init__(self) -> None:
        self.index = SimilarityIndex()
        self.review_of: dict[str, str] = {}
        self.pairs: list[tuple[str, str, float]] = []

    def add(self, key: str, review: str, text: str) -> None:
        self.review_of[key] = review
        self.index.add(key, text)

    def finish(self) -> list[tuple[str, str, float]]:
        review_of = self.review_of
        self.pairs = [(a, b, s) for a, b, s in self.index.pairs() if review_of[a] != review_of[b]]
        return self.pairs


def _items(
    corpus: Corpus, store: GraphStore, run_id: str, started_at: str
) -> tuple[list[Item], list[tuple[str, str, float]]]:
    """Every node and relationship row, in write order."""
    similar = _Similar()
    items = list(_item_stream(corpus, store, run_id, started_at, similar))
    return items, similar.pairs


def _item_stream(
    corpus: Corpus,
    store: GraphStore,
    run_id: str,
    started_at: str,
    similar: _Similar,
    spill: Spill | None = None,
) -> Iterator[Item]:
    """Every node and relationship row, in write order (nodes, then relationships), made as
    they are needed: with a `spill`, at most one record's whole values at a time in memory
    besides what the caller's batch holds. `similar` collects the repeated recommendations.
    """
    tax_version = corpus.taxonomy_version

    # Sources first (reviews point at them), with the run that read them.
    all_sources = [s for name in corpus.sources for s in corpus.sources[name]]
    for s in all_sources:
        yield ("node", Label.SOURCE, _source_row(s, run_id))

    for key in SECTORS:
        yield ("node", Label.SECTOR, {"id": key, "label": SECTOR_LABELS[key], "load_run": run_id})

    # The slim records hold year and board (see validate.Spill).
    review_info: dict[str, tuple[int, str]] = {
        r.values["id"]: (r.values["year"], r.values["board_id"]) for r in corpus.records["reviews"]
    }
    missing_reviews = {
        r.values["review_id"]
        for r in corpus.records["recommendations"]
        if r.values["review_id"] not in review_info
    }
    if missing_reviews:
        for key, props in store.get_nodes(Label.REVIEW, sorted(missing_reviews)).items():
            review_info[key] = (props.get("year"), props.get("board_id"))  # type: ignore[assignment]

    # Themes: a corpus file overrides the default taxonomy's rows of the same key.
    theme_rows: dict[str, Row] = {}
    for name in WRITE_ORDER:
        spec = FILE_BY_NAME[name]
        assert spec.label is not None
        for values, src, line in _records(corpus, name, spill):
            # The record's own dict becomes the row (no copy: large corpora are big). Every
            # column is present, so an emptied field removes the property on a reload.
            row: Row = values
            for c in spec.columns:
                if c.name not in row:
                    row[c.name] = None
            row["source_file"] = src.name
            row["source_line"] = line
            row["load_run"] = run_id
            if name in ("boards", "agencies"):
                row["declared"] = True  # public vocabulary (see queries.entities.visible)
            if name == "themes":
                row["taxonomy_version"] = tax_version
                theme_rows[row["id"]] = row
                continue
            if name == "recommendations":
                year, board = review_info.get(row["review_id"], (None, None))
                row["year"] = year
                row["board_id"] = board
                similar.add(row["id"], row["review_id"], row["text"])
            yield ("node", spec.label, row)
        if name == "themes":
            yield from (("node", Label.THEME, r) for r in theme_rows.values())
    del review_info

    # Relationships, after every node.
    def rel(t: RelType, start: str, end: str, props: Row | None = None) -> Item:
        return ("rel", t, {"start": start, "end": end, "props": props or {}})

    for v, _, _ in _records(corpus, "agencies", spill):
        yield rel(RelType.IN_SECTOR, v["id"], v["sector"])
    for row in theme_rows.values():
        if row.get("parent"):
            yield rel(RelType.BROADER, row["id"], row["parent"])
    review_sources = {s.name for s in corpus.sources["reviews"]}
    for v, src, _ in _records(corpus, "reviews", spill):
        yield rel(RelType.COMMISSIONED, v["board_id"], v["id"])
        if src.name in review_sources:
            yield rel(RelType.FROM_SOURCE, v["id"], src.name)
    for v, _, _ in _records(corpus, "recommendations", spill):
        yield rel(RelType.MAKES, v["review_id"], v["id"])
    for v, _, _ in _records(corpus, "actions", spill):
        yield rel(RelType.RESPONDS_TO, v["id"], v["recommendation_id"])
        if v.get("owner_agency_id"):
            yield rel(RelType.OWNED_BY, v["id"], v["owner_agency_id"])
    for v, _, _ in _records(corpus, "audits", spill):
        yield rel(RelType.CHECKS, v["id"], v["action_id"])
    for spec in LINK_FILES:
        assert spec.rel is not None and spec.start is not None and spec.end is not None
        extra = [c.name for c in spec.columns if c.name not in (spec.start, spec.end)]
        for v, _, _ in _records(corpus, spec.name, spill):
            props = {k: v[k] for k in extra if v.get(k) is not None}
            yield rel(spec.rel, v[spec.start], v[spec.end], props)

    # Repeated recommendations: similar text in different reviews.
    for a, b, score in similar.finish():
        yield rel(RelType.SIMILAR_TO, a, b, {"score": score})

    # The run, and the sources it read.
    yield (
        "node",
        Label.LOAD_RUN,
        {"id": run_id, "path": str(corpus.path), "started_at": started_at},
    )
    for s in all_sources:
        yield rel(RelType.LOADED, run_id, s.name)


def _source_row(s: SourceFile, run_id: str) -> Row:
    return {
        "id": s.name,
        "file": str(s.path),
        "kind": s.kind,
        "rows": s.rows,
        "sha256": s.sha256,
        "load_run": run_id,
    }


def _batches(items: Iterable[Item], size: int) -> Iterator[Batch]:
    """Consecutive chunks of `size` items, grouped by label and type; a stream of items is
    consumed one chunk at a time."""
    it = iter(items)
    while True:
        chunk = list(itertools.islice(it, size))
        if not chunk:
            return
        nodes: dict[Label, list[Row]] = {}
        rels: dict[RelType, list[Row]] = {}
        for kind, name, row in chunk:
            if kind == "node":
                nodes.setdefault(name, []).append(row)
            else:
                rels.setdefault(name, []).append(row)
        del chunk
        yield Batch(
            nodes=[NodeWrite(label, rows) for label, rows in nodes.items()],
            rels=[RelWrite(t, rows) for t, rows in rels.items()],
        )


def load_corpus(
    store: GraphStore,
    path: Path | str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    progress: Progress | None = None,
    board: str | None = None,
    year: int | None = None,
    status: str | None = None,
    kind: str | None = None,
    ocr: bool = False,
) -> LoadReport:
    """Validate the corpus at `path` and, unless `dry_run`, merge it into `store`.

    `path` is a corpus folder, or one .txt, .md or .pdf document (extracted by
    `loaders.extract`). A document's review gets `status`, `draft` unless told: a new reading
    is not public until someone publishes it; `kind` (one of REVIEW_TYPES) forces its
    document kind. A folder's reviews keep the statuses and kinds in its files. Raises InputError, before writing anything, if the input has problems.
    """
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, got {batch_size}")
    path = Path(path)
    t0 = time.perf_counter()
    started_at = _now()
    if path.is_file() and path.suffix.lower() in DOCUMENT_SUFFIXES:
        return _load_document(
            store,
            path,
            batch_size=batch_size,
            dry_run=dry_run,
            progress=progress,
            board=board,
            year=year,
            status=status or "draft",
            kind=kind,
            ocr=ocr,
            t0=t0,
            started_at=started_at,
        )
    if not path.exists():
        raise InputError(f"{path} does not exist; give a corpus folder or a .txt, .md or .pdf file")
    if status is not None:
        raise InputError(
            f"--status applies to one review document; the reviews of the corpus {path} keep "
            "the status each has in its reviews file"
        )
    if kind is not None:
        raise InputError(
            f"--kind applies to one review document; the reviews of the corpus {path} keep "
            "the review_type each has in its reviews file"
        )

    with tempfile.TemporaryDirectory(prefix="scrgraph-load-") as tmp:
        # Pass one reads and checks every record, keeping slim records in memory and whole
        # ones in a spill on disk; pass two streams the spill into the store in batches.
        spill = Spill(Path(tmp))
        corpus, sink = parse_corpus(path, store, spill=spill)
        _raise_if_errors(path, sink.problems)
        _filter(corpus, board, year)
        _raise_if_errors(path, IdSeries.of_store(store).check(corpus_records(corpus)))
        run_id = run_id_for(corpus, board, year)
        counts = {
            name: len(recs) for name, recs in corpus.records.items() if recs or corpus.sources[name]
        }
        report = LoadReport(
            run_id=run_id,
            path=str(path),
            dry_run=dry_run,
            counts=counts,
            warnings=[str(w) for w in corpus.warnings],
            synthetic=bool(corpus.metadata.get("synthetic", False)),
            taxonomy_version=corpus.taxonomy_version,
        )
        similar = _Similar()
        tally = _Tally()
        items = tally.over(_item_stream(corpus, store, run_id, started_at, similar, spill))
        if dry_run:
            for _ in items:
                pass
        else:
            _write_all(
                store,
                _batches(items, batch_size),
                progress,
                run_id,
                str(path),
                started_at,
                report,
                tally=tally,
                expected_rows=_expected_rows(corpus),
            )
        tally.finish(report)
        report.similar_pairs = len(similar.pairs)
    report.duration = time.perf_counter() - t0
    return report


def _expected_rows(corpus: Corpus) -> int:
    """About how many rows a corpus load writes (for progress; repeated-recommendation
    links, known only at the end, are not counted)."""
    records = sum(len(r) for r in corpus.records.values())
    sources = sum(len(s) for s in corpus.sources.values())
    per_record_rels = sum(
        len(corpus.records[name]) for name in ("agencies", "reviews", "recommendations", "audits")
    ) + 2 * len(corpus.records["actions"])
    return records + per_record_rels + 2 * sources + len(SECTORS) + 1


def _load_document(
    store: GraphStore,
    path: Path,
    *,
    batch_size: int,
    dry_run: bool,
    progress: Progress | None,
    board: str | None,
    year: int | None,
    status: str,
    kind: str | None,
    ocr: bool,
    t0: float,
    started_at: str,
) -> LoadReport:
    """One review document: the default taxonomy, then what `loaders.extract` read from it."""
    # imported only when a document is given
    from loaders.extract import READER_VERSION, extract_to_batch, keep_decisions

    review, doc_batches = extract_to_batch(
        path,
        board=board,
        year=year,
        taxonomy_version=CURRENT_TAXONOMY_VERSION,
        status=status,
        document_kind=kind,
        ocr=ocr,
    )
    corpus = taxonomy_corpus(path)
    sha = _file_sha256(path)
    # The status is part of what was loaded: publishing a draft is a new run, not "unchanged";
    # so is the reader's version: a document read by a new reader is not "loaded before".
    forced = f"|kind={kind}" if kind else ""
    digest = hashlib.sha256(
        f"{corpus.content_hash()}{sha}|status={status}{forced}|reader={READER_VERSION}".encode()
    ).hexdigest()
    run_id = f"run-{digest[:16]}"
    # A person's decisions in the review queue stand: loading again never overwrites them.
    doc_batches = keep_decisions(store, doc_batches)
    check_id_series(path, store, doc_batches)
    items, _ = _items(corpus, store, run_id, started_at)
    doc_source: Row = {
        "id": path.name,
        "file": str(path),
        "kind": path.suffix.lower().lstrip("."),
        "rows": 1,
        "sha256": sha,
        "load_run": run_id,
    }
    reviews = stamp_reviews(doc_batches, run_id)
    tail = Batch(
        nodes=[NodeWrite(Label.SOURCE, [doc_source])],
        rels=[
            RelWrite(RelType.LOADED, [{"start": run_id, "end": path.name, "props": {}}]),
            RelWrite(
                RelType.FROM_SOURCE, [{"start": r, "end": path.name, "props": {}} for r in reviews]
            ),
        ],
    )
    batches = [*_batches(items, batch_size), *doc_batches, tail]
    report = LoadReport(
        run_id=run_id,
        path=str(path),
        dry_run=dry_run,
        counts={path.name: len(reviews), DEFAULT_TAXONOMY_SOURCE: len(corpus.records["themes"])},
        taxonomy_version=corpus.taxonomy_version,
        document_status=status,
        # What the reader saw and did not keep (an action-plan row naming no recommendation).
        warnings=[f"{path.name}: {w}" for w in review.warnings],
    )
    _tally(
        report,
        [
            *(("node", nw.label, row) for b in batches for nw in b.nodes for row in nw.rows),
            *(("rel", rw.type, row) for b in batches for rw in b.rels for row in rw.rows),
        ],
    )
    if not dry_run:
        _write_all(store, batches, progress, run_id, str(path), started_at, report)
    report.duration = time.perf_counter() - t0
    return report


class _Tally:
    """Distinct nodes (by key) and relationships (by ends) per name, and rows in all, counted
    as the rows stream past."""

    def __init__(self) -> None:
        self.nodes: dict[str, set[str]] = {}
        self.rels: dict[str, set[tuple[str, str]]] = {}
        self.rows = 0

    def over(self, items: Iterable[Item]) -> Iterator[Item]:
        nodes, rels = self.nodes, self.rels
        for item in items:
            kind, name, row = item
            if kind == "node":
                keys = nodes.get(name.value)
                if keys is None:
                    keys = nodes[name.value] = set()
                keys.add(row[node_spec(name).key])
            else:
                pairs = rels.get(name.value)
                if pairs is None:
                    pairs = rels[name.value] = set()
                pairs.add((row["start"], row["end"]))
            self.rows += 1
            yield item

    def finish(self, report: LoadReport) -> None:
        report.nodes = {k: len(v) for k, v in self.nodes.items()}
        report.relationships = {k: len(v) for k, v in self.rels.items()}
        report.rows = self.rows


def _tally(report: LoadReport, items: list[Item]) -> None:
    """Count distinct nodes (by key) and relationships (by ends) per name, and rows in all.

    A sector that a document's agencies and the taxonomy both name is one sector, not two.
    """
    tally = _Tally()
    for _ in tally.over(items):
        pass
    tally.finish(report)


def _tally_batches(report: LoadReport, batches: list[Batch]) -> None:
    """`_tally` over what a list of batches writes."""
    _tally(
        report,
        [
            *(("node", nw.label, row) for b in batches for nw in b.nodes for row in nw.rows),
            *(("rel", rw.type, row) for b in batches for rw in b.rels for row in rw.rows),
        ],
    )


def stamp_reviews(batches: list[Batch], run_id: str) -> list[str]:
    """Mark the document's reviews as written by `run_id`; their ids.

    A viewer who may not see every review is told only of the runs that last wrote a review
    it may see (queries/corpus.py), so every review a run writes carries the run.
    """
    ids: list[str] = []
    for b in batches:
        for nw in b.nodes:
            if nw.label == Label.REVIEW:
                for row in nw.rows:
                    row["load_run"] = run_id
                    ids.append(row["id"])
    return ids


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_all(
    store: GraphStore,
    batches: list[Batch] | Iterator[Batch],
    progress: Progress | None,
    run_id: str,
    path: str,
    started_at: str,
    report: LoadReport,
    *,
    tally: _Tally | None = None,
    expected_rows: int | None = None,
) -> None:
    """Write every batch (one transaction each), then finish the LoadRun node.

    The batches may be a stream whose rows `tally` counts as they pass (then the report's
    nodes and relationships are filled from it before the counts after the load are taken).
    Into an empty store every batch is marked fresh: a backend may take its bulk path.
    """
    store.ensure_schema()  # constraints and indexes before any data: every MERGE uses one
    before = store.counts()
    fresh = not any(n for label, n in before.nodes.items() if label != Label.SCHEMA_INFO.value)
    previous = store.get_nodes(Label.LOAD_RUN, [run_id]).get(run_id)
    report.loaded_before = bool(previous and previous.get("finished_at"))
    total = (report.rows if expected_rows is None else expected_rows) + 1
    done = 0
    for batch in batches:
        batch.fresh = fresh
        store.write(batch)
        done += batch.size()
        if progress is not None:
            progress(done, max(total, done + 1))
    if tally is not None:
        tally.finish(report)
        total = report.rows + 1
    store.write_nodes(
        Label.LOAD_RUN,
        [
            {
                "id": run_id,
                "path": path,
                "started_at": started_at,
                "finished_at": _now(),
                "counts": json.dumps(report.counts, sort_keys=True),
                "taxonomy_version": report.taxonomy_version,
                "synthetic": report.synthetic,
            }
        ],
    )
    after = store.counts()
    report.new_nodes = {
        k: max(after.nodes[k] - before.nodes[k], 0) for k in [*report.nodes, Label.LOAD_RUN.value]
    }
    report.new_relationships = {
        k: max(after.relationships[k] - before.relationships[k], 0) for k in report.relationships
    }
    if progress is not None:
        progress(total, total)
