"""Theme: a theme from the controlled, versioned taxonomy."""

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
    RecommendationFilterArg,
    ReviewFilterArg,
    resolve_page,
)
from gql_api.context import Context
from gql_api.enums import ThemeCategory, ThemeKind, member
from gql_api.node import Node, opt_int, opt_str
from gql_api.sorting import RecommendationSort, ReviewSort, sort_field
from graph_schema import Label

if TYPE_CHECKING:
    from gql_api.recommendation import RecommendationConnection
    from gql_api.review import ReviewConnection


@strawberry.type(
    description="A theme from the controlled, versioned taxonomy: what a review or recommendation is about."
)
class Theme(Node):
    LABEL: ClassVar[Label] = Label.THEME

    @strawberry.field(description="Readable label.")
    def label(self) -> str:
        return str(self.props.get("label", ""))

    @strawberry.field(description="Category: practice, process, learning or policy.")
    def category(self) -> ThemeCategory:
        return member(ThemeCategory, self.props.get("category"))

    @strawberry.field(description="Kind: practice, barrier or enabler.")
    def kind(self) -> ThemeKind:
        return member(ThemeKind, self.props.get("kind"))

    @strawberry.field(description="What the theme covers.")
    def description(self) -> str | None:
        return opt_str(self.props, "description")

    @strawberry.field(description="Phrases that signal the theme in text.")
    def signals(self) -> list[str]:
        return [str(s) for s in self.props.get("signals") or []]

    @strawberry.field(description="Taxonomy version.")
    def taxonomy_version(self) -> int | None:
        return opt_int(self.props, "taxonomy_version")

    @strawberry.field(description="Reviews raising the theme that you may see.")
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
            edge="theme.reviews",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return ReviewConnection.of(page)

    @strawberry.field(description="Recommendations about the theme that you may see.")
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
            edge="theme.recommendations",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return RecommendationConnection.of(page)

    @strawberry.field(description="Broader themes this one is part of.")
    async def broader(self, info: strawberry.Info[Context, None]) -> list[Theme]:
        rows = await info.context.neighbours("theme.broader").load(self.ident())
        return [Theme(props=r["node"]) for r in rows]

    @strawberry.field(description="Narrower themes under this one.")
    async def narrower(self, info: strawberry.Info[Context, None]) -> list[Theme]:
        rows = await info.context.neighbours("theme.narrower").load(self.ident())
        return [Theme(props=r["node"]) for r in rows]


@strawberry.type(description="An edge to a theme in a connection.")
class ThemeEdge:
    node: Theme = strawberry.field(description="The theme.")
    cursor: str = strawberry.field(description="Where this edge sits; pass it as `after`.")
    evidence: str | None = strawberry.field(
        default=None,
        description="Phrase or score that tagged the theme, where the edge links a tagged item.",
    )


@strawberry.type(description="A page of themes.")
class ThemeConnection:
    edges: list[ThemeEdge] = strawberry.field(description="The themes on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many themes match, on all pages.")

    @classmethod
    def of(cls, page: Page) -> ThemeConnection:
        return cls(
            edges=[
                ThemeEdge(
                    node=Theme(props=r),
                    cursor=c,
                    evidence=None if rel.get("evidence") is None else str(rel["evidence"]),
                )
                for r, rel, c in zip(page.rows, page.rels, page.cursors(), strict=True)
            ],
            page_info=page.page_info,
            total_count=page.total,
        )
