"""GraphQL enums for the closed sets of `graph_schema`, with every value described.

Each enum is built from its model tuple, so the tuple stays the one source of the values (a
value added to the model without a description here fails a test, not the API). Values are
spelled as the graph stores them (`open_awaiting_response`, not `OPEN_AWAITING_RESPONSE`), so
that the answers, the mutations' inputs, the filters and the analytics' JSON speak one
vocabulary, and the answers' JSON is what it was when these fields were strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import strawberry

from graph_schema import (
    ACTION_STATUSES,
    AUDIT_RATINGS,
    IMPACT_VERDICTS,
    RECOMMENDATION_STATUSES,
    REVIEW_STATUSES,
)

_DESCRIPTIONS: Final[dict[str, dict[str, str]]] = {
    "ReviewStatus": {
        "draft": "Read but not yet released: only keys granted restricted access see it.",
        "published": "Public: every viewer sees it.",
        "restricted": "Not public: only keys granted restricted access see it.",
        "withdrawn": "Taken down: only keys granted restricted access see it.",
    },
    "RecommendationStatus": {
        "open_awaiting_response": "Open: no response from the addressee yet.",
        "open_acceptable_response": "Open: the planned response is acceptable.",
        "open_unacceptable_response": "Open: the planned response is not acceptable.",
        "closed_acceptable_action": "Closed: the action taken meets the recommendation.",
        "closed_alternate_action": "Closed: another action meets its intent.",
        "closed_unacceptable_action": "Closed: the action taken does not meet it.",
        "closed_superseded": "Closed: a later recommendation replaces it.",
        "closed_no_longer_applicable": "Closed: it no longer applies.",
    },
    "ActionStatus": {
        "not_started": "Open: not started.",
        "in_progress": "Open: under way.",
        "completed": "Done (see its completion date).",
        "cancelled": "Dropped without being done.",
    },
    "AuditRating": {
        "embedded": "The change is embedded in practice.",
        "partially_embedded": "The change is partly embedded.",
        "not_embedded": "The change is not embedded.",
    },
    "ImpactVerdict": {
        "not_audited": "No audit has checked its actions.",
        "embedded": "The latest audit found the change embedded.",
        "partially_embedded": "The latest audit found it partly embedded.",
        "not_embedded": "The latest audit found it not embedded, and no audit ever did.",
        "slipped_back": "An earlier audit found it embedded, the latest does not.",
    },
}


def undescribed(name: str, values: tuple[str, ...]) -> list[str]:
    """Values of the model that the table above does not describe (a test keeps it empty)."""
    return [v for v in values if v not in _DESCRIPTIONS[name]]


def _enum(name: str, values: tuple[str, ...], description: str) -> Any:
    """A described strawberry enum whose values are exactly `values`, in order.

    A value new to the model still works before it is described here (its description is
    its spelling), so the API never breaks on a model change; tests/api/test_enums.py fails.
    """
    described: Mapping[str, str] = _DESCRIPTIONS[name]
    members = {
        v: strawberry.enum_value(v, description=described.get(v, v.replace("_", " ").capitalize()))
        for v in values
    }
    cls: type[Enum] = Enum(name, members)  # type: ignore[misc]
    return strawberry.enum(cls, description=description)


if TYPE_CHECKING:  # built at run time; to the type checker, each is an Enum
    ReviewStatus: TypeAlias = Enum
    RecommendationStatus: TypeAlias = Enum
    ActionStatus: TypeAlias = Enum
    AuditRating: TypeAlias = Enum
    ImpactVerdict: TypeAlias = Enum
else:
    ReviewStatus = _enum("ReviewStatus", REVIEW_STATUSES, "Who may see a review.")
    RecommendationStatus = _enum(
        "RecommendationStatus",
        RECOMMENDATION_STATUSES,
        "Where a recommendation stands (open or closed, and how).",
    )
    ActionStatus = _enum("ActionStatus", ACTION_STATUSES, "Where an action stands.")
    AuditRating = _enum("AuditRating", AUDIT_RATINGS, "What an audit found.")
    ImpactVerdict = _enum(
        "ImpactVerdict",
        IMPACT_VERDICTS,
        "What the audits of a recommendation's actions, in time order, say of its impact.",
    )


def member(enum: type[Enum], value: Any) -> Enum:
    """The member of `enum` for a stored value (a value outside the set is a data error)."""
    return enum(value)


ENUMS: Final = (ReviewStatus, RecommendationStatus, ActionStatus, AuditRating, ImpactVerdict)
