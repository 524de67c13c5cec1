"""Board: a Local Safeguarding Children Board or, since 2019, a safeguarding partnership."""

from __future__ import annotations

from gql_api.entity import connection_types, entity_type
from gql_api.node import Node
from graph_schema import Label


@entity_type(Label.BOARD)
class Board(Node):
    """Its description, property and edge fields: graph_schema's Board entity."""


BoardEdge, BoardConnection = connection_types(Board)
