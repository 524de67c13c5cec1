"""Board: a Local Safeguarding Children Board or, since 2019, a safeguarding partnership."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.entity import connection_types, entity_type
from gql_api.enums import BoardKind, member
from gql_api.node import Node, opt_int, opt_str
from graph_schema import Label


@entity_type(
    Label.BOARD,
    "A Local Safeguarding Children Board (LSCB) or, since the 2019 reforms, a local safeguarding partnership: the body that commissions reviews.",
)
class Board(Node):
    @strawberry.field(description="Board name (invented in synthetic data).")
    def name(self) -> str:
        return str(self.props.get("name", ""))

    @strawberry.field(
        description="`lscb`, `partnership`, or `coroner_area` (the area of the coroner who wrote a PFD report)."
    )
    def kind(self) -> BoardKind:
        return member(BoardKind, self.props.get("kind"))

    @strawberry.field(description="Region of England.")
    def region(self) -> str | None:
        return opt_str(self.props, "region")

    @strawberry.field(description="Year the board began.")
    def established_year(self) -> int | None:
        return opt_int(self.props, "established_year")

    @strawberry.field(description="Year the board ended, if it did.")
    def ended_year(self) -> int | None:
        return opt_int(self.props, "ended_year")


BoardEdge, BoardConnection = connection_types(Board)
