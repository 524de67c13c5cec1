"""The committed schema.graphql equals the code's schema, and everything is described."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)

from gql_api.schema import SCHEMA_FILE, build_schema, schema_sdl


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_sdl(), (
        "schema.graphql is stale: run `python -m gql_api.schema` and commit it"
    )


def test_every_type_field_and_argument_has_a_description() -> None:
    schema = build_schema()._schema
    missing: list[str] = []
    for name, t in schema.type_map.items():
        if name.startswith("__") or (
            isinstance(t, GraphQLScalarType) and name in ("String", "Int", "Float", "Boolean", "ID")
        ):
            continue
        if not t.description:
            missing.append(name)
        if isinstance(t, GraphQLObjectType | GraphQLInterfaceType):
            for fname, f in t.fields.items():
                if not f.description:
                    missing.append(f"{name}.{fname}")
                for aname, a in f.args.items():
                    if not a.description:
                        missing.append(f"{name}.{fname}({aname})")
        elif isinstance(t, GraphQLInputObjectType):
            for fname, f in t.fields.items():
                if not f.description:
                    missing.append(f"{name}.{fname}")
        elif isinstance(t, GraphQLEnumType):
            for vname, v in t.values.items():
                if not v.description:
                    missing.append(f"{name}.{vname}")
        elif isinstance(t, GraphQLUnionType):
            pass
    assert not missing, f"undescribed: {missing}"


def test_introspection_finds_no_json_scalar() -> None:
    """Every answer is a typed object: no untyped `JSON` (or any custom) scalar is left."""
    from graphql import get_introspection_query, graphql_sync

    result = graphql_sync(build_schema()._schema, get_introspection_query())
    assert result.errors is None
    scalars = sorted(t["name"] for t in result.data["__schema"]["types"] if t["kind"] == "SCALAR")  # type: ignore[index]
    assert scalars == ["Boolean", "Float", "ID", "Int", "String"]
