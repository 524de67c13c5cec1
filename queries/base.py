"""What a named query is, who is asking, and how one is run on either backend."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph_schema import REVIEW_STATUSES
from graph_store import EmbeddedStore, GraphStore, Neo4jStore
from scrgraph.errors import ScrgraphError

ROLES = ("public", "analyst", "inspector", "admin")


@dataclass(frozen=True)
class Viewer:
    """Who is asking. Visibility is a parameter of every query, not an API afterthought.

    `public` sees published reviews only. Other roles see draft, restricted and withdrawn
    reviews only when `restricted` is granted.
    """

    role: str = "public"
    restricted: bool = False
    name: str = "anonymous"

    @property
    def statuses(self) -> list[str]:
        """Review statuses this viewer may see (pass as the `$statuses` Cypher parameter)."""
        if self.restricted and self.role != "public":
            return list(REVIEW_STATUSES)
        return ["published"]

    def may_see(self, review_status: str | None) -> bool:
        return review_status in self.statuses

    @property
    def sees_sources(self) -> bool:
        """Whether the viewer may see every review, and so every row of the source files."""
        return set(self.statuses) >= set(REVIEW_STATUSES)


PUBLIC = Viewer()
ADMIN = Viewer(role="admin", restricted=True, name="admin")

EmbeddedFn = Callable[[EmbeddedStore, Mapping[str, Any], Viewer], Any]
Neo4jFn = Callable[[Neo4jStore, Mapping[str, Any], Viewer], Any]


@dataclass(frozen=True)
class Query:
    """One named read: its parameters, its Cypher text and its embedded implementation.

    `neo4j` runs `cypher` through the store (with `$statuses` and the parameters) and shapes
    the records; `embedded` computes the same answer from the in-memory graph.
    """

    name: str
    description: str
    params: Mapping[str, str]  # name -> description (with type and default)
    cypher: str
    neo4j: Neo4jFn
    embedded: EmbeddedFn
    extra_cypher: Mapping[str, str] = field(default_factory=dict)  # other texts it runs


PROVENANCE_FIELDS = frozenset({"source_file", "source_line", "load_run"})


def redact_provenance(value: Any) -> Any:
    """The value without raw provenance (source file, line and load run) anywhere in it.

    Line numbers count every row of a source file, hidden ones included, so the gaps between
    the lines of visible records would count the hidden ones (issue 17). Viewers who may not
    see every review get none; the stable citation (a review's id, a recommendation's number
    and location) stays. New containers are built: store rows are never changed.
    """
    # Hot at national scale (a briefing's answer holds tens of thousands of records): the
    # exact types are tested first and scalars are kept without a call each; `isinstance`
    # against the Mapping ABC, which is slow, only for other containers.
    t = type(value)
    if t is dict:
        return {
            k: (v if type(v) in _SCALARS else redact_provenance(v))
            for k, v in value.items()
            if k not in PROVENANCE_FIELDS
        }
    if t is list:
        return [v if type(v) in _SCALARS else redact_provenance(v) for v in value]
    if t in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {k: redact_provenance(v) for k, v in value.items() if k not in PROVENANCE_FIELDS}
    if isinstance(value, list | tuple):
        return type(value)(redact_provenance(v) for v in value)
    return value


_SCALARS: frozenset[type] = frozenset({str, int, float, bool, type(None)})


class UnknownQuery(ScrgraphError):
    """No query has that name."""


REGISTRY: dict[str, Query] = {}


def register(q: Query) -> Query:
    if q.name in REGISTRY:
        raise ValueError(f"query {q.name!r} registered twice")
    REGISTRY[q.name] = q
    return q


def run(store: GraphStore, name: str, params: Mapping[str, Any], viewer: Viewer = PUBLIC) -> Any:
    """Run a named query on whichever backend the store is.

    For a viewer who may not see every review the answer carries no raw provenance (see
    `redact_provenance`).
    """
    try:
        q = REGISTRY[name]
    except KeyError as e:
        raise UnknownQuery(f"no query named {name!r}; known: {', '.join(sorted(REGISTRY))}") from e
    if isinstance(store, Neo4jStore):
        out = q.neo4j(store, params, viewer)
    elif isinstance(store, EmbeddedStore):
        store.sync()
        out = q.embedded(store, params, viewer)
    else:
        raise TypeError(f"unsupported store {type(store).__name__}")
    return out if viewer.sees_sources else redact_provenance(out)
