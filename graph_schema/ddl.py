"""Constraints and indexes derived from the schema data, for each backend."""

# SQL here is assembled from the schema's closed sets and constant fragments; values only
# travel as parameters.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph_schema.aggregates import AGGREGATES, aggregate_sqlite_statements
from graph_schema.model import NODES, NodeSpec


@dataclass(frozen=True)
class FulltextIndex:
    """A full-text index over some text properties of one label."""

    name: str
    label: str
    props: tuple[str, ...]


def _snake(label: str) -> str:
    out = []
    for i, ch in enumerate(label):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def fulltext_indexes() -> list[FulltextIndex]:
    """The full-text indexes the schema declares."""
    return [
        FulltextIndex(f"{_snake(n.label)}_text", n.label, n.fulltext) for n in NODES if n.fulltext
    ]


@dataclass(frozen=True)
class Neo4jSchemaItem:
    """One Neo4j constraint or index: its name, kind and the DDL that creates it."""

    name: str
    kind: str  # "constraint" or "index"
    statement: str


def neo4j_schema() -> list[Neo4jSchemaItem]:
    """Every Neo4j constraint and index the schema declares, by name."""
    items: list[Neo4jSchemaItem] = []
    for n in NODES:
        for prop in (n.key, *n.unique):
            name = f"{_snake(n.label)}_{prop}_unique"
            items.append(
                Neo4jSchemaItem(
                    name,
                    "constraint",
                    f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                    f"FOR (n:{n.label}) REQUIRE n.{prop} IS UNIQUE",
                )
            )
        for prop in n.indexed:
            name = f"{_snake(n.label)}_{prop}"
            items.append(
                Neo4jSchemaItem(
                    name,
                    "index",
                    f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{n.label}) ON (n.{prop})",
                )
            )
    for a in AGGREGATES:
        name = f"{_snake(a.label)}_{a.key}_unique"
        items.append(
            Neo4jSchemaItem(
                name,
                "constraint",
                f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                f"FOR (n:{a.label.value}) REQUIRE n.{a.key} IS UNIQUE",
            )
        )
        for prop in a.indexed:
            name = f"{_snake(a.label)}_{prop}"
            items.append(
                Neo4jSchemaItem(
                    name,
                    "index",
                    f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{a.label.value}) ON (n.{prop})",
                )
            )
    for ft in fulltext_indexes():
        props = ", ".join(f"n.{p}" for p in ft.props)
        items.append(
            Neo4jSchemaItem(
                ft.name,
                "index",
                f"CREATE FULLTEXT INDEX {ft.name} IF NOT EXISTS FOR (n:{ft.label}) ON EACH [{props}]",
            )
        )
    return items


def neo4j_statements() -> list[str]:
    """Cypher DDL, each statement safe to rerun (IF NOT EXISTS)."""
    return [item.statement for item in neo4j_schema()]


# -- the embedded store's typed columns --------------------------------------------------------
#
# Every property some label declares `indexed` is also a typed column of the SQLite `nodes`
# table, `c_<property>`, filled on write from the row's properties (NULL for the labels that do
# not index it, and for a value of another type), and indexed per label so that lists filter
# and sort on it, nulls last, without reading the JSON. The JSON `props` stays the record.

_SQL_TYPES: dict[str, str] = {"int": "INTEGER", "float": "REAL", "bool": "INTEGER"}


@dataclass(frozen=True)
class TypedColumn:
    """A typed column of the embedded `nodes` table: the property, its SQL type, its labels."""

    prop: str
    sql_type: str
    py_type: type
    labels: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"c_{self.prop}"


def typed_columns() -> list[TypedColumn]:
    """The typed columns, one per property that any label indexes (declared once: `indexed`)."""
    found: dict[str, tuple[str, list[str]]] = {}
    for n in NODES:
        for prop in n.indexed:
            spec = n.prop(prop)
            kind = spec.type if spec is not None else "str"
            sql_type, labels = found.setdefault(prop, (_SQL_TYPES.get(kind, "TEXT"), []))
            if _SQL_TYPES.get(kind, "TEXT") != sql_type:
                raise ValueError(f"property {prop!r} is indexed with two types")
            labels.append(n.label.value)
    return [
        TypedColumn(prop, t, int if t == "INTEGER" else float if t == "REAL" else str, tuple(ls))
        for prop, (t, ls) in found.items()
    ]


TYPED_COLUMNS = typed_columns()


_SLOTS: dict[str, tuple[tuple[int, str, type], ...]] = {
    n.label.value: tuple(
        (i, c.prop, c.py_type) for i, c in enumerate(TYPED_COLUMNS) if n.label.value in c.labels
    )
    for n in NODES
}
_NONE: tuple[None, ...] = (None,) * len(TYPED_COLUMNS)


def typed_values(label: str, props: Mapping[str, object]) -> tuple[object, ...]:
    """The typed columns' values of one node, in TYPED_COLUMNS order: None where the label
    does not index the property, or its value is not of the declared type (a bool is an int
    in Python, never a year)."""
    slots = _SLOTS.get(label)
    if not slots:
        return _NONE
    out: list[object] = list(_NONE)
    for i, prop, want in slots:
        v = props.get(prop)
        if type(v) is want:
            out[i] = v
    return tuple(out)


def _sqlite_node_indexes(n: NodeSpec) -> list[str]:
    stmts = []
    table = _snake(n.label)
    for prop in n.unique:
        stmts.append(
            f"CREATE UNIQUE INDEX IF NOT EXISTS ux_{table}_{prop} ON nodes "
            f"(json_extract(props, '$.{prop}')) WHERE label = '{n.label}'"
        )
    if n.indexed:
        # Every typed column of the label by id: a filter checks a node's columns here
        # without reading its JSON (the table's rows hold it).
        cols = ", ".join(f"c_{p}" for p in n.indexed)
        stmts.append(
            f"CREATE INDEX IF NOT EXISTS cv_{table} ON nodes (label, id, {cols}) "
            f"WHERE label = '{n.label}'"
        )
    for prop in n.indexed:
        # (nulls last, value) then the key (label, id) that every index entry ends with: a
        # list sorted on the property, ties by id, reads its page from this index alone.
        stmts.append(
            f"CREATE INDEX IF NOT EXISTS cx_{table}_{prop} ON nodes "
            f"(label, c_{prop} IS NULL, c_{prop}) WHERE label = '{n.label}'"
        )
    return stmts


# Indexes of schema version 1 (on the JSON, never read by a query): dropped on upgrade.
SQLITE_DROPPED = [
    f"DROP INDEX IF EXISTS ix_{_snake(n.label)}_{p}" for n in NODES for p in n.indexed
]

_NODE_COLUMNS = "".join(f", {c.name} {c.sql_type}" for c in TYPED_COLUMNS)

SQLITE_TABLES = [
    "CREATE TABLE IF NOT EXISTS nodes (label TEXT NOT NULL, id TEXT NOT NULL, "
    f"props TEXT NOT NULL{_NODE_COLUMNS}, PRIMARY KEY (label, id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS rels (type TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, "
    "props TEXT NOT NULL, PRIMARY KEY (type, src, dst)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS ix_rels_dst ON rels (type, dst)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fts_map (rowid INTEGER PRIMARY KEY, label TEXT NOT NULL, "
    "id TEXT NOT NULL, UNIQUE (label, id))",
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(label UNINDEXED, id UNINDEXED, "
    "text, tokenize = 'porter unicode61')",
]


def sqlite_upgrade_columns(existing: set[str]) -> list[str]:
    """Statements that bring a `nodes` table with these columns up to the typed columns:
    each missing column added, then filled from the JSON of the labels that index it."""
    stmts: list[str] = []
    for c in TYPED_COLUMNS:
        if c.name in existing:
            continue
        stmts.append(f"ALTER TABLE nodes ADD COLUMN {c.name} {c.sql_type}")
        labels = ", ".join(f"'{lb}'" for lb in c.labels)
        stmts.append(
            f"UPDATE nodes SET {c.name} = json_extract(props, '$.{c.prop}') "
            f"WHERE label IN ({labels}) AND json_type(props, '$.{c.prop}') = "
            f"'{'integer' if c.sql_type == 'INTEGER' else 'real' if c.sql_type == 'REAL' else 'text'}'"
        )
    return stmts


def sqlite_statements() -> list[str]:
    """SQLite DDL for the embedded store, each statement safe to rerun (the typed columns of
    an older store are added first, `sqlite_upgrade_columns`; then SQLITE_DROPPED runs)."""
    stmts = list(SQLITE_TABLES)
    for n in NODES:
        stmts.extend(_sqlite_node_indexes(n))
    stmts.extend(aggregate_sqlite_statements())
    return stmts


# The one statement that writes a node: its JSON and its typed columns (typed_values order).
SQLITE_NODE_UPSERT = (
    "INSERT INTO nodes(label, id, props"
    + "".join(f", {c.name}" for c in TYPED_COLUMNS)
    + ") VALUES (?, ?, ?"
    + ", ?" * len(TYPED_COLUMNS)
    + ") ON CONFLICT(label, id) DO UPDATE SET props = excluded.props"
    + "".join(f", {c.name} = excluded.{c.name}" for c in TYPED_COLUMNS)
)
