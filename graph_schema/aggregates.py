"""Aggregates kept at write time, declared once for both backends.

Each aggregate is a Neo4j label (of the closed set `AggregateLabel`, apart from the entity
labels of `NODES`) and a SQLite table generated from the same declaration. The stores keep them
in the transaction of every write that changes them (`graph_store.aggregates`); the readers
(theme recurrence, the theme network, agency load) read them instead of walking reviews.

Every row carries the review status it counts (and the kind), so a reader filters on the
viewer's statuses and never counts a review the viewer may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from graph_schema.model import Prop


class AggregateLabel(StrEnum):
    """The labels of the aggregates (Neo4j); never entity labels, never in the API."""

    REVIEW_FACT = "ReviewFact"
    THEME_TALLY = "ThemeTally"
    RECURRENCE_EVENT = "RecurrenceEvent"


@dataclass(frozen=True)
class AggregateSpec:
    """One aggregate: its label, its SQLite table, its key, its properties and indexes."""

    label: AggregateLabel
    table: str
    description: str
    props: tuple[Prop, ...]
    key: str = "id"
    indexed: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props)


REVIEW_FACT: Final = AggregateSpec(
    AggregateLabel.REVIEW_FACT,
    "agg_review_fact",
    "One row per review: what it counts towards (its boards, themes and its recommendations' "
    "themes), with its year, status and kind. The old row gives a write's exact delta.",
    (
        Prop("id", "str", True, "The review's key."),
        Prop("year", "int", False, "The review's year."),
        Prop("status", "str", False, "The review's status (visibility)."),
        Prop("kind", "str", False, "The review's document kind (review_type)."),
        Prop("boards", "list[str]", True, "Boards that COMMISSIONED it, sorted."),
        Prop("themes", "list[str]", True, "Themes it RAISES, sorted."),
        Prop(
            "rec_themes",
            "list[str]",
            True,
            "For each recommendation it MAKES (by key), the themes it is TAGGED with.",
        ),
    ),
    indexed=("status",),
)

THEME_TALLY: Final = AggregateSpec(
    AggregateLabel.THEME_TALLY,
    "agg_theme_tally",
    "Reviews raising a theme and recommendations tagged with it, per board, year, review status "
    "and review kind (a review with two boards counts in each).",
    (
        Prop("id", "str", True, "JSON of [theme, board, year, status, kind]."),
        Prop("theme", "str", True, "Theme key."),
        Prop("board", "str", True, "Board key."),
        Prop("year", "int", False, "Review year."),
        Prop("status", "str", False, "Review status."),
        Prop("kind", "str", False, "Review kind."),
        Prop("reviews", "int", True, "Reviews raising the theme."),
        Prop("recommendations", "int", True, "Recommendations tagged with the theme."),
    ),
    indexed=("theme",),
)

RECURRENCE_EVENT: Final = AggregateSpec(
    AggregateLabel.RECURRENCE_EVENT,
    "agg_recurrence_event",
    "Recurrence after closure (queries.recurrence): a recommendation on a theme closed in "
    "board B, and a later review of B or a successor raising the theme again; with both "
    "reviews' status and kind so a reader filters them.",
    (
        Prop(
            "id",
            "str",
            True,
            "JSON of [theme, board, recommendation, rec_review, review, review_board].",
        ),
        Prop("theme", "str", True, "Theme key."),
        Prop("board", "str", True, "Board B of the recommendation's review."),
        Prop("recommendation", "str", True, "Recommendation key."),
        Prop("recommendation_status", "str", False, "Its status."),
        Prop("basis", "str", True, "closed_acted_on or audited_embedded."),
        Prop("closed_year", "int", True, "Closure year."),
        Prop("rec_review", "str", True, "The review that MAKES the recommendation."),
        Prop("rec_review_status", "str", False, "Its status."),
        Prop("rec_review_kind", "str", False, "Its kind."),
        Prop("review", "str", True, "The later review raising the theme."),
        Prop("review_year", "int", True, "Its year."),
        Prop("review_board", "str", True, "Its board (B or a successor)."),
        Prop("review_status", "str", False, "Its status."),
        Prop("review_kind", "str", False, "Its kind."),
    ),
    indexed=("theme", "recommendation", "review"),
)

AGGREGATES: Final[tuple[AggregateSpec, ...]] = (REVIEW_FACT, THEME_TALLY, RECURRENCE_EVENT)

_SQL_TYPES: Final = {"int": "INTEGER", "float": "REAL", "bool": "INTEGER"}


def aggregate_sqlite_statements() -> list[str]:
    """SQLite DDL for the aggregate tables (lists are stored as JSON text)."""
    stmts = []
    for a in AGGREGATES:
        cols = ", ".join(
            f"{p.name} {_SQL_TYPES.get(p.type, 'TEXT')}"
            + (" PRIMARY KEY" if p.name == a.key else "")
            for p in a.props
        )
        stmts.append(f"CREATE TABLE IF NOT EXISTS {a.table} ({cols})")
        stmts.extend(
            f"CREATE INDEX IF NOT EXISTS ix_{a.table}_{prop} ON {a.table} ({prop})"
            for prop in a.indexed
        )
    return stmts


__all__ = [
    "AGGREGATES",
    "RECURRENCE_EVENT",
    "REVIEW_FACT",
    "THEME_TALLY",
    "AggregateLabel",
    "AggregateSpec",
    "aggregate_sqlite_statements",
]
