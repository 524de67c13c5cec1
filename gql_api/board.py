"""Board: a Local Safeguarding Children Board or, since 2019, a safeguarding partnership."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from gql_api.entity import connection_types, entity_type, prop_field
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.BOARD,
    "A Local Safeguarding Children Board (LSCB) or, since the 2019 reforms, a local safeguarding partnership: the body that commissions reviews.",
)
class Board(Node):
    name = prop_field(Label.BOARD, "name")
    kind = prop_field(
        Label.BOARD,
        "kind",
        "`lscb`, `partnership`, or `coroner_area` (the area of the coroner who wrote a PFD report).",
    )
    region = prop_field(Label.BOARD, "region")
    established_year = prop_field(Label.BOARD, "established_year")
    ended_year = prop_field(Label.BOARD, "ended_year")


BoardEdge, BoardConnection = connection_types(Board)
