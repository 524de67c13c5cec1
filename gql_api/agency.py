"""Agency: an organisation or role recommendations are addressed to."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from gql_api.connection import (
    ActionFilterArg,
    After,
    Descending,
    First,
    Page,
    PageInfo,
    RecommendationFilterArg,
    resolve_one,
    resolve_page,
)
from gql_api.context import Context
from gql_api.enums import SectorKey, member
from gql_api.node import Node
from gql_api.sorting import ActionSort, RecommendationSort, sort_field
from graph_schema import Label

if TYPE_CHECKING:
    from gql_api.action import ActionConnection
    from gql_api.recommendation import RecommendationConnection
    from gql_api.sector import Sector


@strawberry.type(
    description="An organisation or role that recommendations are addressed to and that owns actions."
)
class Agency(Node):
    LABEL: ClassVar[Label] = Label.AGENCY

    @strawberry.field(description="Name.")
    def name(self) -> str:
        return str(self.props.get("name", ""))

    @strawberry.field(description="Key of its sector.")
    def sector_key(self) -> SectorKey:
        return member(SectorKey, self.props.get("sector"))

    @strawberry.field(description="Recommendations addressed to the agency that you may see.")
    async def recommendations(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: RecommendationFilterArg = None,
        sort: Annotated[
            RecommendationSort | None, strawberry.argument(description="Sort field.")
        ] = None,
        descending: Descending = False,
    ) -> Annotated[RecommendationConnection, strawberry.lazy("gql_api.recommendation")]:
        from gql_api.recommendation import RecommendationConnection

        page = await resolve_page(
            info.context,
            Label.RECOMMENDATION,
            edge="agency.recommendations",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return RecommendationConnection.of(page)

    @strawberry.field(description="Actions the agency owns that you may see.")
    async def actions(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: ActionFilterArg = None,
        sort: Annotated[ActionSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> Annotated[ActionConnection, strawberry.lazy("gql_api.action")]:
        from gql_api.action import ActionConnection

        page = await resolve_page(
            info.context,
            Label.ACTION,
            edge="agency.actions",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return ActionConnection.of(page)

    @strawberry.field(description="The agency's sector.")
    async def sector(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Sector, strawberry.lazy("gql_api.sector")] | None:
        from gql_api.sector import Sector

        row = await resolve_one(info.context, "agency.sector", self.ident())
        return None if row is None else Sector(props=row)


@strawberry.type(description="An edge to an agency in a connection.")
class AgencyEdge:
    node: Agency = strawberry.field(description="The agency.")
    cursor: str = strawberry.field(description="Where this edge sits; pass it as `after`.")


@strawberry.type(description="A page of agencies.")
class AgencyConnection:
    edges: list[AgencyEdge] = strawberry.field(description="The agencies on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many agencies match, on all pages.")

    @classmethod
    def of(cls, page: Page) -> AgencyConnection:
        return cls(
            edges=[
                AgencyEdge(node=Agency(props=r), cursor=c)
                for r, c in zip(page.rows, page.cursors(), strict=True)
            ],
            page_info=page.page_info,
            total_count=page.total,
        )
