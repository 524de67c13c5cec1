"""Action: an action-plan item answering a recommendation."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from gql_api.entity import connection_types, entity_type, prop_field
from gql_api.node import Node
from graph_schema import Label


@entity_type(
    Label.ACTION,
    "An action-plan item that answers a recommendation: owner, due date, status and completion.",
)
class Action(Node):
    description = prop_field(Label.ACTION, "description")
    due_date = prop_field(Label.ACTION, "due_date")
    status = prop_field(
        Label.ACTION,
        "status",
        "Status: open (not started, in progress) or done (completed, cancelled).",
    )
    completed_date = prop_field(Label.ACTION, "completed_date")
    progress = prop_field(
        Label.ACTION,
        "progress",
        "Progress as the action plan wrote it: its progress note and RAG rating.",
    )
    evidence = prop_field(Label.ACTION, "evidence")
    recorded_by = prop_field(Label.ACTION, "recorded_by")
    recorded_at = prop_field(
        Label.ACTION, "recorded_at", "When it was recorded through the API (ISO, UTC)."
    )
    recommendation_key = prop_field(
        Label.ACTION, "recommendation_id", "Key of the recommendation it answers."
    )


ActionEdge, ActionConnection = connection_types(Action)
