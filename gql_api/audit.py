"""Audit: a check of whether an action's change is embedded in practice."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from gql_api.connection import Page, PageInfo, resolve_one
from gql_api.context import Context
from gql_api.enums import Auditor, AuditRating, member
from gql_api.node import Node, opt_str
from graph_schema import Label

if TYPE_CHECKING:
    from gql_api.action import Action


@strawberry.type(
    description="A check of whether the change an action made is embedded in practice: when, by whom, how, what was found and the rating."
)
class Audit(Node):
    LABEL: ClassVar[Label] = Label.AUDIT

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

    @strawberry.field(description="The action audited.")
    async def action(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Action, strawberry.lazy("gql_api.action")] | None:
        from gql_api.action import Action

        row = await resolve_one(info.context, "audit.action", self.ident())
        return None if row is None else Action(props=row)


@strawberry.type(description="An edge to an audit in a connection.")
class AuditEdge:
    node: Audit = strawberry.field(description="The audit.")
    cursor: str = strawberry.field(description="Where this edge sits; pass it as `after`.")


@strawberry.type(description="A page of audits.")
class AuditConnection:
    edges: list[AuditEdge] = strawberry.field(description="The audits on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many audits match, on all pages.")

    @classmethod
    def of(cls, page: Page) -> AuditConnection:
        return cls(
            edges=[
                AuditEdge(node=Audit(props=r), cursor=c)
                for r, c in zip(page.rows, page.cursors(), strict=True)
            ],
            page_info=page.page_info,
            total_count=page.total,
        )
