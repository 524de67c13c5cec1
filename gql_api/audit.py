"""Audit: a check of whether an action's change is embedded in practice."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.entity import connection_types, entity_type
from gql_api.enums import Auditor, AuditRating, member
from gql_api.node import Node, opt_str
from graph_schema import Label


@entity_type(
    Label.AUDIT,
    "A check of whether the change an action made is embedded in practice: when, by whom, how, what was found and the rating.",
)
class Audit(Node):
    @strawberry.field(description="Date of the audit (ISO).")
    def date(self) -> str:
        return str(self.props.get("date", ""))

    @strawberry.field(
        description="Who audited: board_qa, single_agency, ofsted or other_inspection."
    )
    def auditor(self) -> Auditor:
        return member(Auditor, self.props.get("auditor"))

    @strawberry.field(description="How it was audited.")
    def method(self) -> str | None:
        return opt_str(self.props, "method")

    @strawberry.field(description="What was found.")
    def finding(self) -> str | None:
        return opt_str(self.props, "finding")

    @strawberry.field(description="Rating: what the audit found.")
    def rating(self) -> AuditRating:
        return member(AuditRating, self.props.get("rating"))

    @strawberry.field(description="Evidence seen.")
    def evidence(self) -> str | None:
        return opt_str(self.props, "evidence")

    @strawberry.field(description="Who recorded it through the API.")
    def recorded_by(self) -> str | None:
        return opt_str(self.props, "recorded_by")

    @strawberry.field(description="When it was recorded through the API (ISO, UTC).")
    def recorded_at(self) -> str | None:
        return opt_str(self.props, "recorded_at")

    @strawberry.field(description="Key of the action audited.")
    def action_key(self) -> str:
        return str(self.props.get("action_id", ""))


AuditEdge, AuditConnection = connection_types(Audit)
