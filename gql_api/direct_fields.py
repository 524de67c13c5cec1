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
wrap these, as graphql-core middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


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
            method = _plain_method(field)
            if method is not None:
                gql_field.resolve = _direct(method)
                changed += 1
    return changed
