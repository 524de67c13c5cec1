"""ThemeRecurrence: one theme over time, typed, from the `theme_recurrence` query.

Counts are the query's, over the reviews the viewer may see. Boards, reviews and
recommendations that an event or a count names are the entity types, looked up through the
request's viewer-scoped loaders (one batched call per label), so that a client goes from an
event to its review and board in one query, and a hidden review is never returned.
"""

# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are untyped without its mypy plugin, which pyproject lacks)

from __future__ import annotations

from typing import Any

import strawberry

from gql_api.board import Board
from gql_api.enums import RecommendationStatus
from gql_api.node import enum_field, key_field, link_field
from gql_api.recommendation import Recommendation
from gql_api.review import Review
from gql_api.theme import Theme
from graph_store import Row


@strawberry.type(description="Reviews and recommendations on the theme in one year.")
class YearCount:
    year: int = strawberry.field(description="The year (of the review).")
    reviews: int = strawberry.field(description="Reviews that year raising the theme.")
    recommendations: int = strawberry.field(
        description="Recommendations tagged with the theme, made by reviews of that year."
    )


@strawberry.type(description="Reviews and recommendations on the theme in one board.")
class BoardCount:
    row: strawberry.Private[Row]

    board_key = key_field("board_id", str, "Key of the board.")

    board_name = key_field("board_name", str | None, "Name of the board.")

    board = link_field("board_id", Board, "The board.")

    reviews = key_field("reviews", int, "Reviews of the board raising the theme.")
    recommendations = key_field(
        "recommendations", int, "Recommendations of the board's reviews tagged with it."
    )
    first_year = key_field("first_year", int | None, "Year of the board's first review raising it.")
    last_year = key_field("last_year", int | None, "Year of the board's last review raising it.")


@strawberry.type(
    description="The theme came back after closure: a recommendation on it was closed as acted "
    "on (or audited as embedded), then a later review in the same board, or a board that "
    "succeeded it, raised the theme again."
)
class RecurrenceEvent:
    row: strawberry.Private[Row]
    basis = key_field(
        "basis", str, "How the recommendation was closed: closed_acted_on or audited_embedded."
    )
    closed_year = key_field("closed_year", int | None, "Year of the closure.")
    review_year = key_field("review_year", int | None, "Year of the later review.")

    recommendation_status = enum_field(
        "recommendation_status", RecommendationStatus, "The recommendation's status."
    )

    board_key = key_field("board_id", str, "Key of the board whose recommendation was closed.")

    recommendation_key = key_field("recommendation_id", str, "Key of the closed recommendation.")

    review_key = key_field("review_id", str, "Key of the later review.")

    review_board_key = key_field(
        "review_board_id", str | None, "Key of the board that commissioned the later review."
    )

    board = link_field("board_id", Board, "The board whose recommendation was closed.")

    recommendation = link_field("recommendation_id", Recommendation, "The closed recommendation.")

    review = link_field("review_id", Review, "The later review that raised the theme again.")

    review_board = link_field(
        "review_board_id", Board, "The board that commissioned the later review."
    )


@strawberry.type(
    description="One theme over time: reviews and recommendations per year and per board, "
    "boards reached, first and last seen, trend, and recurrence after closure; only over the "
    "reviews you may see."
)
class ThemeRecurrence:
    raw: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The theme.")
    def theme(self) -> Theme:
        return Theme(props=self.raw["theme"])

    year_from = key_field(
        "year_from",
        int | None,
        "First year of the range counted (asked for, or first seen).",
        source="raw",
    )
    year_to = key_field(
        "year_to",
        int | None,
        "Last year of the range counted (asked for, or last seen).",
        source="raw",
    )
    reviews = key_field("reviews", int, "Reviews raising the theme.", source="raw")
    recommendations = key_field(
        "recommendations", int, "Recommendations tagged with the theme.", source="raw"
    )
    boards = key_field(
        "boards", int, "Boards with at least one review raising the theme.", source="raw"
    )
    first_seen = key_field(
        "first_seen", int | None, "Year of the first review raising it.", source="raw"
    )
    last_seen = key_field(
        "last_seen", int | None, "Year of the last review raising it.", source="raw"
    )
    trend = key_field(
        "trend",
        float,
        "Least-squares slope of reviews per year over the range (years without "
        "reviews count as 0), rounded to 4 places.",
        source="raw",
    )

    @strawberry.field(description="Counts for every year of the range, oldest first.")
    def per_year(self) -> list[YearCount]:
        return [
            YearCount(
                year=int(y["year"]),
                reviews=int(y["reviews"]),
                recommendations=int(y["recommendations"]),
            )
            for y in self.raw["by_year"]
        ]

    @strawberry.field(description="Counts per board, most reviews first (then by key).")
    def per_board(self) -> list[BoardCount]:
        return [BoardCount(row=b) for b in self.raw["by_board"]]

    @strawberry.field(
        description="Recurrence-after-closure events, by the later review's year and key."
    )
    def after_closure(self) -> list[RecurrenceEvent]:
        return [RecurrenceEvent(row=e) for e in self.raw["recurrence_after_closure"]]
