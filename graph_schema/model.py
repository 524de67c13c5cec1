"""The graph's shape, declared once as data.

Every label, relationship type and property the product writes is listed here.
Stores, loaders and queries take names from these closed sets; nothing builds a
label or a relationship type from user input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

SCHEMA_VERSION: Final = 1


class Label(StrEnum):
    """Every node label in the graph."""

    BOARD = "Board"
    REVIEW = "Review"
    RECOMMENDATION = "Recommendation"
    AGENCY = "Agency"
    SECTOR = "Sector"
    THEME = "Theme"
    ACTION = "Action"
    AUDIT = "Audit"
    SOURCE = "Source"
    LOAD_RUN = "LoadRun"
    SCHEMA_INFO = "SchemaInfo"
    CHANGE = "Change"


class RelType(StrEnum):
    """Every relationship type in the graph."""

    COMMISSIONED = "COMMISSIONED"  # Board -> Review
    MAKES = "MAKES"  # Review -> Recommendation
    ADDRESSED_TO = "ADDRESSED_TO"  # Recommendation -> Agency
    IN_SECTOR = "IN_SECTOR"  # Agency -> Sector
    RAISES = "RAISES"  # Review -> Theme
    TAGGED = "TAGGED"  # Recommendation -> Theme
    RESPONDS_TO = "RESPONDS_TO"  # Action -> Recommendation
    OWNED_BY = "OWNED_BY"  # Action -> Agency
    CHECKS = "CHECKS"  # Audit -> Action
    SUCCEEDED_BY = "SUCCEEDED_BY"  # Board -> Board (2019 reform: LSCB -> partnership)
    BROADER = "BROADER"  # Theme -> Theme (narrower theme to its parent)
    SIMILAR_TO = "SIMILAR_TO"  # Recommendation -> Recommendation (repeated text)
    FROM_SOURCE = "FROM_SOURCE"  # Review -> Source
    LOADED = "LOADED"  # LoadRun -> Source


@dataclass(frozen=True)
class Prop:
    """A property: its name, a type name, whether it is required, and its meaning."""

    name: str
    type: str  # "str", "int", "float", "bool", "date", "datetime", "list[str]"
    required: bool = False
    description: str = ""
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class NodeSpec:
    """One label: its key property, further unique properties and its properties."""

    label: Label
    description: str
    props: tuple[Prop, ...]
    key: str = "id"
    unique: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()
    fulltext: tuple[str, ...] = ()

    def prop(self, name: str) -> Prop | None:
        for p in self.props:
            if p.name == name:
                return p
        return None

    @property
    def prop_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.props)


@dataclass(frozen=True)
class RelSpec:
    """One relationship type with the labels at its two ends."""

    type: RelType
    start: Label
    end: Label
    description: str
    props: tuple[Prop, ...] = field(default_factory=tuple)


# Enumerations the domain primer fixes.
RECOMMENDATION_STATUSES: Final = (
    "open_awaiting_response",
    "open_acceptable_response",
    "open_unacceptable_response",
    "closed_acceptable_action",
    "closed_alternate_action",
    "closed_unacceptable_action",
    "closed_superseded",
    "closed_no_longer_applicable",
)
CLOSED_ACTED_ON: Final = ("closed_acceptable_action", "closed_alternate_action")
AUDIT_RATINGS: Final = ("embedded", "partially_embedded", "not_embedded")
IMPACT_VERDICTS: Final = (
    "not_audited",
    "embedded",
    "partially_embedded",
    "not_embedded",
    "slipped_back",
)
ACTION_STATUSES: Final = ("not_started", "in_progress", "completed", "cancelled")
# A draft is a review read but not yet released: like restricted, only granted keys see it.
REVIEW_STATUSES: Final = ("draft", "published", "restricted", "withdrawn")
# Document kinds. The first five are safeguarding reviews; "child_practice_review" is
# Wales's, "sar" a safeguarding adults review, "dhr" a domestic homicide review, "pfd" a
# coroner's Prevention of Future Deaths report (its concerns are read as recommendations).
REVIEW_TYPES: Final = (
    "scr",
    "lcspr",
    "thematic",
    "rapid",
    "national",
    "child_practice_review",
    "sar",
    "dhr",
    "pfd",
)
REVIEW_METHODS: Final = ("traditional", "systems", "hybrid", "unknown")
AGE_BANDS: Final = ("under_1", "1_to_4", "5_to_9", "10_to_15", "16_plus", "unknown")
SEXES: Final = ("female", "male", "unknown")
# A coroner area plays the part of a board for PFD reports: the coroner "commissions" them.
BOARD_KINDS: Final = ("lscb", "partnership", "coroner_area")
RECOMMENDATION_LEVELS: Final = ("national", "board", "single_agency", "multi_agency")
AUDITORS: Final = ("board_qa", "single_agency", "ofsted", "other_inspection")
THEME_CATEGORIES: Final = ("practice", "process", "learning", "policy")
THEME_KINDS: Final = ("practice", "barrier", "enabler")
SECTORS: Final = (
    "health",
    "police",
    "childrens_social_care",
    "education",
    "early_years_pvi",
    "probation_youth_justice",
    "adult_services",
    "housing",
    "board",
    "central_government",
)

_STAMP: Final = (
    Prop("source_file", "str", description="File the record was loaded from."),
    Prop("source_line", "int", description="Line (or row) of that file."),
    Prop("load_run", "str", description="Id of the LoadRun that last wrote the node."),
)

NODES: Final[tuple[NodeSpec, ...]] = (
    NodeSpec(
        Label.BOARD,
        "A Local Safeguarding Children Board or, since 2019, a safeguarding partnership; for "
        "coroners' PFD reports, the coroner area that plays its part.",
        (
            Prop("id", "str", True, "Stable identifier."),
            Prop("name", "str", True, "Board name (invented in synthetic data)."),
            Prop(
                "kind",
                "str",
                True,
                "LSCB, partnership, or a PFD report's coroner area.",
                BOARD_KINDS,
            ),
            Prop("region", "str", False, "Region of England."),
            Prop("established_year", "int", False, "Year the board began."),
            Prop("ended_year", "int", False, "Year the board ended, if it did."),
            *_STAMP,
        ),
        unique=("name",),
        indexed=("kind",),
    ),
    NodeSpec(
        Label.REVIEW,
        "A case review: an SCR, a local child safeguarding practice review, or a thematic, "
        "rapid or national review that carries recommendations.",
        (
            Prop("id", "str", True, "Stable identifier."),
            Prop("title", "str", True, "Title of the report."),
            Prop("board_id", "str", True, "Commissioning board."),
            Prop("year", "int", True, "Year of publication."),
            Prop("incident_year", "int", False, "Year of the incident, where known."),
            Prop("review_type", "str", True, "Kind of review.", REVIEW_TYPES),
            Prop("method", "str", False, "Review method.", REVIEW_METHODS),
            Prop("age_band", "str", False, "Child's age band (never a name).", AGE_BANDS),
            Prop("sex", "str", False, "Child's sex.", SEXES),
            Prop("pseudonym", "str", False, "Pseudonym the report uses, e.g. 'Child W'."),
            Prop("status", "str", True, "Publication status.", REVIEW_STATUSES),
            Prop("summary", "str", False, "Short summary."),
            Prop("document", "str", False, "Source document name."),
            Prop("reference", "str", False, "The report's own reference (a PFD report's id)."),
            Prop("url", "str", False, "Where the report is published."),
            Prop("report_date", "date", False, "Date of the report (ISO)."),
            Prop("coroner", "str", False, "The coroner who made a PFD report."),
            *_STAMP,
        ),
        indexed=("year", "status", "board_id", "review_type"),
        fulltext=("title", "summary"),
    ),
    NodeSpec(
        Label.RECOMMENDATION,
        "A numbered recommendation made by a review.",
        (
            Prop("id", "str", True, "Stable identifier."),
            Prop("review_id", "str", True, "Review that makes it."),
            Prop("number", "str", True, "Number as printed in the review."),
            Prop("text", "str", True, "Full text."),
            Prop("level", "str", False, "Level addressed.", RECOMMENDATION_LEVELS),
            Prop("status", "str", True, "Lifecycle status.", RECOMMENDATION_STATUSES),
            Prop("year", "int", False, "Year of the review (copied for filtering)."),
            Prop("board_id", "str", False, "Board of the review (copied for filtering)."),
            Prop("location", "str", False, "Where in the document (line or page)."),
            Prop(
                "response_due",
                "date",
                False,
                "Date a response is owed by (a PFD report's receivers: report date + 56 days).",
            ),
            Prop("response_date", "date", False, "Date the response was received (ISO)."),
            Prop("response_summary", "str", False, "What the response said, in short."),
            Prop("recorded_by", "str", False, "Who recorded the response through the API."),
            Prop("recorded_at", "datetime", False, "When the response was recorded."),
            *_STAMP,
        ),
        indexed=("year", "status", "board_id", "review_id"),
        fulltext=("text",),
    ),
    NodeSpec(
        Label.AGENCY,
        "An organisation or role that recommendations are addressed to.",
        (
            Prop("id", "str", True, "Stable identifier."),
            Prop("name", "str", True, "Name."),
            Prop("sector", "str", True, "Sector key.", SECTORS),
            *_STAMP,
        ),
        indexed=("sector",),
    ),
    NodeSpec(
        Label.SECTOR,
        "A sector of agencies (health, police, education, ...).",
        (
            Prop("id", "str", True, "Sector key.", SECTORS),
            Prop("label", "str", True, "Readable name."),
            *_STAMP,
        ),
    ),
    NodeSpec(
        Label.THEME,
        "A theme from the controlled, versioned taxonomy.",
        (
            Prop("id", "str", True, "Stable theme key."),
            Prop("label", "str", True, "Readable label."),
            Prop("category", "str", True, "Category.", THEME_CATEGORIES),
            Prop("kind", "str", True, "Kind.", THEME_KINDS),
            Prop("description", "str", False, "What the theme covers."),
            Prop("signals", "list[str]", False, "Phrases that signal the theme in text."),
            Prop(
                "context_signals",
                "list[str]",
                False,
                "Phrases that signal the theme only in a sentence that also holds a context word.",
            ),
            Prop("context", "list[str]", False, "The context words that context signals need."),
            Prop("parent", "str", False, "Key of the broader theme, if any."),
            Prop("taxonomy_version", "int", False, "Taxonomy version."),
            *_STAMP,
        ),
        indexed=("category",),
    ),
    NodeSpec(
        Label.ACTION,
        "An action-plan item answering a recommendation.",
        (
            Prop("id", "str", True, "Stable identifier."),
            Prop("recommendation_id", "str", True, "Recommendation it answers."),
            Prop("owner_agency_id", "str", False, "Agency that owns it."),
            Prop("description", "str", True, "What will be done."),
            Prop("due_date", "date", False, "Due date (ISO)."),
            Prop("status", "str", True, "Status.", ACTION_STATUSES),
            Prop("completed_date", "date", False, "Completion date (ISO)."),
            Prop(
                "progress",
                "str",
                False,
                "Progress as the action plan wrote it (its progress note and RAG rating).",
            ),
            Prop("evidence", "str", False, "Evidence of impact, as the action plan wrote it."),
            Prop("recorded_by", "str", False, "Who recorded it through the API."),
            Prop("recorded_at", "datetime", False, "When it was recorded through the API."),
            *_STAMP,
        ),
        indexed=("status", "due_date", "recommendation_id"),
    ),
    NodeSpec(
        Label.AUDIT,
        "A check of whether the change an action made is embedded in practice.",
        (
            Prop("id", "str", True, "Stable identifier."),
            Prop("action_id", "str", True, "Action audited."),
            Prop("date", "date", True, "Date of the audit (ISO)."),
            Prop("auditor", "str", True, "Who audited.", AUDITORS),
            Prop("method", "str", False, "How it was audited."),
            Prop("finding", "str", False, "What was found."),
            Prop("rating", "str", True, "Rating.", AUDIT_RATINGS),
            Prop("evidence", "str", False, "Evidence seen."),
            Prop("recorded_by", "str", False, "Who recorded it through the API."),
            Prop("recorded_at", "datetime", False, "When it was recorded through the API."),
            *_STAMP,
        ),
        indexed=("rating", "date", "action_id"),
    ),
    NodeSpec(
        Label.SOURCE,
        "A source file that records were loaded from.",
        (
            Prop("id", "str", True, "Identifier (path within the corpus)."),
            Prop("file", "str", True, "File path."),
            Prop("kind", "str", False, "csv, jsonl, txt, md or pdf."),
            Prop("rows", "int", False, "Rows read."),
            Prop("sha256", "str", False, "Content hash."),
            *_STAMP,
        ),
    ),
    NodeSpec(
        Label.LOAD_RUN,
        "One run of the loader: what it loaded, when, and the counts.",
        (
            Prop("id", "str", True, "Identifier."),
            Prop("path", "str", True, "What was loaded."),
            Prop("started_at", "datetime", True, "Start time (ISO, UTC)."),
            Prop("finished_at", "datetime", False, "End time (ISO, UTC)."),
            Prop("counts", "str", False, "Rows written per file, as JSON."),
            Prop("taxonomy_version", "int", False, "Taxonomy version loaded."),
            Prop("synthetic", "bool", False, "Whether the corpus says it is synthetic."),
        ),
    ),
    NodeSpec(
        Label.SCHEMA_INFO,
        "The applied schema version (one node).",
        (
            Prop("id", "str", True, "Always 'schema'."),
            Prop("version", "int", True, "Schema version applied."),
        ),
    ),
    NodeSpec(
        Label.CHANGE,
        "An inspector's change made through the API, kept for idempotency and audit trail.",
        (
            Prop("id", "str", True, "Key name and client-supplied mutation id: `actor:changeId`."),
            Prop("kind", "str", True, "Mutation name."),
            Prop("target", "str", True, "Id of the node changed."),
            Prop("actor", "str", True, "Key name of who made it."),
            Prop("at", "datetime", True, "When (ISO, UTC)."),
            Prop("payload", "str", False, "Input as JSON."),
        ),
    ),
)

RELS: Final[tuple[RelSpec, ...]] = (
    RelSpec(RelType.COMMISSIONED, Label.BOARD, Label.REVIEW, "Board commissioned the review."),
    RelSpec(RelType.MAKES, Label.REVIEW, Label.RECOMMENDATION, "Review makes a recommendation."),
    RelSpec(
        RelType.ADDRESSED_TO, Label.RECOMMENDATION, Label.AGENCY, "Recommendation addresses agency."
    ),
    RelSpec(RelType.IN_SECTOR, Label.AGENCY, Label.SECTOR, "Agency belongs to sector."),
    RelSpec(
        RelType.RAISES,
        Label.REVIEW,
        Label.THEME,
        "Review raises a theme.",
        (Prop("evidence", "str", False, "Phrase or score that tagged it."),),
    ),
    RelSpec(
        RelType.TAGGED,
        Label.RECOMMENDATION,
        Label.THEME,
        "Recommendation is about a theme.",
        (Prop("evidence", "str", False, "Phrase or score that tagged it."),),
    ),
    RelSpec(RelType.RESPONDS_TO, Label.ACTION, Label.RECOMMENDATION, "Action answers it."),
    RelSpec(RelType.OWNED_BY, Label.ACTION, Label.AGENCY, "Agency that owns the action."),
    RelSpec(RelType.CHECKS, Label.AUDIT, Label.ACTION, "Audit checks an action."),
    RelSpec(
        RelType.SUCCEEDED_BY,
        Label.BOARD,
        Label.BOARD,
        "Board was succeeded by another (the 2019 reform).",
        (Prop("year", "int", False, "Year of succession."),),
    ),
    RelSpec(RelType.BROADER, Label.THEME, Label.THEME, "Theme is narrower than another."),
    RelSpec(
        RelType.SIMILAR_TO,
        Label.RECOMMENDATION,
        Label.RECOMMENDATION,
        "Near-identical recommendation text.",
        (Prop("score", "float", True, "Similarity, 0 to 1."),),
    ),
    RelSpec(RelType.FROM_SOURCE, Label.REVIEW, Label.SOURCE, "Review was read from a source."),
    RelSpec(RelType.LOADED, Label.LOAD_RUN, Label.SOURCE, "Load run read a source."),
)

_NODE_BY_LABEL: Final = {n.label: n for n in NODES}
_REL_BY_TYPE: Final = {r.type: r for r in RELS}


def node_spec(label: Label | str) -> NodeSpec:
    """The spec of a label; raises KeyError for a label outside the closed set."""
    return _NODE_BY_LABEL[Label(label)]


def rel_spec(rel_type: RelType | str) -> RelSpec:
    """The spec of a relationship type; raises KeyError outside the closed set."""
    return _REL_BY_TYPE[RelType(rel_type)]
