"""graph_schema's entity graph agrees with the model, and the API is built from it."""

from __future__ import annotations

import pytest
from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type

from gql_api.schema import build_schema
from graph_schema import EDGES, ENTITIES, SORT_FIELDS, Entity, Shape, node_spec, rel_spec

SCHEMA = build_schema()._schema


@pytest.mark.parametrize("name", list(EDGES))
def test_an_edge_walks_its_relationship_between_its_labels(name: str) -> None:
    e = EDGES[name]
    rel = rel_spec(e.rel)
    assert (rel.start, rel.end) == ((e.start, e.end) if e.outgoing else (e.end, e.start))
    assert name.partition(".")[0] == e.start.value.lower()
    assert (e.shape == Shape.HIDDEN) == (e.description == "")


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.label.value)
def test_sort_fields_and_edge_props_are_declared_properties(entity: Entity) -> None:
    props = node_spec(entity.label).prop_names
    assert set(SORT_FIELDS[entity.label]) <= props
    assert SORT_FIELDS[entity.label][0] == entity.sorts[0].field
    for p in entity.edge_props:
        into = [
            rel_spec(e.rel)
            for e in EDGES.values()
            if e.end == entity.label and e.shape == Shape.PAGE
        ]
        assert any(p.prop in {q.name for q in r.props} for r in into), p


def test_the_api_answers_every_edge_as_declared() -> None:
    types = SCHEMA.type_map
    for name, e in EDGES.items():
        owner = types[e.start.value]
        assert isinstance(owner, GraphQLObjectType)
        field = owner.fields.get(_camel(name.partition(".")[2]))
        if e.shape == Shape.HIDDEN:
            assert field is None, name
            continue
        assert field is not None, name
        assert field.description == e.description
        named = get_named_type(field.type).name
        if e.shape == Shape.PAGE:
            assert named == f"{e.end.value}Connection"
            assert list(field.args) == ["first", "after", "filter", "sort", "descending"]
        elif e.shape == Shape.ONE:
            assert named == e.end.value and not isinstance(field.type, GraphQLNonNull)
        else:
            assert isinstance(field.type, GraphQLNonNull)
            assert isinstance(field.type.of_type, GraphQLList) and named == e.end.value


def test_sort_enums_and_list_fields_come_from_the_entities() -> None:
    schema = SCHEMA
    query = schema.query_type
    assert query is not None
    for entity in ENTITIES:
        enum = schema.type_map[f"{entity.label.value}Sort"]
        assert [v.value for v in enum.values.values()] == [s.field for s in entity.sorts]  # type: ignore[attr-defined]
        field = query.fields[entity.plural]
        assert get_named_type(field.type).name == f"{entity.label.value}Connection"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.title() for w in rest)
