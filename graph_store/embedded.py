"""The embedded default: a SQLite file is the durable truth and the read path.

- WAL mode; each batch is one `BEGIN IMMEDIATE` transaction, so a crash leaves whole batches.
- Uniqueness constraints are SQLite (partial, expression) unique indexes, generated from the
  schema, so a violation rolls the whole batch back exactly as Neo4j does.
- Full-text search uses SQLite FTS5.
- Another process's commits are noticed through `PRAGMA data_version`; the in-memory graph
  (if one was built) is then dropped, and built again only when something asks for it.
- The queries read SQL (queries/_sql.py), and so does the write path: a batch's merge bases
  and the aggregate pass (`_SqlView`) read, by index, just the rows and relationships the
  batch touches. The networkx copy of the whole store (`graph`) is built only when something
  asks for it (no reader or writer of the store does); once built, writes keep it up to date.
- A load into an empty store (`fresh` batches) leaves the aggregates stale (a flag in `meta`)
  and the load's last, ordinary write rebuilds them once (see `_keep_aggregates`).
"""

from __future__ import annotations

import gc
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from graph_schema import (
    NODES,
    RELS,
    SCHEMA_VERSION,
    SQLITE_DROPPED,
    SQLITE_NODE_UPSERT,
    SQLITE_TABLES,
    Label,
    RelType,
    fulltext_indexes,
    node_spec,
    rel_spec,
    sqlite_statements,
    sqlite_upgrade_columns,
    typed_values,
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
from scrgraph.errors import BackendUnavailable, ConstraintViolation, MissingEndpoint

NodeId = tuple[str, str]  # (label, key)

_FULLTEXT = {ft.label: ft.props for ft in fulltext_indexes()}
_CHUNK = 500


def _rows_of_keys(
    db: sqlite3.Connection | sqlite3.Cursor,
    columns: str,
    table: str,
    label: str,
    keys: list[str],
) -> Iterator[Any]:
    """`columns` of `table`'s rows for these keys of a label, asked `_CHUNK` keys at a time
    (SQLite bounds a statement's parameters). `columns` and `table` are this module's
    constants, never input. Run it to its end: a statement left open blocks the connection."""
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        yield from db.execute(
            f"SELECT {columns} FROM {table} WHERE label = ? AND id IN ({marks})",  # noqa: S608
            (label, *chunk),
        )


# A load into an empty store marks its aggregates stale (see `EmbeddedStore._keep_aggregates`).
_MARK_STALE = (
    "INSERT INTO meta(key, value) VALUES ('aggregates_stale', '1') ON CONFLICT(key) DO NOTHING"
)
_UNMARK_STALE = "DELETE FROM meta WHERE key = 'aggregates_stale'"


def _stale(db: sqlite3.Connection | sqlite3.Cursor) -> bool:
    """Whether a load into an empty store left the aggregates stale."""
    return db.execute("SELECT 1 FROM meta WHERE key = 'aggregates_stale'").fetchone() is not None


def _keys_of(db: sqlite3.Cursor, label: Label) -> set[str]:
    """Every stored key of a label."""
    return {r[0] for r in db.execute("SELECT id FROM nodes WHERE label = ?", (label.value,))}


def _changes(
    batch: Batch, unchanged: set[NodeId], existed: set[tuple[NodeId, NodeId, str]]
) -> Batch:
    """The rows of a batch that change the store: not a node row whose node was stored with
    the same properties before the batch, nor a relationship row of one that existed (the
    aggregates read no relationship property). A reload that changes nothing changes no
    aggregate, so its aggregate pass has nothing to do."""
    nodes = []
    for nw in batch.nodes:
        label, key = nw.label.value, node_spec(nw.label).key
        nodes.append(NodeWrite(nw.label, [r for r in nw.rows if (label, r[key]) not in unchanged]))
    rels = []
    for rw in batch.rels:
        spec = rel_spec(rw.type)
        s, e, t = spec.start.value, spec.end.value, spec.type.value
        rels.append(
            RelWrite(
                rw.type, [r for r in rw.rows if ((s, r["start"]), (e, r["end"]), t) not in existed]
            )
        )
    return Batch(nodes=nodes, rels=rels)


# One encoder for every row: json.dumps with options builds a new encoder per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _dumps(props: Row) -> str:
    return _ENCODER.encode(props)


class EmbeddedStore(GraphStore):
    """SQLite, with a networkx copy built only on demand. Thread-safe for the API server: one lock
    guards writes, reloads and the connection."""

    kind = "embedded"

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(
                str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as e:
            raise BackendUnavailable(f"cannot open the embedded store {self.path}: {e}") from e
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._lock = threading.RLock()
        self._graph: nx.MultiDiGraph | None = None  # built on first use (see `graph`)
        self._by_label: dict[str, set[str]] | None = None
        self._data_version = -1
        self.generation = 0  # bumps whenever the stored data changes
        # Opening applies the schema but leaves aggregates a load marked stale to that load's
        # end (or to `apply_schema`): a server opening the store mid-load must not rebuild them
        # under the loader.
        self._apply_schema(rebuild_stale=False)

    # -- schema -----------------------------------------------------------------------------

    def apply_schema(self) -> None:
        self._apply_schema(rebuild_stale=True)

    def _apply_schema(self, *, rebuild_stale: bool) -> None:
        with self._lock:
            before = self._recorded_version()
            self._apply_ddl()
            if self._rebuild_due(before, stale_too=rebuild_stale):
                self.rebuild_aggregates()

    def _aggregates_stale(self) -> bool:
        with self._lock:
            return _stale(self._conn)

    def _recorded_version(self) -> int | None:
        try:
            return self.schema_version()
        except sqlite3.OperationalError:  # no meta table yet
            return None

    def _apply_ddl(self) -> None:
        with self._lock, self._tx() as cur:
            for stmt in SQLITE_TABLES:
                cur.execute(stmt)
            # A store of an older schema version gets the typed columns, filled from its JSON.
            existing = {str(r[1]) for r in cur.execute("PRAGMA table_info(nodes)")}
            for stmt in sqlite_upgrade_columns(existing):
                cur.execute(stmt)
            for stmt in [*sqlite_statements(), *SQLITE_DROPPED]:
                cur.execute(stmt)
            # Only a change is written: reopening a store whose schema is in place commits
            # nothing, so other processes with it open (the server's workers) do not see a
            # new data_version and reload their graph for nothing.
            cur.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value "
                "WHERE value IS NOT excluded.value",
                (str(SCHEMA_VERSION),),
            )
            cur.execute(
                "INSERT INTO nodes(label, id, props) VALUES (?, 'schema', ?) "
                "ON CONFLICT(label, id) DO UPDATE SET props = excluded.props "
                "WHERE props IS NOT excluded.props",
                (Label.SCHEMA_INFO.value, _dumps({"id": "schema", "version": SCHEMA_VERSION})),
            )
        self._reload()

    def schema_version(self) -> int | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    # -- transactions -----------------------------------------------------------------------

    # The transaction `_write_deleting` holds open: `_tx` joins it instead of beginning another.
    _joined: sqlite3.Cursor | None = None

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        if self._joined is not None:
            yield self._joined
            return
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        else:
            cur.execute("COMMIT")
        finally:
            cur.close()

    # -- in-memory graph --------------------------------------------------------------------

    def _current_data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _reload(self) -> None:
        """Drop the in-memory graph (the data changed under it); `graph` builds it again."""
        self._graph = None
        self._by_label = None
        self._data_version = self._current_data_version()
        self.generation += 1

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The whole store as a networkx MultiDiGraph, built on first use after a change.

        Only the readers that still walk the graph ask for it; the rest read SQL."""
        with self._lock:
            if self._graph is None:
                self._build()
            assert self._graph is not None
            return self._graph

    @property
    def by_label(self) -> dict[str, set[str]]:
        """Keys per label, as the in-memory graph holds them (built with it)."""
        with self._lock:
            if self._by_label is None:
                self._build()
            assert self._by_label is not None
            return self._by_label

    def _build(self) -> None:
        g: nx.MultiDiGraph = nx.MultiDiGraph()
        by_label: dict[str, set[str]] = {n.label.value: set() for n in NODES}
        gc.disable()  # building millions of dicts: no collector passes over them meanwhile
        try:
            self._fill(g, by_label)
        finally:
            gc.enable()
        # The graph lives until the data changes: keep it out of the collector's full passes
        # (one such pass over the national graph costs ~0.7 s, paid by whichever query hits it).
        # An earlier graph (another process committed) must stay collectable once readers let
        # go of it, so thaw everything before freezing again; never clear it under a reader.
        gc.unfreeze()
        gc.freeze()
        self._graph = g
        self._by_label = by_label

    def _fill(self, g: nx.MultiDiGraph, by_label: dict[str, set[str]]) -> None:
        for label, key, props in self._conn.execute("SELECT label, id, props FROM nodes"):
            g.add_node((label, key), **json.loads(props))
            by_label.setdefault(label, set()).add(key)
        for rtype, src, dst, props in self._conn.execute("SELECT type, src, dst, props FROM rels"):
            spec = rel_spec(rtype)
            g.add_edge(
                (spec.start.value, src), (spec.end.value, dst), key=rtype, **json.loads(props)
            )

    def sync(self) -> None:
        """Reload the in-memory graph if another process committed since we last looked."""
        with self._lock:
            if self._current_data_version() != self._data_version:
                self._reload()

    def data_generation(self) -> int:
        """`generation` once any other process's commits are taken in (see `sync`)."""
        self.sync()
        return self.generation

    # -- writes -----------------------------------------------------------------------------

    def write(self, batch: Batch) -> None:
        check_batch(batch)
        if batch.deletes():
            self._write_deleting(batch)
            return
        with self._lock:
            self.sync()
            try:
                node_updates, rel_updates = self._write_tx(batch)
            except sqlite3.IntegrityError as e:
                raise ConstraintViolation(
                    f"the batch breaks a uniqueness constraint ({e}); nothing was written"
                ) from e
            except sqlite3.OperationalError as e:
                raise BackendUnavailable(f"embedded store {self.path}: {e}") from e
            self._apply_to_graph(node_updates, rel_updates)
            self._data_version = self._current_data_version()

    def _write_deleting(self, batch: Batch) -> None:
        """A batch that deletes: its deletions, then its upserts (the ordinary `_write_tx`,
        joining this transaction), then the aggregates of what the deletions touched, all in
        one transaction, whose reads see the deletions. An in-memory graph, if one was built,
        takes the deletions and then the upserts once the transaction commits; on any error it
        is dropped."""
        with self._lock:
            self.sync()
            try:
                with self._tx() as cur:
                    self._joined = cur
                    try:
                        gone, unlinked = self._delete_rows(cur, batch)
                        node_updates, rel_updates = self._write_tx(batch.upserts())
                        touch = deletion_touches(batch, unlinked)
                        self._keep_aggregates(cur, touch, bulk=batch.fresh)
                        # A deleted review has no ReviewFact (its tallies went with it above).
                        cur.executemany(
                            f"DELETE FROM {REVIEW_FACT.table} WHERE id = ?",  # noqa: S608
                            [
                                (k,)
                                for lbl, k in sorted(gone)
                                if lbl == Label.REVIEW.value and (lbl, k) not in node_updates
                            ],
                        )
                    finally:
                        self._joined = None
            except BaseException as e:
                self._reload()
                if isinstance(e, sqlite3.IntegrityError):
                    raise ConstraintViolation(
                        f"the batch breaks a uniqueness constraint ({e}); nothing was written"
                    ) from e
                if isinstance(e, sqlite3.OperationalError):
                    raise BackendUnavailable(f"embedded store {self.path}: {e}") from e
                raise
            self._forget(gone, unlinked)
            self._apply_to_graph(node_updates, rel_updates)
            self.generation += 1
            self._data_version = self._current_data_version()

    def _delete_rows(
        self, cur: sqlite3.Cursor, batch: Batch
    ) -> tuple[set[NodeId], dict[RelType, set[tuple[str, str]]]]:
        """Delete the batch's nodes (with their relationships and text index rows) and
        relationships; returns the nodes that existed and every relationship named or gone
        with a node."""
        unlinked: dict[RelType, set[tuple[str, str]]] = {}
        for rd in batch.delete_rels:
            unlinked.setdefault(rd.type, set()).update((r["start"], r["end"]) for r in rd.rows)
        gone: set[NodeId] = set()
        for nd in batch.delete_nodes:
            label = nd.label.value
            keys = sorted(set(nd.keys))
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                gone.update(
                    (label, r[0])
                    for r in cur.execute(
                        f"SELECT id FROM nodes WHERE label = ? AND id IN ({marks})",  # noqa: S608
                        (label, *chunk),
                    )
                )
                for rs in RELS:
                    for end, col in ((rs.start, "src"), (rs.end, "dst")):
                        if end != nd.label:
                            continue
                        unlinked.setdefault(rs.type, set()).update(
                            (str(r[0]), str(r[1]))
                            for r in cur.execute(
                                "SELECT src, dst FROM rels "  # noqa: S608
                                f"WHERE type = ? AND {col} IN ({marks})",
                                (rs.type.value, *chunk),
                            )
                        )
        cur.executemany(
            "DELETE FROM rels WHERE type = ? AND src = ? AND dst = ?",
            [(t.value, s, e) for t, pairs in unlinked.items() for s, e in sorted(pairs)],
        )
        cur.executemany("DELETE FROM nodes WHERE label = ? AND id = ?", sorted(gone))
        for label in _FULLTEXT:
            keys = [k for lbl, k in sorted(gone) if lbl == label]
            rowids = [
                (r[0],)
                for k in keys
                for r in cur.execute(
                    "SELECT rowid FROM fts_map WHERE label = ? AND id = ?", (label, k)
                )
            ]
            cur.executemany("DELETE FROM fts WHERE rowid = ?", rowids)
            cur.executemany("DELETE FROM fts_map WHERE rowid = ?", rowids)
        return gone, unlinked

    def _forget(self, gone: set[NodeId], unlinked: dict[RelType, set[tuple[str, str]]]) -> None:
        """Take deleted relationships and nodes out of the in-memory graph, if one was built."""
        g = self._graph
        if g is None or self._by_label is None:
            return
        for t, pairs in unlinked.items():
            spec = rel_spec(t)
            for s, e in pairs:
                ek = ((spec.start.value, s), (spec.end.value, e), t.value)
                if g.has_edge(*ek):
                    g.remove_edge(*ek)
        for nid in gone:
            if nid in g:
                g.remove_node(nid)
            self._by_label.get(nid[0], set()).discard(nid[1])

    def _write_tx(
        self, batch: Batch
    ) -> tuple[dict[NodeId, Row], dict[tuple[NodeId, NodeId, str], Row]]:
        node_updates: dict[NodeId, Row] = {}
        rel_updates: dict[tuple[NodeId, NodeId, str], Row] = {}
        with self._tx() as cur:
            # The batch's merged rows per label and per type, so each statement below writes
            # its own label's (or type's) rows without scanning the others'.
            per_label: dict[str, dict[NodeId, Row]] = {}
            per_type: dict[str, dict[tuple[NodeId, NodeId, str], Row]] = {}
            # What was stored before the batch, to tell the aggregates only what it changed.
            stored_text: dict[NodeId, str] = {}
            unchanged: set[NodeId] = set()
            existed: set[tuple[NodeId, NodeId, str]] = set()
            stored_props: dict[tuple[NodeId, NodeId, str], Row] = {}
            for nw in batch.nodes:
                label = nw.label.value
                key_name = node_spec(nw.label).key
                this_label = per_label.setdefault(label, {})
                # The merge bases: the stored rows of the keys this batch has not written yet.
                todo = sorted({row[key_name] for row in nw.rows} - {k for _, k in this_label})
                stored: dict[str, Row] = {}
                for k, text in _rows_of_keys(cur, "id, props", "nodes", label, todo):
                    stored_text[(label, k)] = text
                    stored[k] = json.loads(text)
                for row in nw.rows:
                    nid = (label, row[key_name])
                    base = node_updates.get(nid)
                    if base is None:
                        base = stored.get(nid[1], {})
                    merged = merge_props(base, row)
                    node_updates[nid] = merged
                    this_label[nid] = merged
                by_key = []
                for nid, p in this_label.items():
                    text = _dumps(p)
                    by_key.append((*nid, text, *typed_values(nid[0], p)))
                    if stored_text.get(nid) == text:
                        unchanged.add(nid)
                    else:
                        unchanged.discard(nid)
                # A row stored just so (a reload of the same files) is neither rewritten nor
                # indexed again: its columns, index entries and text are already these.
                cur.executemany(SQLITE_NODE_UPSERT, [r for r in by_key if r[:2] not in unchanged])
                if label in _FULLTEXT:
                    self._index_text(
                        cur,
                        label,
                        _FULLTEXT[label],
                        {n: p for n, p in this_label.items() if n not in unchanged},
                    )
            for rw in batch.rels:
                spec = rel_spec(rw.type)
                start_l, end_l = spec.start.value, spec.end.value
                missing = self._missing(cur, start_l, {r["start"] for r in rw.rows}, node_updates)
                missing |= {
                    (end_l, k)
                    for (_, k) in self._missing(
                        cur, end_l, {r["end"] for r in rw.rows}, node_updates
                    )
                }
                if missing:
                    shown = ", ".join(f"{lbl} {k!r}" for lbl, k in sorted(missing)[:5])
                    raise MissingEndpoint(
                        f"{spec.type.value}: {len(missing)} endpoint(s) do not exist ({shown}); "
                        "nothing was written"
                    )
                rtype = spec.type.value
                this_type = per_type.setdefault(rtype, {})
                stored_rels = self._stored_rels(
                    cur,
                    rtype,
                    {
                        (r["start"], r["end"])
                        for r in rw.rows
                        if ((start_l, r["start"]), (end_l, r["end"]), rtype) not in this_type
                    },
                )
                for r in rw.rows:
                    ek = ((start_l, r["start"]), (end_l, r["end"]), rtype)
                    base = rel_updates.get(ek)
                    if base is None:
                        base = stored_rels.get((r["start"], r["end"]))
                        if base is None:
                            base = {}
                        else:
                            existed.add(ek)
                            stored_props[ek] = base
                    merged = merge_props(base, r.get("props") or {})
                    rel_updates[ek] = merged
                    this_type[ek] = merged
                # As for nodes: a relationship stored with these properties is not rewritten.
                rows = [
                    (t, s[1], e[1], _dumps(p))
                    for (s, e, t), p in this_type.items()
                    if stored_props.get((s, e, t)) != p
                ]
                cur.executemany(
                    "INSERT INTO rels(type, src, dst, props) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(type, src, dst) DO UPDATE SET props = excluded.props",
                    rows,
                )
            # Last in the transaction, whatever branch wrote the rows above.
            self._keep_aggregates(cur, _changes(batch, unchanged, existed), bulk=batch.fresh)
        return node_updates, rel_updates

    @staticmethod
    def _stored_rels(
        cur: sqlite3.Connection | sqlite3.Cursor, rtype: str, pairs: set[tuple[str, str]]
    ) -> dict[tuple[str, str], Row]:
        """The stored properties of these relationships of a type (start, end) that exist:
        the merge bases of a batch's relationship rows. Asked by the end with more distinct
        keys among the pairs (a board commissions many reviews), through its index."""
        if not pairs:
            return {}
        starts = sorted({s for s, _ in pairs})
        ends = sorted({e for _, e in pairs})
        by_start = len(starts) >= len(ends)
        col, keys = ("src", starts) if by_start else ("dst", ends)
        out: dict[tuple[str, str], Row] = {}
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for src, dst, props in cur.execute(
                f"SELECT src, dst, props FROM rels WHERE type = ? AND {col} IN ({marks})",  # noqa: S608
                (rtype, *chunk),
            ):
                if (src, dst) in pairs:
                    # Most relationships carry no properties: skip the parser for those.
                    out[(src, dst)] = {} if props == "{}" else json.loads(props)
        return out

    # -- aggregates kept at write time (graph_schema.aggregates) --------------------------------

    def _keep_aggregates(self, cur: sqlite3.Cursor, batch: Batch, *, bulk: bool = False) -> None:
        """Bring the aggregates up to date with this batch (what it changed), inside its
        transaction, whose reads see the batch written.

        `bulk`: the batch is `fresh` (a load into an empty store). Its aggregates are not kept
        batch by batch, which recomputed the events of every board each batch reached (issue
        14): the meta table's stale flag is set instead, in the batch's transaction, so a load
        killed midway leaves it set. The next write that is not fresh (a load's last, its
        LoadRun) rebuilds every aggregate once, as do `rebuild_aggregates` and `apply_schema`;
        `schema_missing` names the flag meanwhile. Readers during such a load (another
        process's server) read stale aggregates until its end, as on the Neo4j store."""
        if bulk:
            cur.execute(_MARK_STALE)
            return
        if _stale(cur):
            self._rebuild(cur)
            return
        t = aggregates.touched(batch)
        if t.empty():
            return
        view = _SqlView(cur)
        facts, later, recs = aggregates.resolve(view, t)
        if t.succession:
            recs = _keys_of(cur, Label.RECOMMENDATION)
        self._store_aggregates(cur, view, facts, later, recs, every_event=t.succession)

    def _store_aggregates(
        self,
        cur: sqlite3.Cursor,
        rd: aggregates.Reader,
        reviews: set[str],
        later: set[str],
        recs: set[str],
        every_event: bool,
    ) -> None:
        rf, tt, ev = REVIEW_FACT, THEME_TALLY, RECURRENCE_EVENT
        rf_cols, ev_cols = rf.columns, ev.columns  # computed on each access: once per pass
        order = sorted(reviews)
        old: list[aggregates.Fact] = []
        for i in range(0, len(order), _CHUNK):
            chunk = order[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for row in cur.execute(
                f"SELECT {', '.join(rf_cols)} FROM {rf.table} WHERE id IN ({marks})",  # noqa: S608
                chunk,
            ):
                f = dict(zip(rf_cols, row, strict=True))
                for name in ("boards", "themes", "rec_themes"):
                    f[name] = json.loads(f[name])
                old.append(f)
        new = aggregates.review_facts(rd, order)
        delta = aggregates.tally_delta(old, new)
        cur.executemany(
            f"INSERT INTO {tt.table} (id, theme, board, year, status, kind, reviews, "  # noqa: S608
            "recommendations) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            "reviews = reviews + excluded.reviews, "
            "recommendations = recommendations + excluded.recommendations",
            [
                (
                    d["id"],
                    d["theme"],
                    d["board"],
                    d["year"],
                    d["status"],
                    d["kind"],
                    d["dr"],
                    d["dc"],
                )
                for d in delta
            ],
        )
        cur.executemany(
            f"DELETE FROM {tt.table} WHERE id = ? AND reviews = 0 AND recommendations = 0",  # noqa: S608
            [(d["id"],) for d in delta],
        )
        cur.executemany(
            f"INSERT OR REPLACE INTO {rf.table} ({', '.join(rf_cols)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(rf_cols))})",
            [
                tuple(
                    _dumps(f[c]) if c in ("boards", "themes", "rec_themes") else f[c]
                    for c in rf_cols
                )
                for f in new
            ],
        )
        if every_event:
            cur.execute(f"DELETE FROM {ev.table}")  # noqa: S608
            found = aggregates.events(rd, sorted(recs), ())
        else:
            for col, keys in (("recommendation", recs), ("review", later)):
                cur.executemany(
                    f"DELETE FROM {ev.table} WHERE {col} = ?",  # noqa: S608
                    [(k,) for k in keys],
                )
            found = aggregates.events(rd, sorted(recs), sorted(later))
        cur.executemany(
            f"INSERT OR REPLACE INTO {ev.table} ({', '.join(ev_cols)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(ev_cols))})",
            [tuple(e[c] for c in ev_cols) for _, e in sorted(found.items())],
        )

    def rebuild_aggregates(self) -> None:
        """Recompute every aggregate from the stored rows (a store written before they were
        kept; the tests' full recomputation)."""
        with self._lock:
            self.sync()
            with self._tx() as cur:
                self._rebuild(cur)
            self._data_version = self._current_data_version()

    def _rebuild(self, cur: sqlite3.Cursor) -> None:
        """Every aggregate deleted and computed again from the stored rows, in `cur`'s
        transaction; the stale flag off."""
        for a in AGGREGATES:
            cur.execute(f"DELETE FROM {a.table}")  # noqa: S608
        self._store_aggregates(
            cur,
            _SqlView(cur),
            _keys_of(cur, Label.REVIEW),
            set(),
            _keys_of(cur, Label.RECOMMENDATION),
            every_event=True,
        )
        cur.execute(_UNMARK_STALE)

    def aggregate_rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of a SELECT over the aggregate tables (graph_schema.aggregates)."""
        with self._lock:
            return self._conn.execute(sql, tuple(params)).fetchall()

    def _missing(
        self, cur: sqlite3.Cursor, label: str, keys: set[str], pending: dict[NodeId, Row]
    ) -> set[NodeId]:
        g = self._graph  # a shortcut where the copy is built; SQL answers otherwise
        todo = [k for k in keys if (label, k) not in pending and (g is None or (label, k) not in g)]
        found = {r[0] for r in _rows_of_keys(cur, "id", "nodes", label, todo)}
        return {(label, k) for k in todo if k not in found}

    def _index_text(
        self, cur: sqlite3.Cursor, label: str, props: tuple[str, ...], updates: dict[NodeId, Row]
    ) -> None:
        docs = {
            key: "\n".join(str(p[name]) for name in props if p.get(name))
            for (lbl, key), p in updates.items()
            if lbl == label
        }
        keys = list(docs)
        # The nodes indexed before this batch (their fts rows are replaced below).
        existed = [r[0] for r in _rows_of_keys(cur, "id", "fts_map", label, keys)]
        cur.executemany(
            "INSERT INTO fts_map(label, id) VALUES (?, ?) ON CONFLICT(label, id) DO NOTHING",
            [(label, k) for k in keys],
        )
        rowids: dict[str, int] = {
            key: rowid for rowid, key in _rows_of_keys(cur, "rowid, id", "fts_map", label, keys)
        }
        # Rows already indexed (this node existed, or came twice in one batch) are replaced.
        cur.executemany("DELETE FROM fts WHERE rowid = ?", [(rowids[k],) for k in existed])
        cur.executemany(
            "INSERT OR REPLACE INTO fts(rowid, label, id, text) VALUES (?, ?, ?, ?)",
            [(rowids[k], label, k, docs[k]) for k in keys],
        )

    def _apply_to_graph(
        self, nodes: dict[NodeId, Row], rels: dict[tuple[NodeId, NodeId, str], Row]
    ) -> None:
        if nodes or rels:
            self.generation += 1
        g = self._graph
        if g is None or self._by_label is None:
            return  # no copy built: nothing to keep up to date
        for nid, props in nodes.items():
            if nid in g:
                attrs = g.nodes[nid]
                attrs.clear()
                attrs.update(props)
            else:
                g.add_node(nid, **props)
                self._by_label.setdefault(nid[0], set()).add(nid[1])
        for (s, e, t), props in rels.items():
            if g.has_edge(s, e, t):
                attrs = g.edges[s, e, t]
                attrs.clear()
                attrs.update(props)
            else:
                g.add_edge(s, e, key=t, **props)

    # -- reads ------------------------------------------------------------------------------

    def counts(self) -> Counts:
        self.sync()
        nodes, rels = empty_counts()
        # One read transaction, so both counts come from the same snapshot even while another
        # process is loading (two bare SELECTs could straddle its commit).
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN")
            try:
                for label, n in cur.execute("SELECT label, count(*) FROM nodes GROUP BY label"):
                    nodes[label] = n
                for rtype, n in cur.execute("SELECT type, count(*) FROM rels GROUP BY type"):
                    rels[rtype] = n
            finally:
                cur.execute("COMMIT")
                cur.close()
        return Counts(nodes, rels)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Cursor]:
        """A cursor in one read transaction, so that every statement of a query sees the same
        snapshot: the read path of the queries that answer from SQL, not from the graph."""
        with self._lock:
            cur = self._conn.cursor()
            own = not self._conn.in_transaction
            if own:
                cur.execute("BEGIN")
            try:
                yield cur
            finally:
                if own:
                    cur.execute("COMMIT")
                cur.close()

    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, Row]:
        self.sync()
        return self._props_of(label.value, list(ids))

    def _props_of(self, label: str, keys: list[str]) -> dict[str, Row]:
        out: dict[str, Row] = {}
        with self._lock:
            for key, props in _rows_of_keys(self._conn, "id, props", "nodes", label, keys):
                out[key] = json.loads(props)
        # In the order asked for, as the graph's lookups gave them.
        return {k: out[k] for k in dict.fromkeys(keys) if k in out}

    def fulltext(
        self, text: str, labels: Iterable[str], limit: int
    ) -> list[tuple[str, str, float]]:
        """FTS5 search: (label, key, score) with higher scores better."""
        query = fts_query(text)
        if not query:
            return []
        labels = list(labels)
        marks = ",".join("?" * len(labels))
        sql = (
            "SELECT label, id, -bm25(fts) AS score FROM fts WHERE fts MATCH ? "  # noqa: S608
            f"AND label IN ({marks}) ORDER BY score DESC, label, id LIMIT ?"
        )
        return [(r[0], r[1], float(r[2])) for r in self._conn.execute(sql, (query, *labels, limit))]

    def ping(self) -> None:
        try:
            self._conn.execute("SELECT 1").fetchone()
        except sqlite3.Error as e:
            raise BackendUnavailable(f"embedded store {self.path}: {e}") from e

    def clear(self) -> None:
        with self._lock, self._tx() as cur:
            cur.execute("DELETE FROM rels")
            cur.execute("DELETE FROM nodes WHERE label != ?", (Label.SCHEMA_INFO.value,))
            cur.execute("DELETE FROM fts")
            cur.execute("DELETE FROM fts_map")
            for a in AGGREGATES:
                cur.execute(f"DELETE FROM {a.table}")  # noqa: S608
            cur.execute(_UNMARK_STALE)  # no data: no aggregate, none stale
        self._reload()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def node(self, label: str, key: str) -> dict[str, Any] | None:
        """Properties of one node, or None."""
        return self._props_of(label, [key]).get(key)

    def ids(self, label: str) -> set[str]:
        """Keys of every node with the label."""
        with self._lock:
            return {
                r[0] for r in self._conn.execute("SELECT id FROM nodes WHERE label = ?", (label,))
            }


# The properties the aggregate pass reads, by label: `_SqlView.props` returns only these (a
# missing or null property alike absent, as `.get` reads them).
_READ: dict[Label, tuple[str, ...]] = {
    label: tuple(sorted(names)) for label, names in aggregates.EVENT_PROPS.items()
}


class _SqlView:
    """The store as the open write transaction sees it (the batch's rows written, its deletions
    gone), for the aggregate pass of that one write: indexed SQL reads of just the nodes and
    relationships the pass asks for, each kept for the rest of the pass. `warm` fetches many
    keys in one statement per `_CHUNK`; a key asked for unwarmed is read on its own."""

    def __init__(self, cur: sqlite3.Cursor) -> None:
        self.cur = cur
        self._props: dict[NodeId, Row | None] = {}
        self._out: dict[tuple[str, str], set[str]] = {}  # (type, start) -> ends
        self._in: dict[tuple[str, str], set[str]] = {}  # (type, end) -> starts

    def warm(
        self,
        label: Label,
        keys: Iterable[str],
        props: bool = False,
        out: Iterable[RelType] = (),
        into: Iterable[RelType] = (),
    ) -> None:
        keys = sorted(set(keys))
        if props:
            lbl = label.value
            todo = [k for k in keys if (lbl, k) not in self._props]
            for k in todo:
                self._props[(lbl, k)] = None
            names = _READ.get(label)
            if names is None:
                for key, text in _rows_of_keys(self.cur, "id, props", "nodes", lbl, todo):
                    self._props[(lbl, key)] = json.loads(text)
            else:
                # Only the (scalar) properties the aggregates read, extracted by SQLite: far
                # cheaper than decoding every node's whole JSON (its texts) in Python.
                cols = "id" + "".join(f", json_extract(props, '$.{n}')" for n in names)
                for key, *values in _rows_of_keys(self.cur, cols, "nodes", lbl, todo):
                    self._props[(lbl, key)] = {
                        n: v for n, v in zip(names, values, strict=True) if v is not None
                    }
        for rels, col, other, cache in (
            (out, "src", "dst", self._out),
            (into, "dst", "src", self._in),
        ):
            for rel in rels:
                t = rel.value
                todo = [k for k in keys if (t, k) not in cache]
                for k in todo:
                    cache[(t, k)] = set()
                for i in range(0, len(todo), _CHUNK):
                    chunk = todo[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    for a, b in self.cur.execute(
                        f"SELECT {col}, {other} FROM rels "  # noqa: S608
                        f"WHERE type = ? AND {col} IN ({marks})",
                        (t, *chunk),
                    ):
                        cache[(t, a)].add(b)

    # `_value_` is the enum member's plain attribute: `.value` is a descriptor, and these run
    # hundreds of thousands of times in a national load's aggregate passes.
    def props(self, label: Label, key: str) -> Row | None:
        nid = (label._value_, key)
        if nid not in self._props:
            self.warm(label, (key,), props=True)
        return self._props[nid]

    def out(self, label: Label, key: str, rel: RelType) -> AbstractSet[str]:
        found = self._out.get((rel._value_, key))
        if found is None:
            self.warm(label, (key,), out=(rel,))
            found = self._out[(rel._value_, key)]
        return found

    def into(self, label: Label, key: str, rel: RelType) -> AbstractSet[str]:
        found = self._in.get((rel._value_, key))
        if found is None:
            self.warm(label, (key,), into=(rel,))
            found = self._in[(rel._value_, key)]
        return found


def fts_query(text: str) -> str:
    """Turn free text into a safe FTS5 query: every word quoted, all required (AND)."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join(f'"{w}"' for w in words)


__all__ = ["EmbeddedStore", "RelType", "fts_query"]
