"""graph_schema's entity graph agrees with the model, and the API is built from it."""

from __future__ import annotations

import dataclasses
from typing import Any, Final

import pytest
import strawberry
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    get_named_type,
)

from gql_api.entity import entity_type, node_type
from gql_api.filters import FILTERS
from gql_api.node import Node
from gql_api.schema import build_schema
from graph_schema import (
    EDGES,
    ENTITIES,
    SORT_FIELDS,
    ClosedSet,
    Entity,
    Filter,
    Label,
    Prop,
    Shape,
    edges_from,
    node_spec,
    rel_spec,
)
from graph_schema import entity as declared
from queries.entities import FILTER_KEYS, EntityQueryError, list_args

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


def test_each_type_shows_its_declared_properties_in_order_then_its_edges() -> None:
    for entity in ENTITIES:
        node = node_spec(entity.label)
        owner = SCHEMA.type_map[entity.label.value]
        assert isinstance(owner, GraphQLObjectType)
        assert owner.description == entity.description
        listed = {f.prop for f in entity.fields}
        rest = [p.name for p in node.props if p.name not in listed | entity.hidden]
        edges = [name for name, _ in edges_from(entity.label)]
        names = [f.api_name for f in entity.fields] + rest + edges
        assert list(owner.fields) == ["id", "key"] + [_camel(n) for n in names]
        for f in entity.fields:
            if f.computed:
                continue
            p = node.prop(f.prop)
            assert p is not None, (entity.label, f.prop)
            got = owner.fields[_camel(f.api_name)]
            assert got.description == (f.description or p.description)
            assert isinstance(got.type, GraphQLNonNull) == (p.required or p.type == "list[str]")


def test_no_entity_keeps_internal_what_its_label_lacks_nor_lists_it_twice() -> None:
    for entity in ENTITIES:
        props = node_spec(entity.label).prop_names
        stored = [f.prop for f in entity.fields if not f.computed]
        assert set(stored) <= props and set(entity.internal) <= props, entity.label
        assert len(set(stored)) == len(stored) and not set(stored) & entity.hidden


def test_a_new_property_is_one_edit_a_prop_in_the_model() -> None:
    """Built from a copy of the model with one property more (and the entity's declaration
    untouched), the type shows it, after the declared ones, with its description and type;
    one more kept `internal` stays out."""
    sector = node_spec(Label.SECTOR)
    added = Prop("founded_year", "int", True, "Year the sector was first named (a test's).")
    secret = Prop("note", "str", False, "Kept out of the API.")
    node = dataclasses.replace(sector, props=(*sector.props, added, secret))
    spec = dataclasses.replace(declared(Label.SECTOR), internal=("note",))

    @entity_type(Label.SECTOR, spec, node)
    class ProbeSector(Node):
        """A Sector built from the changed copy."""

    @strawberry.type(description="A query that only carries the probe's type.")
    class Probe:
        ok: bool = strawberry.field(default=True, description="Always true.")

    probe = strawberry.Schema(query=Probe, types=[ProbeSector])._schema.type_map["ProbeSector"]
    assert isinstance(probe, GraphQLObjectType)
    assert list(probe.fields) == ["id", "key", "label", "foundedYear", "agencies"]
    field = probe.fields["foundedYear"]
    assert field.description == "Year the sector was first named (a test's)."
    assert str(field.type) == "Int!"
    assert node_type(Label.SECTOR).__name__ == "Sector"  # the real type stays registered
    assert "foundedYear" not in SCHEMA.type_map["Sector"].fields  # type: ignore[attr-defined]


def _sample(f: Filter) -> Any:
    if isinstance(f.type, ClosedSet):
        return f.type.values[0]
    return {"int": 2020, "str": "x", "date": "2020-01-31"}[f.type]


# Filters the list query takes that the API's input does not offer (none now: an audit's
# year range is offered beside its `dateFrom`/`dateTo`).
_QUERY_ONLY: Final[dict[Label, set[str]]] = {}


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.label.value)
def test_the_list_query_takes_the_declared_filters(entity: Entity) -> None:
    for f in entity.filters:
        args = list_args({"label": entity.label.value, "filter": {f.query_key: _sample(f)}})
        assert set(args.filters) == {f.query_key}
    taken = set()
    for key in FILTER_KEYS:
        value = 2020 if key.startswith("year") else "2020-01-31"
        try:
            list_args({"label": entity.label.value, "filter": {key: value}})
        except EntityQueryError as e:
            assert "do not apply" in str(e)
        else:
            taken.add(key)
    declared = {f.query_key for f in entity.filters}
    assert taken - declared == _QUERY_ONLY.get(entity.label, set())


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.label.value)
def test_the_filter_input_is_built_from_the_declaration(entity: Entity) -> None:
    got = SCHEMA.type_map[f"{entity.label.value}Filter"]
    assert isinstance(got, GraphQLInputObjectType)
    assert got.description == entity.filter_description
    assert list(got.fields) == [_camel(f.name) for f in entity.filters]
    for f in entity.filters:
        field = got.fields[_camel(f.name)]
        assert field.description == f.description
        expected = f.type.name if isinstance(f.type, ClosedSet) else _SCALAR[f.type]
        assert str(field.type) == expected  # optional, of the declared value
    made = FILTERS[entity.label](**{f.name: None for f in entity.filters})
    assert made.as_params() == {}
    assert {f.name: f.key for f in entity.filters if f.key} == made.RENAMED
    assert {f.name: f.vocabulary for f in entity.filters if f.vocabulary} == made.VOCABULARY


_SCALAR: Final = {"int": "Int", "str": "String", "date": "String"}


def test_filter_values_reach_the_query_under_its_keys() -> None:
    made = FILTERS[Label.ACTION](owner="ag-1", overdue_as_of="2024-05-01", year_from=2020)  # type: ignore[call-arg]
    assert made.as_params() == {"agency": "ag-1", "overdue_as_of": "2024-05-01", "year_from": 2020}
    assert made.keys() == [
        ("filter.owner", Label.AGENCY, "ag-1"),
        ("filter.board", Label.BOARD, None),
        ("filter.theme", Label.THEME, None),
        ("filter.sector", Label.SECTOR, None),
    ]
