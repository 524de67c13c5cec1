"""Action: an action-plan item answering a recommendation."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

import strawberry

from gql_api.entity import connection_types, entity_type
from gql_api.enums import ActionStatus, member
from gql_api.node import Node, opt_str
from graph_schema import Label


@entity_type(
    Label.ACTION,
    "An action-plan item that answers a recommendation: owner, due date, status and completion.",
)
class Action(Node):
    @strawberry.field(description="What will be done.")
    def description(self) -> str:
        return str(self.props.get("description", ""))

    @strawberry.field(description="Due date (ISO).")
    def due_date(self) -> str | None:
        return opt_str(self.props, "due_date")

    @strawberry.field(
        description="Status: open (not started, in progress) or done (completed, cancelled)."
    )
    def status(self) -> ActionStatus:
        return member(ActionStatus, self.props.get("status"))

    @strawberry.field(description="Completion date (ISO).")
    def completed_date(self) -> str | None:
        return opt_str(self.props, "completed_date")

    @strawberry.field(
        description="Progress as the action plan wrote it: its progress note and RAG rating."
    )
    def progress(self) -> str | None:
        return opt_str(self.props, "progress")

    @strawberry.field(description="Evidence of impact, as the action plan wrote it.")
    def evidence(self) -> str | None:
        return opt_str(self.props, "evidence")

    @strawberry.field(description="Who recorded it through the API.")
    def recorded_by(self) -> str | None:
        return opt_str(self.props, "recorded_by")

    @strawberry.field(description="When it was recorded through the API (ISO, UTC).")
    def recorded_at(self) -> str | None:
        return opt_str(self.props, "recorded_at")

    @strawberry.field(description="Key of the recommendation it answers.")
    def recommendation_key(self) -> str:
        return str(self.props.get("recommendation_id", ""))


ActionEdge, ActionConnection = connection_types(Action)
