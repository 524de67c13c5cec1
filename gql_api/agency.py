"""Agency: an organisation or role recommendations are addressed to."""

from __future__ import annotations

from gql_api.entity import connection_types, entity_type
from gql_api.node import Node
from graph_schema import Label


@entity_type(Label.AGENCY)
class Agency(Node):
    """Its description, property and edge fields: graph_schema's Agency entity."""


AgencyEdge, AgencyConnection = connection_types(Agency)
