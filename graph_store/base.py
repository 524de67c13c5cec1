"""The GraphStore interface both backends implement, and the checks they share."""

from __future__ import annotations

import abc
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph_schema import NODES, RELS, Label, RelType, node_spec, rel_spec
from scrgraph.errors import SchemaViolation

Row = dict[str, Any]


@dataclass
class NodeWrite:
    """Rows to merge on one label's key. Each row is a flat dict of properties.

    A property set to None is removed, as `SET n += row` does in Cypher.
    """

    label: Label
    rows: list[Row]


@dataclass
class RelWrite:
    """Relationships to merge. Each row is {"start": key, "end": key, "props": {...}}."""

    type: RelType
    rows: list[Row]


@dataclass
class NodeDelete:
    """Nodes to delete by key, with every relationship they have (Cypher's DETACH DELETE).

    A key that names no node is nothing to delete (deleting is idempotent)."""

    label: Label
    keys: list[str]


@dataclass
class RelDelete:
    """Relationships to delete. Each row is {"start": key, "end": key}; one that does not exist
    is nothing to delete."""

    type: RelType
    rows: list[Row]


@dataclass
class Batch:
    """A unit of writing: all of it lands in one transaction, or none of it does.

    `delete_nodes` and `delete_rels` are applied first, then `nodes` and `rels` are merged, in
    the same transaction, and the write-time aggregates follow both. A node deleted and written
    in one batch is written anew, without its old properties or relationships.

    `fresh` is the loader's word that the store was empty when its load began: its nodes are
    new, so a backend may take its bulk path (Neo4j: CREATE instead of MERGE). The nodes and
    relationships are the same either way; a backend whose bulk path meets a node that exists
    after all (another load got there first) writes the batch again the ordinary way. Both
    stores mark the aggregates of a fresh batch stale instead of keeping them per batch: the
    load's next ordinary write (its LoadRun) rebuilds them once, so they are right when the load
    ends, not between its batches.
    """

    nodes: list[NodeWrite] = field(default_factory=list)
    rels: list[RelWrite] = field(default_factory=list)
    fresh: bool = False
    delete_nodes: list[NodeDelete] = field(default_factory=list)
    delete_rels: list[RelDelete] = field(default_factory=list)

    def size(self) -> int:
        return sum(len(n.rows) for n in self.nodes) + sum(len(r.rows) for r in self.rels)

    def deletes(self) -> bool:
        """Whether the batch deletes anything."""
        return any(d.keys for d in self.delete_nodes) or any(d.rows for d in self.delete_rels)

    def upserts(self) -> Batch:
        """The batch without its deletions (the same lists, not copies)."""
        return Batch(nodes=self.nodes, rels=self.rels, fresh=self.fresh)


@dataclass(frozen=True)
class Counts:
    """Node counts per label and relationship counts per type (every schema name present)."""

    nodes: dict[str, int]
    relationships: dict[str, int]

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"nodes": dict(self.nodes), "relationships": dict(self.relationships)}


def empty_counts() -> tuple[dict[str, int], dict[str, int]]:
    return ({n.label.value: 0 for n in NODES}, {r.type.value: 0 for r in RELS})


_SCALARS = (str, int, float, bool)
_SCALAR_TYPES = frozenset(_SCALARS)


def _check_value(where: str, name: str, value: Any) -> None:
    if value is None or isinstance(value, _SCALARS):
        return
    if isinstance(value, list) and all(isinstance(v, _SCALARS) for v in value):
        return
    raise SchemaViolation(
        f"{where}: property {name!r} has a {type(value).__name__}; "
        "expected a string, number, boolean or a list of those"
    )


def check_batch(batch: Batch) -> None:
    """Refuse anything outside the schema's closed sets before a backend sees it."""
    for nw in batch.nodes:
        spec = node_spec(nw.label)
        allowed = spec.prop_names
        key_name = spec.label.value, spec.key
        for i, row in enumerate(nw.rows):
            key = row.get(spec.key)
            if not isinstance(key, str) or not key:
                raise SchemaViolation(
                    f"{key_name[0]} row {i}: key {spec.key!r} must be a non-empty string"
                )
            if not allowed.issuperset(row):
                raise SchemaViolation(
                    f"{key_name[0]} row {i}: unknown properties {sorted(set(row) - allowed)}; "
                    f"the schema allows {sorted(allowed)}"
                )
            for name, value in row.items():
                if value is None or type(value) in _SCALAR_TYPES:
                    continue  # the common case, without building the error's location
                _check_value(f"{key_name[0]} row {i}", name, value)
    for rw in batch.rels:
        rspec = rel_spec(rw.type)
        allowed = frozenset(p.name for p in rspec.props)
        for i, row in enumerate(rw.rows):
            where = f"{rspec.type.value} row {i}"
            for end in ("start", "end"):
                if not isinstance(row.get(end), str) or not row[end]:
                    raise SchemaViolation(f"{where}: {end!r} must be a non-empty node key")
            props = row.get("props") or {}
            extra = set(props) - allowed
            if extra:
                raise SchemaViolation(f"{where}: unknown properties {sorted(extra)}")
            for name, value in props.items():
                _check_value(where, name, value)
    check_deletes(batch)


def check_deletes(batch: Batch) -> None:
    """Deletions name schema labels and types, by non-empty string keys; never the schema's
    own bookkeeping."""
    for nd in batch.delete_nodes:
        spec = node_spec(nd.label)
        if spec.label == Label.SCHEMA_INFO:
            raise SchemaViolation(f"{spec.label.value}: the schema's own node is never deleted")
        for i, k in enumerate(nd.keys):
            if not isinstance(k, str) or not k:
                raise SchemaViolation(
                    f"delete {spec.label.value} key {i}: expected a non-empty string {spec.key!r}"
                )
    for rd in batch.delete_rels:
        rspec = rel_spec(rd.type)
        for i, row in enumerate(rd.rows):
            for end in ("start", "end"):
                if not isinstance(row.get(end), str) or not row[end]:
                    raise SchemaViolation(
                        f"delete {rspec.type.value} row {i}: {end!r} must be a non-empty node key"
                    )
            extra = set(row) - {"start", "end"}
            if extra:
                raise SchemaViolation(
                    f"delete {rspec.type.value} row {i}: unexpected fields {sorted(extra)}; "
                    "a deletion names only 'start' and 'end'"
                )


def deletion_touches(
    batch: Batch, removed_rels: Mapping[RelType, Iterable[tuple[str, str]]]
) -> Batch:
    """What a batch's deletions touch, shaped as a write for `aggregates.touched`: each deleted
    node as a row of its key, and each relationship deleted (named, or gone with its node)."""
    return Batch(
        nodes=[NodeWrite(nd.label, [{"id": k} for k in nd.keys]) for nd in batch.delete_nodes],
        rels=[
            RelWrite(t, [{"start": s, "end": e} for s, e in pairs])
            for t, pairs in removed_rels.items()
        ],
    )


class GraphStore(abc.ABC):
    """What every backend offers. Reads for the product live in `queries`."""

    kind: str

    @abc.abstractmethod
    def apply_schema(self) -> None:
        """Create constraints and indexes if missing; record the schema version."""

    @abc.abstractmethod
    def schema_version(self) -> int | None:
        """The recorded schema version, or None if the schema was never applied."""

    def schema_missing(self) -> list[str]:
        """What of the schema is not in place (empty when all of it is)."""
        from graph_schema import SCHEMA_VERSION

        version = self.schema_version()
        if version is None:
            return ["the schema version (the schema was never applied)"]
        if version != SCHEMA_VERSION:
            return [f"schema version {SCHEMA_VERSION} (the store records {version})"]
        if self._aggregates_stale():
            # Set by a load into an empty store until its last write; still set after it, a
            # load that stopped early: analytics would read counts that leave data out.
            return [
                "the aggregates kept at write time (a load into an empty store is running, "
                "or stopped before its end, and left them stale)"
            ]
        return []

    def _aggregates_stale(self) -> bool:
        """Whether a load into an empty store marked the aggregates stale and has not reached
        its last write (issue 14). A store that keeps no aggregates has none to be stale."""
        return False

    def _rebuild_due(self, version_before: int | None, *, stale_too: bool = True) -> bool:
        """Whether `apply_schema` must rebuild the aggregates: a store written before version 2
        has none yet, and (`stale_too`) a load into an empty store that stopped before its end
        left them stale."""
        from graph_schema import SCHEMA_VERSION

        return version_before != SCHEMA_VERSION or (stale_too and self._aggregates_stale())

    def is_empty(self) -> bool:
        """Whether the store holds no data (the schema's own bookkeeping aside)."""
        nodes = self.counts().nodes
        return not any(n for label, n in nodes.items() if label != Label.SCHEMA_INFO.value)

    def ensure_schema(self) -> bool:
        """Apply the schema unless all of it is in place; True if it applied it."""
        if not self.schema_missing():
            return False
        self.apply_schema()
        return True

    @abc.abstractmethod
    def write(self, batch: Batch) -> None:
        """Merge the batch in one transaction; on any error nothing of it is written."""

    def rebuild_aggregates(self) -> None:
        """Recompute every aggregate of graph_schema.aggregates from the whole graph."""
        raise NotImplementedError

    @abc.abstractmethod
    def counts(self) -> Counts:
        """Node counts per label and relationship counts per type."""

    @abc.abstractmethod
    def get_nodes(self, label: Label, ids: Iterable[str]) -> dict[str, Row]:
        """Properties of the nodes with these keys that exist, by key."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise BackendUnavailable if the backend cannot answer now."""

    @abc.abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (tests and benchmarks only)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release resources."""

    def data_generation(self) -> Hashable | None:
        """A value that changes whenever committed data changes (a write by this process or
        any other), read cheaply: what is derived from the whole graph (the network's layout)
        is computed once per generation. None when the backend cannot tell."""
        return None

    def write_nodes(self, label: Label, rows: list[Row]) -> None:
        """Convenience: one label's rows as one batch."""
        self.write(Batch(nodes=[NodeWrite(label, rows)]))

    def write_rels(self, rel_type: RelType, rows: list[Row]) -> None:
        """Convenience: one type's relationships as one batch."""
        self.write(Batch(rels=[RelWrite(rel_type, rows)]))

    def delete(
        self,
        nodes: Iterable[NodeDelete] = (),
        rels: Iterable[RelDelete] = (),
    ) -> None:
        """Convenience: deletions alone as one batch (see `Batch`)."""
        self.write(Batch(delete_nodes=list(nodes), delete_rels=list(rels)))

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def merge_props(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> Row:
    """`SET n += new`: new values win, None removes a property."""
    out: Row = dict(old or {})
    if None not in new.values():
        out.update(new)  # the common case: nothing to remove
        return out
    for k, v in new.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out
