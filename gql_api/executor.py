"""graphql-core's executor with a short path for plain leaf fields.

Most fields of an answer are leaves (a string, a number, an enum) read by a plain resolver of
`gql_api.direct_fields`: an attribute, or a method of the object alone. For each of them
graphql-core still looks up the middleware, builds a resolve info (strawberry's, fifteen
entries), calls the resolver through a wrapper that drops the info, and completes the value
through `complete_value` twice (non-null, then the leaf). That is most of the time of a
typed answer: a recurrence runs about 250 fields, the 10,000-object response 88,000.

`Executor.execute_fields` takes such a field (marked by `mark_plain_leaf` when the schema is
built) in one step, its path made only for an error: it calls the resolver's function of the
object, then does what `complete_value` does for a leaf: an exception raises, a null is
refused for a non-null type with graphql-core's own message, and any other value goes
through the type's `coerce_output_value` (graphql-core's `complete_leaf_value`, the same check
and message). An error is handled as graphql-core handles it (`handle_field_error`: located,
nulled and propagated by the same rules). Every other field, an awaitable answer, and every
field of a request whose schema extensions wrap resolvers (graphql-core middleware, which
must see each field) take graphql-core's path unchanged. Lists skip graphql-core's look for
an `@stream` directive when the schema has none (validation refuses it then).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from graphql import GraphQLField, GraphQLLeafType, GraphQLNonNull, GraphQLObjectType, is_leaf_type
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
from graphql.pyutils import AwaitableOrValue, Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

# The attribute a marked resolver carries: (function of the object, leaf type, non-null).
_PLAIN: Final = "_scrgraph_plain_leaf"

PlainLeaf = tuple[Callable[[Any], Any], GraphQLLeafType, bool]


def mark_plain_leaf(field: GraphQLField, read: Callable[[Any], Any]) -> bool:
    """Mark `field` (whose resolver is `read(source)` in effect, ignoring info) for the short
    path when it is a leaf without arguments; whether it was marked."""
    if field.args or field.resolve is None:
        return False
    gql_type = field.type
    non_null = isinstance(gql_type, GraphQLNonNull)
    leaf = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
    if not is_leaf_type(leaf):
        return False
    plan: PlainLeaf = (read, leaf, non_null)
    setattr(field.resolve, _PLAIN, plan)
    return True


class Executor(StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context, with the short path for marked leaf fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # Middleware must wrap every resolver: with any, every field takes the long path.
        self._short = manager is None or not manager.middlewares
        # Without the `@stream` directive in the schema, validation refuses any document
        # that uses it, so no list is ever streamed (graphql-core looks for it on each list).
        self._streams = self.schema.get_directive("stream") is not None

    def get_stream_usage(self, field_details_list: FieldDetailsList, path: Path) -> Any:
        if not self._streams:
            return None
        return super().get_stream_usage(field_details_list, path)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        """graphql-core's `execute_fields`, a marked leaf completed in place (its path made
        only for an error); every other field through `execute_field`, as graphql-core does."""
        if not self._short:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        get_field = self.schema.get_field
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                field_def = get_field(parent_type, field_details_list[0].node.name.value)
                plan: PlainLeaf | None = (
                    None if field_def is None else getattr(field_def.resolve, _PLAIN, None)
                )
                if plan is None or field_def is None:
                    result = self.execute_field(
                        parent_type,
                        source_value,
                        field_details_list,
                        Path(path, response_name, parent_type.name),
                        position_context,
                    )
                    if result is not Undefined:
                        results[response_name] = result
                        if is_awaitable(result):
                            awaitable_fields.append(response_name)
                    continue
                read, leaf, non_null = plan
                try:
                    value = read(source_value)
                    if is_awaitable(value):  # not a plain value after all: the long way
                        field_path = Path(path, response_name, parent_type.name)
                        info = self.build_resolve_info(
                            field_def, to_nodes(field_details_list), parent_type, field_path
                        )
                        results[response_name] = self.complete_awaitable_value(
                            field_def.type,
                            field_details_list,
                            info,
                            field_path,
                            value,
                            position_context,
                        )
                        awaitable_fields.append(response_name)
                        continue
                    if isinstance(value, Exception):
                        raise value
                    if value is None or value is Undefined:
                        if non_null:
                            msg = (
                                "Cannot return null for non-nullable field"
                                f" {parent_type}.{field_details_list[0].node.name.value}."
                            )
                            raise TypeError(msg)
                        value = None
                    else:
                        value = self.complete_leaf_value(leaf, value)
                except Exception as raw_error:
                    self.handle_field_error(
                        raw_error,
                        field_def.type,
                        field_details_list,
                        Path(path, response_name, parent_type.name),
                    )
                    value = None
                results[response_name] = value
        except Exception:
            if awaitable_fields:
                # Settle what other fields started, as graphql-core does.
                self.settle_in_background([results[f] for f in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()
