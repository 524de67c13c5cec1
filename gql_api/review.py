"""Review: a case review (SCR, LCSPR, thematic, rapid, national, ...) or a coroner's PFD report."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.entity import connection_types, entity_type
from gql_api.enums import (
    AgeBand,
    DocumentKind,
    ReviewMethod,
    ReviewState,
    ReviewStatus,
    Sex,
    member,
    opt_member,
)
from gql_api.node import Node, opt_int, opt_str
from graph_schema import Label


@entity_type(
    Label.REVIEW,
    "A case review: a Serious Case Review (until 2019), a Local Child Safeguarding Practice Review, a thematic, rapid or national review, or another document that carries recommendations (a Welsh Child Practice Review, a Safeguarding Adults Review, a Domestic Homicide Review, a coroner's Prevention of Future Deaths report). Draft, restricted and withdrawn reviews are visible only to keys granted restricted access.",
)
class Review(Node):
    @strawberry.field(description="Title of the report.")
    def title(self) -> str:
        return str(self.props.get("title", ""))

    @strawberry.field(description="Year of publication.")
    def year(self) -> int:
        return int(self.props.get("year") or 0)

    @strawberry.field(description="Year of the incident, where known.")
    def incident_year(self) -> int | None:
        return opt_int(self.props, "incident_year")

    @strawberry.field(
        description="Kind of document: scr, lcspr, thematic, rapid, national, child_practice_review (Wales), sar, dhr or pfd (a coroner's Prevention of Future Deaths report)."
    )
    def review_type(self) -> DocumentKind:
        return member(DocumentKind, self.props.get("review_type"))

    @strawberry.field(description="Review method: traditional, systems, hybrid or unknown.")
    def method(self) -> ReviewMethod | None:
        return opt_member(ReviewMethod, self.props.get("method"))

    @strawberry.field(description="The child's age band (never a name).")
    def age_band(self) -> AgeBand | None:
        return opt_member(AgeBand, self.props.get("age_band"))

    @strawberry.field(description="The child's sex.")
    def sex(self) -> Sex | None:
        return opt_member(Sex, self.props.get("sex"))

    @strawberry.field(description="Pseudonym the report uses, e.g. 'Child W'.")
    def pseudonym(self) -> str | None:
        return opt_str(self.props, "pseudonym")

    @strawberry.field(description="Publication status: who may see it.")
    def status(self) -> ReviewStatus:
        return member(ReviewStatus, self.props.get("status"))

    @strawberry.field(description="Short summary.")
    def summary(self) -> str | None:
        return opt_str(self.props, "summary")

    @strawberry.field(description="Source document name.")
    def document(self) -> str | None:
        return opt_str(self.props, "document")

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

    @strawberry.field(description="The report's own reference (a PFD report's id).")
    def reference(self) -> str | None:
        return opt_str(self.props, "reference")

    @strawberry.field(description="Where the report is published.")
    def url(self) -> str | None:
        return opt_str(self.props, "url")

    @strawberry.field(description="Date of the report (ISO), where known.")
    def report_date(self) -> str | None:
        return opt_str(self.props, "report_date")

    @strawberry.field(description="The coroner who made a PFD report.")
    def coroner(self) -> str | None:
        return opt_str(self.props, "coroner")

    @strawberry.field(description="Key of the commissioning board.")
    def board_key(self) -> str:
        return str(self.props.get("board_id", ""))


ReviewEdge, ReviewConnection = connection_types(Review)
