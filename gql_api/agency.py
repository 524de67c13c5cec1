"""Agency: an organisation or role recommendations are addressed to."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.entity import connection_types, entity_type
from gql_api.enums import SectorKey, member
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.AGENCY,
    "An organisation or role that recommendations are addressed to and that owns actions.",
)
class Agency(Node):
    @strawberry.field(description="Name.")
    def name(self) -> str:
        return str(self.props.get("name", ""))

    @strawberry.field(description="Key of its sector.")
    def sector_key(self) -> SectorKey:
        return member(SectorKey, self.props.get("sector"))


AgencyEdge, AgencyConnection = connection_types(Agency)
