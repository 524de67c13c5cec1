"""Action: an action-plan item answering a recommendation."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, ClassVar

import strawberry

from gql_api.connection import (
    After,
    AuditFilterArg,
    Descending,
    First,
    Page,
    PageInfo,
    resolve_one,
    resolve_page,
)
from gql_api.context import Context
from gql_api.enums import ActionStatus, member
from gql_api.node import Node, opt_str
from gql_api.sorting import AuditSort, sort_field
from graph_schema import Label

if TYPE_CHECKING:
    from gql_api.agency import Agency
    from gql_api.audit import AuditConnection
    from gql_api.recommendation import Recommendation


@strawberry.type(
    description="An action-plan item that answers a recommendation: owner, due date, status and completion."
)
class Action(Node):
    LABEL: ClassVar[Label] = Label.ACTION

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

    @strawberry.field(description="Audits that checked the action.")
    async def audits(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        filter: AuditFilterArg = None,
        sort: Annotated[AuditSort | None, strawberry.argument(description="Sort field.")] = None,
        descending: Descending = False,
    ) -> Annotated[AuditConnection, strawberry.lazy("gql_api.audit")]:
        from gql_api.audit import AuditConnection

        page = await resolve_page(
            info.context,
            Label.AUDIT,
            edge="action.audits",
            parent=self.ident(),
            first=first,
            after=after,
            filter=filter,
            sort=sort_field(sort),
            descending=descending,
        )
        return AuditConnection.of(page)

    @strawberry.field(description="The recommendation it answers.")
    async def recommendation(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Recommendation, strawberry.lazy("gql_api.recommendation")] | None:
        from gql_api.recommendation import Recommendation

        row = await resolve_one(info.context, "action.recommendation", self.ident())
        return None if row is None else Recommendation(props=row)

    @strawberry.field(description="The agency that owns it.")
    async def owner(
        self, info: strawberry.Info[Context, None]
    ) -> Annotated[Agency, strawberry.lazy("gql_api.agency")] | None:
        from gql_api.agency import Agency

        row = await resolve_one(info.context, "action.owner", self.ident())
        return None if row is None else Agency(props=row)


@strawberry.type(description="An edge to an action in a connection.")
class ActionEdge:
    node: Action = strawberry.field(description="The action.")
    cursor: str = strawberry.field(description="Where this edge sits; pass it as `after`.")


@strawberry.type(description="A page of actions.")
class ActionConnection:
    edges: list[ActionEdge] = strawberry.field(description="The actions on this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    total_count: int = strawberry.field(description="How many actions match, on all pages.")

    @classmethod
    def of(cls, page: Page) -> ActionConnection:
        return cls(
            edges=[
                ActionEdge(node=Action(props=r), cursor=c)
                for r, c in zip(page.rows, page.cursors(), strict=True)
            ],
            page_info=page.page_info,
            total_count=page.total,
        )
