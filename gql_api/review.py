"""Review: a case review (SCR, LCSPR, thematic, rapid, national, ...) or a coroner's PFD report."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from gql_api.entity import connection_types, entity_type, prop_field, queue_fields
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.REVIEW,
    "A case review: a Serious Case Review (until 2019), a Local Child Safeguarding Practice Review, a thematic, rapid or national review, or another document that carries recommendations (a Welsh Child Practice Review, a Safeguarding Adults Review, a Domestic Homicide Review, a coroner's Prevention of Future Deaths report). Draft, restricted and withdrawn reviews are visible only to keys granted restricted access.",
)
class Review(Node):
    title = prop_field(Label.REVIEW, "title")
    year = prop_field(Label.REVIEW, "year")
    incident_year = prop_field(Label.REVIEW, "incident_year")
    review_type = prop_field(
        Label.REVIEW,
        "review_type",
        "Kind of document: scr, lcspr, thematic, rapid, national, child_practice_review (Wales), sar, dhr or pfd (a coroner's Prevention of Future Deaths report).",
    )
    method = prop_field(
        Label.REVIEW, "method", "Review method: traditional, systems, hybrid or unknown."
    )
    age_band = prop_field(Label.REVIEW, "age_band", "The child's age band (never a name).")
    sex = prop_field(Label.REVIEW, "sex", "The child's sex.")
    pseudonym = prop_field(Label.REVIEW, "pseudonym")
    status = prop_field(Label.REVIEW, "status", "Publication status: who may see it.")
    summary = prop_field(Label.REVIEW, "summary")
    document = prop_field(Label.REVIEW, "document")
    confidence, confidence_reasons, review_state = queue_fields(Label.REVIEW)
    reference = prop_field(Label.REVIEW, "reference")
    url = prop_field(Label.REVIEW, "url")
    report_date = prop_field(Label.REVIEW, "report_date", "Date of the report (ISO), where known.")
    coroner = prop_field(Label.REVIEW, "coroner")
    board_key = prop_field(Label.REVIEW, "board_id", "Key of the commissioning board.")


ReviewEdge, ReviewConnection = connection_types(Review)
