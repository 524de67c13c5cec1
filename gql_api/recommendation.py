"""Recommendation: a numbered recommendation made by a review."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.context import Context
from gql_api.entity import connection_types, entity_type, prop_field, queue_fields
from gql_api.enums import (
    ImpactVerdict,
    member,
)
from gql_api.node import Node
from graph_schema import Label
from queries.trace import impact_verdict


@entity_type(
    Label.RECOMMENDATION,
    "A numbered recommendation in a review, addressed to one or more agencies or to the board itself.",
)
class Recommendation(Node):
    number = prop_field(Label.RECOMMENDATION, "number")
    text = prop_field(Label.RECOMMENDATION, "text")
    level = prop_field(
        Label.RECOMMENDATION,
        "level",
        "Level addressed: national, board, single_agency or multi_agency.",
    )
    status = prop_field(
        Label.RECOMMENDATION, "status", "Lifecycle status (NTSB-style: open or closed, and how)."
    )

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

    year = prop_field(Label.RECOMMENDATION, "year", "Year of the review.")
    board_key = prop_field(Label.RECOMMENDATION, "board_id", "Key of the review's board.")
    review_key = prop_field(Label.RECOMMENDATION, "review_id", "Key of the review that makes it.")
    location = prop_field(Label.RECOMMENDATION, "location")
    confidence, confidence_reasons, review_state = queue_fields(Label.RECOMMENDATION)
    response_due = prop_field(
        Label.RECOMMENDATION,
        "response_due",
        "Date a response is owed by (ISO): a coroner's PFD report's receivers owe one within 56 days of the report's date. Null when none is owed by a date.",
    )
    response_date = prop_field(
        Label.RECOMMENDATION,
        "response_date",
        "Date the response was received (ISO), once recorded.",
    )
    response_summary = prop_field(
        Label.RECOMMENDATION, "response_summary", "What the response said, in short, once recorded."
    )


RecommendationEdge, RecommendationConnection = connection_types(Recommendation)
