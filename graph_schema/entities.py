"""The entity graph as the API reads it, declared once: named edges, sort orders, nouns.

`model.py` says what the graph holds; this says how the eight entity labels are read: each
named edge (a relationship type walked one way, e.g. `review.recommendations`), and what the
API makes of it; each label's sort fields; the nouns and descriptions its connection types
and list fields are named and described with. The queries (`queries.entities`) walk these
edges and sort by these fields; the GraphQL API (`gql_api.entity`) builds from them its
edge fields, connection and edge types, sort enums and top-level list fields. A new
relationship the API follows is one `Edge` here; a new sort field, one `Sort`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from graph_schema.model import Label, RelType


class Shape(StrEnum):
    """How the API answers an edge on its start node."""

    PAGE = "page"  # a connection: filtered, sorted and paged
    ONE = "one"  # the single neighbour, or null
    LIST = "list"  # every neighbour, as a plain list
    HIDDEN = "hidden"  # not a field of the API (the queries still walk it)


@dataclass(frozen=True)
class Edge:
    """A named way from a node to its neighbours: relationship type, direction and ends;
    and the field the API answers it with (`shape`, `description`)."""

    start: Label
    rel: RelType
    outgoing: bool
    end: Label
    shape: Shape = Shape.HIDDEN
    description: str = ""


# Keyed `start.field`: the field of the start node's API type that answers the edge. On each
# start node the API's fields come in this order.
EDGES: Final[dict[str, Edge]] = {
    "board.reviews": Edge(
        Label.BOARD,
        RelType.COMMISSIONED,
        True,
        Label.REVIEW,
        Shape.PAGE,
        "Reviews the board commissioned that you may see.",
    ),
    "board.successors": Edge(
        Label.BOARD,
        RelType.SUCCEEDED_BY,
        True,
        Label.BOARD,
        Shape.LIST,
        "Boards that succeeded this one (the 2019 reform).",
    ),
    "board.predecessors": Edge(
        Label.BOARD,
        RelType.SUCCEEDED_BY,
        False,
        Label.BOARD,
        Shape.LIST,
        "Boards this one succeeded.",
    ),
    "review.recommendations": Edge(
        Label.REVIEW,
        RelType.MAKES,
        True,
        Label.RECOMMENDATION,
        Shape.PAGE,
        "Recommendations the review makes.",
    ),
    "review.themes": Edge(
        Label.REVIEW, RelType.RAISES, True, Label.THEME, Shape.PAGE, "Themes the review raises."
    ),
    "review.board": Edge(
        Label.REVIEW,
        RelType.COMMISSIONED,
        False,
        Label.BOARD,
        Shape.ONE,
        "The board that commissioned the review.",
    ),
    "recommendation.agencies": Edge(
        Label.RECOMMENDATION,
        RelType.ADDRESSED_TO,
        True,
        Label.AGENCY,
        Shape.PAGE,
        "Agencies the recommendation is addressed to.",
    ),
    "recommendation.themes": Edge(
        Label.RECOMMENDATION,
        RelType.TAGGED,
        True,
        Label.THEME,
        Shape.PAGE,
        "Themes the recommendation is about.",
    ),
    "recommendation.actions": Edge(
        Label.RECOMMENDATION,
        RelType.RESPONDS_TO,
        False,
        Label.ACTION,
        Shape.PAGE,
        "Action-plan items answering it.",
    ),
    "recommendation.similar": Edge(
        Label.RECOMMENDATION,
        RelType.SIMILAR_TO,
        True,
        Label.RECOMMENDATION,
        Shape.PAGE,
        "Near-identical recommendations made elsewhere (edge `similarity` gives the score).",
    ),
    "recommendation.review": Edge(
        Label.RECOMMENDATION,
        RelType.MAKES,
        False,
        Label.REVIEW,
        Shape.ONE,
        "The review that makes it.",
    ),
    "recommendation.similarFrom": Edge(
        Label.RECOMMENDATION, RelType.SIMILAR_TO, False, Label.RECOMMENDATION
    ),
    "agency.recommendations": Edge(
        Label.AGENCY,
        RelType.ADDRESSED_TO,
        False,
        Label.RECOMMENDATION,
        Shape.PAGE,
        "Recommendations addressed to the agency that you may see.",
    ),
    "agency.actions": Edge(
        Label.AGENCY,
        RelType.OWNED_BY,
        False,
        Label.ACTION,
        Shape.PAGE,
        "Actions the agency owns that you may see.",
    ),
    "agency.sector": Edge(
        Label.AGENCY, RelType.IN_SECTOR, True, Label.SECTOR, Shape.ONE, "The agency's sector."
    ),
    "sector.agencies": Edge(
        Label.SECTOR, RelType.IN_SECTOR, False, Label.AGENCY, Shape.PAGE, "Agencies in the sector."
    ),
    "theme.reviews": Edge(
        Label.THEME,
        RelType.RAISES,
        False,
        Label.REVIEW,
        Shape.PAGE,
        "Reviews raising the theme that you may see.",
    ),
    "theme.recommendations": Edge(
        Label.THEME,
        RelType.TAGGED,
        False,
        Label.RECOMMENDATION,
        Shape.PAGE,
        "Recommendations about the theme that you may see.",
    ),
    "theme.broader": Edge(
        Label.THEME,
        RelType.BROADER,
        True,
        Label.THEME,
        Shape.LIST,
        "Broader themes this one is part of.",
    ),
    "theme.narrower": Edge(
        Label.THEME,
        RelType.BROADER,
        False,
        Label.THEME,
        Shape.LIST,
        "Narrower themes under this one.",
    ),
    "action.audits": Edge(
        Label.ACTION,
        RelType.CHECKS,
        False,
        Label.AUDIT,
        Shape.PAGE,
        "Audits that checked the action.",
    ),
    "action.recommendation": Edge(
        Label.ACTION,
        RelType.RESPONDS_TO,
        True,
        Label.RECOMMENDATION,
        Shape.ONE,
        "The recommendation it answers.",
    ),
    "action.owner": Edge(
        Label.ACTION, RelType.OWNED_BY, True, Label.AGENCY, Shape.ONE, "The agency that owns it."
    ),
    "audit.action": Edge(
        Label.AUDIT, RelType.CHECKS, True, Label.ACTION, Shape.ONE, "The action audited."
    ),
}


@dataclass(frozen=True)
class Sort:
    """A sort order of a list: the property it sorts by (`-` before it: the other way round),
    the API enum value's name (default: the property in capitals) and description."""

    field: str
    name: str = ""
    description: str = ""

    @property
    def api_name(self) -> str:
        return self.name or self.field.upper()

    @property
    def api_description(self) -> str:
        return self.description or f"Sort by {self.field}."


@dataclass(frozen=True)
class EdgeProp:
    """A relationship property the API shows on the edges that lead to an entity."""

    name: str  # the API's name
    prop: str  # the relationship's property
    type: type[float] | type[str]
    description: str


@dataclass(frozen=True)
class Entity:
    """One entity label as the API lists it: its nouns (for names and descriptions), its sort
    orders (the first is the default) and the relationship properties on edges to it."""

    label: Label
    noun: str
    plural: str
    sorts: tuple[Sort, ...]
    edge_props: tuple[EdgeProp, ...] = ()

    @property
    def article(self) -> str:
        return "an" if self.noun[:1] in "aeiou" else "a"


_NEWEST: Final = Sort(
    "-year", "NEWEST", "Newest first: by year, latest first (`descending` reverses it)."
)

# In the order of the API's top-level list fields.
ENTITIES: Final[tuple[Entity, ...]] = (
    Entity(
        Label.BOARD,
        "board",
        "boards",
        (Sort("name"), Sort("id"), Sort("kind"), Sort("region"), Sort("established_year")),
    ),
    Entity(
        Label.REVIEW,
        "review",
        "reviews",
        (Sort("year"), Sort("id"), Sort("title"), Sort("status"), Sort("review_type"), _NEWEST),
    ),
    Entity(
        Label.RECOMMENDATION,
        "recommendation",
        "recommendations",
        (
            Sort("year"),
            Sort("id"),
            Sort("number"),
            Sort("status"),
            Sort("board_id", "BOARD"),
            _NEWEST,
        ),
        (
            EdgeProp(
                "similarity",
                "score",
                float,
                "Similarity score (0 to 1) where the edge links similar recommendations.",
            ),
        ),
    ),
    Entity(Label.AGENCY, "agency", "agencies", (Sort("name"), Sort("id"), Sort("sector"))),
    Entity(Label.SECTOR, "sector", "sectors", (Sort("label"), Sort("id"))),
    Entity(
        Label.THEME,
        "theme",
        "themes",
        (Sort("label"), Sort("id"), Sort("category"), Sort("kind")),
        (
            EdgeProp(
                "evidence",
                "evidence",
                str,
                "Phrase or score that tagged the theme, where the edge links a tagged item.",
            ),
        ),
    ),
    Entity(
        Label.ACTION,
        "action",
        "actions",
        (Sort("due_date"), Sort("id"), Sort("status"), Sort("completed_date")),
    ),
    Entity(
        Label.AUDIT, "audit", "audits", (Sort("date"), Sort("id"), Sort("rating"), Sort("auditor"))
    ),
)

ENTITY_BY_LABEL: Final = {e.label: e for e in ENTITIES}

# The properties each list sorts by (its sorts that read the other way are these reversed).
SORT_FIELDS: Final[dict[Label, tuple[str, ...]]] = {
    e.label: tuple(s.field for s in e.sorts if not s.field.startswith("-")) for e in ENTITIES
}


def entity(label: Label) -> Entity:
    """The entity of a label; raises KeyError for a label the API does not list."""
    return ENTITY_BY_LABEL[label]


def edges_from(label: Label) -> list[tuple[str, Edge]]:
    """The edges the API answers on nodes of `label`, in their fields' order: (field, edge)."""
    return [
        (name.partition(".")[2], e)
        for name, e in EDGES.items()
        if e.start == label and e.shape != Shape.HIDDEN
    ]
