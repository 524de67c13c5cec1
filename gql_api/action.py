"""Action: an action-plan item answering a recommendation."""

from __future__ import annotations

from gql_api.entity import connection_types, entity_type
from gql_api.node import Node
from graph_schema import Label


@entity_type(Label.ACTION)
class Action(Node):
    """Its description, property and edge fields: graph_schema's Action entity."""


ActionEdge, ActionConnection = connection_types(Action)
