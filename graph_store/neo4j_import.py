"""A first load of an empty Neo4j by `neo4j-admin database import` (issue 14, item 3).

The loader validates a corpus and builds its rows as for any store, into `ImportCsvStore`,
which keeps them (merged as the store would merge them) and writes the CSV files and the
argument file that `neo4j-admin database import full` reads. The import itself runs while the
server is stopped: `scripts/neo4j-local import DIR` for the local server, or `admin_import`.
Then `scrgraph schema --backend neo4j` creates the constraints and indexes and builds the
aggregates kept at write time, as after any load into an empty store.

Every property keeps the Python type the driver would have sent (str, int as a long, float as
a double, bool, a list of str), so the imported graph reads back as a loaded one does.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from graph_schema import Label, RelType, node_spec, rel_spec
from graph_store.base import Batch, Counts, GraphStore, Row, check_batch, merge_props
from scrgraph.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
ADMIN_LIB = ROOT / "tools" / "neo4j-local" / "target" / "lib"
ADMIN_MAIN = "org.neo4j.cli.AdminTool"
ARGS_FILE = "import.args"
# Between the items of a list property: a control character no text of a review holds
# (checked for every value written).
ARRAY_DELIMITER = "\x1f"

_CSV_TYPES: dict[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}


class SinkStore(GraphStore):
    """Answers every read as an empty store does, and hands each batch to `take` instead of
    writing it: what the loader needs to build a corpus's rows without a database."""

    kind = "sink"

    def __init__(self) -> None:
        from graph_store.embedded import EmbeddedStore

        self._empty = EmbeddedStore(":memory:")

    def take(self, batch: Batch) -> None:
        raise NotImplementedError

    def write(self, batch: Batch) -> None:
        check_batch(batch)
        self.take(batch)

    def apply_schema(self) -> None:
        pass

    def schema_version(self) -> int | None:
        return self._empty.schema_version()

    def counts(self) -> Counts:
        return self._empty.counts()

    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, Row]:
        return self._empty.get_nodes(label, ids)

    def ping(self) -> None:
        pass

    def clear(self) -> None:
        pass

    def close(self) -> None:
        self._empty.close()

    def __getattr__(self, name: str) -> Any:  # validation may ask the store more
        return getattr(self._empty, name)


class ImportCsvStore(SinkStore):
    """Keeps a load's rows, merged by key as a store merges them, for `write_files`: in a
    temporary SQLite file, not in memory, so that a corpus of any size needs memory for one
    batch only (issue 14, item 3). Rows keep the order they first came in."""

    kind = "neo4j-import"

    def __init__(self) -> None:
        super().__init__()
        self._tmp = tempfile.TemporaryDirectory(prefix="scrgraph-import-")
        self._rows = sqlite3.connect(Path(self._tmp.name) / "rows.sqlite")
        # A scratch file: a crash loses nothing that is not read again from the corpus.
        self._rows.execute("PRAGMA journal_mode=OFF")
        self._rows.execute("PRAGMA synchronous=OFF")
        self._rows.execute(
            "CREATE TABLE nodes(seq INTEGER PRIMARY KEY, label TEXT, id TEXT, props TEXT, "
            "UNIQUE(label, id))"
        )
        self._rows.execute(
            "CREATE TABLE rels(seq INTEGER PRIMARY KEY, type TEXT, src TEXT, dst TEXT, "
            "props TEXT, UNIQUE(type, src, dst))"
        )

    def take(self, batch: Batch) -> None:
        from graph_store.embedded import EmbeddedStore, _rows_of_keys

        if batch.deletes():
            raise InputError("a first load by neo4j-admin import cannot delete anything")
        db = self._rows
        with db:
            for nw in batch.nodes:
                key = node_spec(nw.label).key
                # Each row merges onto what earlier rows and batches kept for its key.
                keys = sorted({r[key] for r in nw.rows})
                rows: dict[str, Row] = {
                    k: json.loads(text)
                    for k, text in _rows_of_keys(db, "id, props", "nodes", nw.label.value, keys)
                }
                for r in nw.rows:
                    rows[r[key]] = merge_props(rows.get(r[key]), r)
                db.executemany(
                    "INSERT INTO nodes(label, id, props) VALUES (?, ?, ?) "
                    "ON CONFLICT(label, id) DO UPDATE SET props = excluded.props",
                    [(nw.label.value, k, json.dumps(p)) for k, p in rows.items()],
                )
            for rw in batch.rels:
                rels = EmbeddedStore._stored_rels(
                    db, rw.type.value, {(r["start"], r["end"]) for r in rw.rows}
                )
                for r in rw.rows:
                    k = (r["start"], r["end"])
                    rels[k] = merge_props(rels.get(k), r.get("props") or {})
                db.executemany(
                    "INSERT INTO rels(type, src, dst, props) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(type, src, dst) DO UPDATE SET props = excluded.props",
                    [(rw.type.value, s, e, json.dumps(p)) for (s, e), p in rels.items()],
                )

    def taken(self) -> tuple[int, int]:
        """How many nodes and relationships the load gave (after merging by key)."""
        nodes = self._rows.execute("SELECT count(*) FROM nodes").fetchone()[0]
        rels = self._rows.execute("SELECT count(*) FROM rels").fetchone()[0]
        return int(nodes), int(rels)

    def _node_rows(self, label: Label) -> Iterator[Row]:
        for (text,) in self._rows.execute(
            "SELECT props FROM nodes WHERE label = ? ORDER BY seq", (label.value,)
        ):
            yield json.loads(text)

    def _rel_rows(self, rel_type: RelType) -> Iterator[tuple[str, str, Row]]:
        for s, e, text in self._rows.execute(
            "SELECT src, dst, props FROM rels WHERE type = ? ORDER BY seq", (rel_type.value,)
        ):
            yield s, e, json.loads(text)

    def write_files(self, out: Path) -> list[str]:
        """Write one CSV per label and per relationship type into `out` (made empty first)
        and the argument file; returns the arguments. Raises InputError for a relationship
        whose end is not among the nodes (the import would drop it). Reads the rows twice,
        a label at a time (the columns and their types, then the files)."""
        if out.exists():
            shutil.rmtree(out)
        out.mkdir(parents=True)
        args = [
            "neo4j",  # the database; first, as --nodes takes every word after it as a file
            "--multiline-fields=true",
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
            "--overwrite-destination=true",
            f"--report-file={out / 'import.report'}",  # bad entries, if any; not the cwd
        ]
        db = self._rows
        labels = sorted(Label(r[0]) for r in db.execute("SELECT DISTINCT label FROM nodes"))
        for label in labels:
            spec = node_spec(label)
            path = out / f"nodes-{label.value}.csv"
            props = [
                (c, t)
                for c, t in _columns(self._node_rows(label), f"{label.value} node")
                if c != spec.key
            ]
            header = [f"{spec.key}:ID({label.value})"] + [f"{c}:{t}" for c, t in props]
            _write_csv(
                path,
                header,
                ([r.get(spec.key)] + [r.get(c) for c, _ in props] for r in self._node_rows(label)),
            )
            args.append(f"--nodes={label.value}={path}")
        types = sorted(RelType(r[0]) for r in db.execute("SELECT DISTINCT type FROM rels"))
        for rel_type in types:
            rs = rel_spec(rel_type)
            dangling = db.execute(
                "SELECT r.src, r.dst FROM rels r WHERE r.type = ? AND ("
                " NOT EXISTS (SELECT 1 FROM nodes n WHERE n.label = ? AND n.id = r.src) OR"
                " NOT EXISTS (SELECT 1 FROM nodes n WHERE n.label = ? AND n.id = r.dst)"
                ") ORDER BY r.seq LIMIT 1",
                (rel_type.value, rs.start.value, rs.end.value),
            ).fetchone()
            if dangling:
                s, e = dangling
                raise InputError(
                    f"{rel_type.value} ({s}) -> ({e}): a {rs.start.value} or "
                    f"{rs.end.value} that the load does not hold; an import into an empty "
                    "database can only link nodes it imports"
                )
            path = out / f"rels-{rel_type.value}.csv"
            cols = _columns(
                (p for _, _, p in self._rel_rows(rel_type)), f"{rel_type.value} relationship"
            )
            header = [f":START_ID({rs.start.value})", f":END_ID({rs.end.value})"] + [
                f"{c}:{t}" for c, t in cols
            ]
            _write_csv(
                path,
                header,
                ([s, e] + [p.get(c) for c, _ in cols] for s, e, p in self._rel_rows(rel_type)),
            )
            args.append(f"--relationships={rel_type.value}={path}")
        (out / ARGS_FILE).write_text("".join(f"{a}\n" for a in args))
        return args

    def close(self) -> None:
        self._rows.close()
        self._tmp.cleanup()
        super().close()


def _columns(rows: Iterable[Row], what: str) -> list[tuple[str, str]]:
    """Each property's name and CSV type, from the values themselves (the type the driver
    would send); a property with values of two types is refused."""
    types: dict[str, str] = {}
    for r in rows:
        for k, v in r.items():
            if v is None:
                continue
            if isinstance(v, list):
                inner = {_CSV_TYPES.get(type(x)) for x in v} or {"string"}
                if len(inner) != 1 or None in inner:
                    raise InputError(f"{what} property {k!r}: a list of mixed or unknown values")
                t = f"{inner.pop()}[]"
            else:
                found = _CSV_TYPES.get(type(v))
                if found is None:
                    raise InputError(f"{what} property {k!r}: a {type(v).__name__}")
                t = found
            if types.setdefault(k, t) != t:
                raise InputError(f"{what} property {k!r}: values of two types ({types[k]} and {t})")
    return sorted(types.items())


def _field(value: Any) -> str:
    """One CSV field: nothing for a missing value, numbers bare, strings quoted (so that an
    empty string stays one), lists joined by the array delimiter."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return _quote(ARRAY_DELIMITER.join(_item(x) for x in value))
    return _quote(str(value))


def _item(value: Any) -> str:
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if ARRAY_DELIMITER in text:
        raise InputError(f"a list item holds the control character U+001F: {text[:40]!r}")
    return text


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _write_csv(path: Path, header: list[str], rows: Iterator[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(_field(v) for v in row) + "\n")


def admin_import(home: Path, csv_dir: Path) -> str:
    """Run `neo4j-admin database import full` into the database `neo4j` of the (stopped)
    server whose home is `home`, from the files `write_files` wrote; returns its output.
    Raises RuntimeError with the tool's output when it fails."""
    java = shutil.which("java") or str(Path(os.environ.get("JAVA_HOME", "")) / "bin" / "java")
    if not ADMIN_LIB.is_dir():
        raise RuntimeError(f"{ADMIN_LIB} is missing: run scripts/neo4j-local start once")
    proc = subprocess.run(
        [java, "-cp", f"{ADMIN_LIB}/*", ADMIN_MAIN, "database", "import", "full",
         f"@{csv_dir / ARGS_FILE}"],
        env={**os.environ, "NEO4J_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(
            f"neo4j-admin database import failed (exit {proc.returncode}):\n"
            + (proc.stdout + proc.stderr)[-4000:]
        )
    return proc.stdout
