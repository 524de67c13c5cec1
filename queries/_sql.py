"""SQL read helpers over the embedded store's SQLite tables, shared by the queries that read
from SQL instead of the in-memory graph.

The tables: `nodes(label, id, props JSON, c_<prop>...)`, where each property some label
declares `indexed` is a typed column (graph_schema.TYPED_COLUMNS), and `rels(type, src, dst,
props)`, keyed (type, src, dst) with an index on (type, dst). A relationship type fixes the
labels at its two ends (graph_schema.RELS), so the rels table needs no labels.

Every fragment here is built from the schema's closed sets and constant text; values travel
only as named parameters (`:name`). Visibility follows queries.entities: a review by its
status, everything else by a review the viewer may see that reaches it.
"""

# SQL here is assembled from the schema's closed sets and constant fragments; values only
# travel as parameters.
# ruff: noqa: S608

from __future__ import annotations

import json
import sqlite3
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Final

from graph_schema import REVIEW_STATUSES, TYPED_COLUMNS, Label, RelType
from graph_store import EmbeddedStore, Row
from queries.base import Viewer

_TYPED: Final[frozenset[tuple[str, str]]] = frozenset(
    (label, c.prop) for c in TYPED_COLUMNS for label in c.labels
)

SqlParams = dict[str, Any]


def typed(label: Label, prop: str) -> bool:
    """Whether the label has a typed, indexed column for the property."""
    return (label.value, prop) in _TYPED


def prop_sql(label: Label, prop: str, alias: str = "n") -> str:
    """The SQL of a node's property: its typed column where there is one, else the JSON's.

    `prop` must come from a closed set (sort fields, filter keys), never from a request."""
    if prop == "id":
        return f"{alias}.id"
    if typed(label, prop):
        return f"{alias}.c_{prop}"
    return f"json_extract({alias}.props, '$.{prop}')"


def statuses_params(viewer: Viewer) -> SqlParams:
    """The viewer's review statuses as the parameters `statuses_sql` names."""
    st = list(viewer.statuses)
    if not set(st) <= set(REVIEW_STATUSES):
        raise ValueError(f"unknown review statuses {st}")
    # Padded to the closed set's size with a value no review has, so the SQL text is constant.
    return {f"st{i}": (st[i] if i < len(st) else "\x00") for i in range(len(REVIEW_STATUSES))}


STATUSES: Final = "(" + ", ".join(f":st{i}" for i in range(len(REVIEW_STATUSES))) + ")"


def _review_ok(alias: str) -> str:
    return f"{alias}.c_status IN {STATUSES}"


# -- visibility, one node at a time (correlated on `{v}.id`) ----------------------------------

_REC_OK = (
    "EXISTS (SELECT 1 FROM rels vm CROSS JOIN nodes vr ON vr.label = 'Review' AND vr.id = vm.src "
    f"WHERE vm.type = 'MAKES' AND vm.dst = {{rec}} AND {_review_ok('vr')})"
)
_ACTION_OK = (
    "EXISTS (SELECT 1 FROM rels vx CROSS JOIN rels vm ON vm.type = 'MAKES' AND vm.dst = vx.dst "
    "CROSS JOIN nodes vr ON vr.label = 'Review' AND vr.id = vm.src "
    f"WHERE vx.type = 'RESPONDS_TO' AND vx.src = {{action}} AND {_review_ok('vr')})"
)


def vis_sql(label: Label, v: str = "n") -> str:
    """A predicate: the viewer may see node `v` (of `label`). Parameters: statuses_params."""
    if label == Label.REVIEW:
        return _review_ok(v)
    if label == Label.RECOMMENDATION:
        return _REC_OK.format(rec=f"{v}.id")
    if label == Label.ACTION:
        return _ACTION_OK.format(action=f"{v}.id")
    if label == Label.AUDIT:
        return (
            "EXISTS (SELECT 1 FROM rels vc CROSS JOIN rels vx ON vx.type = 'RESPONDS_TO' "
            "AND vx.src = vc.dst CROSS JOIN rels vm ON vm.type = 'MAKES' AND vm.dst = vx.dst "
            "CROSS JOIN nodes vr ON vr.label = 'Review' AND vr.id = vm.src "
            f"WHERE vc.type = 'CHECKS' AND vc.src = {v}.id AND {_review_ok('vr')})"
        )
    if label == Label.BOARD:
        return (
            f"(json_type({v}.props, '$.declared') = 'true' OR EXISTS (SELECT 1 FROM rels vb "
            "CROSS JOIN nodes vr ON vr.label = 'Review' AND vr.id = vb.dst "
            f"WHERE vb.type = 'COMMISSIONED' AND vb.src = {v}.id AND {_review_ok('vr')}))"
        )
    if label == Label.AGENCY:
        return (
            f"(json_type({v}.props, '$.declared') = 'true' "
            f"OR EXISTS (SELECT 1 FROM rels va WHERE va.type = 'ADDRESSED_TO' AND va.dst = {v}.id "
            f"AND {_REC_OK.format(rec='va.src')}) "
            f"OR EXISTS (SELECT 1 FROM rels vo WHERE vo.type = 'OWNED_BY' AND vo.dst = {v}.id "
            f"AND {_ACTION_OK.format(action='vo.src')}))"
        )
    return "1"


# -- visibility, a whole label at once (a set of ids, computed once per statement) ----------

_VIS_REVIEWS = f"SELECT id FROM nodes WHERE label = 'Review' AND {_review_ok('nodes')}"
_VIS_RECS = f"SELECT dst AS id FROM rels WHERE type = 'MAKES' AND src IN ({_VIS_REVIEWS})"
_VIS_ACTIONS = f"SELECT src AS id FROM rels WHERE type = 'RESPONDS_TO' AND dst IN ({_VIS_RECS})"
_VIS_SETS: Final[dict[Label, str]] = {
    Label.REVIEW: _VIS_REVIEWS,
    Label.RECOMMENDATION: _VIS_RECS,
    Label.ACTION: _VIS_ACTIONS,
    Label.AUDIT: f"SELECT src AS id FROM rels WHERE type = 'CHECKS' AND dst IN ({_VIS_ACTIONS})",
}


def vis_all_sql(label: Label, v: str = "n") -> str:
    """The same predicate as `vis_sql`, for a statement over many nodes of the label: the
    visible ids are gathered once (from the visible reviews down) instead of per node."""
    sub = _VIS_SETS.get(label)
    if sub is None:
        return vis_sql(label, v)
    return f"{v}.id IN ({sub})"


def vis_count_sql(label: Label) -> str | None:
    """How many nodes of the label the viewer may see, from the relationships alone (a
    relationship's ends always exist), or None where visibility needs the nodes themselves."""
    sub = _VIS_SETS.get(label)
    return None if sub is None else f"SELECT count(DISTINCT id) FROM ({sub})"


# -- running -----------------------------------------------------------------------------------


def _contains(value: Any, needle: Any) -> int:
    """`needle` within the value as Python lowercases it (SQLite's lower() is ASCII only)."""
    return int(str(needle) in str(value or "").lower())


# The stores whose connection has the helpers' SQL functions.
_WITH_FUNCTIONS: Final[weakref.WeakSet[EmbeddedStore]] = weakref.WeakSet()


@contextmanager
def reading(store: EmbeddedStore) -> Iterator[sqlite3.Cursor]:
    """A cursor in one read transaction on the store, with the helpers' SQL functions."""
    with store.reading() as cur:
        if store not in _WITH_FUNCTIONS:
            # Once per store (a store keeps one connection): replacing a function fails while
            # any statement of the connection is still open (a cursor not run to its end).
            cur.connection.create_function("py_contains", 2, _contains, deterministic=True)
            _WITH_FUNCTIONS.add(store)
        yield cur


def props_of(raw: str | None) -> Row:
    """A node's properties from its stored JSON."""
    return json.loads(raw) if raw else {}


def ids_param(ids: Iterable[str]) -> str:
    """A list of ids as one parameter, read with `IN (SELECT value FROM json_each(:ids))`."""
    return json.dumps(list(ids))


IN_IDS: Final = "(SELECT value FROM json_each(:ids))"


def nodes_by_id(
    cur: sqlite3.Cursor, label: Label, ids: Sequence[str], viewer: Viewer | None = None
) -> dict[str, Row]:
    """Properties of the nodes of `label` with these ids (only the visible ones if `viewer`)."""
    if not ids:
        return {}
    where = f" AND {vis_sql(label)}" if viewer is not None else ""
    params: SqlParams = {"label": label.value, "ids": ids_param(ids)}
    if viewer is not None:
        params.update(statuses_params(viewer))
    sql = f"SELECT n.id, n.props FROM nodes n WHERE n.label = :label AND n.id IN {IN_IDS}{where}"
    return {str(k): props_of(p) for k, p in cur.execute(sql, params)}


def ends(
    cur: sqlite3.Cursor, rel: RelType, keys: Sequence[str], outgoing: bool = True
) -> dict[str, list[str]]:
    """For each key, the other ends of its `rel` relationships (outgoing: key is the start)."""
    if not keys:
        return {}
    near, far = ("src", "dst") if outgoing else ("dst", "src")
    out: dict[str, list[str]] = {}
    for k, other in cur.execute(
        f"SELECT {near}, {far} FROM rels WHERE type = :type AND {near} IN {IN_IDS}",
        {"type": rel.value, "ids": ids_param(keys)},
    ):
        out.setdefault(str(k), []).append(str(other))
    return out


def params_with(viewer: Viewer, extra: Mapping[str, Any] | None = None) -> SqlParams:
    """The viewer's status parameters and any others."""
    return {**statuses_params(viewer), **(extra or {})}


__all__ = [
    "IN_IDS",
    "STATUSES",
    "ends",
    "ids_param",
    "nodes_by_id",
    "params_with",
    "prop_sql",
    "props_of",
    "reading",
    "statuses_params",
    "typed",
    "vis_all_sql",
    "vis_count_sql",
    "vis_sql",
]
