"""The `Node` interface: anything with a global id that `node(id)` can look up."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Any, ClassVar, TypeVar, get_args

import strawberry

from gql_api.connection import global_id
from gql_api.context import Context
from graph_schema import Label
from graph_store import Row


@strawberry.interface(description="Anything with a global id; look it up with `node(id:)`.")
class Node:
    LABEL: ClassVar[Label]
    props: strawberry.Private[Row]

    @strawberry.field(description="Global id, `Label:key` (for example `Review:rv-0001`).")
    def id(self) -> strawberry.ID:
        return global_id(self.LABEL, str(self.props["id"]))

    @strawberry.field(description="The record's stable key in the graph.")
    def key(self) -> str:
        return self.ident()

    def ident(self) -> str:
        """The key, for resolvers (not a GraphQL field)."""
        return str(self.props["id"])


def opt_str(props: Row, name: str) -> str | None:
    v = props.get(name)
    return None if v is None else str(v)


def opt_int(props: Row, name: str) -> int | None:
    v: Any = props.get(name)
    return None if v is None else int(v)


N = TypeVar("N", bound=Node)


async def lookup(ctx: Context, cls: type[N], key: str | None) -> N | None:
    """The entity of this key through the request's viewer-scoped loader (batched), or None
    when there is no key, no such record, or the viewer may not see it."""
    if key is None:
        return None
    row = await ctx.nodes(cls.LABEL).load(key)
    return None if row is None else cls(props=row)


def key_field(key: str, returns: Any, description: str, source: str = "row") -> Any:
    """A field answering one key of a result's row, held in the private attribute `source`.

    `returns` is the field's type: `int`, `str`, `float` or `bool`, read as `int(row[key])`;
    or one of them `| None`, for a key that may be absent or null (as `opt_int` reads it)."""
    optional = [a for a in get_args(returns) if a is not type(None)]
    if optional:
        convert = optional[0]

        def resolve(self: Any) -> Any:
            v = getattr(self, source).get(key)
            return None if v is None else convert(v)
    else:

        def resolve(self: Any) -> Any:
            return returns(getattr(self, source)[key])

    resolve.__annotations__ = {"return": returns}
    return strawberry.field(resolver=resolve, description=description)


def enum_field(
    key: str, enum: Any, description: str, optional: bool = False, source: str = "row"
) -> Any:
    """A field answering one key of a result's row as a member of `enum` (a closed set's
    stored value); `optional`: null where the key is absent or empty."""
    if optional:

        def resolve(self: Any) -> Any:
            v = getattr(self, source).get(key)
            return None if v is None or v == "" else enum(v)
    else:

        def resolve(self: Any) -> Any:
            return enum(getattr(self, source).get(key))

    resolve.__annotations__ = {"return": enum | None if optional else enum}
    return strawberry.field(resolver=resolve, description=description)


def link_field(key: str, cls: type[N], description: str, source: str = "row") -> Any:
    """A field answering the entity whose key one key of a result's row holds, through the
    request's viewer-scoped loader (batched): null where there is no key, no such record, or
    the viewer may not see it."""

    async def resolve(self: Any, info: strawberry.Info[Context, None]) -> N | None:
        return await lookup(info.context, cls, opt_str(getattr(self, source), key))

    resolve.__annotations__ = {"info": strawberry.Info[Context, None], "return": cls | None}
    return strawberry.field(resolver=resolve, description=description)
