"""Each list's filter input, built from graph_schema's declaration of the entity's filters.

`graph_schema.entities` declares, per entity label, the fields of its list's filter input:
name, value, description, the list query's key and the label whose key a field holds. From
them this module builds one strawberry input per label (`ReviewFilter`, `ActionFilter`, ...),
each a `ListFilter`, which hands its values to the list query as parameters. A new filter is
one `Filter` in graph_schema (and its fragment in `queries.entities`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Final, TypeAlias

import strawberry
from strawberry.utils.str_converters import to_camel_case

from gql_api.enums import enum_of, stored
from graph_schema import ENTITIES, Entity, Filter, Label


class ListFilter:
    """What every list's filter input has: its values as the list query's parameters.

    A field's value goes to the parameter of its name (snake case) unless `RENAMED` says
    otherwise; `VOCABULARY` names the fields that hold a key of a public-vocabulary label
    (an unknown key is NOT_FOUND, with the nearest existing keys).
    """

    RENAMED: ClassVar[dict[str, str]] = {}
    VOCABULARY: ClassVar[dict[str, Label]] = {}

    def as_params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if value is not None:
                out[self.RENAMED.get(f.name, f.name)] = stored(value)
        return out

    def keys(self) -> list[tuple[str, Label, str | None]]:
        """(argument name, label, key) of each public-vocabulary key given."""
        return [
            (f"filter.{to_camel_case(name)}", label, getattr(self, name))
            for name, label in self.VOCABULARY.items()
        ]


_SCALARS: Final[dict[str, Any]] = {"int": int, "str": str, "date": str}


def _value_type(f: Filter) -> Any:
    """The GraphQL type of a filter field's value (always optional): a closed set's enum,
    `Int`, or `String` (text, keys and ISO dates)."""
    t = _SCALARS[f.type] if isinstance(f.type, str) else enum_of(f.type.values)
    return t | None


def filter_input(e: Entity) -> type[ListFilter]:
    """The filter input of an entity's lists (`ReviewFilter`), as graph_schema declares it."""
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__annotations__": {f.name: _value_type(f) for f in e.filters},
        "RENAMED": {f.name: f.query_key for f in e.filters if f.query_key != f.name},
        "VOCABULARY": {f.name: f.vocabulary for f in e.filters if f.vocabulary is not None},
    } | {f.name: strawberry.field(default=None, description=f.description) for f in e.filters}
    cls = type(f"{e.label.value}Filter", (ListFilter,), namespace)
    made: type[ListFilter] = strawberry.input(cls, description=e.filter_description)
    return made


# The filter input of each entity label's lists.
FILTERS: Final[dict[Label, type[ListFilter]]] = {e.label: filter_input(e) for e in ENTITIES}

_FILTERS_ARG: Final = strawberry.argument(description="Filters to apply.")


def filter_arg(label: Label) -> Any:
    """The `filter` argument of a list of `label` (its filter input, optional)."""
    return Annotated[FILTERS[label] | None, _FILTERS_ARG]


if TYPE_CHECKING:  # built at run time; to the type checker, each is an optional ListFilter
    ReviewFilterArg: TypeAlias = ListFilter | None
    RecommendationFilterArg: TypeAlias = ListFilter | None
else:
    ReviewFilterArg = filter_arg(Label.REVIEW)
    RecommendationFilterArg = filter_arg(Label.RECOMMENDATION)
