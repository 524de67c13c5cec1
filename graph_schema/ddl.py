"""Constraints and indexes derived from the schema data, for each backend."""

from __future__ import annotations

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


def _sqlite_node_indexes(n: NodeSpec) -> list[str]:
    stmts = []
    table = _snake(n.label)
    for prop in n.unique:
        stmts.append(
            f"CREATE UNIQUE INDEX IF NOT EXISTS ux_{table}_{prop} ON nodes "
            f"(json_extract(props, '$.{prop}')) WHERE label = '{n.label}'"
        )
    for prop in n.indexed:
        stmts.append(
            f"CREATE INDEX IF NOT EXISTS ix_{table}_{prop} ON nodes "
            f"(json_extract(props, '$.{prop}')) WHERE label = '{n.label}'"
        )
    return stmts


SQLITE_TABLES = [
    "CREATE TABLE IF NOT EXISTS nodes (label TEXT NOT NULL, id TEXT NOT NULL, "
    "props TEXT NOT NULL, PRIMARY KEY (label, id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS rels (type TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, "
    "props TEXT NOT NULL, PRIMARY KEY (type, src, dst)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS ix_rels_dst ON rels (type, dst)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS fts_map (rowid INTEGER PRIMARY KEY, label TEXT NOT NULL, "
    "id TEXT NOT NULL, UNIQUE (label, id))",
    "CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(label UNINDEXED, id UNINDEXED, "
    "text, tokenize = 'porter unicode61')",
]


def sqlite_statements() -> list[str]:
    """SQLite DDL for the embedded store, each statement safe to rerun."""
    stmts = list(SQLITE_TABLES)
    for n in NODES:
        stmts.extend(_sqlite_node_indexes(n))
    stmts.extend(aggregate_sqlite_statements())
    return stmts
