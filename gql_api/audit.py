"""Audit: a check of whether an action's change is embedded in practice."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from gql_api.entity import connection_types, entity_type, prop_field
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.AUDIT,
    "A check of whether the change an action made is embedded in practice: when, by whom, how, what was found and the rating.",
)
class Audit(Node):
    date = prop_field(Label.AUDIT, "date")
    auditor = prop_field(
        Label.AUDIT, "auditor", "Who audited: board_qa, single_agency, ofsted or other_inspection."
    )
    method = prop_field(Label.AUDIT, "method")
    finding = prop_field(Label.AUDIT, "finding")
    rating = prop_field(Label.AUDIT, "rating", "Rating: what the audit found.")
    evidence = prop_field(Label.AUDIT, "evidence")
    recorded_by = prop_field(Label.AUDIT, "recorded_by")
    recorded_at = prop_field(
        Label.AUDIT, "recorded_at", "When it was recorded through the API (ISO, UTC)."
    )
    action_key = prop_field(Label.AUDIT, "action_id", "Key of the action audited.")


AuditEdge, AuditConnection = connection_types(Audit)
