"""Board: a Local Safeguarding Children Board or, since 2019, a safeguarding partnership."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from gql_api.connection import (
    After,
    Descending,
    First,
    Page,
    PageInfo,
    ReviewFilterArg,
    resolve_page,
)
from gql_api.context import Context
from gql_api.enums import BoardKind, member
from gql_api.node import Node, opt_int, opt_str
from gql_api.sorting import ReviewSort, sort_field
from graph_schema import Label

if TYPE_CHECKING:
    from gql_api.review import ReviewConnection


@strawberry.type(
    description="A Local Safeguarding Children Board (LSCB) or, since the 2019 reforms, a local safeguarding partnership: the body that commissions reviews."
)
class Board(Node):
    LABEL: ClassVar[Label] = Label.BOARD

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

    @strawberry.field(description="Reviews the board commissioned that you may see.")
    async def reviews(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: ReviewFilterArg = None,
        sort: Annotated[ReviewSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> Annotated[ReviewConnection, strawberry.lazy("gql_api.review")]:
        from gql_api.review import ReviewConnection

        page = await resolve_page(
            info.context,
            Label.REVIEW,
            edge="board.reviews",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return ReviewConnection.of(page)

    @strawberry.field(description="Boards that succeeded this one (the 2019 reform).")
    async def successors(self, info: strawberry.Info[Context, None]) -> list[Board]:
        rows = await info.context.neighbours("board.successors").load(self.ident())
        return [Board(props=r["node"]) for r in rows]

    @strawberry.field(description="Boards this one succeeded.")
    async def predecessors(self, info: strawberry.Info[Context, None]) -> list[Board]:
        rows = await info.context.neighbours("board.predecessors").load(self.ident())
        return [Board(props=r["node"]) for r in rows]


@strawberry.type(description="An edge to a board in a connection.")
class BoardEdge:
    node: Board = strawberry.field(description="The board.")
    cursor: str = strawberry.field(description="Where this edge sits; pass it as `after`.")


@strawberry.type(description="A page of boards.")
class BoardConnection:
    edges: list[BoardEdge] = strawberry.field(description="The boards on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many boards match, on all pages.")

    @classmethod
    def of(cls, page: Page) -> BoardConnection:
        return cls(
            edges=[
                BoardEdge(node=Board(props=r), cursor=c)
                for r, c in zip(page.rows, page.cursors(), strict=True)
            ],
            page_info=page.page_info,
            total_count=page.total,
        )
