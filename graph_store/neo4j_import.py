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

import os
import shutil
import subprocess
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
    """Keeps a load's rows, merged by key as a store merges them, for `write_files`."""

    kind = "neo4j-import"

    def __init__(self) -> None:
        super().__init__()
        self.nodes: dict[Label, dict[str, Row]] = {}
        self.rels: dict[RelType, dict[tuple[str, str], Row]] = {}

    def take(self, batch: Batch) -> None:
        if batch.deletes():
            raise InputError("a first load by neo4j-admin import cannot delete anything")
        for nw in batch.nodes:
            key = node_spec(nw.label).key
            rows = self.nodes.setdefault(nw.label, {})
            for r in nw.rows:
                rows[r[key]] = merge_props(rows.get(r[key]), r)
        for rw in batch.rels:
            rels = self.rels.setdefault(rw.type, {})
            for r in rw.rows:
                k = (r["start"], r["end"])
                rels[k] = merge_props(rels.get(k), r.get("props") or {})

    def write_files(self, out: Path) -> list[str]:
        """Write one CSV per label and per relationship type into `out` (made empty first)
        and the argument file; returns the arguments. Raises InputError for a relationship
        whose end is not among the nodes (the import would drop it)."""
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
        for label, rows in sorted(self.nodes.items()):
            if not rows:
                continue
            spec = node_spec(label)
            path = out / f"nodes-{label.value}.csv"
            props = [
                (c, t) for c, t in _columns(rows.values(), f"{label.value} node") if c != spec.key
            ]
            header = [f"{spec.key}:ID({label.value})"] + [f"{c}:{t}" for c, t in props]
            _write_csv(
                path,
                header,
                ([r.get(spec.key)] + [r.get(c) for c, _ in props] for r in rows.values()),
            )
            args.append(f"--nodes={label.value}={path}")
        for rel_type, rels in sorted(self.rels.items()):
            if not rels:
                continue
            rs = rel_spec(rel_type)
            starts = self.nodes.get(rs.start, {})
            ends = self.nodes.get(rs.end, {})
            for s, e in rels:
                if s not in starts or e not in ends:
                    raise InputError(
                        f"{rel_type.value} ({s}) -> ({e}): a {rs.start.value} or "
                        f"{rs.end.value} that the load does not hold; an import into an empty "
                        "database can only link nodes it imports"
                    )
            path = out / f"rels-{rel_type.value}.csv"
            cols = _columns(rels.values(), f"{rel_type.value} relationship")
            header = [f":START_ID({rs.start.value})", f":END_ID({rs.end.value})"] + [
                f"{c}:{t}" for c, t in cols
            ]
            _write_csv(
                path, header, ([s, e] + [p.get(c) for c, _ in cols] for (s, e), p in rels.items())
            )
            args.append(f"--relationships={rel_type.value}={path}")
        (out / ARGS_FILE).write_text("".join(f"{a}\n" for a in args))
        return args


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
