"""Agency: an organisation or role recommendations are addressed to."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from gql_api.entity import connection_types, entity_type, prop_field
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.AGENCY,
    "An organisation or role that recommendations are addressed to and that owns actions.",
)
class Agency(Node):
    name = prop_field(Label.AGENCY, "name")
    sector_key = prop_field(Label.AGENCY, "sector", "Key of its sector.")


AgencyEdge, AgencyConnection = connection_types(Agency)
