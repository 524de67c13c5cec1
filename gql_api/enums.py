"""GraphQL enums for the closed sets of `graph_schema`, with every value described.

Each enum is built from its `ClosedSet`, which holds the values and their meanings once (the
model's tuples are made from the same sets). Values are spelled as the graph stores them
(`open_awaiting_response`, not `OPEN_AWAITING_RESPONSE`), so that the answers, the mutations'
inputs and the filters speak one vocabulary, and the answers' JSON is what it was when these
fields were strings. A value that cannot be a GraphQL name (an age band such as `1_to_4`) is
named with its set's prefix (`age_1_to_4`) and still answered and stored as spelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import strawberry

from graph_schema import (
    ACTION_STATUS,
    AGE_BAND,
    AUDIT_RATING,
    AUDITOR,
    BOARD_KIND,
    CHANGE_KIND,
    CLOSED_SETS,
    DOCUMENT_KIND,
    IMPACT_VERDICT,
    RECOMMENDATION_LEVEL,
    RECOMMENDATION_STATUS,
    REVIEW_METHOD,
    REVIEW_STATE,
    REVIEW_STATUS,
    SECTOR,
    SEX,
    THEME_CATEGORY,
    THEME_KIND,
    ClosedSet,
)


def graphql_name(closed: ClosedSet, value: str) -> str:
    """The GraphQL name of a stored value: itself, or with the set's prefix if it must be."""
    return value if value[:1].isalpha() or value[:1] == "_" else closed.prefix + value


# Not a property of the graph but the search's own closed set (see queries/search.py KINDS).
SEARCH_HIT_KIND: Final = ClosedSet(
    "SearchHitKind",
    "What a search hit is.",
    (("review", "A review (its title and summary)."), ("recommendation", "A recommendation.")),
)


def described_enum(name: str, description: str, values: Iterable[tuple[str, str, str]]) -> Any:
    """A described strawberry enum: each member's (GraphQL name, value, description), in order."""
    members = {n: strawberry.enum_value(v, description=d) for n, v, d in values}
    cls: type[Enum] = Enum(name, members)  # type: ignore[misc]
    return strawberry.enum(cls, description=description)


def _enum(closed: ClosedSet) -> Any:
    """A described strawberry enum whose values are exactly the set's, in order."""
    return described_enum(
        closed.name,
        closed.description,
        ((graphql_name(closed, v), v, meaning) for v, meaning in closed.meanings),
    )


if TYPE_CHECKING:  # built at run time; to the type checker, each is an Enum
    ReviewStatus: TypeAlias = Enum
    RecommendationStatus: TypeAlias = Enum
    ActionStatus: TypeAlias = Enum
    AuditRating: TypeAlias = Enum
    ImpactVerdict: TypeAlias = Enum
    DocumentKind: TypeAlias = Enum
    ReviewMethod: TypeAlias = Enum
    AgeBand: TypeAlias = Enum
    Sex: TypeAlias = Enum
    BoardKind: TypeAlias = Enum
    RecommendationLevel: TypeAlias = Enum
    Auditor: TypeAlias = Enum
    ThemeCategory: TypeAlias = Enum
    ThemeKind: TypeAlias = Enum
    SectorKey: TypeAlias = Enum
    ChangeKind: TypeAlias = Enum
    ReviewState: TypeAlias = Enum
    SearchHitKind: TypeAlias = Enum
else:
    ReviewStatus = _enum(REVIEW_STATUS)
    RecommendationStatus = _enum(RECOMMENDATION_STATUS)
    ActionStatus = _enum(ACTION_STATUS)
    AuditRating = _enum(AUDIT_RATING)
    ImpactVerdict = _enum(IMPACT_VERDICT)
    DocumentKind = _enum(DOCUMENT_KIND)
    ReviewMethod = _enum(REVIEW_METHOD)
    AgeBand = _enum(AGE_BAND)
    Sex = _enum(SEX)
    BoardKind = _enum(BOARD_KIND)
    RecommendationLevel = _enum(RECOMMENDATION_LEVEL)
    Auditor = _enum(AUDITOR)
    ThemeCategory = _enum(THEME_CATEGORY)
    ThemeKind = _enum(THEME_KIND)
    SectorKey = _enum(SECTOR)
    ChangeKind = _enum(CHANGE_KIND)
    ReviewState = _enum(REVIEW_STATE)
    SearchHitKind = _enum(SEARCH_HIT_KIND)


def member(enum: type[Enum], value: Any) -> Enum:
    """The member of `enum` for a stored value (a value outside the set is a data error)."""
    return enum(value)


def opt_member(enum: type[Enum], value: Any) -> Enum | None:
    """member() for an optional property: None stays None."""
    return None if value is None or value == "" else enum(value)


def stored(value: Any) -> Any:
    """The stored spelling of an enum argument (strawberry passes members), else the value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [stored(v) for v in value]
    return value


ENUMS: Final = (
    ReviewStatus,
    RecommendationStatus,
    ActionStatus,
    AuditRating,
    ImpactVerdict,
    DocumentKind,
    ReviewMethod,
    AgeBand,
    Sex,
    BoardKind,
    RecommendationLevel,
    Auditor,
    ThemeCategory,
    ThemeKind,
    SectorKey,
    ChangeKind,
    ReviewState,
    SearchHitKind,
)
assert len(ENUMS) == len(CLOSED_SETS) + 1
_BY_NAME: Final[dict[str, Any]] = {e.__name__: e for e in ENUMS}


def enum_of(values: tuple[str, ...]) -> Any:
    """The enum of the closed set whose values these are (a property's `enum`)."""
    for closed in CLOSED_SETS:
        if closed.values == values:
            return _BY_NAME[closed.name]
    raise KeyError(f"no closed set has the values {values}")
