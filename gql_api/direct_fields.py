"""Plain fields resolved directly: the per-field cost of strawberry's resolver wrapper, removed
where it does nothing.

Most fields of the entity types are methods reading one property of a row
(`def title(self) -> str`). strawberry wraps every resolver in the same machinery: it builds
an `Info`, converts the (absent) arguments, runs the (absent) field extensions and exception
handlers; at about 100 such fields per object that is most of a large response's time
(benchmarks/RESULTS.md). For a field whose resolver is a plain method of `self` alone - no
arguments, no `info`, not async, no field extensions (strawberry's permissions are field
extensions), and a schema without exception handlers - that machinery only calls the
method, so `direct_resolvers` points graphql-core at the method itself. The schema (its SDL)
does not change; schema extensions that wrap resolvers (strawberry's `resolve` hook) still
wrap these, as graphql-core middleware. Those of them that answer a leaf (a string, a
number, an enum) are also marked for `gql_api.executor`'s short path, which calls the method
(or reads the attribute) without building an info or going through the wrapper at all.

A field with no resolver (an attribute: a connection's `edges`, an edge's `node`) reads the
attribute as strawberry's default resolver would (`getattr`), without its two calls between.

A field whose resolver takes arguments or `info` (a connection: `first`, `after`, `filter`,
`sort`, `descending`) gets the same treatment with what strawberry would do for it: the
arguments converted to their Python values, `info` as strawberry's `Info`, the method called.
Conversion (camel-case names looked up, enums and inputs built) costs more than most
resolvers; a 10,000-object response converts the same five defaults for each of its 2,700
nested connections. So each field remembers the conversion of argument values that are all
hashable (no input object, no list: those convert each time, so a resolver never shares a
mutable value across calls); the converted values are immutable (None, numbers, strings,
enum members), the same for every request and viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

from gql_api.executor import mark_plain_leaf

# Conversions kept per field (distinct argument values seen); past it, convert every time.
MAX_CONVERSIONS = 512


def _plain_method(field: StrawberryField) -> Callable[[Any], Any] | None:
    """The method behind a field when calling it is all strawberry would do, else None."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or field.arguments or resolver.is_async:
        return None
    params = list(resolver.signature.parameters.values())
    if len(params) != 1 or resolver.self_parameter is None:
        return None
    fn = resolver.wrapped_func
    return fn if callable(fn) else None


def _with_arguments(schema: strawberry.Schema, field: StrawberryField) -> Callable[..., Any] | None:
    """A direct resolver for a method of `self` that takes `info` and/or arguments (and no
    root, parent or field extension); None where strawberry's wrapper must stay."""
    resolver = field.base_resolver
    if resolver is None or field.extensions or resolver.self_parameter is None:
        return None
    if resolver.root_parameter is not None or resolver.parent_parameter is not None:
        return None
    if not field.arguments and resolver.info_parameter is None:
        return None  # a plain method: `_plain_method`'s
    fn = resolver.wrapped_func
    if not callable(fn):
        return None
    info_name = None if resolver.info_parameter is None else resolver.info_parameter.name
    info_class = schema.config.info_class
    arguments = field.arguments
    registry = schema.schema_converter.scalar_registry
    config = schema.config
    converted: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **raw: Any) -> Any:
        s_info = info_class(_raw_info=info, _field=field)
        kwargs: dict[str, Any] | None = None
        key: tuple[tuple[str, Any], ...] | None = tuple(raw.items())
        try:
            kwargs = converted.get(key)  # type: ignore[arg-type]
        except TypeError:  # an input object or a list: not kept
            key = None
        if kwargs is None:
            kwargs = convert_arguments(raw, arguments, registry, config, s_info)
            if key is not None and len(converted) < MAX_CONVERSIONS:
                converted[key] = kwargs
        if info_name is not None:
            kwargs = {**kwargs, info_name: s_info}
        return fn(source, **kwargs)

    return resolve


def _attribute(name: str) -> Callable[..., Any]:
    def resolve(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return getattr(source, name)

    resolve._is_default = True  # type: ignore[attr-defined]  # as strawberry marks its own
    return resolve


def _direct(method: Callable[[Any], Any]) -> Callable[..., Any]:
    def resolve(source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return method(source)

    return resolve


def direct_resolvers(schema: strawberry.Schema) -> int:
    """Resolve the plain fields of `schema` directly; how many fields were changed."""
    if schema.exception_handlers:
        return 0  # a handler must see every field's exceptions: keep strawberry's wrapper
    changed = 0
    for gql_type in schema._schema.type_map.values():
        if not isinstance(gql_type, GraphQLObjectType) or gql_type.name.startswith("__"):
            continue
        for gql_field in gql_type.fields.values():
            field = (gql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if not isinstance(field, StrawberryField):
                continue
            if field.is_basic_field and schema.config.default_resolver is getattr:
                # an attribute (a connection's `edges`, an edge's `node`): read it
                gql_field.resolve = _attribute(field.python_name)
                mark_plain_leaf(gql_field, attrgetter(field.python_name))
                changed += 1
                continue
            method = _plain_method(field)
            if method is not None:
                gql_field.resolve = _direct(method)
                mark_plain_leaf(gql_field, method)
                changed += 1
                continue
            resolve = _with_arguments(schema, field)
            if resolve is not None:
                gql_field.resolve = resolve
                changed += 1
    return changed
