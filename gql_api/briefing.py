"""`briefing`: a short themed digest for one audience, computed from the graph."""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Annotated, cast

import anyio.to_thread
import strawberry
from strawberry.scalars import JSON

from gql_api.context import Context
from gql_api.errors import nearest, not_found
from queries.briefing import AUDIENCES, BriefingError, resolve_audience
from queries.briefing_render import briefing_document


@strawberry.type(description="A themed briefing, rendered and as data.")
class Briefing:
    audience: str = strawberry.field(description="The audience asked for.")
    markdown: str = strawberry.field(description="The briefing as Markdown.")
    html: str = strawberry.field(
        description="The briefing as one self-contained HTML page (no external assets)."
    )
    data: JSON = strawberry.field(
        description="Every number and example in the briefing, with provenance (review ids, "
        "boards, years, source files)."
    )


@strawberry.type(description="Themed briefings for each audience.")
class BriefingQuery:
    @strawberry.field(
        description="A short digest for one sector or role (e.g. `police`, `schools`, `gp`): "
        "top recurring themes, recommendations made again and again, outstanding actions, "
        "what audits found, and questions to ask in supervision. Never draws on reviews you "
        "may not see. An unknown audience is a NOT_FOUND error with the nearest ones."
    )
    async def briefing(
        self,
        info: strawberry.Info[Context, None],
        audience: Annotated[
            str, strawberry.argument(description="A sector key or a role, e.g. `schools_dsl`.")
        ],
        boards: Annotated[
            list[str] | None, strawberry.argument(description="Only these boards (ids or names).")
        ] = None,
        year_from: Annotated[
            int | None, strawberry.argument(description="First review year (inclusive).")
        ] = None,
        year_to: Annotated[
            int | None, strawberry.argument(description="Last review year (inclusive).")
        ] = None,
    ) -> Briefing:
        try:
            resolve_audience(audience)
        except BriefingError:
            names = {k: a.label for k, a in AUDIENCES.items()}
            raise not_found(
                "audience", audience, "audience", nearest(audience, names), sorted(AUDIENCES)
            ) from None
        ctx = info.context
        ctx.backend_calls += 1

        def build() -> Briefing:
            doc = briefing_document(
                ctx.store,
                audience,
                boards=boards,
                year_from=year_from,
                year_to=year_to,
                viewer=ctx.viewer,
            )
            return Briefing(
                audience=audience, markdown=doc.markdown, html=doc.html, data=cast(JSON, doc.data)
            )

        return await anyio.to_thread.run_sync(build, abandon_on_cancel=True)
