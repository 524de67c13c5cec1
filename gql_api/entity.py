"""The repeated entity surface, built from graph_schema's declaration of the entity graph.

For each entity label, `graph_schema.entities` declares its edges, sort fields and nouns;
from them this module builds what the API repeats for every type:
- on each entity type (`entity_type`), one field per edge it starts: a connection
  (`first`, `after`, `filter`, `sort`, `descending`), the single neighbour or a plain list;
- its edge and connection types (`connection_types`: `ReviewEdge`, `ReviewConnection`);
- the top-level list fields (`list_fields`: `boards`, `reviews`, ...).

An entity module declares its type's own properties and calls these two; a new edge in
graph_schema becomes a field here with nothing else to write.

Types refer to one another across modules by `strawberry.lazy` (the module of label `X` is
`gql_api.x`), resolved when the schema is built; at run time a resolver finds the class of
a label in this module's registry. So no entity module imports another.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final, TypeVar

import strawberry

from gql_api.connection import (
    After,
    Descending,
    First,
    Page,
    PageInfo,
    loaded,
    ready_page,
    resolve_one,
    resolve_page,
    sorted_neighbours,
    wanted,
)
from gql_api.context import Context
from gql_api.enums import enum_of, member, opt_member
from gql_api.filters import filter_arg
from gql_api.node import Node
from gql_api.sorting import SORT_ENUMS, sort_field
from graph_schema import (
    ENTITIES,
    Edge,
    EdgeProp,
    Entity,
    Label,
    NodeSpec,
    Prop,
    PropField,
    Shape,
    edges_from,
    entity,
    node_spec,
)
from graph_store import Row

N = TypeVar("N", bound=Node)

_TYPES: Final[dict[Label, type[Node]]] = {}
_CONNECTIONS: Final[dict[Label, Any]] = {}
_SORT_ARG: Final = strawberry.argument(description="Sort field.")


def node_type(label: Label) -> type[Node]:
    """The entity type of a label (registered by `entity_type`)."""
    return _TYPES[label]


def _module(label: Label) -> str:
    return f"gql_api.{label.value.lower()}"


def _lazy(name: str, label: Label) -> Any:
    return Annotated[name, strawberry.lazy(_module(label))]


def _page_annotations(label: Label, returns: Any) -> dict[str, Any]:
    """A paged field's arguments and its return type (the resolver's annotations)."""
    return {
        "info": strawberry.Info[Context, None],
        "first": First,
        "after": After,
        "filter": filter_arg(label),
        "sort": Annotated[SORT_ENUMS[label] | None, _SORT_ARG],
        "descending": Descending,
        "return": returns,
    }


def _page_field(label: Label, edge: str | None, description: str, returns: Any) -> Any:
    """A connection field: a whole label's visible list (`edge` None, at the top level), or
    one node's neighbours along `edge`."""

    def resolve(
        self: Any,
        info: strawberry.Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        filter: Any = None,
        sort: Any = None,
        descending: bool = False,
    ) -> Any:
        # Neighbours the request already holds make the page at once, without a coroutine.
        if edge is not None:
            ready = ready_page(
                info.context,
                label,
                edge=edge,
                parent=self.ident(),
                first=first,
                after=after,
                filter=filter,
                sort=sort_field(sort),
                descending=descending,
            )
            if ready is not None:
                return _CONNECTIONS[label].of(ready)
        return paged(self, info, first, after, filter, sort, descending)

    async def paged(
        self: Any,
        info: strawberry.Info[Context, None],
        first: int | None,
        after: str | None,
        filter: Any,
        sort: Any,
        descending: bool,
    ) -> Any:
        # At the top level, what the selection asks of the list; below, a node's neighbours.
        where: dict[str, Any] = (
            {"want": wanted(info, label)}
            if edge is None
            else {"edge": edge, "parent": self.ident()}
        )
        page = await resolve_page(
            info.context,
            label,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            **where,
        )
        return _CONNECTIONS[label].of(page)

    resolve.__annotations__ = _page_annotations(label, returns)
    return strawberry.field(resolver=resolve, description=description)


def _one_field(name: str, e: Edge) -> Any:
    def resolve(self: Node, info: strawberry.Info[Context, None]) -> Any:
        found = loaded(info.context, name, self.ident())  # held already: no coroutine
        if found is not None:
            return _TYPES[e.end](props=found[0]["node"]) if found else None
        return one(self, info)

    async def one(self: Node, info: strawberry.Info[Context, None]) -> Any:
        row = await resolve_one(info.context, name, self.ident())
        return None if row is None else _TYPES[e.end](props=row)

    resolve.__annotations__ = {
        "info": strawberry.Info[Context, None],
        "return": _lazy(e.end.value, e.end) | None,
    }
    return strawberry.field(resolver=resolve, description=e.description)


def _list_field(name: str, e: Edge) -> Any:
    def resolve(self: Node, info: strawberry.Info[Context, None]) -> Any:
        found = loaded(info.context, name, self.ident())  # held already: no coroutine
        if found is not None:
            return [_TYPES[e.end](props=r) for r in sorted_neighbours(e.end, found)]
        return every(self, info)

    async def every(self: Node, info: strawberry.Info[Context, None]) -> Any:
        rows = await info.context.neighbours(name).load(self.ident())
        return [_TYPES[e.end](props=r) for r in sorted_neighbours(e.end, rows)]

    resolve.__annotations__ = {
        "info": strawberry.Info[Context, None],
        "return": list[_lazy(e.end.value, e.end)],  # type: ignore[misc]
    }
    return strawberry.field(resolver=resolve, description=e.description)


def _edge_field(name: str, e: Edge) -> Any:
    if e.shape == Shape.PAGE:
        connection = _lazy(f"{e.end.value}Connection", e.end)
        return _page_field(e.end, name, e.description, connection)
    if e.shape == Shape.ONE:
        return _one_field(name, e)
    return _list_field(name, e)


def entity_type(
    label: Label, spec: Entity | None = None, node: NodeSpec | None = None
) -> Callable[[type[N]], type[N]]:
    """Make a Node subclass the entity type of `label`, as graph_schema declares it (`spec`
    and `node` in place of the declaration: for a test): its description; its property
    fields, in the entity's order, then every property of the label the entity neither lists
    nor keeps internal (so a new property needs no edit here); then a field per edge. A
    `computed` field is the class's own resolver of that name, kept in its place. Built from
    the declaration itself, the type is registered for the resolvers that build it."""
    e = spec or entity(label)
    n = node or node_spec(label)

    def make(cls: type[N]) -> type[N]:
        cls.LABEL = label
        own = {f.api_name: cls.__dict__[f.api_name] for f in e.fields if f.computed}
        for name in own:  # set again below, in the declared order
            delattr(cls, name)
        for name, field in _prop_fields(e, n, own):
            setattr(cls, name, field)
        for field, edge in edges_from(label):
            setattr(cls, field, _edge_field(f"{label.value.lower()}.{field}", edge))
        typed: type[N] = strawberry.type(cls, description=e.description)
        if spec is None and node is None:
            _TYPES[label] = typed
        return typed

    return make


def _prop_fields(e: Entity, n: NodeSpec, own: dict[str, Any]) -> list[tuple[str, Any]]:
    """(python name, field) of an entity's properties: those it lists, then the rest that
    are not internal, as the label's spec declares them."""
    listed = {f.prop for f in e.fields}
    rest = [PropField(p.name) for p in n.props if p.name not in listed | e.hidden]
    return [
        (f.api_name, own[f.api_name] if f.computed else _prop_field(n, f.prop, f.description))
        for f in (*e.fields, *rest)
    ]


def _edge_value(p: EdgeProp, rel: Row) -> Any:
    v = rel.get(p.prop)
    return None if v is None else p.type(v)


# An edge's place: (its page, its row's index), not in the schema; its cursor is made from
# it only when selected. (A runtime annotation: mypy reads `Private[...]` as a type.)
_AT: Final[Any] = strawberry.Private[tuple[Page, int]]  # type: ignore[misc]


def _edge_cursor(self: Any) -> str:
    page, i = self.at
    cursor: str = page.cursor(i)
    return cursor


def connection_types(node: type[Node]) -> tuple[Any, Any]:
    """The edge and connection types of an entity type (`ReviewEdge`, `ReviewConnection`);
    an edge shows the relationship properties graph_schema names for its entity."""
    spec = entity(node.LABEL)
    name = node.LABEL.value
    edge_ns: dict[str, Any] = {
        "__module__": node.__module__,
        "__annotations__": {"node": node, "cursor": str, "at": _AT}
        | {p.name: p.type | None for p in spec.edge_props},
        "node": strawberry.field(description=f"The {spec.noun}."),
        # made only when selected: (the page, the row's index)
        "cursor": strawberry.field(
            resolver=_edge_cursor, description="Where this edge sits; pass it as `after`."
        ),
    } | {p.name: strawberry.field(default=None, description=p.description) for p in spec.edge_props}
    edge = strawberry.type(
        type(f"{name}Edge", (), edge_ns),
        description=f"An edge to {spec.article} {spec.noun} in a connection.",
    )

    def of(cls: Any, page: Page) -> Any:
        return cls(
            edges=[
                edge(
                    node=node(props=r),
                    at=(page, i),
                    **{p.name: _edge_value(p, rel) for p in spec.edge_props},
                )
                for i, (r, rel) in enumerate(zip(page.rows, page.rels, strict=True))
            ],
            page_info=page.page_info,
            total_count=page.total,
        )

    connection_ns: dict[str, Any] = {
        "__module__": node.__module__,
        "__annotations__": {"edges": list[edge], "page_info": PageInfo, "total_count": int},  # type: ignore[valid-type]
        "edges": strawberry.field(description=f"The {spec.plural} on this page."),
        "page_info": strawberry.field(description="Where this page sits in the list."),
        "total_count": strawberry.field(description=f"How many {spec.plural} match, on all pages."),
        "of": classmethod(of),
    }
    connection = strawberry.type(
        type(f"{name}Connection", (), connection_ns), description=f"A page of {spec.plural}."
    )
    _CONNECTIONS[node.LABEL] = connection
    return edge, connection


def list_fields() -> dict[str, Any]:
    """The top-level list fields, one per entity label: {python name: field}."""
    return {
        e.plural: _page_field(
            e.label,
            None,
            f"{e.label.value} records you may see, filtered, sorted and paged.",
            _lazy(f"{e.label.value}Connection", e.label),
        )
        for e in ENTITIES
    }


def _reader(p: Prop) -> tuple[Callable[[Any], Any], Any]:
    """How a field reads a stored value of `p`, and the field's type: graph_schema's type,
    non-null when the property is required; a closed set's values give its enum."""
    if p.enum:
        e = enum_of(p.enum)
        if p.required:
            return (lambda v: member(e, v)), e
        return (lambda v: opt_member(e, v)), e | None
    if p.type == "list[str]":
        return (lambda v: [str(x) for x in v or []]), list[str]
    if p.type in ("int", "float", "bool"):
        t: Any = {"int": int, "float": float, "bool": bool}[p.type]
        if p.required:
            return (lambda v: t(v or 0)), t
        return (lambda v: None if v is None else t(v)), t | None
    if p.required:  # str, date, datetime: ISO text
        return (lambda v: "" if v is None else str(v)), str
    return (lambda v: None if v is None else str(v)), str | None


def _prop_field(n: NodeSpec, prop: str, description: str = "") -> Any:
    """A field answering one property of the node as graph_schema declares it (its type and,
    unless `description` says otherwise, its description)."""
    p = n.prop(prop)
    if p is None:
        raise KeyError(f"{n.label.value} has no property {prop!r} in graph_schema")
    read, returns = _reader(p)

    def resolve(self: Node) -> Any:
        return read(self.props.get(prop))

    resolve.__annotations__ = {"return": returns}
    return strawberry.field(resolver=resolve, description=description or p.description)
