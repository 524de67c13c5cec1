"""Recommendation: a numbered recommendation made by a review."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.context import Context
from gql_api.entity import connection_types, entity_type
from gql_api.enums import ImpactVerdict, member
from gql_api.node import Node
from graph_schema import Label
from queries.trace import impact_verdict


@entity_type(Label.RECOMMENDATION)
class Recommendation(Node):
    """Its description, property and edge fields: graph_schema's Recommendation entity; and
    `verdict`, which it computes (graph_schema places it among the properties)."""

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


RecommendationEdge, RecommendationConnection = connection_types(Recommendation)
