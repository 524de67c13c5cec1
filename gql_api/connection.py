"""Cursor connections, global ids and the page resolver (the filter inputs: `gql_api.filters`).

Cursors are opaque to clients: base64 of a row's position (its sort value and id) in the
filtered, sorted list, from which the next page seeks (keyset pagination).
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final

import strawberry
from graphql import GraphQLError
from strawberry.types.nodes import SelectedField, Selection
from strawberry.utils.str_converters import to_camel_case

from gql_api.context import Context, NeighbourRow
from gql_api.errors import check_key
from gql_api.filters import ListFilter
from graph_schema import EDGES, SORT_FIELDS, Label, Shape, node_spec
from graph_store import Row
from queries.entities import DATE_FILTERS, MAX_NEST_DEPTH, MAX_NEST_EDGES

MAX_FIRST: Final = 100
DEFAULT_FIRST: Final = 20


# Cursors: base64 of `k1.<check>.<JSON [label, sort field, descending, sort value, id]>`,
# the position of a row in its sorted list, from which the next page seeks (keyset
# pagination: `WHERE (value, id) > (:value, :id)` in the list's order). The check (a hash of
# the JSON) catches a cursor damaged or edited by hand; a cursor made up with a fresh check is
# only a position to start from: the page after it is read from the rows the viewer may see,
# never by looking the cursor's id up, so a cursor naming a hidden row tells nothing of it.
# Offset cursors (`o:N`, before keyset pagination) are refused with a clear error.
CURSOR_VERSION: Final = "k1"
_MAX_CURSOR: Final = 2048  # characters: longer is no cursor this API gave out
_INT64: Final = 2**63


# The Python type(s) of each list's sort values, from the properties' declared types.
_PY_TYPES: Final[dict[str, tuple[type, ...]]] = {"int": (int,), "float": (float, int)}
_SORT_TYPES: Final[dict[Label, dict[str, tuple[type, ...]]]] = {
    label: {
        f: _PY_TYPES.get(getattr(node_spec(label).prop(f), "type", "str"), (str,)) for f in fields
    }
    for label, fields in SORT_FIELDS.items()
}


@dataclass(frozen=True)
class Order:
    """The order of a list that its cursors belong to: label, sort property, direction."""

    label: Label
    field: str
    descending: bool

    def describe(self) -> str:
        way = "descending" if self.descending else "ascending"
        return f"{self.label.value} sorted by {self.field}, {way}"


def _check(payload: str) -> str:
    return hashlib.blake2b(payload.encode(), digest_size=6).hexdigest()


def encode_cursor(order: Order, value: Any, key: str) -> str:
    """The cursor of the row with this sort value and id in a list of this order."""
    payload = json.dumps(
        [order.label.value, order.field, order.descending, value, key],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    text = f"{CURSOR_VERSION}.{_check(payload)}.{payload}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def _bad_cursor(cursor: str, why: str) -> GraphQLError:
    shown = cursor if len(cursor) <= 60 else cursor[:57] + "..."
    return GraphQLError(
        f"`after`: cursor {shown!r} is not valid: {why}. Pass a pageInfo.endCursor (or an "
        "edge's cursor) this API gave for the same list, or leave `after` out to start at "
        "the beginning.",
        extensions={"code": "BAD_USER_INPUT"},
    )


def _plain(value: Any) -> bool:
    """A sort value a cursor may carry: null, text, a finite-width integer or a float."""
    if value is None or isinstance(value, str | float):
        return True
    return isinstance(value, int) and not isinstance(value, bool) and -_INT64 <= value < _INT64


def decode_cursor(cursor: str, order: Order) -> tuple[Any, str]:
    """The (sort value, id) a cursor gives for a list of `order`, or a BAD_USER_INPUT error
    that says what is wrong with it."""
    if len(cursor) > _MAX_CURSOR:
        raise _bad_cursor(cursor, f"it is longer than {_MAX_CURSOR} characters")
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (ValueError, binascii.Error, UnicodeError):
        raise _bad_cursor(cursor, "it is not one this API gave out (not base64 text)") from None
    if text.startswith("o:"):
        raise _bad_cursor(
            cursor,
            "it is an offset cursor from before keyset pagination, which this API no longer "
            "takes; page again from the start",
        )
    version, _, rest = text.partition(".")
    check, _, payload = rest.partition(".")
    if version != CURSOR_VERSION:
        raise _bad_cursor(cursor, f"unknown cursor version {version[:8]!r}")
    if not payload or not hmac.compare_digest(check, _check(payload)):
        raise _bad_cursor(cursor, "it was damaged or edited (its check does not match)")
    try:
        label, field, descending, value, key = json.loads(payload)
    except (ValueError, TypeError):
        raise _bad_cursor(cursor, "its content is not a list position") from None
    if not (isinstance(key, str) and isinstance(descending, bool) and _plain(value)):
        raise _bad_cursor(cursor, "its content is not a list position")
    if (label, field, descending) == (order.label.value, order.field, order.descending) and not (
        value is None or isinstance(value, _SORT_TYPES[order.label][order.field])
    ):
        raise _bad_cursor(cursor, f"its value is not of the type {order.field} sorts by")
    if (label, field, descending) != (order.label.value, order.field, order.descending):
        raise _bad_cursor(
            cursor,
            f"it belongs to a list of {Order(Label(label), field, descending).describe()}"
            if label in Label._value2member_map_ and isinstance(field, str)
            else "it belongs to another list",
        )
    return value, key


def global_id(label: Label, key: str) -> strawberry.ID:
    return strawberry.ID(f"{label.value}:{key}")


def parse_global_id(gid: str) -> tuple[Label, str]:
    label, _, key = gid.partition(":")
    try:
        return Label(label), key
    except ValueError as e:
        raise GraphQLError(
            f"id {gid!r} is not a global id; expected `Label:key`, e.g. `Review:rv-1`"
        ) from e


@dataclass(frozen=True)
class Page:
    """One page of rows, with what a connection needs to describe it: the list's order and
    each row's (sort value, id), from which cursors are made when a selection asks for them."""

    rows: list[Row]
    rels: list[Row]
    total: int
    order: Order
    keys: list[tuple[Any, str]]
    has_next: bool
    has_previous: bool

    @property
    def page_info(self) -> PageInfo:
        return PageInfo(has_next_page=self.has_next, has_previous_page=self.has_previous, page=self)

    def cursor(self, i: int) -> str:
        value, key = self.keys[i]
        return encode_cursor(self.order, value, key)


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    page: strawberry.Private[Page]

    @strawberry.field(description="Cursor of the first item here.")
    def start_cursor(self) -> str | None:
        return self.page.cursor(0) if self.page.rows else None

    @strawberry.field(
        description="Cursor of the last item here; pass it as `after` for the next page."
    )
    def end_cursor(self) -> str | None:
        return self.page.cursor(len(self.page.rows) - 1) if self.page.rows else None


def _limit(first: int | None) -> int:
    limit = DEFAULT_FIRST if first is None else first
    if limit < 0 or limit > MAX_FIRST:
        raise GraphQLError(
            f"`first` is {limit}; it must be between 0 and {MAX_FIRST}: page with `after`"
        )
    return limit


def _position(order: Order, after: str | None) -> tuple[Any, str] | None:
    return None if after is None else decode_cursor(after, order)


def _check_dates(filter: ListFilter | None) -> None:
    for name in DATE_FILTERS:
        value = getattr(filter, name, None)
        if value is None:
            continue
        try:
            dt.date.fromisoformat(value)
        except ValueError as e:
            raise GraphQLError(
                f"`filter.{to_camel_case(name)}` is {value!r}; expected an ISO date (YYYY-MM-DD)",
                extensions={"code": "BAD_USER_INPUT"},
            ) from e


# -- looking ahead in the selection ---------------------------------------------------------

# The edges resolvers follow through the request's neighbour loaders, each under the field
# of its own name (`recommendation.review` is `Recommendation.review`), whether it answers a
# connection, the single neighbour or a plain list: what a list or a `node` may fetch in its
# own statement and hand to those loaders.
LOOKAHEAD_EDGES: Final = frozenset(name for name, e in EDGES.items() if e.shape != Shape.HIDDEN)
_ANY_TYPE: Final = frozenset({"Node"})


def _flat(selections: list[Selection], type_name: str | None) -> list[SelectedField]:
    """The fields selected, fragments spread (those on another type left out)."""
    out: list[SelectedField] = []
    for s in selections:
        if isinstance(s, SelectedField):
            out.append(s)
        elif (
            type_name is None
            or s.type_condition is None
            or s.type_condition == type_name
            or s.type_condition in _ANY_TYPE
        ):
            out.extend(_flat(s.selections, type_name))
    return out


def node_fields(field: Selection, label: Label) -> list[SelectedField]:
    """What a field selects of the node(s) it leads to: directly, or under edges { node }."""
    fields = _flat(field.selections, label.value)
    for f in _flat(field.selections, None):
        if f.name == "edges":
            for n in _flat(f.selections, None):
                if n.name == "node":
                    fields.extend(_flat(n.selections, label.value))
    return fields


def lookahead(fields: list[SelectedField], label: Label, depth: int = 1) -> dict[str, Any]:
    """The entities.list `with` of the edges selected below nodes of `label`: {edge: ...}."""
    out: dict[str, Any] = {}
    if depth > MAX_NEST_DEPTH:
        return out
    for f in fields:
        edge = f"{label.value.lower()}.{f.name}"
        if edge not in LOOKAHEAD_EDGES:
            continue
        end = EDGES[edge].end
        sub = lookahead(node_fields(f, end), end, depth + 1)
        prev = out.get(edge) or {}
        out[edge] = {**prev, **sub} or None
    return out if _size(out) <= MAX_NEST_EDGES else {}


def _size(nest: dict[str, Any] | None) -> int:
    return sum(1 + _size(sub) for sub in (nest or {}).values())


@dataclass(frozen=True)
class Wanted:
    """What a connection's selection asks of its list: the count, the items, their edges."""

    total: bool = True
    items: bool = True
    next: bool = True
    nest: dict[str, Any] = dataclasses.field(default_factory=dict)


def wanted(info: Any, label: Label) -> Wanted:
    """Look ahead in the connection field being resolved (`info`)."""
    own = info.selected_fields[0] if info.selected_fields else None
    if own is None:
        return Wanted()
    top = _flat(own.selections, None)
    names = {f.name for f in top}
    return Wanted(
        # hasNextPage reads one row past the page (`peek`), not the count
        total="totalCount" in names,
        items="edges" in names or "pageInfo" in names,
        next="pageInfo" in names,
        nest=lookahead(node_fields(own, label), label),
    )


def prime(ctx: Context, neighbours: dict[str, dict[str, list[Row]]] | None) -> None:
    """Hand neighbours fetched with their parents to the request's neighbour loaders."""
    for edge, by_parent in (neighbours or {}).items():
        loader = ctx.neighbours(edge)
        for parent, rows in by_parent.items():
            loader.prime(parent, rows)


def _sort_key(field: str) -> Any:
    def key(p: Row) -> tuple[bool, Any]:
        v = p.get(field)
        return (v is None, v)

    return key


def _sorted(found: list[NeighbourRow], field: str, descending: bool) -> list[NeighbourRow]:
    """A node's neighbours sorted in Python. Stable sorts: by id, then by the field (nulls
    last ascending, first descending)."""
    rows = sorted(found, key=lambda r: str(r["node"].get("id")))
    by_field = _sort_key(field)
    rows.sort(key=lambda r: by_field(r["node"]), reverse=descending)
    return rows


def sorted_neighbours(label: Label, found: list[NeighbourRow]) -> list[Row]:
    """A node's neighbours of `label` in the order of its connections' default sort: the
    order a plain list field (a recommendation's themes, an action's audits) answers in."""
    return [r["node"] for r in _sorted(found, *_sort_of(label, None, False))]


def _follows(v: Any, key: str, after: tuple[Any, str], order: Order) -> bool:
    """Whether the row (v, key) comes after the position `after` in a list of `order`: nulls
    last ascending and first descending, ties by id ascending (by id alone: its direction)."""
    cv, ckey = after
    if order.field == "id":
        return key < ckey if order.descending else key > ckey
    if v is None or cv is None:
        if v is None and cv is None:
            return key > ckey
        return (v is None) != order.descending
    if v == cv:
        return key > ckey
    return bool(v < cv) if order.descending else bool(v > cv)


def _neighbour_page(
    found: list[NeighbourRow], order: Order, after: tuple[Any, str] | None, limit: int
) -> Page:
    """A page of a node's neighbours (all of them loaded), sorted and cut in Python."""
    rows = _sorted(found, order.field, order.descending)
    if after is not None:
        try:
            rows = [
                r
                for r in rows
                if _follows(r["node"].get(order.field), str(r["node"].get("id")), after, order)
            ]
        except TypeError:
            raise _bad_cursor(
                encode_cursor(order, *after), "its value is not of this sort's type"
            ) from None
    window = rows[:limit]
    return Page(
        [r["node"] for r in window],
        [r["rel"] for r in window],
        total=len(found),
        order=order,
        keys=[(r["node"].get(order.field), str(r["node"].get("id"))) for r in window],
        has_next=len(rows) > limit,
        has_previous=after is not None,
    )


def _sort_of(label: Label, sort: str | None, descending: bool) -> tuple[str, bool]:
    field = sort or SORT_FIELDS[label][0]
    if field.startswith("-"):  # a sort that reads the other way (NEWEST: year, latest first)
        return field[1:], not descending
    return field, descending


def loaded(ctx: Context, edge: str, parent: str) -> list[NeighbourRow] | None:
    """A node's neighbours along an edge when the request's loader already holds them
    (primed by a look-ahead, or loaded earlier in the request), without waiting; None when
    they would have to be loaded."""
    loader = ctx.neighbours(edge)
    if not loader.cache:
        return None
    future = loader.cache_map.get(parent)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    found: list[NeighbourRow] = future.result()
    return found


def ready_page(
    ctx: Context,
    label: Label,
    *,
    edge: str,
    parent: str,
    first: int | None = None,
    after: str | None = None,
    filter: ListFilter | None = None,
    sort: str | None = None,
    descending: bool = False,
) -> Page | None:
    """The page `resolve_page` would answer for a node's neighbours, at once, when it needs
    no backend call: no filter, and the request's loader already holds the neighbours. None
    otherwise (then `resolve_page`). A large response's nested connections (a
    recommendation's actions, a review's themes) are primed by the list's look-ahead, so
    they complete without a coroutine each (and so are its plain lists: `loaded`)."""
    if filter is not None:
        return None
    found = loaded(ctx, edge, parent)
    if found is None:
        return None
    limit = _limit(first)
    order = Order(label, *_sort_of(label, sort, descending))
    return _neighbour_page(found, order, _position(order, after), limit)


async def resolve_page(
    ctx: Context,
    label: Label,
    *,
    edge: str | None = None,
    parent: str | None = None,
    first: int | None = None,
    after: str | None = None,
    filter: ListFilter | None = None,
    sort: str | None = None,
    descending: bool = False,
    want: Wanted | None = None,
) -> Page:
    """A page of visible nodes: a whole label, or one node's neighbours along an edge.

    Neighbours without filters come from the request's DataLoader (one backend call for all
    parents of a level); with filters, the list query runs among the neighbours' ids.
    `want` (from `wanted`) says what the selection needs of the list: without it, all.
    The filter's vocabulary keys are checked only when nothing matched: an unknown (or
    hidden) key matches nothing, so a non-empty answer proves them, and the check costs a
    call only where its error can be the answer.
    """
    limit = _limit(first)
    order = Order(label, *_sort_of(label, sort, descending))
    position = _position(order, after)
    filters = filter.as_params() if filter else {}
    _check_dates(filter)
    want = want or Wanted()
    page = await _page(ctx, order, edge, parent, position, limit, filters, want)
    counted = want.total or (edge is not None and parent is not None)
    if not page.rows and not (counted and page.total > 0):
        for argument, vocab, key in filter.keys() if filter else []:
            await check_key(ctx, vocab, argument, key)
    return page


def _after_param(position: tuple[Any, str] | None) -> dict[str, Any] | None:
    return None if position is None else {"value": position[0], "id": position[1]}


def _keys(res: Mapping[str, Any]) -> list[tuple[Any, str]]:
    return [(k[0], str(k[1])) for k in res["keys"]]


async def _page(
    ctx: Context,
    order: Order,
    edge: str | None,
    parent: str | None,
    position: tuple[Any, str] | None,
    limit: int,
    filters: dict[str, Any],
    want: Wanted,
) -> Page:
    label = order.label
    if edge is not None and parent is not None:
        found = await ctx.neighbours(edge).load(parent)
        if not filters:
            return _neighbour_page(found, order, position, limit)
        rel_by_id = {str(r["node"].get("id")): r["rel"] for r in found}
        res = await ctx.run(
            "entities.list",
            {
                "label": label.value,
                "filter": filters,
                "sort": order.field,
                "descending": order.descending,
                "after": _after_param(position),
                "peek": True,
                "limit": limit,
                "ids": list(rel_by_id),
            },
        )
        items: list[Row] = res["items"]
        return Page(
            items,
            [rel_by_id.get(str(i.get("id")), {}) for i in items],
            res["total"],
            order,
            _keys(res),
            has_next=bool(res["more"]),
            has_previous=position is not None,
        )
    params: dict[str, Any] = {
        "label": label.value,
        "filter": filters,
        "sort": order.field,
        "descending": order.descending,
        "after": _after_param(position),
        "peek": want.next,
        "limit": limit if want.items else 0,
        "want_total": want.total,
    }
    if want.nest and want.items:
        params["with"] = want.nest
    res = await ctx.run("entities.list", params)
    prime(ctx, res.get("neighbours"))
    items = res["items"]
    if params.get("with") and items and "neighbours" not in res:
        await _prefetch(ctx, [str(i.get("id")) for i in items], params["with"])
    # Not counted (nothing selected reads it): what is known, so that it reads as no count.
    total = res["total"] if want.total and res["total"] is not None else len(items)
    return Page(
        items,
        [{} for _ in items],
        total,
        order,
        _keys(res),
        has_next=bool(res.get("more")),
        has_previous=position is not None,
    )


async def _prefetch(ctx: Context, parents: list[str], nest: dict[str, Any]) -> None:
    """Load the neighbours a look-ahead named that the store did not fetch with the list (the
    embedded store leaves them to `entities.neighbours`) and prime the request's loaders with
    them: the calls the nested resolvers would make through those loaders (one per edge and
    level, the same parameters), made before them, so that each nested field then completes
    at once (`loaded`). Parents a loader already holds are not asked for again."""
    for edge, sub in nest.items():
        loader = ctx.neighbours(edge)
        if not loader.cache:  # a loader that keeps nothing (the benchmarks' naive one)
            continue
        missing = [p for p in parents if loader.cache_map.get(p) is None]
        if missing:
            found = await ctx.run("entities.neighbours", {"edge": edge, "ids": missing})
            for p in missing:
                loader.prime(p, found.get(p, []))
        if sub:
            children: dict[str, None] = {}
            for p in parents:
                for r in loaded(ctx, edge, p) or []:
                    children[str(r["node"].get("id"))] = None
            if children:
                await _prefetch(ctx, list(children), sub)


async def resolve_one(ctx: Context, edge: str, parent: str) -> Row | None:
    """The single visible neighbour along an edge (e.g. a review's board), or None."""
    found = await ctx.neighbours(edge).load(parent)
    return found[0]["node"] if found else None


First = Annotated[
    int | None, strawberry.argument(description=f"Page size (at most {MAX_FIRST}; default 20).")
]
After = Annotated[
    str | None,
    strawberry.argument(description="Cursor to continue after (a pageInfo.endCursor)."),
]
Descending = Annotated[bool, strawberry.argument(description="Sort descending.")]
