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

from graph_schema.model import (
    ACTION_STATUS,
    AGE_BAND,
    AUDIT_RATING,
    BOARD_KIND,
    DOCUMENT_KIND,
    IMPACT_VERDICT,
    RECOMMENDATION_STATUS,
    REVIEW_STATUS,
    THEME_CATEGORY,
    THEME_KIND,
    ClosedSet,
    Label,
    RelType,
)


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
        Shape.LIST,
        "Agencies the recommendation is addressed to.",
    ),
    "recommendation.themes": Edge(
        Label.RECOMMENDATION,
        RelType.TAGGED,
        True,
        Label.THEME,
        Shape.LIST,
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
        Shape.LIST,
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
class PropField:
    """A field of an entity's API type for one of its label's properties, where the API
    names or describes it otherwise than `model.py` does: the API's name (default: the
    property's) and description (default: the property's). `computed`: not a stored
    property; the type's module answers it with a resolver of this name."""

    prop: str
    name: str = ""
    description: str = ""
    computed: bool = False

    @property
    def api_name(self) -> str:
        return self.name or self.prop


@dataclass(frozen=True)
class Filter:
    """A field of a list's filter input: its name (the API's, in snake case); the value it
    takes (`int`, `str`, `date`: an ISO date as text, or a closed set); its description; the
    list query's filter key it sets (default: its name); and the label whose key it holds,
    if it holds one (an unknown key is a NOT_FOUND error with the nearest keys)."""

    name: str
    type: str | ClosedSet
    description: str
    key: str = ""
    vocabulary: Label | None = None

    @property
    def query_key(self) -> str:
        return self.key or self.name


# Properties no entity type shows: the key (a type's `key` and `id` answer it) and the stamp
# of the load that wrote the node.
ALWAYS_INTERNAL: Final = ("id", "source_file", "source_line", "load_run")


@dataclass(frozen=True)
class Entity:
    """One entity label as the API shows it: its nouns (for names and descriptions), its sort
    orders (the first is the default) and the relationship properties on edges to it; its
    type's description; its property fields in order (`fields`: each property of the label
    that is neither there nor `internal` follows them, as `model.py` declares it, so that a
    new property is one edit); and its list's filter input (`filters`)."""

    label: Label
    noun: str
    plural: str
    sorts: tuple[Sort, ...]
    edge_props: tuple[EdgeProp, ...] = ()
    description: str = ""
    fields: tuple[PropField, ...] = ()
    internal: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()

    @property
    def article(self) -> str:
        return "an" if self.noun[:1] in "aeiou" else "a"

    @property
    def filter_description(self) -> str:
        more = "; all given must hold." if len(self.filters) > 1 else "."
        return f"Filters for {self.plural}{more}"

    @property
    def hidden(self) -> frozenset[str]:
        """The properties the API does not show on the type."""
        return frozenset(ALWAYS_INTERNAL + self.internal)


_NEWEST: Final = Sort(
    "-year", "NEWEST", "Newest first: by year, latest first (`descending` reverses it)."
)

# What the document reader and the review queue say of an item read from a document (a
# review or a recommendation alike); the queue's own bookkeeping is internal.
_QUEUE: Final = (
    PropField(
        "confidence",
        description="How sure the document reader was of it, 0 to 1 (null when it was not "
        "read from a document).",
    ),
    PropField(
        "confidence_reasons",
        description="Why: the layout that matched, the heading it was under, what lowered it.",
    ),
    PropField(
        "review_state",
        description="Where it stands in the review queue (null: never queued nor decided).",
    ),
)
_QUEUE_INTERNAL: Final = ("decided_by", "decided_at")
_RECORDED_AT: Final = "When it was recorded through the API (ISO, UTC)."


def _year_range(what: str = "year", lead: str = "") -> tuple[Filter, Filter]:
    """`year_from` and `year_to` (inclusive) of `what`, said with `lead` before (e.g. `Due`)."""

    def said(bound: str) -> str:
        text = f"{lead} {bound}".strip()
        return f"{text[:1].upper()}{text[1:]} (inclusive)."

    return (
        Filter("year_from", "int", said(f"from this {what} on")),
        Filter("year_to", "int", said(f"up to this {what}")),
    )


def _key(name: str, label: Label, more: str = "") -> Filter:
    """A filter holding a key of a public-vocabulary label (board, theme, agency, sector)."""
    said = f"{label.value} key (an unknown one is a NOT_FOUND error with the nearest keys)."
    return Filter(name, "str", f"{said} {more}" if more else said, vocabulary=label)


def _text(where: str) -> Filter:
    return Filter("text", "str", f"Words to find, case-insensitively, in {where}.")


# In the order of the API's top-level list fields.
ENTITIES: Final[tuple[Entity, ...]] = (
    Entity(
        Label.BOARD,
        "board",
        "boards",
        (Sort("name"), Sort("id"), Sort("kind"), Sort("region"), Sort("established_year")),
        description="A Local Safeguarding Children Board (LSCB) or, since the 2019 reforms, a "
        "local safeguarding partnership: the body that commissions reviews.",
        fields=(
            PropField("name"),
            PropField(
                "kind",
                description="`lscb`, `partnership`, or `coroner_area` (the area of the coroner "
                "who wrote a PFD report).",
            ),
            PropField("region"),
            PropField("established_year"),
            PropField("ended_year"),
        ),
        internal=("declared",),
        filters=(
            Filter("kind", BOARD_KIND, "Kind of board."),
            Filter("region", "str", "Region, as stored."),
            _text("name or region"),
        ),
    ),
    Entity(
        Label.REVIEW,
        "review",
        "reviews",
        (Sort("year"), Sort("id"), Sort("title"), Sort("status"), Sort("review_type"), _NEWEST),
        description="A case review: a Serious Case Review (until 2019), a Local Child "
        "Safeguarding Practice Review, a thematic, rapid or national review, or another "
        "document that carries recommendations (a Welsh Child Practice Review, a Safeguarding "
        "Adults Review, a Domestic Homicide Review, a coroner's Prevention of Future Deaths "
        "report). Draft, restricted and withdrawn reviews are visible only to keys granted "
        "restricted access.",
        fields=(
            PropField("title"),
            PropField("year"),
            PropField("incident_year"),
            PropField(
                "review_type",
                description="Kind of document: scr, lcspr, thematic, rapid, national, "
                "child_practice_review (Wales), sar, dhr or pfd (a coroner's Prevention of "
                "Future Deaths report).",
            ),
            PropField(
                "method", description="Review method: traditional, systems, hybrid or unknown."
            ),
            PropField("age_band", description="The child's age band (never a name)."),
            PropField("sex", description="The child's sex."),
            PropField("pseudonym"),
            PropField("status", description="Publication status: who may see it."),
            PropField("summary"),
            PropField("document"),
            *_QUEUE,
            PropField("reference"),
            PropField("url"),
            PropField("report_date", description="Date of the report (ISO), where known."),
            PropField("coroner"),
            PropField("board_id", "board_key", "Key of the commissioning board."),
        ),
        internal=(*_QUEUE_INTERNAL, "removed_items"),
        filters=(
            *_year_range(),
            _key("board", Label.BOARD),
            Filter("kind", DOCUMENT_KIND, "Document kind."),
            Filter(
                "status",
                REVIEW_STATUS,
                "Publication status (a hidden status is a true zero for you).",
            ),
            Filter("age_band", AGE_BAND, "The child's age band."),
            _key("theme", Label.THEME, "Raised by it."),
            _key("agency", Label.AGENCY, "One of its recommendations addresses it."),
            _key("sector", Label.SECTOR, "One of its recommendations addresses an agency of it."),
            _text("title, summary or pseudonym"),
        ),
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
        description="A numbered recommendation in a review, addressed to one or more agencies "
        "or to the board itself.",
        fields=(
            PropField("number"),
            PropField("text"),
            PropField(
                "level",
                description="Level addressed: national, board, single_agency or multi_agency.",
            ),
            PropField(
                "status", description="Lifecycle status (NTSB-style: open or closed, and how)."
            ),
            PropField("verdict", computed=True),
            PropField("year", description="Year of the review."),
            PropField("board_id", "board_key", "Key of the review's board."),
            PropField("review_id", "review_key", "Key of the review that makes it."),
            PropField("location"),
            *_QUEUE,
            PropField(
                "response_due",
                description="Date a response is owed by (ISO): a coroner's PFD report's receivers "
                "owe one within 56 days of the report's date. Null when none is owed by a date.",
            ),
            PropField(
                "response_date", description="Date the response was received (ISO), once recorded."
            ),
            PropField(
                "response_summary", description="What the response said, in short, once recorded."
            ),
        ),
        internal=("recorded_by", "recorded_at", *_QUEUE_INTERNAL, "merged_into", "merged_from"),
        filters=(
            Filter(
                "verdict",
                IMPACT_VERDICT,
                "Impact verdict from its actions' audits in time order (e.g. `slipped_back`, "
                "`not_embedded`: an inspector's worklist).",
            ),
            Filter("status", RECOMMENDATION_STATUS, "Lifecycle status."),
            _key("board", Label.BOARD),
            _key("sector", Label.SECTOR, "It addresses an agency of it."),
            _key("agency", Label.AGENCY, "It addresses it."),
            _key("theme", Label.THEME, "Tagged on it."),
            *_year_range("review year"),
            Filter("kind", DOCUMENT_KIND, "Document kind of its review."),
            _text("its text"),
        ),
    ),
    Entity(
        Label.AGENCY,
        "agency",
        "agencies",
        (Sort("name"), Sort("id"), Sort("sector")),
        description="An organisation or role that recommendations are addressed to and that "
        "owns actions.",
        fields=(PropField("name"), PropField("sector", "sector_key", "Key of its sector.")),
        internal=("declared",),
        filters=(_key("sector", Label.SECTOR), _text("its name")),
    ),
    Entity(
        Label.SECTOR,
        "sector",
        "sectors",
        (Sort("label"), Sort("id")),
        description="A sector of agencies: health, police, children's social care, education, "
        "and so on.",
        fields=(PropField("label"),),
        filters=(_text("label or key"),),
    ),
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
        description="A theme from the controlled, versioned taxonomy: what a review or "
        "recommendation is about.",
        fields=(
            PropField("label"),
            PropField("category", description="Category: practice, process, learning or policy."),
            PropField("kind", description="Kind: practice, barrier or enabler."),
            PropField("description"),
            PropField("signals"),
            PropField("taxonomy_version"),
        ),
        internal=("context_signals", "context", "parent"),
        filters=(
            Filter("category", THEME_CATEGORY, "Category."),
            Filter("kind", THEME_KIND, "Kind."),
            _text("label, key or description"),
        ),
    ),
    Entity(
        Label.ACTION,
        "action",
        "actions",
        (Sort("due_date"), Sort("id"), Sort("status"), Sort("completed_date")),
        description="An action-plan item that answers a recommendation: owner, due date, "
        "status and completion.",
        fields=(
            PropField("description"),
            PropField("due_date"),
            PropField(
                "status",
                description="Status: open (not started, in progress) or done (completed, "
                "cancelled).",
            ),
            PropField("completed_date"),
            PropField(
                "progress",
                description="Progress as the action plan wrote it: its progress note and RAG "
                "rating.",
            ),
            PropField("evidence"),
            PropField("recorded_by"),
            PropField("recorded_at", description=_RECORDED_AT),
            PropField(
                "recommendation_id", "recommendation_key", "Key of the recommendation it answers."
            ),
        ),
        internal=("owner_agency_id",),
        filters=(
            Filter(
                "owner",
                "str",
                "Owner agency key (an unknown one is a NOT_FOUND error).",
                key="agency",
                vocabulary=Label.AGENCY,
            ),
            Filter("status", ACTION_STATUS, "Status."),
            Filter(
                "overdue_as_of",
                "date",
                "Only actions overdue at this ISO date: open (not started or in progress) and "
                "due before it.",
            ),
            _key("board", Label.BOARD, "Board of its recommendation."),
            _key("theme", Label.THEME, "Tagged on its recommendation."),
            _key("sector", Label.SECTOR, "Sector of its owner."),
            *_year_range(lead="Due"),
            _text("its description"),
        ),
    ),
    Entity(
        Label.AUDIT,
        "audit",
        "audits",
        (Sort("date"), Sort("id"), Sort("rating"), Sort("auditor")),
        description="A check of whether the change an action made is embedded in practice: "
        "when, by whom, how, what was found and the rating.",
        fields=(
            PropField("date"),
            PropField(
                "auditor",
                description="Who audited: board_qa, single_agency, ofsted or other_inspection.",
            ),
            PropField("method"),
            PropField("finding"),
            PropField("rating", description="Rating: what the audit found."),
            PropField("evidence"),
            PropField("recorded_by"),
            PropField("recorded_at", description=_RECORDED_AT),
            PropField("action_id", "action_key", "Key of the action audited."),
        ),
        filters=(
            Filter("rating", AUDIT_RATING, "Rating."),
            Filter("date_from", "date", "Audited on or after this ISO date."),
            Filter("date_to", "date", "Audited on or before this ISO date."),
            *_year_range(lead="Audited"),
            _key("board", Label.BOARD, "Board of the audited action's recommendation."),
            _key("theme", Label.THEME, "Tagged on that recommendation."),
            _key("agency", Label.AGENCY, "Owner of the audited action."),
            _key("sector", Label.SECTOR, "Sector of that owner."),
            _text("finding, evidence or method"),
        ),
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
