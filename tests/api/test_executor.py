"""The executor's short path for plain leaves answers, and fails, exactly as graphql-core's."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import anyio
import pytest
import strawberry
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

import gql_api.schema
from gql_api.direct_fields import direct_resolvers
from gql_api.executor import Executor
from tests.api.conftest import Api, make_api
from tests.api.test_direct_fields import Q


@strawberry.enum(description="A colour.")
class Colour(enum.Enum):
    RED = "red"


class Boom(Exception):
    pass


@strawberry.type(description="A thing.")
class Thing:
    n: int = strawberry.field(description="An attribute.")
    maybe: str | None = strawberry.field(description="A nullable attribute.")

    @strawberry.field(description="A method.")
    def label(self) -> str:
        return f"thing {self.n}"

    @strawberry.field(description="An enum.")
    def colour(self) -> Colour:
        return Colour.RED

    @strawberry.field(description="Non-null, but answers null for n = 2.")
    def strict(self) -> str:
        return None if self.n == 2 else "ok"  # type: ignore[return-value]

    @strawberry.field(description="Raises for n = 3.")
    def fails(self) -> str | None:
        if self.n == 3:
            raise Boom("boom at 3")
        return "fine"

    @strawberry.field(description="Not an int at all for n = 4.")
    def count(self) -> int:
        return "many" if self.n == 4 else self.n  # type: ignore[return-value]

    @strawberry.field(description="An awaitable from a plain method.")
    def later(self) -> str:
        async def value() -> str:
            return f"later {self.n}"

        return value()  # type: ignore[return-value]


@strawberry.type(description="Root.")
class Root:
    @strawberry.field(description="Things 1 to 4.")
    def things(self) -> list[Thing | None]:
        return [Thing(n=i, maybe=None if i % 2 else "x") for i in range(1, 5)]

    @strawberry.field(description="Thing 2, whose `strict` is null: the error propagates.")
    def strict_thing(self) -> Thing | None:
        return Thing(n=2, maybe=None)


DOC = "{ things { n maybe label colour strict fails count later } strictThing { n strict } }"


class Seen(SchemaExtension):
    """A schema extension wrapping every resolver (graphql-core middleware)."""

    fields: ClassVar[list[str]] = []

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, **kwargs: Any) -> Any:
        Seen.fields.append(info.field_name)
        return _next(root, info, **kwargs)


def _schema(executor: type | None, extensions: list[Any] | None = None) -> strawberry.Schema:
    schema = strawberry.Schema(
        query=Root, execution_context_class=executor, extensions=extensions or []
    )
    direct_resolvers(schema)
    return schema


def _run(schema: strawberry.Schema) -> tuple[Any, list[tuple[str, Any, Any]]]:
    async def go() -> Any:
        return await schema.execute(DOC)

    result = anyio.run(go)
    errors = [(e.message, e.path, e.locations) for e in result.errors or []]
    return result.data, sorted(errors, key=str)


def test_short_path_answers_and_errors_as_graphql_core() -> None:
    data, errors = _run(_schema(Executor))
    assert (data, errors) == _run(_schema(StrawberryGraphQLCoreExecutionContext))
    assert data == {
        "things": [
            {
                "n": i,
                "maybe": None if i % 2 else "x",
                "label": f"thing {i}",
                "colour": "RED",
                "strict": "ok",
                "fails": None if i == 3 else "fine",
                "count": i,
                "later": f"later {i}",
            }
            if i not in (2, 4)
            else None  # a non-null leaf failed: the item is nulled
            for i in range(1, 5)
        ],
        "strictThing": None,
    }
    assert [(m, p) for m, p, _ in errors] == [
        ("Int cannot represent non-integer value: 'many'", ["things", 3, "count"]),
        ("Cannot return null for non-nullable field Thing.strict.", ["strictThing", "strict"]),
        ("Cannot return null for non-nullable field Thing.strict.", ["things", 1, "strict"]),
        ("boom at 3", ["things", 2, "fails"]),
    ]


def test_the_short_path_is_taken() -> None:
    schema = _schema(Executor)
    calls: list[str] = []
    real = Executor.build_resolve_info

    def counting(self: Executor, field_def: Any, nodes: Any, parent: Any, path: Any) -> Any:
        calls.append(f"{parent.name}.{nodes[0].name.value}")
        return real(self, field_def, nodes, parent, path)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Executor, "build_resolve_info", counting)
        _run(schema)
    # Only what is not a plain leaf builds an info: the lists and objects, and a plain
    # method's awaitable (completed the long way); things 2 and 4 stop at their failed
    # non-null leaf, before `later`, as graphql-core stops.
    assert sorted(calls) == ["Root.strictThing", "Root.things", "Thing.later", "Thing.later"]


def test_middleware_still_sees_every_field() -> None:
    Seen.fields = []
    _run(_schema(Executor, [Seen]))
    short = sorted(Seen.fields)
    Seen.fields = []
    _run(_schema(StrawberryGraphQLCoreExecutionContext, [Seen]))
    assert short == sorted(Seen.fields)
    assert short.count("label") == 4


@pytest.fixture
def long_path_api(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The same app with graphql-core's executor (the direct resolvers kept)."""
    real = gql_api.schema.build_schema

    def long_path(production: bool = False, fast: bool = True) -> Any:
        schema = real(production, fast)
        schema.execution_context_class = StrawberryGraphQLCoreExecutionContext
        return schema

    monkeypatch.setattr(gql_api.schema, "build_schema", long_path)
    monkeypatch.setattr("gql_api.app.build_schema", long_path)
    yield from make_api(api.store, tmp_path / "long")


@pytest.mark.parametrize("role", [None, "admin"])
def test_the_api_answers_as_with_graphql_cores_executor(
    api: Api, long_path_api: Api, role: str | None
) -> None:
    short = api.gql(Q, role=role)
    assert short == long_path_api.gql(Q, role=role)
    assert len(short["data"]["reviews"]["edges"]) == (4 if role == "admin" else 2)
