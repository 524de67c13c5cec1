"""The graph's shape, declared once as data.

Every label, relationship type and property the product writes is listed here.
Stores, loaders and queries take names from these closed sets; nothing builds a
label or a relationship type from user input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

SCHEMA_VERSION: Final = 2  # 2: typed, indexed columns in the embedded store; aggregates
# kept at write time (graph_schema.aggregates)


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


@dataclass(frozen=True)
class ClosedSet:
    """A closed set of values, declared once: its API name, what it is, each value's meaning.

    The values are spelled as the graph stores them. The GraphQL API builds one enum per set
    (named `name`); a value that cannot be a GraphQL name (it starts with a digit) is named
    there with `prefix` before it, and still stored and answered as spelled here.
    """

    name: str
    description: str
    meanings: tuple[tuple[str, str], ...]
    prefix: str = ""

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.meanings)

    def meaning(self, value: str) -> str:
        return dict(self.meanings)[value]


# Enumerations the domain primer fixes.
RECOMMENDATION_STATUS: Final = ClosedSet(
    "RecommendationStatus",
    "Where a recommendation stands (open or closed, and how).",
    (
        ("open_awaiting_response", "Open: no response from the addressee yet."),
        ("open_acceptable_response", "Open: the planned response is acceptable."),
        ("open_unacceptable_response", "Open: the planned response is not acceptable."),
        ("closed_acceptable_action", "Closed: the action taken meets the recommendation."),
        ("closed_alternate_action", "Closed: another action meets its intent."),
        ("closed_unacceptable_action", "Closed: the action taken does not meet it."),
        ("closed_superseded", "Closed: a later recommendation replaces it."),
        ("closed_no_longer_applicable", "Closed: it no longer applies."),
    ),
)
RECOMMENDATION_STATUSES: Final = RECOMMENDATION_STATUS.values
CLOSED_ACTED_ON: Final = ("closed_acceptable_action", "closed_alternate_action")
AUDIT_RATING: Final = ClosedSet(
    "AuditRating",
    "What an audit found.",
    (
        ("embedded", "The change is embedded in practice."),
        ("partially_embedded", "The change is partly embedded."),
        ("not_embedded", "The change is not embedded."),
    ),
)
AUDIT_RATINGS: Final = AUDIT_RATING.values
IMPACT_VERDICT: Final = ClosedSet(
    "ImpactVerdict",
    "What the audits of a recommendation's actions, in time order, say of its impact.",
    (
        ("not_audited", "No audit has checked its actions."),
        ("embedded", "The latest audit found the change embedded."),
        ("partially_embedded", "The latest audit found it partly embedded."),
        ("not_embedded", "The latest audit found it not embedded, and no audit ever did."),
        ("slipped_back", "An earlier audit found it embedded, the latest does not."),
    ),
)
IMPACT_VERDICTS: Final = IMPACT_VERDICT.values
ACTION_STATUS: Final = ClosedSet(
    "ActionStatus",
    "Where an action stands.",
    (
        ("not_started", "Open: not started."),
        ("in_progress", "Open: under way."),
        ("completed", "Done (see its completion date)."),
        ("cancelled", "Dropped without being done."),
    ),
)
ACTION_STATUSES: Final = ACTION_STATUS.values
# A draft is a review read but not yet released: like restricted, only granted keys see it.
REVIEW_STATUS: Final = ClosedSet(
    "ReviewStatus",
    "Who may see a review.",
    (
        ("draft", "Read but not yet released: only keys granted restricted access see it."),
        ("published", "Public: every viewer sees it."),
        ("restricted", "Not public: only keys granted restricted access see it."),
        ("withdrawn", "Taken down: only keys granted restricted access see it."),
    ),
)
REVIEW_STATUSES: Final = REVIEW_STATUS.values
# Document kinds. The first five are safeguarding reviews; the others carry recommendations
# too (a coroner's PFD report's concerns are read as recommendations).
DOCUMENT_KIND: Final = ClosedSet(
    "DocumentKind",
    "The kind of document a review is.",
    (
        ("scr", "A Serious Case Review (England, until 2019)."),
        ("lcspr", "A Local Child Safeguarding Practice Review (England, since 2019)."),
        ("thematic", "A thematic review across several cases."),
        ("rapid", "A rapid review (the first step after a serious incident)."),
        ("national", "A national review (the national panel's)."),
        ("child_practice_review", "A Child Practice Review (Wales)."),
        ("sar", "A Safeguarding Adults Review."),
        ("dhr", "A Domestic Homicide Review."),
        ("pfd", "A coroner's Prevention of Future Deaths report."),
    ),
)
REVIEW_TYPES: Final = DOCUMENT_KIND.values
REVIEW_METHOD: Final = ClosedSet(
    "ReviewMethod",
    "How a review was done.",
    (
        ("traditional", "The traditional SCR method (individual management reviews)."),
        ("systems", "A systems method (e.g. SCIE's Learning Together)."),
        ("hybrid", "A mix of the traditional and systems methods."),
        ("unknown", "Not known."),
    ),
)
REVIEW_METHODS: Final = REVIEW_METHOD.values
AGE_BAND: Final = ClosedSet(
    "AgeBand",
    "The child's age band (stored as `under_1`, `1_to_4`, ...; in the API a band that starts "
    "with a digit is named with `age_` before it).",
    (
        ("under_1", "Under one year old."),
        ("1_to_4", "One to four years old."),
        ("5_to_9", "Five to nine years old."),
        ("10_to_15", "Ten to fifteen years old."),
        ("16_plus", "Sixteen or older."),
        ("unknown", "Not known."),
    ),
    prefix="age_",
)
AGE_BANDS: Final = AGE_BAND.values
SEX: Final = ClosedSet(
    "Sex",
    "The child's sex.",
    (("female", "Female."), ("male", "Male."), ("unknown", "Not known.")),
)
SEXES: Final = SEX.values
# A coroner area plays the part of a board for PFD reports: the coroner "commissions" them.
BOARD_KIND: Final = ClosedSet(
    "BoardKind",
    "What kind of body a board is.",
    (
        ("lscb", "A Local Safeguarding Children Board (until 2019)."),
        ("partnership", "A safeguarding partnership (since 2019)."),
        ("coroner_area", "A coroner area: the board of a coroner's PFD reports."),
    ),
)
BOARD_KINDS: Final = BOARD_KIND.values
RECOMMENDATION_LEVEL: Final = ClosedSet(
    "RecommendationLevel",
    "Whom a recommendation addresses.",
    (
        ("national", "Government or national bodies."),
        ("board", "The board itself."),
        ("single_agency", "One agency."),
        ("multi_agency", "Several agencies together."),
    ),
)
RECOMMENDATION_LEVELS: Final = RECOMMENDATION_LEVEL.values
AUDITOR: Final = ClosedSet(
    "Auditor",
    "Who audited an action.",
    (
        ("board_qa", "The board's quality assurance."),
        ("single_agency", "The agency itself."),
        ("ofsted", "Ofsted."),
        ("other_inspection", "Another inspectorate."),
    ),
)
AUDITORS: Final = AUDITOR.values
THEME_CATEGORY: Final = ClosedSet(
    "ThemeCategory",
    "The taxonomy's category of a theme.",
    (
        ("practice", "What went wrong or right in the case work."),
        ("process", "The review process and its publications."),
        ("learning", "Learning culture and training."),
        ("policy", "Systems, policy and procedures."),
    ),
)
THEME_CATEGORIES: Final = THEME_CATEGORY.values
THEME_KIND: Final = ClosedSet(
    "ThemeKind",
    "The taxonomy's kind of a theme.",
    (
        ("practice", "A practice theme of the case work."),
        ("barrier", "Something that stops learning."),
        ("enabler", "Something that helps learning."),
    ),
)
THEME_KINDS: Final = THEME_KIND.values
SECTOR: Final = ClosedSet(
    "SectorKey",
    "The key of a sector of agencies.",
    (
        ("health", "Health: GPs, hospitals, health visiting, midwifery, mental health."),
        ("police", "Police."),
        ("childrens_social_care", "Children's social care."),
        ("education", "Schools and colleges."),
        ("early_years_pvi", "Early years: private, voluntary and independent providers."),
        ("probation_youth_justice", "Probation and youth justice."),
        ("adult_services", "Adult services: adult social care, adult mental health."),
        ("housing", "Housing."),
        ("board", "The board or partnership itself."),
        ("central_government", "Central government and national bodies."),
    ),
)
SECTORS: Final = SECTOR.values
CHANGE_KIND: Final = ClosedSet(
    "ChangeKind",
    "The mutation that made a change.",
    (
        ("recordAction", "A new action-plan item (`recordAction`)."),
        ("updateActionStatus", "An action's new status (`updateActionStatus`)."),
        ("recordAudit", "An audit (`recordAudit`)."),
        ("recordResponse", "A response to a recommendation (`recordResponse`)."),
        ("confirmItem", "An extracted item confirmed as read (`confirmItem`)."),
        ("correctItem", "An extracted item's text, number, addressees or themes corrected."),
        ("mergeItems", "Two extracted items merged into one (`mergeItems`)."),
        ("removeItem", "An extracted item removed: not a recommendation (`removeItem`)."),
        ("confirmDocument", "An extracted document confirmed as read (`confirmDocument`)."),
    ),
)
CHANGE_KINDS: Final = CHANGE_KIND.values
REVIEW_STATE: Final = ClosedSet(
    "ReviewState",
    "Where an item (or document) read from a document stands in the review queue.",
    (
        ("queued", "Read with a confidence below the threshold: waiting for a person."),
        ("confirmed", "A person confirmed it as read."),
        ("corrected", "A person corrected its text, number, addressees or themes."),
        ("merged", "A person merged another item into it, or it into another."),
        ("removed", "A person removed it: it is not a recommendation."),
    ),
)
REVIEW_STATES: Final = REVIEW_STATE.values

CLOSED_SETS: Final[tuple[ClosedSet, ...]] = (
    REVIEW_STATUS,
    RECOMMENDATION_STATUS,
    ACTION_STATUS,
    AUDIT_RATING,
    IMPACT_VERDICT,
    DOCUMENT_KIND,
    REVIEW_METHOD,
    AGE_BAND,
    SEX,
    BOARD_KIND,
    RECOMMENDATION_LEVEL,
    AUDITOR,
    THEME_CATEGORY,
    THEME_KIND,
    SECTOR,
    CHANGE_KIND,
    REVIEW_STATE,
)

# What the reader of a document says of what it found, and what a person decided of it.
_QUEUE: Final = (
    Prop("confidence", "float", False, "How sure the document reader was, 0 to 1."),
    Prop(
        "confidence_reasons",
        "list[str]",
        False,
        "Why: the layout that matched, the heading, what lowered the confidence.",
    ),
    Prop("review_state", "str", False, "Where it stands in the review queue.", REVIEW_STATES),
    Prop("decided_by", "str", False, "Key name of who last decided it in the review queue."),
    Prop("decided_at", "datetime", False, "When it was last decided (ISO, UTC)."),
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
            Prop(
                "declared",
                "bool",
                False,
                "True when a corpus vocabulary file declared it: then every viewer sees it, "
                "else only a viewer who may see a review that reaches it.",
            ),
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
            *_QUEUE,
            Prop(
                "removed_items",
                "list[str]",
                False,
                "Items of it a person removed or merged away in the review queue (they were "
                "deleted): loading the document again does not bring them back.",
            ),
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
            *_QUEUE,
            Prop(
                "merged_into",
                "str",
                False,
                "The item a person merged this one into (its `review_state` is `merged`).",
            ),
            Prop("merged_from", "list[str]", False, "Items a person merged into this one."),
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
            Prop(
                "declared",
                "bool",
                False,
                "True when a corpus vocabulary file declared it: then every viewer sees it, "
                "else only a viewer who may see a review that reaches it.",
            ),
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
            Prop(
                "generation",
                "int",
                False,
                "Neo4j only: counts the write transactions scrgraph committed (its data "
                "generation), so that what is derived from the whole graph is computed once "
                "per generation.",
            ),
        ),
    ),
    NodeSpec(
        Label.CHANGE,
        "An inspector's change made through the API, kept for idempotency and audit trail.",
        (
            Prop("id", "str", True, "Key name and client-supplied mutation id: `actor:changeId`."),
            Prop("kind", "str", True, "Mutation name.", CHANGE_KINDS),
            Prop("target", "str", True, "Id of the node changed."),
            Prop("actor", "str", True, "Key name of who made it."),
            Prop("at", "datetime", True, "When (ISO, UTC)."),
            Prop("payload", "str", False, "Input as JSON."),
            Prop("before", "str", False, "The fields it changed as they were, as JSON."),
            Prop("after", "str", False, "The fields it changed as they became, as JSON."),
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
