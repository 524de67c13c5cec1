"""Audit: a check of whether an action's change is embedded in practice."""

from __future__ import annotations

from gql_api.entity import connection_types, entity_type
from gql_api.node import Node
from graph_schema import Label


@entity_type(Label.AUDIT)
class Audit(Node):
    """Its description, property and edge fields: graph_schema's Audit entity."""


AuditEdge, AuditConnection = connection_types(Audit)
