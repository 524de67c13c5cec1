"""Sort fields of every list, one enum per type."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Fields boards can be sorted by.")
class BoardSort(Enum):
    NAME = strawberry.enum_value("name", description="Sort by name.")
    ID = strawberry.enum_value("id", description="Sort by id.")
    KIND = strawberry.enum_value("kind", description="Sort by kind.")
    REGION = strawberry.enum_value("region", description="Sort by region.")
    ESTABLISHED_YEAR = strawberry.enum_value(
        "established_year", description="Sort by established_year."
    )


@strawberry.enum(description="Fields reviews can be sorted by.")
class ReviewSort(Enum):
    YEAR = strawberry.enum_value("year", description="Sort by year.")
    ID = strawberry.enum_value("id", description="Sort by id.")
    TITLE = strawberry.enum_value("title", description="Sort by title.")
    STATUS = strawberry.enum_value("status", description="Sort by status.")
    REVIEW_TYPE = strawberry.enum_value("review_type", description="Sort by review_type.")
    NEWEST = strawberry.enum_value(
        "-year", description="Newest first: by year, latest first (`descending` reverses it)."
    )


@strawberry.enum(description="Fields recommendations can be sorted by.")
class RecommendationSort(Enum):
    YEAR = strawberry.enum_value("year", description="Sort by year.")
    ID = strawberry.enum_value("id", description="Sort by id.")
    NUMBER = strawberry.enum_value("number", description="Sort by number.")
    STATUS = strawberry.enum_value("status", description="Sort by status.")
    BOARD = strawberry.enum_value("board_id", description="Sort by board_id.")
    NEWEST = strawberry.enum_value(
        "-year", description="Newest first: by year, latest first (`descending` reverses it)."
    )


@strawberry.enum(description="Fields agencies can be sorted by.")
class AgencySort(Enum):
    NAME = strawberry.enum_value("name", description="Sort by name.")
    ID = strawberry.enum_value("id", description="Sort by id.")
    SECTOR = strawberry.enum_value("sector", description="Sort by sector.")


@strawberry.enum(description="Fields sectors can be sorted by.")
class SectorSort(Enum):
    LABEL = strawberry.enum_value("label", description="Sort by label.")
    ID = strawberry.enum_value("id", description="Sort by id.")


@strawberry.enum(description="Fields themes can be sorted by.")
class ThemeSort(Enum):
    LABEL = strawberry.enum_value("label", description="Sort by label.")
    ID = strawberry.enum_value("id", description="Sort by id.")
    CATEGORY = strawberry.enum_value("category", description="Sort by category.")
    KIND = strawberry.enum_value("kind", description="Sort by kind.")


@strawberry.enum(description="Fields actions can be sorted by.")
class ActionSort(Enum):
    DUE_DATE = strawberry.enum_value("due_date", description="Sort by due_date.")
    ID = strawberry.enum_value("id", description="Sort by id.")
    STATUS = strawberry.enum_value("status", description="Sort by status.")
    COMPLETED_DATE = strawberry.enum_value("completed_date", description="Sort by completed_date.")


@strawberry.enum(description="Fields audits can be sorted by.")
class AuditSort(Enum):
    DATE = strawberry.enum_value("date", description="Sort by date.")
    ID = strawberry.enum_value("id", description="Sort by id.")
    RATING = strawberry.enum_value("rating", description="Sort by rating.")
    AUDITOR = strawberry.enum_value("auditor", description="Sort by auditor.")


def sort_field(sort: Enum | None) -> str | None:
    """The property a sort enum value names (strawberry unwraps enum values to strings);
    `-` before it reads the list the other way."""
    return None if sort is None else str(sort.value)
