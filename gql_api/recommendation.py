"""Recommendation: a numbered recommendation made by a review."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from gql_api.connection import (
    ActionFilterArg,
    After,
    AgencyFilterArg,
    Descending,
    First,
    Page,
    PageInfo,
    RecommendationFilterArg,
    ThemeFilterArg,
    resolve_one,
    resolve_page,
)
from gql_api.context import Context
from gql_api.enums import (
    ImpactVerdict,
    RecommendationLevel,
    RecommendationStatus,
    ReviewState,
    member,
    opt_member,
)
from gql_api.node import Node, opt_int, opt_str
from gql_api.sorting import ActionSort, AgencySort, RecommendationSort, ThemeSort, sort_field
from graph_schema import Label
from queries.trace import impact_verdict

if TYPE_CHECKING:
    from gql_api.action import ActionConnection
    from gql_api.agency import AgencyConnection
    from gql_api.review import Review
    from gql_api.theme import ThemeConnection


@strawberry.type(
    description="A numbered recommendation in a review, addressed to one or more agencies or to the board itself."
)
class Recommendation(Node):
    LABEL: ClassVar[Label] = Label.RECOMMENDATION

    @strawberry.field(description="Number as printed in the review.")
    def number(self) -> str:
        return str(self.props.get("number", ""))

    @strawberry.field(description="Full text.")
    def text(self) -> str:
        return str(self.props.get("text", ""))

    @strawberry.field(
        description="Level addressed: national, board, single_agency or multi_agency."
    )
    def level(self) -> RecommendationLevel | None:
        return opt_member(RecommendationLevel, self.props.get("level"))

    @strawberry.field(description="Lifecycle status (NTSB-style: open or closed, and how).")
    def status(self) -> RecommendationStatus:
        return member(RecommendationStatus, self.props.get("status"))

    @strawberry.field(
        description="Impact verdict from the audits of its actions in time order (as "
        "`traceRecommendation` gives it): not_audited without audits; slipped_back when the "
        "latest audit is not `embedded` but an earlier one was; else the latest rating."
    )
    async def verdict(self, info: strawberry.Info[Context, None]) -> ImpactVerdict:
        ctx = info.context
        actions = await ctx.neighbours("recommendation.actions").load(self.ident())
        keys = [str(a["node"]["id"]) for a in actions]
        audits = [
            a["node"] for per in await ctx.neighbours("action.audits").load_many(keys) for a in per
        ]
        audits.sort(key=lambda a: (str(a.get("date") or ""), str(a.get("id") or "")))
        return member(ImpactVerdict, impact_verdict([str(a.get("rating")) for a in audits]))

    @strawberry.field(description="Year of the review.")
    def year(self) -> int | None:
        return opt_int(self.props, "year")

    @strawberry.field(description="Key of the review's board.")
    def board_key(self) -> str | None:
        return opt_str(self.props, "board_id")

    @strawberry.field(description="Key of the review that makes it.")
    def review_key(self) -> str:
        return str(self.props.get("review_id", ""))

    @strawberry.field(description="Where in the document (line or page).")
    def location(self) -> str | None:
        return opt_str(self.props, "location")

    @strawberry.field(
        description="How sure the document reader was of it, 0 to 1 (null when it was not "
        "read from a document)."
    )
    def confidence(self) -> float | None:
        v = self.props.get("confidence")
        return None if v is None else float(v)

    @strawberry.field(
        description="Why: the layout that matched, the heading it was under, what lowered it."
    )
    def confidence_reasons(self) -> list[str]:
        return [str(r) for r in self.props.get("confidence_reasons") or []]

    @strawberry.field(
        description="Where it stands in the review queue (null: never queued nor decided)."
    )
    def review_state(self) -> ReviewState | None:
        return opt_member(ReviewState, self.props.get("review_state"))

    @strawberry.field(
        description="Date a response is owed by (ISO): a coroner's PFD report's receivers owe "
        "one within 56 days of the report's date. Null when none is owed by a date."
    )
    def response_due(self) -> str | None:
        return opt_str(self.props, "response_due")

    @strawberry.field(description="Date the response was received (ISO), once recorded.")
    def response_date(self) -> str | None:
        return opt_str(self.props, "response_date")

    @strawberry.field(description="What the response said, in short, once recorded.")
    def response_summary(self) -> str | None:
        return opt_str(self.props, "response_summary")

    @strawberry.field(description="Agencies the recommendation is addressed to.")
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
            edge="recommendation.agencies",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return AgencyConnection.of(page)

    @strawberry.field(description="Themes the recommendation is about.")
    async def themes(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: ThemeFilterArg = None,
        sort: Annotated[ThemeSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> Annotated[ThemeConnection, strawberry.lazy("gql_api.theme")]:
        from gql_api.theme import ThemeConnection

        page = await resolve_page(
            info.context,
            Label.THEME,
            edge="recommendation.themes",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return ThemeConnection.of(page)

    @strawberry.field(description="Action-plan items answering it.")
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
            edge="recommendation.actions",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return ActionConnection.of(page)

    @strawberry.field(
        description="Near-identical recommendations made elsewhere (edge `similarity` gives the score)."
    )
    async def similar(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: RecommendationFilterArg = None,
        sort: Annotated[
            RecommendationSort | None, strawberry.argument(description="Sort field.")
        ] = None,
        descending: Descending = False,
    ) -> RecommendationConnection:
        page = await resolve_page(
            info.context,
            Label.RECOMMENDATION,
            edge="recommendation.similar",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return RecommendationConnection.of(page)

    @strawberry.field(description="The review that makes it.")
    async def review(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Review, strawberry.lazy("gql_api.review")] | None:
        from gql_api.review import Review

        row = await resolve_one(info.context, "recommendation.review", self.ident())
        return None if row is None else Review(props=row)


@strawberry.type(description="An edge to a recommendation in a connection.")
class RecommendationEdge:
    node: Recommendation = strawberry.field(description="The recommendation.")
    cursor: str = strawberry.field(description="Where this edge sits; pass it as `after`.")
    similarity: float | None = strawberry.field(
        default=None,
        description="Similarity score (0 to 1) where the edge links similar recommendations.",
    )


@strawberry.type(description="A page of recommendations.")
class RecommendationConnection:
    edges: list[RecommendationEdge] = strawberry.field(
        description="The recommendations on this page."
    )
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many recommendations match, on all pages.")

    @classmethod
    def of(cls, page: Page) -> RecommendationConnection:
        return cls(
            edges=[
                RecommendationEdge(
                    node=Recommendation(props=r),
                    cursor=c,
                    similarity=float(rel["score"]) if rel.get("score") is not None else None,
                )
                for r, rel, c in zip(page.rows, page.rels, page.cursors(), strict=True)
            ],
            page_info=page.page_info,
            total_count=page.total,
        )
