"""Review: a case review (SCR, LCSPR, thematic, rapid, national, ...) or a coroner's PFD report."""

from __future__ import annotations

from gql_api.entity import connection_types, entity_type
from gql_api.node import Node
from graph_schema import Label


@entity_type(Label.REVIEW)
class Review(Node):
    """Its description, property and edge fields: graph_schema's Review entity."""


ReviewEdge, ReviewConnection = connection_types(Review)
