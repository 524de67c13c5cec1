"""Tables of coroners' Prevention of Future Deaths (PFD) reports: `scrgraph load FILE --format pfd`.

The table has the columns `url, id, date, coroner, area, receiver, investigation,
circumstances, concerns` (the layout of the open PFD-toolkit dataset), one report a row.
Each report becomes a Review of kind `pfd` (reference, URL, report date, coroner); its
coroner area a Board of kind `coroner_area` (the node that plays a board's part, so that
recurrence by area, the network, trace and briefings answer on PFD data unchanged); each
matter of concern a Recommendation addressed to every receiver (an Agency with a sector),
with its response due 56 days after the report's date and status `open_awaiting_response`.

The concerns cell is read by `loaders.extract.pfd.read_pfd`, exactly as `scrgraph extract
--kind pfd` reads the same text from a file; receivers by `split_receivers`; the due date by
`response_due`. Every row is checked before anything is written: a missing column, an
unparseable date, an empty concerns cell, a duplicated id or a file that is not such a table
is refused with file, row, column and reason, and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from graph_schema import REVIEW_STATUSES, Label, RelType
from graph_store.base import Batch, GraphStore, NodeWrite, RelWrite, Row
from loaders.extract.agencies import AgencyDetector
from loaders.extract.batch import coroner_area_board, keep_decisions, slug
from loaders.extract.confidence import Confidence, concern_confidence, document_confidence
from loaders.extract.document import REVIEW_THEME_MIN_HITS
from loaders.extract.pfd import read_pfd, response_due, split_receivers
from loaders.extract.reading import text_lines
from loaders.extract.themes import ThemeTagger
from loaders.extract.version import READER_VERSION
from loaders.load import (
    DEFAULT_BATCH_SIZE,
    MAX_PROBLEMS_SHOWN,
    LoadReport,
    Progress,
    _batches,
    _file_sha256,
    _items,
    _now,
    _tally,
    _write_all,
    check_id_series,
)
from loaders.similarity import similar_pairs
from loaders.validate import taxonomy_corpus
from scrgraph.errors import InputError

FORMATS: Final = ("pfd",)
COLUMNS: Final = (
    "url",
    "id",
    "date",
    "coroner",
    "area",
    "receiver",
    "investigation",
    "circumstances",
    "concerns",
)
# Cells that must not be empty; `receiver`, `investigation` and `circumstances` may be.
REQUIRED: Final = ("id", "date", "area", "concerns")
# Real reports' cells run far past csv's default field limit (128 KiB is not enough for a
# long concerns section); the limit is process-wide, so it is raised only while reading.
_FIELD_LIMIT: Final = 10_000_000
_ISO_DATE: Final = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\s*$")
_UK_DATE: Final = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
# A receiver's name without the role in front of it ("Chief Executive, Northmoor NHS Trust").
_ROLE_LEAD: Final = re.compile(
    r"^(?:the\s+)?(?:(?:chief|interim|acting|deputy|medical|managing)\s+)*"
    r"(?:executive|director|officer|constable|governor|chair(?:man|person|woman)?|"
    r"manager|leader|ceo)\s*(?:,|\bof\b|\bat\b|\bfor\b)\s*(?:the\s+)?(?=\S)",
    re.I,
)
# Sectors of receivers that the agency gazetteer does not name, by the words of their names;
# the first rule that matches wins. A receiver matching none takes the sector of the agencies
# its report's concerns name, else health (what most PFD receivers are).
_SECTOR_RULES: Final = tuple(
    (sector, re.compile(pattern, re.I))
    for sector, pattern in (
        ("police", r"\bpolice\b|\bconstab\w*|\bcrime\s+commissioner\b"),
        (
            "probation_youth_justice",
            r"\bprisons?\b|\bprobation\b|\bhmpps\b|\bjustice\b|\boffender\w*|\byouth\s+offending\b",
        ),
        (
            "central_government",
            r"\bsecretary\s+of\s+state\b|\bminister\b|\bdepartment\s+(?:of|for)\b|\bhome\s+office\b"
            r"|\bgovernment\b|\bparliament\w*|\bregulat\w*|\bcommission\b|\bnational\b",
        ),
        ("education", r"\bschools?\b|\bacadem(?:y|ies)\b|\buniversit\w*|\beducation\b|\bofsted\b"),
        (
            "health",
            r"\bnhs\b|\bhealth\w*|\bhospitals?\b|\bmedical\b|\bclinical\b|\bmental\b|\bpsychiatr\w*"
            r"|\bnurs\w*|\bgp\b|\bsurgery\b|\bambulance\b|\bpharma\w*|\bmedicines?\b|\btrust\b"
            r"|\bicb\b|\bccg\b",
        ),
        ("education", r"\bcolleges?\b"),
        ("childrens_social_care", r"\bchildren\w*"),
        ("housing", r"\bhousing\b"),
        (
            "adult_services",
            r"\bcouncil\b|\bborough\b|\blocal\s+authority\b|\badults?\b|\bsocial\s+(?:care|services)\b",
        ),
    )
)
DEFAULT_SECTOR: Final = "health"


@dataclass(frozen=True)
class Receiver:
    """An addressee of a report: the agency's id, name and sector, and how the sector was known."""

    id: str
    name: str
    sector: str
    basis: str  # "gazetteer", "name", "concerns" or "default"


@dataclass
class PfdRow:
    """One report of the table, checked."""

    row: int  # 1-based row of the table, the header being row 1
    line: int  # line of the file the row starts on
    reference: str
    url: str
    date: dt.date
    coroner: str
    area: str
    receivers: list[Receiver]
    concerns: list[tuple[str, str, str]]  # (number, text, section)
    circumstances: str
    # the reader's confidence in each concern, in order (loaders.extract.confidence)
    confidence: list[Confidence] = field(default_factory=list)


@dataclass
class _Problems:
    file: str
    items: list[str] = field(default_factory=list)

    def add(self, row: int | None, column: str | None, reason: str) -> None:
        where = self.file if row is None else f"{self.file}: row {row}"
        col = "" if column is None else f", column {column!r}"
        self.items.append(f"{where}{col}: {reason}")


def parse_report_date(text: str) -> dt.date | None:
    """An ISO date (`2021-03-04`, a time after it allowed) or `04/03/2021`; None otherwise."""
    m = _ISO_DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _UK_DATE.match(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None
    return None


def receiver_name(text: str) -> str:
    """A receiver as an agency name: the role in front of the organisation dropped."""
    name = " ".join(text.split()).strip(" .,;")
    stripped = _ROLE_LEAD.sub("", name).strip(" .,;")
    return stripped if slug(stripped) else name


def name_sector(name: str) -> str | None:
    """The sector a receiver's name says it is in, by `_SECTOR_RULES`, or None."""
    for sector, pattern in _SECTOR_RULES:
        if pattern.search(name):
            return sector
    return None


def _receivers(cell: str, concerns_text: str, detector: AgencyDetector) -> list[Receiver]:
    out: dict[str, Receiver] = {}
    fallback: str | None = None
    for raw in split_receivers(cell) if cell.strip() else []:
        name = receiver_name(raw)
        agency_id = slug(name)
        if not agency_id or agency_id in out:
            continue
        known = detector.detect(name)
        if known:
            sector, basis = known[0].sector, "gazetteer"
        elif (by_name := name_sector(name)) is not None:
            sector, basis = by_name, "name"
        else:
            if fallback is None:
                named = Counter(a.sector for a in detector.detect(concerns_text))
                fallback = named.most_common(1)[0][0] if named else ""
            sector, basis = (fallback, "concerns") if fallback else (DEFAULT_SECTOR, "default")
        out[agency_id] = Receiver(f"agency-{agency_id}", name, sector, basis)
    return list(out.values())


def _open_rows(path: Path, problems: _Problems) -> Iterator[tuple[int, int, dict[str, str]]]:
    """(row, line, cells) for each data row; problems for a file that is not such a table."""
    if not path.is_file():
        problems.add(None, None, "no such file; give a CSV table of PFD reports")
        return
    if path.suffix.lower() != ".csv":
        problems.add(
            None,
            None,
            f"not a .csv file ({path.suffix or 'no extension'}); --format pfd reads a CSV "
            f"table with the columns {', '.join(COLUMNS)}",
        )
        return
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.add(None, None, f"not UTF-8 text (byte {e.start}); save it as UTF-8 CSV")
        return
    if "\x00" in text:
        problems.add(None, None, "binary content, not a CSV table")
        return
    old = csv.field_size_limit(_FIELD_LIMIT)
    try:
        reader = csv.reader(text.splitlines(keepends=True), strict=True)
        try:
            header = next(reader, None)
        except csv.Error as e:
            problems.add(1, None, f"not readable as CSV ({e})")
            return
        if header is None or not any(h.strip() for h in header):
            problems.add(None, None, f"empty; expected a header row {', '.join(COLUMNS)}")
            return
        names = [h.strip().lower() for h in header]
        missing = [c for c in COLUMNS if c not in names]
        for c in missing:
            problems.add(1, c, f"missing column; the header must name {', '.join(COLUMNS)}")
        if missing:
            return
        index = {c: names.index(c) for c in COLUMNS}
        row = 1
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                problems.add(row + 1, None, f"not readable as CSV at line {line} ({e})")
                return
            row += 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(names):
                problems.add(row, None, f"{len(cells)} cells; the header has {len(names)}")
                continue
            yield row, line, {c: cells[i] for c, i in index.items()}
    finally:
        csv.field_size_limit(old)


def read_pfd_table(
    path: Path, *, detector: AgencyDetector | None = None
) -> tuple[list[PfdRow], list[str]]:
    """Every report of the table, checked; raises InputError listing every problem.

    Returns the rows and warnings (what was read but not kept, and receivers whose sector
    was not known from their names).
    """
    path = Path(path)
    detector = detector or AgencyDetector()
    problems = _Problems(str(path))
    warnings: list[str] = []
    rows: list[PfdRow] = []
    seen: dict[str, int] = {}
    for row, line, cells in _open_rows(path, problems):
        bad = False
        for c in REQUIRED:
            if not cells[c].strip():
                problems.add(row, c, "empty; every report needs its " + c)
                bad = True
        reference = " ".join(cells["id"].split())
        if reference:
            if not slug(reference):
                problems.add(row, "id", f"{reference!r} has no letters or digits")
                bad = True
            elif slug(reference) in seen:
                problems.add(
                    row, "id", f"{reference!r} is also the id of row {seen[slug(reference)]}"
                )
                bad = True
            else:
                seen[slug(reference)] = row
        date = parse_report_date(cells["date"]) if cells["date"].strip() else None
        if cells["date"].strip() and date is None:
            problems.add(
                row, "date", f"{cells['date'].strip()[:40]!r} is not a date (YYYY-MM-DD expected)"
            )
            bad = True
        area = " ".join(cells["area"].split())
        if area and not slug(area):
            problems.add(row, "area", f"{area!r} has no letters or digits")
            bad = True
        concerns_text = cells["concerns"]
        read = read_pfd(text_lines(concerns_text)).concerns if concerns_text.strip() else []
        concerns = [(c.number, c.text, c.section) for c in read]
        sure = [concern_confidence(layout=c.layout, section=c.section, text=c.text) for c in read]
        if concerns_text.strip() and not concerns:
            problems.add(row, "concerns", "no matter of concern could be read from the cell")
            bad = True
        if bad or date is None:
            continue
        receivers = _receivers(cells["receiver"], concerns_text, detector)
        if not receivers:
            warnings.append(
                f"{path}: row {row}, column 'receiver': empty; its concerns are addressed to "
                "no agency"
            )
        rows.append(
            PfdRow(
                row=row,
                line=line,
                reference=reference,
                url=cells["url"].strip(),
                date=date,
                coroner=" ".join(cells["coroner"].split()),
                area=area,
                receivers=receivers,
                concerns=concerns,
                circumstances=cells["circumstances"],
                confidence=sure,
            )
        )
    if not problems.items and not rows:
        problems.add(None, None, "no reports: the table has a header and no rows")
    if problems.items:
        shown = problems.items[:MAX_PROBLEMS_SHOWN]
        if len(problems.items) > MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(problems.items) - MAX_PROBLEMS_SHOWN} more")
        raise InputError(
            f"{path}: {len(problems.items)} problem(s) found; nothing was written. "
            "Fix them and load again.",
            problems=shown,
        )
    guessed = Counter(r.basis for pr in rows for r in pr.receivers)
    if guessed["concerns"] or guessed["default"]:
        warnings.append(
            f"{path}: {guessed['concerns'] + guessed['default']} receiver(s) named no known "
            f"sector: {guessed['concerns']} took the sector of the agencies their concerns "
            f"name, {guessed['default']} the default ({DEFAULT_SECTOR})"
        )
    return rows, warnings


def review_id(reference: str) -> str:
    """The Review key of a PFD report: `pfd-` and its reference."""
    return f"pfd-{slug(reference)}"


def pfd_batch(
    rows: list[PfdRow],
    *,
    source_file: str,
    status: str,
    run_id: str,
    tagger: ThemeTagger,
    detector: AgencyDetector,
) -> tuple[Batch, int]:
    """The graph writes of the reports, and the count of repeated-recommendation pairs."""
    boards: dict[str, Row] = {}
    reviews: list[Row] = []
    recs: list[Row] = []
    agencies: dict[str, Row] = {}
    sectors: dict[str, Row] = {}
    rel: dict[RelType, list[Row]] = {t: [] for t in RelType}
    stamp = {"source_file": source_file, "load_run": run_id}

    def link(t: RelType, start: str, end: str, props: Row | None = None) -> None:
        rel[t].append({"start": start, "end": end, "props": props or {}})

    texts: list[tuple[str, str]] = []
    review_of: dict[str, str] = {}
    for pr in rows:
        board_id, board_name = coroner_area_board(pr.area)
        boards[board_id] = {"id": board_id, "name": board_name, "kind": "coroner_area", **stamp}
        rid = review_id(pr.reference)
        due = response_due(pr.date)
        assert due is not None
        reviews.append(
            {
                "id": rid,
                "title": f"Prevention of future deaths report {pr.reference}",
                "board_id": board_id,
                "year": pr.date.year,
                "review_type": "pfd",
                "status": status,
                "reference": pr.reference,
                "url": pr.url or None,
                "report_date": pr.date.isoformat(),
                "coroner": pr.coroner or None,
                **_sure(document_confidence(pr.confidence, [])),
                **stamp,
                "source_line": pr.row,
            }
        )
        link(RelType.COMMISSIONED, board_id, rid)
        for r in pr.receivers:
            agencies[r.id] = {"id": r.id, "name": r.name, "sector": r.sector, **stamp}
            sectors[r.sector] = {"id": r.sector, "label": detector.sector_label(r.sector)}
        raised: dict[str, str] = {}
        used: set[str] = set()
        for k, (number, text, section) in enumerate(pr.concerns, start=1):
            base = f"{rid}-c{slug(number) or k}" if section == "concerns" else f"{rid}-a{k}"
            rec_id, n = base, 1
            while rec_id in used:
                n += 1
                rec_id = f"{base}-{n}"
            used.add(rec_id)
            recs.append(
                {
                    "id": rec_id,
                    "review_id": rid,
                    "number": number if section == "concerns" else f"action {number}",
                    "text": text,
                    "status": "open_awaiting_response",
                    "year": pr.date.year,
                    "board_id": board_id,
                    "location": f"row {pr.row}, concerns item {k}",
                    "response_due": due.isoformat(),
                    **(_sure(pr.confidence[k - 1]) if k <= len(pr.confidence) else {}),
                    **stamp,
                    "source_line": pr.row,
                }
            )
            link(RelType.MAKES, rid, rec_id)
            for r in pr.receivers:
                link(RelType.ADDRESSED_TO, rec_id, r.id)
            for t in tagger.tag(text):
                link(RelType.TAGGED, rec_id, t.theme, {"evidence": t.evidence})
                raised.setdefault(t.theme, f"concern {number}: {t.evidence}")
            texts.append((rec_id, text))
            review_of[rec_id] = rid
        counts = tagger.count(f"{pr.circumstances}\n{' '.join(t for _, t, _ in pr.concerns)}")
        for key, hits in counts.most_common():
            if hits >= REVIEW_THEME_MIN_HITS and key not in raised:
                raised[key] = f"{hits} mentions in the text"
        for key, evidence in raised.items():
            link(RelType.RAISES, rid, key, {"evidence": evidence})
    for agency_id, agency in agencies.items():
        link(RelType.IN_SECTOR, agency_id, agency["sector"])
    # Repeated concerns: near-identical text in different reports (another coroner's).
    pairs = [(x, y, s) for x, y, s in similar_pairs(texts) if review_of[x] != review_of[y]]
    for x, y, score in pairs:
        link(RelType.SIMILAR_TO, x, y, {"score": score})
    batch = Batch(
        nodes=[
            NodeWrite(Label.BOARD, list(boards.values())),
            NodeWrite(Label.REVIEW, reviews),
            NodeWrite(Label.RECOMMENDATION, recs),
            NodeWrite(Label.SECTOR, list(sectors.values())),
            NodeWrite(Label.AGENCY, list(agencies.values())),
        ],
        rels=[RelWrite(t, rs) for t, rs in rel.items() if rs],
    )
    batch.nodes = [nw for nw in batch.nodes if nw.rows]
    return batch, len(pairs)


def _split(batch: Batch, size: int) -> list[Batch]:
    """The batch in pieces of at most `size` rows: nodes first, then relationships; its
    deletions (what a reload cleans) go with the first piece, before anything is written."""
    out: list[Batch] = []
    if batch.deletes():
        out.append(Batch(delete_nodes=batch.delete_nodes, delete_rels=batch.delete_rels))
    for nw in batch.nodes:
        for i in range(0, len(nw.rows), size):
            out.append(Batch(nodes=[NodeWrite(nw.label, nw.rows[i : i + size])], rels=[]))
    for rw in batch.rels:
        for i in range(0, len(rw.rows), size):
            out.append(Batch(nodes=[], rels=[RelWrite(rw.type, rw.rows[i : i + size])]))
    return out


def _sure(c: Confidence) -> Row:
    """The reader's confidence and reasons, and `queued` below the threshold."""
    out: Row = {"confidence": c.score, "confidence_reasons": list(c.reasons)}
    if c.queued:
        out["review_state"] = "queued"
    return out


def load_pfd_table(
    store: GraphStore,
    path: Path | str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    progress: Progress | None = None,
    status: str | None = None,
) -> LoadReport:
    """Check every row of a PFD table, then (unless `dry_run`) merge it into `store`.

    Reviews are `published` unless `status` says otherwise: the reports are published by
    the coroners. Loading the same table again changes nothing.
    """
    if batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, got {batch_size}")
    status = status or "published"
    if status not in REVIEW_STATUSES:
        raise InputError(f"status {status!r} is not one of {', '.join(REVIEW_STATUSES)}")
    path = Path(path)
    t0 = time.perf_counter()
    started_at = _now()
    detector = AgencyDetector()
    rows, warnings = read_pfd_table(path, detector=detector)
    corpus = taxonomy_corpus(path)
    sha = _file_sha256(path)
    digest = hashlib.sha256(
        # The reader reads the concerns cells: a new reader's load is not "loaded before".
        f"{corpus.content_hash()}{sha}|format=pfd|status={status}|reader={READER_VERSION}".encode()
    ).hexdigest()
    run_id = f"run-{digest[:16]}"
    items, _ = _items(corpus, store, run_id, started_at)
    batch, pairs = pfd_batch(
        rows,
        source_file=path.name,
        status=status,
        run_id=run_id,
        tagger=ThemeTagger(corpus.taxonomy_version),
        detector=detector,
    )
    # A person's decisions in the review queue stand: loading again never overwrites them.
    batch = keep_decisions(store, [batch])[0]
    check_id_series(path, store, [batch])
    source: Row = {
        "id": path.name,
        "file": str(path),
        "kind": "csv",
        "rows": len(rows),
        "sha256": sha,
        "load_run": run_id,
    }
    reviews = [r["id"] for nw in batch.nodes if nw.label == Label.REVIEW for r in nw.rows]
    tail = Batch(
        nodes=[NodeWrite(Label.SOURCE, [source])],
        rels=[
            RelWrite(RelType.LOADED, [{"start": run_id, "end": path.name, "props": {}}]),
            RelWrite(
                RelType.FROM_SOURCE, [{"start": r, "end": path.name, "props": {}} for r in reviews]
            ),
        ],
    )
    batches = [*_batches(items, batch_size), *_split(batch, batch_size), tail]
    report = LoadReport(
        run_id=run_id,
        path=str(path),
        dry_run=dry_run,
        counts={path.name: len(rows), "taxonomy": len(corpus.records["themes"])},
        taxonomy_version=corpus.taxonomy_version,
        document_status=status,
        warnings=warnings,
    )
    report.similar_pairs = pairs
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
