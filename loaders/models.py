"""The corpus format, declared once as data: files, columns, types, enumerations, references.

Every column's type and enumeration comes from `graph_schema` where the column is a node
property, so the loader, the JSON Schema (`docs/corpus.schema.json`) and the documentation
(`docs/data-format.md`) cannot drift from the graph.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from graph_schema import Label, RelType, node_spec

# Column types a corpus file can carry.
STR: Final = "str"
INT: Final = "int"
YEAR: Final = "year"
DATE: Final = "date"
LIST: Final = "list[str]"

FIRST_YEAR: Final = 1945
LIST_SEPARATOR: Final = "|"  # how a list[str] column is written in a CSV cell


@dataclass(frozen=True)
class Column:
    """One column of a corpus file."""

    name: str
    type: str
    required: bool
    description: str
    enum: tuple[str, ...] = ()
    ref: str | None = None  # name of the entity file whose id this column names


@dataclass(frozen=True)
class FileSpec:
    """One file of a corpus: an entity file (one node per row) or a link file (one edge)."""

    name: str
    description: str
    columns: tuple[Column, ...]
    label: Label | None = None  # entity files
    rel: RelType | None = None  # link files
    start: str | None = None  # link files: column naming the start node
    end: str | None = None  # link files: column naming the end node
    optional: bool = False

    def column(self, name: str) -> Column | None:
        for c in self.columns:
            if c.name == name:
                return c
        return None

    @property
    def is_entity(self) -> bool:
        return self.label is not None


def _from_schema(
    label: Label,
    name: str,
    *,
    type: str | None = None,
    ref: str | None = None,
    required: bool | None = None,
) -> Column:
    """A column that is the node property `name` of `label`, typed from the schema."""
    prop = node_spec(label).prop(name)
    if prop is None:  # pragma: no cover - a programming error caught by the tests
        raise KeyError(f"{label.value} has no property {name!r}")
    return Column(
        name=name,
        type=type or prop.type,
        required=prop.required if required is None else required,
        description=prop.description,
        enum=prop.enum,
        ref=ref,
    )


def _entity(
    label: Label, name: str, description: str, *cols: Column, optional: bool = False
) -> FileSpec:
    return FileSpec(
        name=name, description=description, columns=cols, label=label, optional=optional
    )


_B, _RV, _RC, _AG, _TH, _AC, _AU = (
    Label.BOARD,
    Label.REVIEW,
    Label.RECOMMENDATION,
    Label.AGENCY,
    Label.THEME,
    Label.ACTION,
    Label.AUDIT,
)

ENTITY_FILES: Final[tuple[FileSpec, ...]] = (
    _entity(
        _B,
        "boards",
        "Safeguarding boards (LSCBs) and, since 2019, safeguarding partnerships.",
        _from_schema(_B, "id"),
        _from_schema(_B, "name"),
        _from_schema(_B, "kind"),
        _from_schema(_B, "region"),
        _from_schema(_B, "established_year", type=YEAR),
        _from_schema(_B, "ended_year", type=YEAR),
    ),
    _entity(
        _AG,
        "agencies",
        "Agencies that recommendations are addressed to and that own actions.",
        _from_schema(_AG, "id"),
        _from_schema(_AG, "name"),
        _from_schema(_AG, "sector"),
    ),
    _entity(
        _TH,
        "themes",
        "Theme taxonomy. Optional: the default taxonomy (version 1) ships with scrgraph and "
        "loads by default; a corpus file adds themes or overrides their labels.",
        _from_schema(_TH, "id"),
        _from_schema(_TH, "label"),
        _from_schema(_TH, "category"),
        _from_schema(_TH, "kind"),
        _from_schema(_TH, "description"),
        _from_schema(_TH, "signals"),
        _from_schema(_TH, "context_signals"),
        _from_schema(_TH, "context"),
        _from_schema(_TH, "parent", ref="themes"),
        optional=True,
    ),
    _entity(
        _RV,
        "reviews",
        "Case reviews (SCRs, LCSPRs, thematic, rapid and national reviews).",
        _from_schema(_RV, "id"),
        _from_schema(_RV, "board_id", ref="boards"),
        _from_schema(_RV, "title"),
        _from_schema(_RV, "year", type=YEAR),
        _from_schema(_RV, "incident_year", type=YEAR),
        _from_schema(_RV, "review_type"),
        _from_schema(_RV, "method"),
        _from_schema(_RV, "age_band"),
        _from_schema(_RV, "sex"),
        _from_schema(_RV, "pseudonym"),
        _from_schema(_RV, "status"),
        _from_schema(_RV, "summary"),
        _from_schema(_RV, "document"),
        _from_schema(_RV, "reference"),
        _from_schema(_RV, "url"),
        _from_schema(_RV, "report_date"),
        _from_schema(_RV, "coroner"),
    ),
    _entity(
        _RC,
        "recommendations",
        "Numbered recommendations made by reviews.",
        _from_schema(_RC, "id"),
        _from_schema(_RC, "review_id", ref="reviews"),
        _from_schema(_RC, "number"),
        _from_schema(_RC, "text"),
        _from_schema(_RC, "level"),
        _from_schema(_RC, "status"),
        _from_schema(_RC, "location"),
        _from_schema(_RC, "response_due"),
        _from_schema(_RC, "response_date"),
        _from_schema(_RC, "response_summary"),
    ),
    _entity(
        _AC,
        "actions",
        "Action-plan items answering recommendations.",
        _from_schema(_AC, "id"),
        _from_schema(_AC, "recommendation_id", ref="recommendations"),
        _from_schema(_AC, "owner_agency_id", ref="agencies"),
        _from_schema(_AC, "description"),
        _from_schema(_AC, "due_date"),
        _from_schema(_AC, "status"),
        _from_schema(_AC, "completed_date"),
        _from_schema(_AC, "progress"),
        _from_schema(_AC, "evidence"),
    ),
    _entity(
        _AU,
        "audits",
        "Audits of whether an action's change is embedded in practice.",
        _from_schema(_AU, "id"),
        _from_schema(_AU, "action_id", ref="actions"),
        _from_schema(_AU, "date"),
        _from_schema(_AU, "auditor"),
        _from_schema(_AU, "method"),
        _from_schema(_AU, "finding"),
        _from_schema(_AU, "rating"),
        _from_schema(_AU, "evidence"),
    ),
)


def _link(
    name: str,
    rel: RelType,
    description: str,
    start: Column,
    end: Column,
    *extra: Column,
) -> FileSpec:
    return FileSpec(
        name=name,
        description=description,
        columns=(start, end, *extra),
        rel=rel,
        start=start.name,
        end=end.name,
        optional=True,
    )


LINK_FILES: Final[tuple[FileSpec, ...]] = (
    _link(
        "review_themes",
        RelType.RAISES,
        "Themes a review raises.",
        Column("review_id", STR, True, "Review.", ref="reviews"),
        Column("theme_id", STR, True, "Theme key.", ref="themes"),
        Column("evidence", STR, False, "Phrase or score that tagged it."),
    ),
    _link(
        "recommendation_themes",
        RelType.TAGGED,
        "Themes a recommendation is about.",
        Column("recommendation_id", STR, True, "Recommendation.", ref="recommendations"),
        Column("theme_id", STR, True, "Theme key.", ref="themes"),
        Column("evidence", STR, False, "Phrase or score that tagged it."),
    ),
    _link(
        "recommendation_agencies",
        RelType.ADDRESSED_TO,
        "Agencies a recommendation is addressed to.",
        Column("recommendation_id", STR, True, "Recommendation.", ref="recommendations"),
        Column("agency_id", STR, True, "Agency.", ref="agencies"),
    ),
    _link(
        "board_succession",
        RelType.SUCCEEDED_BY,
        "Board succession (the 2019 reform: an LSCB succeeded by a partnership).",
        Column("from_board_id", STR, True, "Board that ended.", ref="boards"),
        Column("to_board_id", STR, True, "Board that succeeded it.", ref="boards"),
        Column("year", YEAR, False, "Year of succession."),
    ),
)

FILES: Final[tuple[FileSpec, ...]] = ENTITY_FILES + LINK_FILES
FILE_BY_NAME: Final = {f.name: f for f in FILES}
REQUIRED_FILES: Final = tuple(f.name for f in FILES if not f.optional)
EXTENSIONS: Final = (".csv", ".jsonl")
METADATA_FILE: Final = "corpus.json"

# The label of the node each entity file's ids name (for look-ups in the graph).
LABEL_OF: Final = {f.name: f.label for f in ENTITY_FILES if f.label is not None}

# Write order: every relationship's endpoints exist before the relationship is written.
WRITE_ORDER: Final = (
    "boards",
    "agencies",
    "themes",
    "reviews",
    "recommendations",
    "actions",
    "audits",
)

METADATA_FIELDS: Final = {
    "name": (STR, True, "Name of the corpus."),
    "synthetic": ("bool", True, "True when the data is invented (the generator says so)."),
    "seed": (INT, False, "Generator seed."),
    "scale": (STR, False, "Generator scale: demo, national or large."),
    "taxonomy_version": (INT, False, "Theme taxonomy version the corpus uses."),
    "generated": (STR, False, "Note on how the corpus was made."),
    "generator": (STR, False, "Program and version that made it."),
}


# -- JSON Schema ---------------------------------------------------------------------------

_JSON_TYPES: Final[dict[str, dict[str, Any]]] = {
    STR: {"type": "string"},
    INT: {"type": "integer"},
    YEAR: {"type": "integer", "minimum": FIRST_YEAR},
    DATE: {"type": "string", "format": "date"},
    LIST: {"type": "array", "items": {"type": "string"}},
    "bool": {"type": "boolean"},
}


def _column_schema(c: Column) -> dict[str, Any]:
    s: dict[str, Any] = dict(_JSON_TYPES[c.type])
    if c.enum:
        s["enum"] = list(c.enum)
    desc = c.description
    if c.ref:
        desc = f"{desc} Names an id in `{c.ref}` (or a node already in the graph)."
    s["description"] = desc.strip()
    if c.type == STR and c.required:
        s["minLength"] = 1
    return s


def _record_schema(spec: FileSpec) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for c in spec.columns:
        s = _column_schema(c)
        if not c.required:
            s = {"anyOf": [s, {"type": "null"}], "description": s.pop("description")}
        props[c.name] = s
    return {
        "type": "object",
        "description": spec.description,
        "properties": props,
        "required": [c.name for c in spec.columns if c.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of one record of each corpus file, and of `corpus.json`."""
    meta_props = {
        name: {**_JSON_TYPES[t], "description": d} for name, (t, _, d) in METADATA_FIELDS.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "scrgraph/corpus.schema.json",
        "title": "scrgraph corpus",
        "description": "One record (a JSON Lines line, or a CSV row with these columns) of each "
        "file of a scrgraph corpus, and the corpus.json metadata. Generated from "
        "loaders.models; do not edit by hand.",
        "$defs": {
            **{spec.name: _record_schema(spec) for spec in FILES},
            "corpus.json": {
                "type": "object",
                "properties": meta_props,
                "required": [n for n, (_, req, _) in METADATA_FIELDS.items() if req],
                "additionalProperties": True,
            },
        },
    }


def json_schema_text() -> str:
    """The JSON Schema as the committed file's text."""
    return json.dumps(json_schema(), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


# -- documentation -------------------------------------------------------------------------

_TYPE_WORDS: Final = {
    STR: "text",
    INT: "whole number",
    YEAR: f"year ({FIRST_YEAR} to this year)",
    DATE: "date, YYYY-MM-DD",
    LIST: f"list of text (CSV: separated by `{LIST_SEPARATOR}`)",
}


def format_tables() -> str:
    """The Markdown tables of every corpus file's columns, as docs/data-format.md shows them."""
    out: list[str] = []
    for spec in FILES:
        kind = (
            f"one `{spec.label.value}` node per row"
            if spec.label is not None
            else f"one `{spec.rel.value if spec.rel else ''}` relationship per row"
        )
        need = "optional" if spec.optional else "required"
        out.append(f"### `{spec.name}` ({need}; {kind})\n\n{spec.description}\n")
        out.append("| column | type | required | meaning |")
        out.append("|---|---|---|---|")
        for c in spec.columns:
            meaning = c.description
            if c.enum:
                meaning += " One of: " + ", ".join(f"`{v}`" for v in c.enum) + "."
            if c.ref:
                meaning += f" An id from `{c.ref}`, or already in the graph."
            req = "yes" if c.required else ""
            out.append(f"| `{c.name}` | {_TYPE_WORDS[c.type]} | {req} | {meaning} |")
        out.append("")
    return "\n".join(out)
