"""The Neo4j backend: one driver per process, passed in; every query names its database.

Reads go through read routing (`RoutingControl.READ`) so that a cluster or Aura spreads them.
Writes go in batches, `UNWIND $rows AS row MERGE (n:Label {id: row.id})`, with the label taken
from the schema's closed set, all of one batch in one managed transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, LiteralString

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl
from neo4j import exceptions as nx4

from graph_schema import (
    NODES,
    RELS,
    SCHEMA_VERSION,
    Label,
    neo4j_schema,
    neo4j_statements,
    node_spec,
    rel_spec,
)
from graph_store.base import (
    Batch,
    Counts,
    GraphStore,
    Row,
    check_batch,
    empty_counts,
    merge_props,
)
from scrgraph.errors import BackendUnavailable, ConstraintViolation, MissingEndpoint
from scrgraph.settings import Settings

_UNAVAILABLE = (nx4.ServiceUnavailable, nx4.SessionExpired, OSError)


def make_driver(settings: Settings) -> Driver:
    """The process's one driver, built from settings."""
    if not settings.neo4j_password:
        from scrgraph.errors import ConfigError

        raise ConfigError(
            "NEO4J_PASSWORD is not set: export it (for a local server, "
            '`eval "$(scripts/neo4j-local env)"`)'
        )
    return GraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password),
        connection_timeout=5.0,
        connection_acquisition_timeout=10.0,
        max_transaction_retry_time=10.0,
    )


def _distinct_rows(rows: list[Row], key: str) -> list[Row]:
    """One row per key, as merging them in order would leave it (later values win)."""
    by_key: dict[Any, Row] = {}
    for row in rows:
        k = row[key]
        by_key[k] = merge_props(by_key[k], row) if k in by_key else row
    return list(by_key.values())


def _q(text: str) -> LiteralString:
    # Cypher texts here are built only from the schema's closed sets, never from input.
    return text


class Neo4jStore(GraphStore):
    """A GraphStore over a Neo4j driver the caller owns."""

    kind = "neo4j"

    def __init__(self, driver: Driver, database: str = "neo4j", own_driver: bool = False) -> None:
        self.driver = driver
        self.database = database
        self._own_driver = own_driver

    # -- plumbing ---------------------------------------------------------------------------

    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run a read query with read routing; records as plain dicts."""
        try:
            records, _, _ = self.driver.execute_query(
                _q(cypher),
                params or {},
                database_=self.database,
                routing_=RoutingControl.READ,
            )
        except _UNAVAILABLE as e:
            raise BackendUnavailable(f"Neo4j is unavailable: {e}") from e
        return [r.data() for r in records]

    def run_write(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run one write query in its own transaction."""
        try:
            records, _, _ = self.driver.execute_query(
                _q(cypher), params or {}, database_=self.database, routing_=RoutingControl.WRITE
            )
        except nx4.ConstraintError as e:
            raise ConstraintViolation(f"{e.message}; nothing was written") from e
        except _UNAVAILABLE as e:
            raise BackendUnavailable(f"Neo4j is unavailable: {e}") from e
        return [r.data() for r in records]

    # -- schema -----------------------------------------------------------------------------

    def apply_schema(self) -> None:
        for stmt in neo4j_statements():
            self.run_write(stmt)
        self.run_write(
            f"MERGE (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) SET s.version = $v",
            {"v": SCHEMA_VERSION},
        )
        self.run_write("CALL db.awaitIndexes(300)")

    def schema_missing(self) -> list[str]:
        """Constraints and indexes the schema declares that the database lacks or is building."""
        present = self._online_schema_names()
        missing = [f"{i.kind} {i.name}" for i in neo4j_schema() if i.name not in present]
        return missing + super().schema_missing()

    def _online_schema_names(self) -> set[str]:
        try:
            names = {r["name"] for r in self.read("SHOW CONSTRAINTS YIELD name RETURN name")}
            indexes = self.read("SHOW INDEXES YIELD name, state RETURN name, state")
        except nx4.Neo4jError as e:  # e.g. the database is still starting
            raise BackendUnavailable(
                f"Neo4j could not list its constraints and indexes: {e}"
            ) from e
        return names | {r["name"] for r in indexes if r["state"] == "ONLINE"}

    def schema_version(self) -> int | None:
        rows = self.read(
            f"MATCH (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) RETURN s.version AS v"
        )
        return int(rows[0]["v"]) if rows else None

    # -- writes -----------------------------------------------------------------------------

    def write(self, batch: Batch) -> None:
        check_batch(batch)
        if batch.fresh:
            try:
                self._write(batch, bulk=True)
                return
            except ConstraintViolation:
                # A node of the batch exists after all (a concurrent load, or a key that came
                # twice in one load): nothing of this attempt was written; merge it instead.
                pass
        self._write(batch, bulk=False)

    def _write(self, batch: Batch, *, bulk: bool) -> None:
        """One transaction. `bulk`: the nodes are new (CREATE, no index probe per row)."""

        def work(tx: ManagedTransaction) -> None:
            for nw in batch.nodes:
                spec = node_spec(nw.label)
                if bulk:
                    tx.run(
                        _q(f"UNWIND $rows AS row CREATE (n:{spec.label.value}) SET n = row"),
                        rows=_distinct_rows(nw.rows, spec.key),
                    ).consume()
                    continue
                tx.run(
                    _q(
                        f"UNWIND $rows AS row MERGE (n:{spec.label.value} {{{spec.key}: row.{spec.key}}}) "
                        "SET n += row"
                    ),
                    rows=nw.rows,
                ).consume()
            for rw in batch.rels:
                rs = rel_spec(rw.type)
                sk, ek = node_spec(rs.start).key, node_spec(rs.end).key
                # Grouped by start node: one lookup of each start, then its relationships.
                groups: dict[str, list[Row]] = {}
                for r in rw.rows:
                    groups.setdefault(r["start"], []).append(
                        {"end": r["end"], "props": r.get("props") or {}}
                    )
                rec = tx.run(
                    _q(
                        f"UNWIND $groups AS g "
                        f"MATCH (a:{rs.start.value} {{{sk}: g.start}}) "
                        f"UNWIND g.rels AS row "
                        f"MATCH (b:{rs.end.value} {{{ek}: row.end}}) "
                        f"MERGE (a)-[r:{rs.type.value}]->(b) SET r += row.props "
                        "RETURN count(r) AS n"
                    ),
                    groups=[{"start": k, "rels": v} for k, v in groups.items()],
                ).single()
                written = int(rec["n"]) if rec else 0
                if written != len(rw.rows):
                    raise MissingEndpoint(
                        f"{rs.type.value}: {len(rw.rows) - written} relationship(s) name a "
                        f"{rs.start.value} or {rs.end.value} that does not exist; nothing was written"
                    )

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except nx4.ConstraintError as e:
            raise ConstraintViolation(
                f"the batch breaks a uniqueness constraint ({e.message}); nothing was written"
            ) from e
        except _UNAVAILABLE as e:
            raise BackendUnavailable(f"Neo4j is unavailable: {e}") from e

    # -- reads ------------------------------------------------------------------------------

    def counts(self) -> Counts:
        nodes, rels = empty_counts()
        for n in NODES:
            rows = self.read(f"MATCH (n:{n.label.value}) RETURN count(n) AS c")
            nodes[n.label.value] = int(rows[0]["c"])
        for r in RELS:
            rows = self.read(f"MATCH ()-[r:{r.type.value}]->() RETURN count(r) AS c")
            rels[r.type.value] = int(rows[0]["c"])
        return Counts(nodes, rels)

    def is_empty(self) -> bool:
        # The first node found ends the scan; a count would visit every node.
        return not self.read(f"MATCH (n) WHERE NOT n:{Label.SCHEMA_INFO.value} RETURN 1 LIMIT 1")

    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, Row]:
        spec = node_spec(label)
        rows = self.read(
            f"UNWIND $ids AS k MATCH (n:{spec.label.value} {{{spec.key}: k}}) "
            "RETURN k, properties(n) AS p",
            {"ids": list(ids)},
        )
        return {r["k"]: r["p"] for r in rows}

    def ping(self) -> None:
        try:
            self.driver.verify_connectivity()
            self.read("RETURN 1 AS ok")
        except _UNAVAILABLE as e:
            raise BackendUnavailable(f"Neo4j is unavailable: {e}") from e
        except nx4.Neo4jError as e:
            raise BackendUnavailable(f"Neo4j refused a health check: {e}") from e

    def clear(self) -> None:
        try:
            with self.driver.session(database=self.database) as session:
                # Relationships first, in bounded batches: a node with tens of thousands of
                # relationships would otherwise make one DETACH DELETE batch huge.
                session.run(
                    "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
                ).consume()
                session.run(
                    "MATCH (n) WHERE NOT n:SchemaInfo "
                    "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                ).consume()
        except _UNAVAILABLE as e:
            raise BackendUnavailable(f"Neo4j is unavailable: {e}") from e

    def close(self) -> None:
        if self._own_driver:
            self.driver.close()


__all__ = ["Neo4jStore", "make_driver", "neo4j"]
