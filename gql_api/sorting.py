"""Sort fields of every list, one enum per type, built from graph_schema's `Sort`s."""

from __future__ import annotations

from enum import Enum
from typing import Any, Final

from gql_api.enums import described_enum
from graph_schema import ENTITIES, Entity, Label


def _sort_enum(e: Entity) -> Any:
    return described_enum(
        f"{e.label.value}Sort",
        f"Fields {e.plural} can be sorted by.",
        ((s.api_name, s.field, s.api_description) for s in e.sorts),
    )


# The sort enum of each entity label (`BoardSort`, `ReviewSort`, ...).
SORT_ENUMS: Final[dict[Label, Any]] = {e.label: _sort_enum(e) for e in ENTITIES}


def sort_field(sort: Enum | None) -> str | None:
    """The property a sort enum value names (strawberry unwraps enum values to strings);
    `-` before it reads the list the other way."""
    return None if sort is None else str(sort.value)
