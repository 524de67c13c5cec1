"""Aggregates: reviews and recommendations counted by one or two dimensions, over a filter.

Counts come from the named query `entities.counts` with the caller's viewer, so a review the
caller may not see (and its recommendations) is never counted. A group names an entity
(board, theme, sector) as the entity type, so one query goes from a count to the board.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from gql_api.board import Board
from gql_api.context import Context
from gql_api.enums import (
    DocumentKind,
    ImpactVerdict,
    RecommendationStatus,
    ReviewStatus,
)
from gql_api.errors import check_key
from gql_api.filters import ListFilter
from gql_api.node import enum_field, key_field, link_field
from gql_api.sector import Sector
from gql_api.theme import Theme
from graph_schema import Label
from graph_store import Row

Info = strawberry.Info[Context, None]


@strawberry.enum(description="What review counts can be grouped by.")
class ReviewDimension(Enum):
    YEAR = strawberry.enum_value("year", description="Year of publication.")
    BOARD = strawberry.enum_value("board", description="Commissioning board.")
    THEME = strawberry.enum_value(
        "theme", description="Theme raised (a review raising several counts in each)."
    )
    SECTOR = strawberry.enum_value(
        "sector",
        description="Sector of an agency its recommendations address (counted in each).",
    )
    STATUS = strawberry.enum_value("status", description="Publication status.")
    KIND = strawberry.enum_value("kind", description="Document kind.")


@strawberry.enum(description="What recommendation counts can be grouped by.")
class RecommendationDimension(Enum):
    YEAR = strawberry.enum_value("year", description="Year of its review.")
    BOARD = strawberry.enum_value("board", description="Board of its review.")
    THEME = strawberry.enum_value(
        "theme", description="Theme tagged (one tagged with several counts in each)."
    )
    SECTOR = strawberry.enum_value(
        "sector", description="Sector of an agency it addresses (counted in each)."
    )
    STATUS = strawberry.enum_value("status", description="Lifecycle status.")
    VERDICT = strawberry.enum_value(
        "verdict", description="Impact verdict from its actions' audits in time order."
    )
    KIND = strawberry.enum_value("kind", description="Document kind of its review.")


@strawberry.type(description="What every count group answers (a base, not in the schema).")
class _Group:
    row: strawberry.Private[Row]
    count = key_field("count", int, "How many match in this group.")
    year = key_field("year", int | None, "The year, when grouped by year (null: none recorded).")
    board_key = key_field("board", str | None, "Key of the board, when grouped by board.")

    board = link_field("board", Board, "The board, when grouped by board.")

    theme_key = key_field(
        "theme", str | None, "Key of the theme, when grouped by theme (null: none)."
    )

    theme = link_field("theme", Theme, "The theme, when grouped by theme.")

    sector = link_field("sector", Sector, "The sector, when grouped by sector (null: none).")

    kind = enum_field(
        "kind", DocumentKind, "The document kind, when grouped by kind.", optional=True
    )


@strawberry.type(description="Reviews in one group, with the group's values.")
class ReviewCountGroup(_Group):
    row: strawberry.Private[Row]

    status = enum_field(
        "status", ReviewStatus, "The publication status, when grouped by status.", optional=True
    )


@strawberry.type(description="Recommendations in one group, with the group's values.")
class RecommendationCountGroup(_Group):
    row: strawberry.Private[Row]

    status = enum_field(
        "status",
        RecommendationStatus,
        "The lifecycle status, when grouped by status.",
        optional=True,
    )

    verdict = enum_field(
        "verdict", ImpactVerdict, "The impact verdict, when grouped by verdict.", optional=True
    )


@strawberry.type(description="Review counts by group, and how many reviews match in all.")
class ReviewCounts:
    raw: strawberry.Private[dict[str, Any]]
    total = key_field(
        "total", int, "Reviews matching the filter that you may see, each once.", source="raw"
    )

    @strawberry.field(description="The groups, ordered by their values (nulls last).")
    def groups(self) -> list[ReviewCountGroup]:
        return [ReviewCountGroup(row=g) for g in self.raw["groups"]]


@strawberry.type(
    description="Recommendation counts by group, and how many recommendations match in all."
)
class RecommendationCounts:
    raw: strawberry.Private[dict[str, Any]]
    total = key_field(
        "total",
        int,
        "Recommendations matching the filter that you may see, each once.",
        source="raw",
    )

    @strawberry.field(description="The groups, ordered by their values (nulls last).")
    def groups(self) -> list[RecommendationCountGroup]:
        return [RecommendationCountGroup(row=g) for g in self.raw["groups"]]


async def counts(
    ctx: Context, label: Label, group_by: list[Any], filter: ListFilter | None
) -> dict[str, Any]:
    """The grouped counts of the visible nodes of `label` matching `filter`."""
    if not 1 <= len(group_by) <= 2 or len(set(group_by)) != len(group_by):
        raise strawberry.exceptions.StrawberryGraphQLError(
            "`groupBy` takes one or two different dimensions",
            extensions={"code": "BAD_USER_INPUT"},
        )
    for argument, vocab, key in filter.keys() if filter else []:
        await check_key(ctx, vocab, argument, key)
    params = {
        "label": label.value,
        "group_by": [str(g.value) for g in group_by],
        "filter": filter.as_params() if filter else {},
    }
    result: dict[str, Any] = await ctx.run("entities.counts", params)
    return result
