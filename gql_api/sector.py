"""Sector: a sector of agencies (health, police, education, ...)."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from gql_api.connection import (
    After,
    AgencyFilterArg,
    Descending,
    First,
    Page,
    PageInfo,
    resolve_page,
)
from gql_api.context import Context
from gql_api.node import Node
from gql_api.sorting import AgencySort, sort_field
from graph_schema import Label

if TYPE_CHECKING:
    from gql_api.agency import AgencyConnection


@strawberry.type(
    description="A sector of agencies: health, police, children's social care, education, and so on."
)
class Sector(Node):
    LABEL: ClassVar[Label] = Label.SECTOR

    @strawberry.field(description="Readable name.")
    def label(self) -> str:
        return str(self.props.get("label", ""))

    @strawberry.field(description="Agencies in the sector.")
    async def agencies(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: AgencyFilterArg = None,
        sort: Annotated[AgencySort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> Annotated[AgencyConnection, strawberry.lazy("gql_api.agency")]:
        from gql_api.agency import AgencyConnection

        page = await resolve_page(
            info.context,
            Label.AGENCY,
            edge="sector.agencies",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return AgencyConnection.of(page)


@strawberry.type(description="An edge to a sector in a connection.")
class SectorEdge:
    node: Sector = strawberry.field(description="The sector.")
    cursor: str = strawberry.field(description="Where this edge sits; pass it as `after`.")


@strawberry.type(description="A page of sectors.")
class SectorConnection:
    edges: list[SectorEdge] = strawberry.field(description="The sectors on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many sectors match, on all pages.")

    @classmethod
    def of(cls, page: Page) -> SectorConnection:
        return cls(
            edges=[
                SectorEdge(node=Sector(props=r), cursor=c)
                for r, c in zip(page.rows, page.cursors(), strict=True)
            ],
            page_info=page.page_info,
            total_count=page.total,
        )
