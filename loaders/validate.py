"""The pure parse-and-validate stage: files in, typed records and problems out. No writes.

The only outside call is an optional look-up of references the corpus does not define
(`GraphStore.get_nodes`), so a corpus may point at boards, agencies or themes already loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Final, Protocol

from graph_schema import Label
from loaders.models import (
    DATE,
    EXTENSIONS,
    FILE_BY_NAME,
    FILES,
    FIRST_YEAR,
    INT,
    LABEL_OF,
    LIST,
    LIST_SEPARATOR,
    METADATA_FIELDS,
    METADATA_FILE,
    STR,
    YEAR,
    Column,
    FileSpec,
)
from loaders.readers import Problem, RawRow, Sink, read_rows
from loaders.taxonomy import (
    CURRENT_TAXONOMY_VERSION,
    DEFAULT_TAXONOMY_VERSION,
    taxonomy_name,
    taxonomy_path,
)

# The longest text a field may hold: the csv module's field limit, so CSV and JSON Lines agree.
MAX_TEXT_CHARS = 131_072
DEFAULT_TAXONOMY_SOURCE = f"default:{taxonomy_name(DEFAULT_TAXONOMY_VERSION)}"


class NodeLookup(Protocol):
    """What validation needs from a store: which of these keys exist under a label."""

    def get_nodes(self, label: Label, ids: Iterable[str]) -> Mapping[str, Any]: ...


@dataclass
class Record:
    """One typed row of a corpus file."""

    line: int
    values: dict[str, Any]


@dataclass
class SourceFile:
    """A file read: its corpus name, path, kind, rows and content hash."""

    name: str  # e.g. "reviews.csv", or "default:taxonomy_v1.jsonl"
    spec: str  # the FileSpec name
    path: Path
    kind: str
    sha256: str
    rows: int = 0


@dataclass
class Corpus:
    """A parsed, validated corpus."""

    path: Path
    metadata: dict[str, Any]
    records: dict[str, list[Record]]  # by spec name
    sources: dict[str, list[SourceFile]]  # by spec name (themes may have two)
    record_source: dict[str, list[tuple[SourceFile, int]]]  # which source each record came from
    warnings: list[Problem] = field(default_factory=list)

    @property
    def taxonomy_version(self) -> int:
        v = self.metadata.get("taxonomy_version")
        return v if isinstance(v, int) else DEFAULT_TAXONOMY_VERSION

    def content_hash(self) -> str:
        """A hash of every file read (names and contents), stable across runs."""
        h = hashlib.sha256()
        for name in sorted(self.sources):
            for s in self.sources[name]:
                h.update(s.name.encode())
                h.update(s.sha256.encode())
        h.update(json.dumps(self.metadata, sort_keys=True, default=str).encode())
        return h.hexdigest()


def default_taxonomy_path() -> Path:
    """The shipped theme taxonomy (version 1)."""
    return taxonomy_path(DEFAULT_TAXONOMY_VERSION)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# -- values --------------------------------------------------------------------------------

_MISSING = object()


def _today() -> dt.date:
    return dt.date.today()


def convert(col: Column, raw: Any, from_csv: bool) -> tuple[Any, str | None]:
    """(value, None) or (None, what was expected). Empty values become None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    t = col.type
    if t == STR:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            return None, "a string"
        value: Any = raw.strip() if isinstance(raw, str) else str(raw)
        if len(value) > MAX_TEXT_CHARS:
            return None, f"text of at most {MAX_TEXT_CHARS:,} characters (got {len(value):,})"
    elif t in (INT, YEAR):
        if isinstance(raw, bool):
            return None, "a whole number"
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, str) and from_csv:
            try:
                value = int(raw.strip())
            except ValueError:
                return None, "a whole number"
        else:
            return None, "a whole number"
        if t == YEAR and not FIRST_YEAR <= value <= _today().year:
            return None, f"a year between {FIRST_YEAR} and {_today().year}"
    elif t == DATE:
        if not isinstance(raw, str):
            return None, "a date as YYYY-MM-DD"
        try:
            d = dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None, "a date as YYYY-MM-DD"
        if len(raw.strip()) != 10:
            return None, "a date as YYYY-MM-DD"
        if d.year < FIRST_YEAR:
            return None, f"a date in or after {FIRST_YEAR}"
        value = d.isoformat()
    elif t == LIST:
        if isinstance(raw, str):
            value = [p.strip() for p in raw.split(LIST_SEPARATOR) if p.strip()]
        elif isinstance(raw, list) and all(isinstance(x, str) for x in raw):
            value = [x.strip() for x in raw if x.strip()]
        else:
            return None, f"a list of strings (in CSV, separated by {LIST_SEPARATOR!r})"
    else:  # pragma: no cover - models declare only the types above
        raise AssertionError(t)
    if col.enum and value not in col.enum:
        return None, "one of " + ", ".join(col.enum)
    return value, None


Converter = Callable[[Any], tuple[Any, str | None]]


def _converter(col: Column, from_csv: bool) -> Converter:
    """`convert` for one column, with a fast path for the common case (a clean CSV cell)."""
    if col.type == STR and not col.enum:

        def text(raw: Any) -> tuple[Any, str | None]:
            if raw.__class__ is str:
                v = raw.strip()
                if len(v) <= MAX_TEXT_CHARS:
                    return (v or None), None
            return convert(col, raw, from_csv)

        return text
    if col.type == STR:
        allowed = frozenset(col.enum)

        def enum(raw: Any) -> tuple[Any, str | None]:
            if raw.__class__ is str and raw in allowed:
                return raw, None
            return convert(col, raw, from_csv)

        return enum
    if col.type == DATE:

        def date(raw: Any) -> tuple[Any, str | None]:
            if (
                raw.__class__ is str
                and len(raw) == 10
                and raw[4] == "-"
                and raw[7] == "-"
                and raw[:4].isdigit()
                and int(raw[:4]) >= FIRST_YEAR
            ):
                try:
                    dt.date.fromisoformat(raw)
                except ValueError:
                    pass
                else:
                    return raw, None
            return convert(col, raw, from_csv)

        return date
    return lambda raw: convert(col, raw, from_csv)


def parse_record(
    spec: FileSpec, name: str, line: int, raw: RawRow, from_csv: bool, sink: Sink
) -> Record:
    """Type one raw row, recording a problem for each bad field.

    The record keeps its good fields even when others are bad, so cross-record checks
    (references, duplicates) still run on it and one run lists every problem.
    """
    return _RecordParser(spec, from_csv).parse(name, line, raw, sink)


class _RecordParser:
    """parse_record with the columns' converters built once per file."""

    def __init__(self, spec: FileSpec, from_csv: bool) -> None:
        self.columns = [(c.name, c.required, _converter(c, from_csv)) for c in spec.columns]

    def parse(self, name: str, line: int, raw: RawRow, sink: Sink) -> Record:
        values: dict[str, Any] = {}
        get = raw.get
        for col_name, required, conv in self.columns:
            v, expected = conv(get(col_name))
            if expected is not None:
                sink.add(name, line, col_name, get(col_name), expected)
            elif v is None:
                if required:
                    sink.add(
                        name, line, col_name, get(col_name), "a value (this field is required)"
                    )
            else:
                values[col_name] = v
        return Record(line, values)


# -- the corpus ----------------------------------------------------------------------------


def find_files(path: Path, sink: Sink) -> dict[str, Path]:
    """The corpus files by spec name; unknown, doubled and missing files are problems."""
    found: dict[str, Path] = {}
    if not path.is_dir():
        sink.add(str(path), None, None, None, "a corpus folder (or a .txt, .md or .pdf file)")
        return found
    for p in sorted(path.iterdir()):
        if p.name == METADATA_FILE or p.name.startswith(".") or p.is_dir():
            continue
        if p.suffix.lower() not in EXTENSIONS:
            sink.add(p.name, None, None, None, "only .csv or .jsonl corpus files and corpus.json")
            continue
        stem = p.stem
        if stem not in FILE_BY_NAME:
            sink.add(
                p.name, None, None, stem, "a corpus file named one of " + ", ".join(FILE_BY_NAME)
            )
            continue
        if stem in found:
            sink.add(
                p.name, None, None, None, f"one file per entity ({found[stem].name} also exists)"
            )
            continue
        found[stem] = p
    for spec in FILES:
        if not spec.optional and spec.name not in found:
            sink.add(
                f"{spec.name}.csv", None, None, None, f"a {spec.name}.csv or {spec.name}.jsonl file"
            )
    return found


def read_metadata(path: Path, sink: Sink) -> dict[str, Any]:
    meta_path = path / METADATA_FILE
    if not meta_path.is_file():
        return {}
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        sink.add(METADATA_FILE, None, None, None, f"a JSON object ({e})")
        return {}
    if not isinstance(meta, dict):
        sink.add(METADATA_FILE, None, None, None, "a JSON object")
        return {}
    types = {"str": str, "int": int, "bool": bool}
    for name, (t, required, _) in METADATA_FIELDS.items():
        v = meta.get(name)
        if v is None:
            if required:
                sink.add(METADATA_FILE, None, name, None, "a value (this field is required)")
            continue
        if not isinstance(v, types[t]) or (t == "int" and isinstance(v, bool)):
            sink.add(METADATA_FILE, None, name, v, f"a {t}")
    return meta


# What the cross-record checks, the filter and the id-series check read of a record: its key,
# its references, its dates and years, a review's status. A streaming load keeps only these
# in memory (a "slim" record) and spills the whole record to disk for the write pass.
_SLIM_FIELDS: Final = frozenset(
    {
        "id",
        "parent",
        "year",
        "incident_year",
        "established_year",
        "ended_year",
        "completed_date",
        "due_date",
        "date",
        "status",
    }
)


def _slim_columns(spec: FileSpec) -> tuple[str, ...]:
    return tuple(c.name for c in spec.columns if c.name in _SLIM_FIELDS or c.ref is not None)


class Spill:
    """Whole records on disk (marshal, in read order), one file per source, for a second pass.

    `parse_corpus(..., spill=Spill(dir))` keeps slim records in memory and the whole ones
    here; `records(source)` reads them back, in the order they were read.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._files: dict[str, Path] = {}

    def writer(self, source: str) -> _SpillWriter:
        path = self.folder / f"{len(self._files)}.marshal"
        self._files[source] = path
        return _SpillWriter(path.open("wb"))

    def records(self, source: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """(line, values) of every record of the source, in read order."""
        path = self._files.get(source)
        if path is None:
            return
        with path.open("rb") as f:
            while size := int.from_bytes(f.read(8), "little"):
                yield from marshal.loads(f.read(size))


class _SpillWriter:
    """Records dumped in chunks, each after its length: one `marshal.loads` of a whole chunk
    reads it back (`marshal.load` from a file reads it a few bytes at a time)."""

    CHUNK: Final = 2048

    def __init__(self, f: IO[bytes]) -> None:
        self._f = f
        self._pending: list[tuple[int, dict[str, Any]]] = []

    def add(self, line: int, values: dict[str, Any]) -> None:
        self._pending.append((line, values))
        if len(self._pending) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            data = marshal.dumps(self._pending)
            self._f.write(len(data).to_bytes(8, "little"))
            self._f.write(data)
            self._pending = []

    def close(self) -> None:
        self._flush()
        self._f.close()


def _read_file(
    spec: FileSpec, path: Path, name: str, sink: Sink, spill: Spill | None = None
) -> tuple[list[Record], SourceFile]:
    from_csv = path.suffix.lower() == ".csv"
    known = {c.name for c in spec.columns}
    unknown_seen: set[str] = set()
    records: list[Record] = []
    rows = 0
    parser = _RecordParser(spec, from_csv)
    out = spill.writer(name) if spill is not None else None
    slim = _slim_columns(spec)
    try:
        for line, raw in read_rows(path, name, sink):
            rows += 1
            if not known.issuperset(raw):
                for k in [k for k in raw if k not in known and k not in unknown_seen]:
                    unknown_seen.add(k)
                    sink.add(name, line, k, raw[k], "only the columns " + ", ".join(sorted(known)))
            rec = parser.parse(name, line, raw, sink)
            if out is not None:
                out.add(line, rec.values)
                v = rec.values
                rec = Record(line, {k: v[k] for k in slim if k in v})
            records.append(rec)
    finally:
        if out is not None:
            out.close()
    source = SourceFile(name, spec.name, path, path.suffix.lower().lstrip("."), _sha256(path), rows)
    return records, source


def parse_corpus(
    path: Path | str,
    lookup: NodeLookup | None = None,
    *,
    taxonomy: bool = True,
    spill: Spill | None = None,
) -> tuple[Corpus, Sink]:
    """Read and validate a corpus folder. Returns the corpus and every problem found.

    With `spill`, the corpus holds slim records (what the checks read) and the whole records
    go to the spill, so memory holds keys and references, not texts.
    """
    path = Path(path)
    sink = Sink()
    files = find_files(path, sink)
    metadata = read_metadata(path, sink) if path.is_dir() else {}
    records: dict[str, list[Record]] = {spec.name: [] for spec in FILES}
    sources: dict[str, list[SourceFile]] = {spec.name: [] for spec in FILES}
    record_source: dict[str, list[tuple[SourceFile, int]]] = {spec.name: [] for spec in FILES}

    def take(spec: FileSpec, p: Path, name: str) -> None:
        recs, src = _read_file(spec, p, name, sink, spill)
        sources[spec.name].append(src)
        records[spec.name].extend(recs)
        record_source[spec.name].extend((src, r.line) for r in recs)

    if taxonomy:
        take(FILE_BY_NAME["themes"], default_taxonomy_path(), DEFAULT_TAXONOMY_SOURCE)
    for spec in FILES:
        if spec.name in files:
            take(spec, files[spec.name], files[spec.name].name)

    corpus = Corpus(path, metadata, records, sources, record_source)
    check_corpus(corpus, sink, lookup)
    corpus.warnings = sink.warnings
    return corpus, sink


def taxonomy_corpus(path: Path, version: int = CURRENT_TAXONOMY_VERSION) -> Corpus:
    """A corpus holding only a shipped taxonomy (for loading documents the reader tagged).

    Documents are read, and tagged, with the reader's current taxonomy (version 2 has the
    themes that real reports raise: self-harm and suicide, online harm, ...); a corpus folder
    keeps the version its metadata names (1 by default)."""
    sink = Sink()
    spec = FILE_BY_NAME["themes"]
    name = taxonomy_name(version)
    recs, src = _read_file(spec, taxonomy_path(version), f"default:{name}", sink)
    records: dict[str, list[Record]] = {f.name: [] for f in FILES}
    sources: dict[str, list[SourceFile]] = {f.name: [] for f in FILES}
    record_source: dict[str, list[tuple[SourceFile, int]]] = {f.name: [] for f in FILES}
    records["themes"] = recs
    sources["themes"] = [src]
    record_source["themes"] = [(src, r.line) for r in recs]
    if sink.errors:  # pragma: no cover - the shipped taxonomy is tested
        raise AssertionError("; ".join(map(str, sink.errors)))
    return Corpus(path, {"taxonomy_version": version}, records, sources, record_source)


def _file_of(corpus: Corpus, spec_name: str, index: int) -> str:
    return corpus.record_source[spec_name][index][0].name


def check_corpus(corpus: Corpus, sink: Sink, lookup: NodeLookup | None) -> None:
    """Cross-record checks: duplicates, references, theme cycles and date sense."""
    ids: dict[str, set[str]] = {}
    for spec_name, recs in corpus.records.items():
        spec = FILE_BY_NAME[spec_name]
        if not spec.is_entity:
            continue
        seen: dict[tuple[str, str], int] = {}  # (source name, id) -> line
        keys: set[str] = set()
        for i, r in enumerate(recs):
            src = _file_of(corpus, spec_name, i)
            key = r.values.get("id")
            if key is None:
                continue
            if (src, key) in seen:
                sink.add(src, r.line, "id", key, f"a unique id (also on line {seen[(src, key)]})")
            seen[(src, key)] = r.line
            keys.add(key)
        ids[spec_name] = keys

    # References: within the corpus first, then in the graph.
    missing: dict[str, dict[str, list[tuple[str, int, str]]]] = {}
    for spec_name, recs in corpus.records.items():
        spec = FILE_BY_NAME[spec_name]
        for i, r in enumerate(recs):
            for col in spec.columns:
                if col.ref is None:
                    continue
                v = r.values.get(col.name)
                if v is None or v in ids.get(col.ref, ()):
                    continue
                missing.setdefault(col.ref, {}).setdefault(v, []).append(
                    (_file_of(corpus, spec_name, i), r.line, col.name)
                )
    for target, by_key in missing.items():
        found: set[str] = set()
        if lookup is not None:
            found = set(lookup.get_nodes(LABEL_OF[target], list(by_key)))
        for key, places in by_key.items():
            if key in found:
                continue
            for src, line, col_name in places:
                sink.add(
                    src, line, col_name, key, f"an id defined in {target} or already in the graph"
                )

    _check_theme_cycles(corpus, sink)
    _check_dates(corpus, sink)


def _check_theme_cycles(corpus: Corpus, sink: Sink) -> None:
    parent: dict[str, str] = {}
    where: dict[str, tuple[str, int]] = {}
    for i, r in enumerate(corpus.records["themes"]):
        p = r.values.get("parent")
        key = r.values.get("id")
        if key is None:
            continue
        where[key] = (_file_of(corpus, "themes", i), r.line)
        if p is not None:
            parent[key] = p
        else:
            parent.pop(key, None)
    reported: set[str] = set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        on_path: set[str] = set()
        while node is not None and node in parent and node not in on_path:
            on_path.add(node)
            path.append(node)
            node = parent.get(node)
        if node is not None and node in on_path:
            cycle = path[path.index(node) :]
            if reported.isdisjoint(cycle):
                reported.update(cycle)
                src, line = where[node]
                sink.add(
                    src,
                    line,
                    "parent",
                    parent[node],
                    "a theme hierarchy without cycles (" + " -> ".join([*cycle, node]) + ")",
                )


def _check_dates(corpus: Corpus, sink: Sink) -> None:
    today = _today()
    for i, r in enumerate(corpus.records["reviews"]):
        y, iy = r.values.get("year"), r.values.get("incident_year")
        if y is not None and iy is not None and iy > y:
            sink.add(
                _file_of(corpus, "reviews", i),
                r.line,
                "incident_year",
                iy,
                f"an incident year no later than the publication year {y}",
            )
    for i, r in enumerate(corpus.records["boards"]):
        a, b = r.values.get("established_year"), r.values.get("ended_year")
        if a is not None and b is not None and b < a:
            sink.add(
                _file_of(corpus, "boards", i),
                r.line,
                "ended_year",
                b,
                f"an end year no earlier than established_year {a}",
            )
    completed: dict[str, str] = {}
    for i, r in enumerate(corpus.records["actions"]):
        c = r.values.get("completed_date")
        src = _file_of(corpus, "actions", i)
        if c is not None:
            completed[r.values.get("id", "")] = c
            if c > today.isoformat():
                sink.add(src, r.line, "completed_date", c, f"a date no later than today ({today})")
        due = r.values.get("due_date")
        if due is not None and int(due[:4]) > today.year + 20:
            sink.add(src, r.line, "due_date", due, "a due date within 20 years")
    for i, r in enumerate(corpus.records["audits"]):
        d = r.values.get("date")
        src = _file_of(corpus, "audits", i)
        if d is None:
            continue
        if d > today.isoformat():
            sink.add(src, r.line, "date", d, f"an audit date no later than today ({today})")
        c = completed.get(r.values.get("action_id", ""))
        if c is not None and d < c:
            sink.add(
                src,
                r.line,
                "date",
                d,
                f"an audit on or after its action's completion ({c})",
                warning=True,
            )
