"""The Neo4j backend: one driver per process, passed in; every query names its database.

Reads go through read routing (`RoutingControl.READ`) so that a cluster or Aura spreads them.
Writes go in batches, `UNWIND $rows AS row MERGE (n:Label {id: row.id})`, with the label taken
from the schema's closed set, all of one batch in one managed transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, LiteralString

import neo4j
from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationDisabledClassification,
    RoutingControl,
)
from neo4j import exceptions as nx4

from graph_schema import (
    CLOSED_ACTED_ON,
    NODES,
    RELS,
    SCHEMA_VERSION,
    Label,
    RelType,
    neo4j_schema,
    neo4j_statements,
    node_spec,
    rel_spec,
)
from graph_schema.aggregates import AGGREGATES, RECURRENCE_EVENT, REVIEW_FACT, THEME_TALLY
from graph_store import aggregates
from graph_store.base import (
    Batch,
    Counts,
    GraphStore,
    NodeWrite,
    RelWrite,
    Row,
    check_batch,
    deletion_touches,
    empty_counts,
    merge_props,
)
from scrgraph.errors import (
    BackendUnavailable,
    ConstraintViolation,
    MissingEndpoint,
    WriteTimedOut,
)
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
        # The queries name only the schema's labels, types and properties; the server's
        # "property key does not exist" says only that no data has one yet (a store with no
        # PFD report has no `response_due`), and the driver would log it on every read.
        notifications_disabled_classifications=[NotificationDisabledClassification.UNRECOGNIZED],
    )


# The nodes met on the way out from a recommendation carry no label (the relationship types
# fix them: graph_schema's RelSpec): with a label and an indexed property, a plan cached
# while the graph was small seeks every completed Action or embedded Audit (or every Review
# after a year) for each row instead of expanding from the row, and took over 120 s on the
# demo corpus once the tests had run on small graphs just before its load.
_CLOSURE = """
WITH *,
  COLLECT {
    MATCH (a)-[:RESPONDS_TO]->(r)
    WHERE a.status = 'completed' AND a.completed_date IS NOT NULL
    RETURN a.completed_date AS d ORDER BY d DESC LIMIT 1
  } AS done,
  COLLECT {
    MATCH (au)-[:CHECKS]->()-[:RESPONDS_TO]->(r)
    WHERE au.rating = 'embedded' AND au.date IS NOT NULL
    RETURN au.date AS d ORDER BY d LIMIT 1
  } AS embedded
WITH *,
  CASE WHEN r.status IN $closed_acted_on
    THEN coalesce(toInteger(left(done[0], 4)), rv0.year) END AS closed_year,
  toInteger(left(embedded[0], 4)) AS audit_year
WHERE closed_year IS NOT NULL OR audit_year IS NOT NULL
WITH *,
  CASE
    WHEN audit_year IS NULL OR (closed_year IS NOT NULL AND closed_year <= audit_year)
    THEN {basis: 'closed_acted_on', year: closed_year}
    ELSE {basis: 'audited_embedded', year: audit_year}
  END AS closure
"""
_EVENT = """
RETURN DISTINCT t.id AS theme, b.id AS board, r.id AS recommendation,
  r.status AS recommendation_status, closure.basis AS basis, closure.year AS closed_year,
  rv0.id AS rec_review, rv0.status AS rec_review_status, rv0.review_type AS rec_review_kind,
  lr.id AS review, lr.year AS review_year, lb.id AS review_board,
  lr.status AS review_status, lr.review_type AS review_kind
"""
# Only a recommendation closed as acted on, or with an action audited as embedded, can close.
_MAY_CLOSE = """
WHERE r.status IN $closed_acted_on
  OR EXISTS { MATCH (au)-[:CHECKS]->()-[:RESPONDS_TO]->(r)
              WHERE au.rating = 'embedded' AND au.date IS NOT NULL }
"""
# Events of recommendations ($recs), forward to every later review raising the theme. The
# closure is computed once per (recommendation, its review), then the themes expand.
_EVENTS_OF_RECS = (
    """
UNWIND $recs AS rid
MATCH (rv0:Review)-[:MAKES]->(r:Recommendation {id: rid}) USING INDEX r:Recommendation(id)
"""
    + _MAY_CLOSE
    + """
WITH DISTINCT rv0, r
"""
    + _CLOSURE
    + """
MATCH (b:Board)-[:COMMISSIONED]->(rv0)
MATCH (b)-[:SUCCEEDED_BY*0..]->(lb:Board)
WITH DISTINCT b, lb, rv0, r, closure
MATCH (lb)-[:COMMISSIONED]->(lr)
WHERE lr.year > closure.year
MATCH (lr)-[:RAISES]->(t:Theme)<-[:TAGGED]-(r)
"""
    + _EVENT
)
# Events of later reviews ($reviews), back to every closed recommendation they follow: the
# recommendations of the boards before them, each closure computed once.
_EVENTS_OF_REVIEWS = (
    """
UNWIND $reviews AS lid
MATCH (lb:Board)-[:COMMISSIONED]->(lr:Review {id: lid}) USING INDEX lr:Review(id)
WHERE lr.year IS NOT NULL
MATCH (b:Board)-[:SUCCEEDED_BY*0..]->(lb)
WITH DISTINCT b, lb, lr
WITH b, collect({lb: lb, lr: lr}) AS later
MATCH (b)-[:COMMISSIONED]->(rv0)-[:MAKES]->(r)
"""
    + _MAY_CLOSE
    + """
WITH DISTINCT b, later, rv0, r
"""
    + _CLOSURE
    + """
UNWIND later AS x
WITH b, rv0, r, closure, x.lb AS lb, x.lr AS lr
WHERE lr.year > closure.year
MATCH (r)-[:TAGGED]->(t:Theme)<-[:RAISES]-(lr)
"""
    + _EVENT
)
_REVIEW_FACTS = """
UNWIND $reviews AS id
MATCH (rv:Review {id: id}) USING INDEX rv:Review(id)
RETURN rv.id AS id, rv.year AS year, rv.status AS status, rv.review_type AS kind,
  COLLECT { MATCH (b:Board)-[:COMMISSIONED]->(rv) RETURN DISTINCT b.id AS b ORDER BY b } AS boards,
  COLLECT { MATCH (rv)-[:RAISES]->(t:Theme) RETURN DISTINCT t.id AS t ORDER BY t } AS themes,
  COLLECT {
    MATCH (rv)-[:MAKES]->(r:Recommendation)-[:TAGGED]->(t:Theme)
    RETURN t.id AS t ORDER BY r.id, t
  } AS rec_themes
"""


def _ids(tx: ManagedTransaction, cypher: str, **params: Any) -> set[str]:
    return {r["id"] for r in tx.run(_q(cypher), **params) if r["id"] is not None}


def _keep_aggregates(
    tx: ManagedTransaction, batch: Batch, *, bulk: bool = False, stale: bool = False
) -> None:
    """Bring the aggregates (graph_schema.aggregates) up to date with a batch, in its tx.

    `bulk`: the batch went the bulk path (a load into an empty store). Its aggregates are not
    kept batch by batch, which recomputed the events of most recommendations in every batch
    (issue 14): the schema node is marked stale instead, in the same transaction, and the next
    write that is not bulk (a load's last, its LoadRun) rebuilds every aggregate once, as do
    `rebuild_aggregates` and `apply_schema`. `stale`: the mark was found set.
    """
    if bulk:
        if stale or tx.run(_q(_MARK_STALE)).single() is not None:
            return
        # no schema node to carry the mark (the schema was never applied): keep them now
    elif stale:
        _rebuild(tx)
        return
    t = aggregates.touched(batch)
    if t.empty():
        return
    later = t.reviews | t.raising
    reviews = later | t.making | t.fact_only
    if t.tagged_recs:
        reviews |= _ids(
            tx,
            "UNWIND $ids AS k MATCH (rv:Review)-[:MAKES]->(r:Recommendation {id: k}) "
            "USING INDEX r:Recommendation(id) RETURN DISTINCT rv.id AS id",
            ids=sorted(t.tagged_recs),
        )
    recs = set(t.recs) | t.tagged_recs
    if t.actions:
        recs |= _ids(
            tx,
            "UNWIND $ids AS k MATCH (a:Action {id: k})-[:RESPONDS_TO]->(r:Recommendation) "
            "USING INDEX a:Action(id) RETURN DISTINCT r.id AS id",
            ids=sorted(t.actions),
        )
    if t.audits:
        recs |= _ids(
            tx,
            "UNWIND $ids AS k MATCH (au:Audit {id: k})-[:CHECKS]->(:Action)-[:RESPONDS_TO]->"
            "(r:Recommendation) USING INDEX au:Audit(id) RETURN DISTINCT r.id AS id",
            ids=sorted(t.audits),
        )
    if t.reviews:  # a review's year, status, kind or board is its events' too
        recs |= _ids(
            tx,
            "UNWIND $ids AS k MATCH (rv:Review {id: k})-[:MAKES]->(r:Recommendation) "
            "USING INDEX rv:Review(id) RETURN DISTINCT r.id AS id",
            ids=sorted(t.reviews),
        )
    if t.succession:
        recs = _ids(tx, "MATCH (r:Recommendation) RETURN r.id AS id")
    _store_aggregates(tx, reviews, later, recs, every_event=t.succession)


def _rebuild(tx: ManagedTransaction) -> None:
    """Every aggregate deleted and computed again from the whole graph; the stale mark off."""
    for a in AGGREGATES:
        tx.run(_q(f"MATCH (n:{a.label.value}) DETACH DELETE n")).consume()
    reviews = {r["id"] for r in tx.run(_q("MATCH (rv:Review) RETURN rv.id AS id"))}
    recs = {r["id"] for r in tx.run(_q("MATCH (r:Recommendation) RETURN r.id AS id"))}
    _store_aggregates(tx, reviews, set(), recs, every_event=True, empty=True)
    tx.run(_q(_UNMARK_STALE)).consume()


def _present(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row as Neo4j stores it (`SET n = row` drops null properties)."""
    return {k: v for k, v in row.items() if v is not None}


def _store_aggregates(
    tx: ManagedTransaction,
    reviews: set[str],
    later: set[str],
    recs: set[str],
    every_event: bool,
    empty: bool = False,
) -> None:
    """Recompute the aggregates of these reviews and the events of these recommendations and
    later reviews; write only the rows that differ from what is stored (a reload writes
    nothing). `empty`: no aggregate is stored (a rebuild), so nothing is read back first."""
    rf, tt, ev = REVIEW_FACT, THEME_TALLY, RECURRENCE_EVENT
    order = sorted(reviews)
    old: list[dict[str, Any]] = []
    if not empty:
        old = [
            r["f"]
            for r in tx.run(
                _q(
                    f"UNWIND $ids AS k MATCH (f:{rf.label.value} {{id: k}}) "
                    "RETURN properties(f) AS f"
                ),
                ids=order,
            )
        ]
    new = [r.data() for r in tx.run(_q(_REVIEW_FACTS), reviews=order)] if order else []
    delta = aggregates.tally_delta(old, new)
    if delta:
        tx.run(
            _q(
                f"UNWIND $rows AS row MERGE (n:{tt.label.value} {{id: row.id}}) "
                "ON CREATE SET n.theme = row.theme, n.board = row.board, n.year = row.year, "
                "n.status = row.status, n.kind = row.kind, n.reviews = 0, n.recommendations = 0 "
                "SET n.reviews = n.reviews + row.dr, "
                "n.recommendations = n.recommendations + row.dc "
                "WITH n WHERE n.reviews = 0 AND n.recommendations = 0 DELETE n"
            ),
            rows=delta,
        ).consume()
    old_facts = {f["id"]: f for f in old}
    changed = [f for f in new if old_facts.get(f["id"]) != _present(f)]
    if changed:
        tx.run(
            _q(f"UNWIND $rows AS row MERGE (f:{rf.label.value} {{id: row.id}}) SET f = row"),
            rows=changed,
        ).consume()
    gone = sorted(set(old_facts) - {f["id"] for f in new})  # reviews no longer there
    if gone:
        tx.run(
            _q(f"UNWIND $ids AS k MATCH (f:{rf.label.value} {{id: k}}) DELETE f"), ids=gone
        ).consume()
    if not (recs or later):
        return
    closed = list(CLOSED_ACTED_ON)
    stored: dict[str, dict[str, Any]] = {}
    if every_event:
        if not empty:
            stored = {
                r["e"]["id"]: r["e"]
                for r in tx.run(_q(f"MATCH (e:{ev.label.value}) RETURN properties(e) AS e"))
            }
        found = [
            r.data() for r in tx.run(_q(_EVENTS_OF_RECS), recs=sorted(recs), closed_acted_on=closed)
        ]
    else:
        stored = {
            r["e"]["id"]: r["e"]
            for r in tx.run(_q(_STORED_EVENTS), recs=sorted(recs), reviews=sorted(later))
        }
        found = []
        if recs:
            found = [
                r.data()
                for r in tx.run(_q(_EVENTS_OF_RECS), recs=sorted(recs), closed_acted_on=closed)
            ]
        if later:
            found += [
                r.data()
                for r in tx.run(
                    _q(_EVENTS_OF_REVIEWS), reviews=sorted(later), closed_acted_on=closed
                )
            ]
    rows = dict(sorted({e["id"]: e for e in map(aggregates.event_row, found)}.items()))
    removed = sorted(set(stored) - set(rows))
    if removed:
        tx.run(
            _q(f"UNWIND $ids AS k MATCH (e:{ev.label.value} {{id: k}}) DELETE e"), ids=removed
        ).consume()
    written = [e for k, e in rows.items() if stored.get(k) != _present(e)]
    if written:
        verb = "CREATE" if empty else "MERGE"
        tx.run(
            _q(f"UNWIND $rows AS row {verb} (e:{ev.label.value} {{id: row.id}}) SET e = row"),
            rows=written,
        ).consume()


# The relationship types the aggregates follow (graph_store.aggregates.touched).
_AGGREGATE_RELS: Final = frozenset(
    {
        RelType.COMMISSIONED,
        RelType.RAISES,
        RelType.MAKES,
        RelType.TAGGED,
        RelType.RESPONDS_TO,
        RelType.CHECKS,
        RelType.SUCCEEDED_BY,
    }
)


def _stored_event_props(tx: ManagedTransaction, batch: Batch) -> dict[tuple[Label, str], Row]:
    """The properties the aggregates read (`aggregates.EVENT_PROPS`) of the batch's nodes that
    exist, as stored before the write, by (label, key)."""
    out: dict[tuple[Label, str], Row] = {}
    for nw in batch.nodes:
        props = aggregates.EVENT_PROPS.get(nw.label)
        if not props or not nw.rows:
            continue
        proj = ", ".join(f"{p}: n.{p}" for p in sorted(props))
        for rec in tx.run(
            _q(f"UNWIND $ids AS k MATCH (n:{nw.label.value} {{id: k}}) RETURN k, {{{proj}}} AS p"),
            ids=sorted({r["id"] for r in nw.rows}),
        ):
            out[(nw.label, rec["k"])] = rec["p"]
    return out


def _changed(
    batch: Batch, stored: dict[tuple[Label, str], Row], new_rels: dict[RelType, list[Row]]
) -> Batch:
    """The part of a (merge) batch that can move an aggregate: rows of new nodes, rows that
    change a property the aggregates read, and relationships that did not exist. Writes only
    merge, so the rest leaves the graph the aggregates read as it was (a reload: nothing)."""
    nodes = []
    for nw in batch.nodes:
        props = aggregates.EVENT_PROPS.get(nw.label)
        if props is None:
            continue
        rows = [
            r
            for r in nw.rows
            if (old := stored.get((nw.label, r["id"]))) is None
            or any(r[p] != old.get(p) for p in props & r.keys())
        ]
        if rows:
            nodes.append(NodeWrite(nw.label, rows))
    rels = [RelWrite(t, rows) for t, rows in new_rels.items() if rows]
    return Batch(nodes=nodes, rels=rels)


# The events stored for recommendations ($recs) or later reviews ($reviews): index seeks on
# RecurrenceEvent's `recommendation` and `review` indexes (graph_schema.aggregates); an
# event found by both comes twice, and the caller keys them by id.
_STORED_EVENTS = f"""
UNWIND $recs AS k MATCH (e:{RECURRENCE_EVENT.label.value} {{recommendation: k}})
RETURN properties(e) AS e
UNION ALL
UNWIND $reviews AS k MATCH (e:{RECURRENCE_EVENT.label.value} {{review: k}})
RETURN properties(e) AS e
"""
# A load into an empty store marks its aggregates stale (see `_keep_aggregates`); a row back
# when the schema node is there to carry the mark.
_MARK_STALE: Final = (
    f"MATCH (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) "
    "SET s.aggregates_stale = true RETURN true AS marked"
)
_UNMARK_STALE: Final = (
    f"MATCH (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) REMOVE s.aggregates_stale"
)


def _delete(tx: ManagedTransaction, batch: Batch) -> dict[RelType, set[tuple[str, str]]]:
    """Delete the batch's relationships and nodes (DETACH), first in its transaction; returns
    every relationship deleted, named or gone with its node, by type."""
    unlinked: dict[RelType, set[tuple[str, str]]] = {}
    for rd in batch.delete_rels:
        rs = rel_spec(rd.type)
        sk, ek = node_spec(rs.start).key, node_spec(rs.end).key
        found = tx.run(
            _q(
                f"UNWIND $rows AS row MATCH (a:{rs.start.value} {{{sk}: row.start}})"
                f"-[r:{rs.type.value}]->(b:{rs.end.value} {{{ek}: row.end}}) "
                f"DELETE r RETURN a.{sk} AS s, b.{ek} AS e"
            ),
            rows=[{"start": r["start"], "end": r["end"]} for r in rd.rows],
        )
        unlinked.setdefault(rd.type, set()).update((r["s"], r["e"]) for r in found)
    for nd in batch.delete_nodes:
        spec = node_spec(nd.label)
        # Per label, one statement reads every relationship of the nodes (type, direction,
        # the other end's key), and one deletes them: reading in the deleting statement would
        # meet a neighbour that an earlier row of it had deleted.
        ends = [rs for rs in RELS if nd.label in (rs.start, rs.end)]
        other_keys = sorted({node_spec(x).key for rs in ends for x in (rs.start, rs.end)})
        other = ", ".join(f"m.{k}" for k in other_keys)
        keys = sorted(set(nd.keys))
        found = tx.run(
            _q(
                f"UNWIND $keys AS k MATCH (n:{spec.label.value} {{{spec.key}: k}})"
                "-[r]-(m) WHERE type(r) IN $types "
                f"RETURN k, type(r) AS t, startNode(r) = n AS out, coalesce({other}) AS other"
            ),
            keys=keys,
            types=sorted({rs.type.value for rs in ends}),
        )
        for r in found:
            pair = (r["k"], r["other"]) if r["out"] else (r["other"], r["k"])
            unlinked.setdefault(RelType(r["t"]), set()).add(pair)
        tx.run(
            _q(f"UNWIND $keys AS k MATCH (n:{spec.label.value} {{{spec.key}: k}}) DETACH DELETE n"),
            keys=keys,
        ).consume()
    return unlinked


def _after_deletes(
    tx: ManagedTransaction, batch: Batch, unlinked: dict[RelType, set[tuple[str, str]]]
) -> None:
    """The aggregates of what the batch's deletions touched; a deleted review's ReviewFact
    goes (its tallies went with it)."""
    _keep_aggregates(tx, deletion_touches(batch, unlinked))
    written = {str(r["id"]) for nw in batch.nodes if nw.label == Label.REVIEW for r in nw.rows}
    reviews = sorted(
        {k for nd in batch.delete_nodes if nd.label == Label.REVIEW for k in nd.keys} - written
    )
    if reviews:
        tx.run(
            _q(f"UNWIND $ids AS k MATCH (f:{REVIEW_FACT.label.value} {{id: k}}) DELETE f"),
            ids=reviews,
        ).consume()


# Every write transaction scrgraph commits bumps this counter on the schema node, in the same
# transaction (see `Neo4jStore.data_generation`). Community Edition reports no committed
# transaction id (`SHOW DATABASE ... lastCommittedTxn` is null there, and takes 300 ms).
# The counter restarts if the schema node is ever deleted and made again, so the node also
# carries an epoch, a random id set when it is first bumped: the generation is the pair.
_BUMP_GENERATION: Final = (
    f"MATCH (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) "
    "SET s.generation = coalesce(s.generation, 0) + 1, s.epoch = coalesce(s.epoch, randomUUID())"
)
# What `data_generation` reads from the schema node `s`, in any statement (see `generation_of`).
GENERATION_CYPHER: Final = "[coalesce(s.epoch, ''), coalesce(s.generation, 0)]"


def generation_of(value: Any) -> tuple[str, int] | None:
    """`data_generation` from what GENERATION_CYPHER read (None where no schema node was)."""
    if value is None:
        return None
    epoch, count = value
    return str(epoch), int(count)


_STALE: Final = " RETURN coalesce(s.aggregates_stale, false) AS stale"


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
        before = self.schema_version()
        for stmt in neo4j_statements():
            self.run_write(stmt)
        self.run_write(
            f"MERGE (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) SET s.version = $v",
            {"v": SCHEMA_VERSION},
        )
        self.run_write("CALL db.awaitIndexes(300)")
        if self._rebuild_due(before):
            self.rebuild_aggregates()

    def _aggregates_stale(self) -> bool:
        rows = self.read(
            f"MATCH (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) "
            "RETURN coalesce(s.aggregates_stale, false) AS stale"
        )
        return bool(rows and rows[0]["stale"])

    def rebuild_aggregates(self) -> None:
        """Recompute every aggregate from the graph, in one transaction."""

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(_rebuild)
        except _UNAVAILABLE as e:
            raise BackendUnavailable(f"Neo4j is unavailable: {e}") from e

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
            unlinked = _delete(tx, batch) if batch.deletes() else None
            # What the aggregates read, as it was before this write's upserts (see `_changed`).
            stored = {} if bulk else _stored_event_props(tx, batch)
            new_rels: dict[RelType, list[Row]] = {}
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
                track = not bulk and rw.type in _AGGREGATE_RELS
                rec = tx.run(
                    _q(
                        f"UNWIND $groups AS g "
                        f"MATCH (a:{rs.start.value} {{{sk}: g.start}}) "
                        f"UNWIND g.rels AS row "
                        f"MATCH (b:{rs.end.value} {{{ek}: row.end}}) "
                        + (
                            f"WITH g, a, b, row, EXISTS {{ (a)-[:{rs.type.value}]->(b) }} AS old "
                            if track
                            else ""
                        )
                        + f"MERGE (a)-[r:{rs.type.value}]->(b) SET r += row.props "
                        "RETURN count(r) AS n"
                        + (
                            ", collect(CASE WHEN old THEN null "
                            "ELSE {start: g.start, end: row.end} END) AS new"
                            if track
                            else ""
                        )
                    ),
                    groups=[{"start": k, "rels": v} for k, v in groups.items()],
                ).single()
                if track and rec:
                    new_rels.setdefault(rw.type, []).extend(rec["new"])
                written = int(rec["n"]) if rec else 0
                if written != len(rw.rows):
                    raise MissingEndpoint(
                        f"{rs.type.value}: {len(rw.rows) - written} relationship(s) name a "
                        f"{rs.start.value} or {rs.end.value} that does not exist; nothing was written"
                    )
            mark = tx.run(_q(_BUMP_GENERATION + _STALE)).single()
            # Last in the transaction, whatever branch wrote the rows above.
            _keep_aggregates(
                tx,
                batch if bulk else _changed(batch, stored, new_rels),
                bulk=bulk,
                stale=bool(mark and mark["stale"]),
            )
            if unlinked is not None:
                _after_deletes(tx, batch, unlinked)

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except nx4.ConstraintError as e:
            raise ConstraintViolation(
                f"the batch breaks a uniqueness constraint ({e.message}); nothing was written"
            ) from e
        except nx4.ClientError as e:
            if not (e.code or "").startswith("Neo.ClientError.Transaction.TransactionTimedOut"):
                raise
            rows = sum(len(n.rows) for n in batch.nodes) + sum(len(r.rows) for r in batch.rels)
            raise WriteTimedOut(
                f"a batch of {rows:,} rows ran past Neo4j's transaction timeout "
                "(db.transaction.timeout) and was rolled back: nothing of it was written. "
                "Write smaller batches (scrgraph load --batch-size) or raise the timeout"
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

    def data_generation(self) -> tuple[str, int] | None:
        """The schema node's epoch and its count of write transactions committed through
        `write` and `clear` (None before the schema is applied). Writes made outside scrgraph
        (a Cypher shell) do not count: restart the server after such a change for what is kept
        per generation (the network's layout, search postings) to follow it."""
        rows = self.read(
            f"MATCH (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}}) RETURN {GENERATION_CYPHER} AS g"
        )
        return generation_of(rows[0]["g"]) if rows else None

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
                session.run(_q(_BUMP_GENERATION)).consume()
        except _UNAVAILABLE as e:
            raise BackendUnavailable(f"Neo4j is unavailable: {e}") from e

    def close(self) -> None:
        if self._own_driver:
            self.driver.close()


__all__ = ["Neo4jStore", "make_driver", "neo4j"]
