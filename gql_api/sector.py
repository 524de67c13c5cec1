"""Sector: a sector of agencies (health, police, education, ...)."""

from __future__ import annotations

from gql_api.entity import connection_types, entity_type
from gql_api.node import Node
from graph_schema import Label


@entity_type(Label.SECTOR)
class Sector(Node):
    """Its description, property and edge fields: graph_schema's Sector entity."""


SectorEdge, SectorConnection = connection_types(Sector)
