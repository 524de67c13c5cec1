"""Entity reads at the top level: `node(id)` and one filtered, sorted list per type."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Annotated

import strawberry

from gql_api.action import Action, ActionConnection
from gql_api.agency import Agency, AgencyConnection
from gql_api.aggregates import (
    RecommendationCounts,
    RecommendationDimension,
    ReviewCounts,
    ReviewDimension,
    counts,
)
from gql_api.audit import Audit, AuditConnection
from gql_api.board import Board, BoardConnection
from gql_api.connection import (
    ActionFilterArg,
    After,
    AgencyFilterArg,
    AuditFilterArg,
    BoardFilterArg,
    Descending,
    First,
    RecommendationFilterArg,
    ReviewFilterArg,
    SectorFilterArg,
    ThemeFilterArg,
    lookahead,
    node_fields,
    parse_global_id,
    prime,
    resolve_page,
    wanted,
)
from gql_api.context import Context
from gql_api.node import Node
from gql_api.recommendation import Recommendation, RecommendationConnection
from gql_api.review import Review, ReviewConnection
from gql_api.sector import Sector, SectorConnection
from gql_api.sorting import (
    ActionSort,
    AgencySort,
    AuditSort,
    BoardSort,
    RecommendationSort,
    ReviewSort,
    SectorSort,
    ThemeSort,
    sort_field,
)
from gql_api.theme import Theme, ThemeConnection
from graph_schema import Label

_TYPES: dict[Label, type[Node]] = {
    Label.BOARD: Board,
    Label.REVIEW: Review,
    Label.RECOMMENDATION: Recommendation,
    Label.AGENCY: Agency,
    Label.SECTOR: Sector,
    Label.THEME: Theme,
    Label.ACTION: Action,
    Label.AUDIT: Audit,
}


@strawberry.type(description="Read the graph: entities by id and as lists.")
class EntityQuery:
    @strawberry.field(
        description="Anything by its global id (`Label:key`). Null if absent or not visible to "
        "you, alike (the Relay convention for `node`); the analytics that take one id, such as "
        "`traceRecommendation`, answer a NOT_FOUND error instead."
    )
    async def node(
        self,
        info: strawberry.Info[Context, None],
        id: Annotated[
            strawberry.ID, strawberry.argument(description="A global id, e.g. `Review:rv-0001`.")
        ],
    ) -> Node | None:
        label, key = parse_global_id(str(id))
        cls = _TYPES.get(label)
        if cls is None:
            return None
        ctx = info.context
        own = info.selected_fields[0] if info.selected_fields else None
        nest = lookahead(node_fields(own, label), label) if own is not None else {}
        if nest:
            # The node and the neighbours its selection follows, in one statement, handed to
            # the request's loaders (the same rows they would have fetched).
            res = await ctx.run(
                "entities.list",
                {
                    "label": label.value,
                    "ids": [key],
                    "limit": 1,
                    "want_total": False,
                    "with": nest,
                },
            )
            ctx.nodes(label).prime(key, res["items"][0] if res["items"] else None)
            prime(ctx, res.get("neighbours"))
        row = await ctx.nodes(label).load(key)
        return None if row is None else cls(props=row)

    @strawberry.field(description="Board records you may see, filtered, sorted and paged.")
    async def boards(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: BoardFilterArg = None,
        sort: Annotated[BoardSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> BoardConnection:
        page = await resolve_page(
            info.context,
            Label.BOARD,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.BOARD),
        )
        return BoardConnection.of(page)

    @strawberry.field(description="Review records you may see, filtered, sorted and paged.")
    async def reviews(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: ReviewFilterArg = None,
        sort: Annotated[ReviewSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> ReviewConnection:
        page = await resolve_page(
            info.context,
            Label.REVIEW,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.REVIEW),
        )
        return ReviewConnection.of(page)

    @strawberry.field(description="Recommendation records you may see, filtered, sorted and paged.")
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
    ) -> RecommendationConnection:
        page = await resolve_page(
            info.context,
            Label.RECOMMENDATION,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.RECOMMENDATION),
        )
        return RecommendationConnection.of(page)

    @strawberry.field(description="Agency records you may see, filtered, sorted and paged.")
    async def agencies(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: AgencyFilterArg = None,
        sort: Annotated[AgencySort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> AgencyConnection:
        page = await resolve_page(
            info.context,
            Label.AGENCY,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.AGENCY),
        )
        return AgencyConnection.of(page)

    @strawberry.field(description="Sector records you may see, filtered, sorted and paged.")
    async def sectors(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: SectorFilterArg = None,
        sort: Annotated[SectorSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> SectorConnection:
        page = await resolve_page(
            info.context,
            Label.SECTOR,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.SECTOR),
        )
        return SectorConnection.of(page)

    @strawberry.field(description="Theme records you may see, filtered, sorted and paged.")
    async def themes(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: ThemeFilterArg = None,
        sort: Annotated[ThemeSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> ThemeConnection:
        page = await resolve_page(
            info.context,
            Label.THEME,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.THEME),
        )
        return ThemeConnection.of(page)

    @strawberry.field(description="Action records you may see, filtered, sorted and paged.")
    async def actions(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: ActionFilterArg = None,
        sort: Annotated[ActionSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> ActionConnection:
        page = await resolve_page(
            info.context,
            Label.ACTION,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.ACTION),
        )
        return ActionConnection.of(page)

    @strawberry.field(description="Audit records you may see, filtered, sorted and paged.")
    async def audits(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: AuditFilterArg = None,
        sort: Annotated[AuditSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> AuditConnection:
        page = await resolve_page(
            info.context,
            Label.AUDIT,
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
            want=wanted(info, Label.AUDIT),
        )
        return AuditConnection.of(page)

    @strawberry.field(
        description="Reviews you may see that match the filter, counted by one or two "
        "dimensions (e.g. `[YEAR, KIND]`); restricted reviews are never counted for a viewer "
        "who may not see them."
    )
    async def review_counts(
        self,
        info: strawberry.Info[Context, None],
        group_by: Annotated[
            list[ReviewDimension], strawberry.argument(description="One or two dimensions.")
        ],
        filter: ReviewFilterArg = None,
    ) -> ReviewCounts:
        return ReviewCounts(raw=await counts(info.context, Label.REVIEW, group_by, filter))

    @strawberry.field(
        description="Recommendations you may see that match the filter, counted by one or two "
        "dimensions (e.g. `[YEAR, VERDICT]`); those of reviews you may not see are never "
        "counted."
    )
    async def recommendation_counts(
        self,
        info: strawberry.Info[Context, None],
        group_by: Annotated[
            list[RecommendationDimension],
            strawberry.argument(description="One or two dimensions."),
        ],
        filter: RecommendationFilterArg = None,
    ) -> RecommendationCounts:
        return RecommendationCounts(
            raw=await counts(info.context, Label.RECOMMENDATION, group_by, filter)
        )


ENTITY_TYPES: list[type[Node]] = list(_TYPES.values())
