"""Theme: a theme from the controlled, versioned taxonomy."""

from __future__ import annotations

from gql_api.entity import connection_types, entity_type
from gql_api.node import Node
from graph_schema import Label


@entity_type(Label.THEME)
class Theme(Node):
    """Its description, property and edge fields: graph_schema's Theme entity."""


ThemeEdge, ThemeConnection = connection_types(Theme)
