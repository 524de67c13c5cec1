"""Sector: a sector of agencies (health, police, education, ...)."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from gql_api.entity import connection_types, entity_type, prop_field
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.SECTOR,
    "A sector of agencies: health, police, children's social care, education, and so on.",
)
class Sector(Node):
    label = prop_field(Label.SECTOR, "label")


SectorEdge, SectorConnection = connection_types(Sector)
