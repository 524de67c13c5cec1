"""Recommendation: a numbered recommendation made by a review."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.context import Context
from gql_api.entity import connection_types, entity_type
from gql_api.enums import (
    ImpactVerdict,
    RecommendationLevel,
    RecommendationStatus,
    ReviewState,
    member,
    opt_member,
)
from gql_api.node import Node, opt_int, opt_str
from graph_schema import Label
from queries.trace import impact_verdict


@entity_type(
    Label.RECOMMENDATION,
    "A numbered recommendation in a review, addressed to one or more agencies or to the board itself.",
)
class Recommendation(Node):
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


RecommendationEdge, RecommendationConnection = connection_types(Recommendation)
