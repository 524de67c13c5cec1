"""Entity reads at the top level: `node(id)` and one filtered, sorted list per type."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Annotated

import strawberry

from gql_api.action import Action
from gql_api.agency import Agency
from gql_api.aggregates import (
    RecommendationCounts,
    RecommendationDimension,
    ReviewCounts,
    ReviewDimension,
    counts,
)
from gql_api.audit import Audit
from gql_api.board import Board
from gql_api.connection import lookahead, node_fields, parse_global_id, prime
from gql_api.context import Context
from gql_api.entity import list_fields, node_type
from gql_api.filters import RecommendationFilterArg, ReviewFilterArg
from gql_api.node import Node
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from gql_api.sector import Sector
from gql_api.theme import Theme
from graph_schema import Label
from queries.entities import ENTITY_LABELS


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
        if label not in ENTITY_LABELS:
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
        return None if row is None else node_type(label)(props=row)

    # `boards`, `reviews`, ...: one list per entity label, built from graph_schema. Added to
    # the class's own namespace here (a class body's `vars()` is that namespace), so that they
    # stand between `node` and the counts, where the schema has always had them.
    vars().update(list_fields())

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


ENTITY_TYPES: list[type[Node]] = [
    Board,
    Review,
    Recommendation,
    Agency,
    Sector,
    Theme,
    Action,
    Audit,
]
