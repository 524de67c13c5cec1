"""Action plans as partnerships keep them: `scrgraph load plan.xlsx --review ID` (or a .csv).

A plan is a spreadsheet with a row per action and columns in the partnership's own words and
order: *Rec no.*, *Action*, *Lead agency*, *Timescale*, *Progress*, *RAG*, *Evidence of
impact* and the like. The reader finds the header row (title rows above it, blank rows and
key sheets are passed over), maps each column to a field by its header (`HEADER_RULES`; a
mapping file overrides it), fills vertically merged cells down, and turns every row into an
Action of the review's recommendation whose number the row names ("1", "R1", "Rec 1",
"Recommendation 1.2", "3(a)"). Progress words and RAG ratings become one of graph_schema's
ACTION_STATUSES (`plan_status`); a timescale that is a date becomes the due date, and one
that is not ("Ongoing", "Q3") is kept out and listed as a warning.

Every row is checked before anything is written. A row that names no recommendation of the
review, an empty action, a RAG cell that is not a rating, a missing column or a file that is
not a readable spreadsheet is refused with file, sheet, row, column and what was expected,
and nothing of the plan is written. The plan is written in one transaction with a LoadRun
whose id hashes the file, the review and the mapping: loading it again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import time
import tomllib
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from graph_schema import Label, RelType
from graph_store.base import Batch, GraphStore, NodeWrite, RelWrite, Row
from loaders.action_status import (
    RAG_EXPECTED,
    plan_status,
    progress_status,
    rag_colour,
)
from loaders.extract.agencies import AgencyDetector
from loaders.extract.batch import slug
from loaders.extract.document import _MONTHS, due_date
from loaders.load import (
    LoadReport,
    Progress,
    _file_sha256,
    _now,
    _refuse,
    _tally_batches,
    _write_all,
)
from loaders.pfd_table import name_sector
from scrgraph.errors import InputError

SUFFIXES: Final = (".xlsx", ".csv")
FIELDS: Final = (
    "recommendation",
    "action",
    "lead",
    "timescale",
    "progress",
    "rag",
    "evidence",
    "completed",
)
REQUIRED_FIELDS: Final = ("recommendation", "action")
# How far down a sheet the header row may be (title rows, a logo, the review's name above it).
HEADER_SEARCH_ROWS: Final = 30

# Header words, to a field; the first rule that matches a header wins, and each field takes
# the first column that matches it. "number" and "recommendation" both feed the
# recommendation field: a "Rec no." column is preferred to a column of recommendation text.
HEADER_RULES: Final = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "completed",
            r"\b(?:date|when)\s+(?:completed|closed|achieved|signed\s+off)\b"
            r"|\b(?:completed|closed)\s+(?:on|date)\b|\bactual\s+(?:completion|end)\b",
        ),
        ("rag", r"\bb?rag\b|\brating\b|\bred\s*amber\s*green\b"),
        (
            "evidence",
            r"\bevidence\b|\bimpact\b|\boutcomes?\b|\bsuccess\b|\bmeasures?\b|\bhow\s+will\s+we\s+know\b",
        ),
        (
            "timescale",
            r"\btimescales?\b|\btime\s*frames?\b|\bdue\b|\bdeadline\b|\bby\s+when\b|\bdate\b"
            r"|\bwhen\b|^target$",
        ),
        (
            "lead",
            r"\blead\b|\bowners?\b|\bresponsib\w*|\baccountable\b|\bby\s+whom\b|\bwho\b"
            r"|\bagenc(?:y|ies)\b|\borganisations?\b|\bpartners?\b",
        ),
        ("progress", r"\bprogress\b|\bupdates?\b|\bstatus\b|\bposition\b|\bcomment(?:s|ary)?\b"),
        (
            "number",
            r"^(?:(?:rec|recommendation)s?\s*)?(?:no|number|num|ref|reference|#|id)$|^(?:rec|r|item)$",
        ),
        ("action_lead", r"^(?:agreed\s+|planned\s+|smart\s+|key\s+)?actions?\b"),
        ("recommendation", r"\brec(?:ommendation)?s?\b"),
        (
            "action",
            r"\bactions?\b|\bwhat\s+will\s+(?:be\s+done|we\s+do)\b|\bactivit(?:y|ies)\b|\btasks?\b",
        ),
    )
)

# A reference to a recommendation: "1", "R1", "Rec 1", "Rec. no. 2", "Recommendation 1.2",
# "3(a)", "4b"; what follows the number (": The partnership should ...") is ignored.
_REC_REF: Final = re.compile(
    r"^\s*(?:(?:recommendations?|recs?|r|no|number|item|ref)(?![a-z])\.?\s*)?"
    r"(?:(?:no|number)(?![a-z])\.?\s*)?[#:.\-]?\s*"
    r"(\d{1,3}(?:\.\d{1,3})*(?:\s*\([a-z]\)|[a-z](?![a-z]))?)",
    re.I,
)


@dataclass(frozen=True)
class Owner:
    """The agency that leads an action: its id, name and sector, and whether it is new."""

    id: str
    name: str
    sector: str
    known: bool  # already in the store as an addressee of the review's recommendations


@dataclass
class PlanRow:
    """One row of the plan, checked and linked to its recommendation."""

    sheet: str
    row: int  # the spreadsheet's own row number (1-based, the header included)
    recommendation_id: str
    number: str  # as the row wrote it
    action: str
    status: str
    owner: Owner | None = None
    due: dt.date | None = None
    completed: dt.date | None = None
    progress: str = ""
    rag: str = ""
    evidence: str = ""


@dataclass
class Sheet:
    """A sheet's cells (merged cells filled down) and the RAG colour of filled cells."""

    name: str
    rows: list[list[Any]]
    colours: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 1-based


@dataclass
class PlanMapping:
    """A mapping file: the sheet to read, its header row, and headers for fields."""

    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    sheet: str | None = None
    header_row: int | None = None

    def canonical(self) -> str:
        return json.dumps(
            {"columns": self.columns, "sheet": self.sheet, "header_row": self.header_row},
            sort_keys=True,
        )


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[str] = []

    def add(
        self,
        reason: str,
        sheet: str | None = None,
        row: int | None = None,
        col: int | None = None,
        header: str | None = None,
    ) -> None:
        where = [self.file]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if col is not None:
            where.append(f"column {column_letter(col)}" + (f" {header!r}" if header else ""))
        self.items.append(", ".join(where) + ": " + reason)


def column_letter(col: int) -> str:
    """A 1-based column number as a spreadsheet letter: 1 -> A, 28 -> AB."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def _norm_header(value: Any) -> str:
    text = "" if value is None else str(value).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", text).split())


def classify_header(value: Any) -> str | None:
    """The field a header names by `HEADER_RULES` ("number" for a recommendation number)."""
    text = _norm_header(value)
    if not text:
        return None
    for name, pattern in HEADER_RULES:
        if pattern.search(text):
            return "action" if name == "action_lead" else name
    return None


def rec_key(text: str) -> str | None:
    """A recommendation reference as a key to compare numbers by: "Rec 3(a)" -> "3a"."""
    keys = rec_keys(text)
    return keys[0] if keys else None


_MORE_REFS: Final = re.compile(
    r"\s*(?:,|&|\band\b|/|;|\+)\s*(?:(?:recommendations?|recs?|r)(?![a-z])\.?\s*)?"
    r"(\d{1,3}(?:\.\d{1,3})*(?:\s*\([a-z]\)|[a-z](?![a-z]))?)",
    re.I,
)


def rec_keys(text: str) -> list[str]:
    """Every recommendation a cell names: "1", "R1 and R2" -> ["1", "2"]; [] for none."""
    m = _REC_REF.match(text)
    if m is None:
        return []
    keys = [m.group(1)]
    end = m.end()
    while more := _MORE_REFS.match(text, end):
        keys.append(more.group(1))
        end = more.end()
    return [re.sub(r"[\s()]", "", k).lower() for k in keys]


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _colour_of(rgb: str) -> str | None:
    """The RAG colour nearest a cell's fill (`FFRRGGBB`), or None for another colour."""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}", rgb):
        return None
    r, g, b = (int(rgb[-6:][i : i + 2], 16) for i in (0, 2, 4))
    if r > 180 and g < 110 and b < 110:
        return "red"
    if r > 200 and 110 <= g <= 230 and b < 120:
        return "amber"
    if g > 120 and r < 160 and b < 160:
        return "green"
    if b > 150 and r < 140:
        return "blue"
    return None


def read_mapping(path: Path | str) -> PlanMapping:
    """A mapping file (.json or .toml): `columns` (field -> header), `sheet`, `header_row`."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
        data: Any = tomllib.loads(raw) if path.suffix.lower() == ".toml" else json.loads(raw)
    except FileNotFoundError as e:
        raise InputError(f"{path}: no such mapping file") from e
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise InputError(
            f"{path}: not a readable mapping file ({e}); expected JSON or TOML such as "
            '{"columns": {"recommendation": "Ref", "action": "What we will do"}}'
        ) from e
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected an object with `columns` (and `sheet`, `header_row`)")
    problems: list[str] = []
    unknown = sorted(set(data) - {"columns", "sheet", "header_row"})
    if unknown:
        problems.append(f"unknown keys {unknown}; expected columns, sheet, header_row")
    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        problems.append("`columns` must map field names to header texts")
        columns = {}
    for k, v in columns.items():
        if k not in FIELDS:
            problems.append(f"columns: {k!r} is not a field; expected one of {', '.join(FIELDS)}")
        elif not isinstance(v, str) or not v.strip():
            problems.append(f"columns: {k!r} must name a header, as text")
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, str):
        problems.append("`sheet` must be a sheet's name, as text")
    header_row = data.get("header_row")
    if header_row is not None and (
        isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1
    ):
        problems.append("`header_row` must be a row number (1 or more)")
    if problems:
        raise InputError(f"{path}: {len(problems)} problem(s) in the mapping file", problems)
    return PlanMapping({str(k): str(v) for k, v in columns.items()}, sheet, header_row)


def _read_xlsx(path: Path, problems: _Problems) -> list[Sheet]:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # Real workbooks carry extensions openpyxl does not read (data validation,
            # conditional formats); it warns about each. The cells are read all the same.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        problems.add(
            f"not a readable .xlsx workbook ({type(e).__name__}: {e}); save it from the "
            "spreadsheet program as .xlsx (Excel workbook) or .csv"
        )
        return []
    sheets: list[Sheet] = []
    for ws in book.worksheets:
        if ws.max_row < 1 or ws.max_column < 1:
            continue
        rows: list[list[Any]] = []
        colours: dict[tuple[int, int], str] = {}
        for r, cells in enumerate(
            ws.iter_rows(min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column),
            start=1,
        ):
            rows.append([c.value for c in cells])
            for c, cell in enumerate(cells, start=1):
                fill = cell.fill
                if fill is not None and fill.fill_type == "solid" and fill.fgColor.type == "rgb":
                    colour = _colour_of(str(fill.fgColor.rgb))
                    if colour is not None:
                        colours[(r, c)] = colour
        # A merged cell holds its value in its top-left cell only: a recommendation merged
        # over the rows of its actions belongs to each of them.
        for rng in ws.merged_cells.ranges:
            if rng.max_row == rng.min_row:
                continue
            value = rows[rng.min_row - 1][rng.min_col - 1]
            colour = colours.get((rng.min_row, rng.min_col))
            for r in range(rng.min_row + 1, rng.max_row + 1):
                rows[r - 1][rng.min_col - 1] = value
                if colour is not None:
                    colours[(r, rng.min_col)] = colour
        sheets.append(Sheet(ws.title, rows, colours))
    return sheets


def _read_csv(path: Path, problems: _Problems) -> list[Sheet]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        problems.add(f"not UTF-8 text (byte {e.start}); save it as CSV UTF-8")
        return []
    if "\x00" in text:
        problems.add("binary content, not a CSV table")
        return []
    try:
        rows: list[list[Any]] = list(csv.reader(text.splitlines(keepends=True), strict=True))
    except csv.Error as e:
        problems.add(f"not readable as CSV ({e})")
        return []
    width = max((len(r) for r in rows), default=0)
    return [Sheet(path.name, [r + [None] * (width - len(r)) for r in rows])]


def read_sheets(path: Path | str) -> list[Sheet]:
    """The sheets of a .xlsx workbook, or a .csv file as one sheet; InputError if unreadable."""
    path = Path(path)
    problems = _Problems(str(path))
    if not path.is_file():
        problems.add("no such file; give an action plan as .xlsx or .csv")
    elif path.suffix.lower() not in SUFFIXES:
        problems.add(
            f"not a .xlsx or .csv file ({path.suffix or 'no extension'}); save the action "
            "plan as an Excel workbook (.xlsx) or as CSV"
        )
    sheets: list[Sheet] = []
    if not problems.items:
        reader = _read_xlsx if path.suffix.lower() == ".xlsx" else _read_csv
        sheets = reader(path, problems)
    _raise(path, problems)
    return sheets


def _raise(path: Path, problems: _Problems) -> None:
    _refuse(path, problems.items, "Fix them (or map the columns with --mapping) and load again.")


def _columns_of(header: list[Any], mapping: PlanMapping) -> tuple[dict[str, int], list[str]]:
    """Field -> 1-based column, by the mapping first, then by header words; unmapped headers."""
    texts = [_norm_header(h) for h in header]
    out: dict[str, int] = {}
    for name, wanted in mapping.columns.items():
        want = _norm_header(wanted)
        if want in texts:
            out[name] = texts.index(want) + 1
    taken = set(out.values())
    by_rule: dict[str, int] = {}
    unread: list[str] = []
    for c, h in enumerate(header, start=1):
        if c in taken or not texts[c - 1]:
            continue
        kind = classify_header(h)
        if kind is None or kind in by_rule or kind in out:
            unread.append(cell_text(h))
            continue
        by_rule[kind] = c
    number, text = by_rule.pop("number", None), by_rule.pop("recommendation", None)
    first = number if number is not None else text
    if "recommendation" not in out and first is not None:
        out["recommendation"] = first
        if number is not None and text is not None:
            unread.append(cell_text(header[text - 1]))
    for name, c in by_rule.items():
        out.setdefault(name, c)
    return out, unread


def _header_row(sheet: Sheet, mapping: PlanMapping) -> int | None:
    """The 1-based row that looks like an action plan's header, within HEADER_SEARCH_ROWS.

    A header the mapping names counts as the field it maps.
    """
    mapped = {_norm_header(h): name for name, h in mapping.columns.items()}
    for r, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        names = [mapped.get(_norm_header(c)) or classify_header(c) for c in cells if cell_text(c)]
        found = {n for n in names if n is not None}
        if len(found) >= 3 or (len(found) >= 2 and found & {"action", "number", "recommendation"}):
            return r
    return None


@dataclass
class _Context:
    """What rows are checked against: the review's recommendations and its agencies."""

    review_id: str
    by_key: dict[str, list[Row]]  # rec_key(number) -> recommendations
    numbers: list[str]
    agencies: list[Row]
    detector: AgencyDetector


def _link(
    text: str, ctx: _Context, problems: _Problems, where: tuple[str, int, int, str]
) -> list[Row] | None:
    """The recommendations a cell names (an action answering two gives two); None if any
    cannot be linked, with the problem added."""
    keys = rec_keys(text)
    if not keys:
        problems.add(
            f"{text[:60]!r} names no recommendation; expected the number of one of review "
            f"{ctx.review_id}'s recommendations (such as 1, R1, Rec 1 or 1.2)",
            *where,
        )
        return None
    linked: list[Row] = []
    for key in dict.fromkeys(keys):
        found = ctx.by_key.get(key, [])
        if len(found) == 1:
            linked.append(found[0])
        elif found:
            problems.add(
                f"{text[:60]!r}: {len(found)} recommendations of review {ctx.review_id} have "
                f"the number {key} ({', '.join(sorted(str(r['id']) for r in found))}); the row "
                "cannot say which",
                *where,
            )
        else:
            shown = ", ".join(ctx.numbers[:20]) + (" ..." if len(ctx.numbers) > 20 else "")
            problems.add(
                f"{text[:60]!r} names recommendation {key}, which review {ctx.review_id} does "
                f"not have; expected one of its numbers: {shown}",
                *where,
            )
    return linked if len(linked) == len(dict.fromkeys(keys)) else None


def _owner(text: str, ctx: _Context) -> Owner | None:
    """The agency a lead cell names: the review's own addressee, else the gazetteer's."""
    if not text:
        return None
    low = text.lower()
    for a in ctx.agencies:
        name = str(a.get("name") or "")
        if name and (slug(name) == slug(text) or name.lower() in low):
            return Owner(str(a["id"]), name, str(a.get("sector")), known=True)
    named = ctx.detector.detect(text)
    if named:
        return Owner(slug(named[0].name), named[0].name, named[0].sector, known=False)
    sector = name_sector(text)
    if sector is not None and slug(text):
        return Owner(slug(text), text, sector, known=False)
    return None


# What spreadsheets print dates as, beside what `due_date` reads: "31/03/24", "Mar-24".
_SHORT_DATE: Final = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2})\s*$")
_SHORT_MONTH: Final = re.compile(
    r"^\s*(?:(\d{1,2})[- ])?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[- ](\d{2})\s*$",
    re.I,
)


def timescale_date(value: Any) -> dt.date | None:
    """A timescale cell as a date: a date cell; "31/03/2024", "2024-03-31", "31 March 2024";
    a month ("March 2024", "Mar-24") as its last day; "31/03/24". None for anything else
    ("Ongoing", "Q3 2024", "Within 6 months")."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    found = due_date(text)
    if found is not None:
        return found
    try:
        if m := _SHORT_DATE.match(text):
            return dt.date(2000 + int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := _SHORT_MONTH.match(text):
            year = 2000 + int(m.group(3))
            month = _MONTHS.index(m.group(2).lower()) + 1
            if m.group(1):
                return dt.date(year, month, int(m.group(1)))
            return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    except ValueError:
        return None
    return None


def read_action_plan(
    path: Path | str,
    *,
    review_id: str,
    recommendations: list[Row],
    agencies: list[Row] | None = None,
    mapping: PlanMapping | None = None,
    detector: AgencyDetector | None = None,
) -> tuple[list[PlanRow], list[str]]:
    """Every row of the plan, checked and linked; raises InputError listing every problem.

    `recommendations` are the review's (each with `id` and `number`); `agencies` those its
    recommendations are addressed to (`id`, `name`, `sector`), which a lead cell is matched
    to first. Returns the rows and the warnings (timescales that are not dates, leads that
    name no known agency, columns and rows not read).
    """
    path = Path(path)
    mapping = mapping or PlanMapping()
    if not recommendations:
        raise InputError(
            f"review {review_id} has no recommendations, so an action plan has nothing to "
            "answer; load the review's document (or corpus) with its recommendations first"
        )
    by_key: dict[str, list[Row]] = {}
    for r in recommendations:
        key = rec_key(str(r.get("number", "")))
        if key is not None:
            by_key.setdefault(key, []).append(r)
    ctx = _Context(
        review_id,
        by_key,
        sorted({str(r.get("number")) for r in recommendations}),
        agencies or [],
        detector or AgencyDetector(),
    )
    sheets = read_sheets(path)
    problems = _Problems(str(path))
    warned: list[str] = []
    if mapping.sheet is not None:
        names = [s.name for s in sheets]
        if mapping.sheet not in names:
            problems.add(f"no sheet {mapping.sheet!r} (the mapping's sheet); it has {names}")
        sheets = [s for s in sheets if s.name == mapping.sheet]
    rows: list[PlanRow] = []
    read_any = False
    for sheet in sheets:
        header = mapping.header_row or _header_row(sheet, mapping)
        if header is None or header > len(sheet.rows):
            if mapping.sheet is not None or mapping.header_row is not None:
                problems.add(
                    f"no row {header} to read the header from"
                    if header
                    else "no header row with the plan's columns was found",
                    sheet.name,
                )
            elif any(cell_text(c) for r in sheet.rows for c in r):
                warned.append(
                    f"{path}, sheet {sheet.name!r}: not read: no header row naming a "
                    f"recommendation and an action in its first {HEADER_SEARCH_ROWS} rows"
                )
            continue
        read_any = True
        rows.extend(_read_sheet(path, sheet, header, mapping, ctx, problems, warned))
    if not read_any and not problems.items:
        problems.add(
            "no sheet has an action plan's header row (such as Recommendation | Action | "
            f"Lead agency | Timescale | Progress | RAG status) in its first {HEADER_SEARCH_ROWS} "
            "rows; map the columns with --mapping"
        )
    if read_any and not rows and not problems.items:
        problems.add("no actions: the plan has a header and no rows")
    _raise(path, problems)
    return rows, warned


def _read_sheet(
    path: Path,
    sheet: Sheet,
    header: int,
    mapping: PlanMapping,
    ctx: _Context,
    problems: _Problems,
    warned: list[str],
) -> list[PlanRow]:
    head = sheet.rows[header - 1]
    cols, unread = _columns_of(head, mapping)
    for name, wanted in mapping.columns.items():
        if name not in cols:
            problems.add(
                f"no column headed {wanted!r} (the mapping's {name}); the header has "
                f"{[cell_text(h) for h in head if cell_text(h)]}",
                sheet.name,
                header,
            )
    missing = [f for f in REQUIRED_FIELDS if f not in cols]
    for name in missing:
        example = "Recommendation, Rec no. or Ref" if name == "recommendation" else "Action"
        problems.add(
            f"missing column: no header names the {name} (such as {example}); the header "
            f"has {[cell_text(h) for h in head if cell_text(h)]}; map it with --mapping",
            sheet.name,
            header,
        )
    if missing:
        return []
    if unread:
        warned.append(f"{path}, sheet {sheet.name!r}: columns not read: {', '.join(unread)}")

    def cell(cells: list[Any], name: str) -> Any:
        c = cols.get(name)
        return cells[c - 1] if c is not None and c <= len(cells) else None

    def header_of(name: str) -> str:
        return cell_text(head[cols[name] - 1])

    def warn(name: str, r: int, text: str) -> None:
        column = f"column {column_letter(cols[name])} {header_of(name)!r}"
        warned.append(f"{path}, sheet {sheet.name!r}, row {r}, {column}: {text}")

    body = list(enumerate(sheet.rows[header:], start=header + 1))
    brag = any(
        rag_colour(cell_text(cell(cells, "rag"))) == "blue"
        or sheet.colours.get((r, cols.get("rag", 0))) == "blue"
        for r, cells in body
    )
    out: list[PlanRow] = []
    # The recommendation of the rows above: a blank recommendation cell continues it (merged
    # cells exported to CSV, or a plan that names each recommendation once).
    section: tuple[str, list[Row]] | None = None
    for r, cells in body:
        filled = [c for c in cells if cell_text(c)]
        if not filled or [_norm_header(c) for c in cells] == [_norm_header(h) for h in head]:
            continue  # a blank row, or the header repeated (a CSV printed page by page)
        if len(filled) == 1 and not cell_text(cell(cells, "action")):
            # A heading row ("Recommendation 2: ...") over the actions that answer it.
            text = cell_text(filled[0])
            key = rec_key(text)
            in_rec_col = cells.index(filled[0]) + 1 == cols["recommendation"]
            if key is not None and (in_rec_col or re.match(r"\s*(?:rec|r(?=\d))", text, re.I)):
                target = _link(text, ctx, problems, (sheet.name, r, cells.index(filled[0]) + 1, ""))
                if target is not None:
                    section = (text, target)
                continue
            warned.append(f"{path}, sheet {sheet.name!r}, row {r}: not read: {text[:60]!r}")
            continue
        rec_cell = cell_text(cell(cells, "recommendation"))
        where = (sheet.name, r, cols["recommendation"], header_of("recommendation"))
        if rec_cell:
            target = _link(rec_cell, ctx, problems, where)
            section = None if target is None else (rec_cell, target)
        elif section is not None:
            rec_cell, target = section
        else:
            problems.add(
                "empty, and no row above names a recommendation; expected the number of the "
                "recommendation the action answers (such as 1, R1 or Rec 1)",
                *where,
            )
            target = None
        action = cell_text(cell(cells, "action"))
        if not action:
            problems.add(
                "empty; every row needs the action it plans",
                sheet.name,
                r,
                cols["action"],
                header_of("action"),
            )
        progress = cell_text(cell(cells, "progress"))
        rag = cell_text(cell(cells, "rag"))
        if not rag and "rag" in cols:
            rag = sheet.colours.get((r, cols["rag"]), "")
        status = plan_status(progress, rag, brag=brag)
        if status is None:
            problems.add(
                f"{rag[:40]!r} is not a RAG rating; expected {RAG_EXPECTED}",
                sheet.name,
                r,
                cols["rag"],
                header_of("rag"),
            )
        if target is None or not action or status is None:
            continue
        if progress and not rag and progress_status(progress) is None:
            warn("progress", r, f"{progress[:40]!r} names no status; taken as not_started")
        timescale = cell(cells, "timescale")
        due = timescale_date(timescale)
        if due is None and cell_text(timescale):
            warn(
                "timescale",
                r,
                f"{cell_text(timescale)[:40]!r} is not a date; the action has no due date",
            )
        done_cell = cell(cells, "completed")
        completed = timescale_date(done_cell) if status == "completed" else None
        if status == "completed" and completed is None and cell_text(done_cell):
            warn(
                "completed",
                r,
                f"{cell_text(done_cell)[:40]!r} is not a date; no completion date kept",
            )
        lead = cell_text(cell(cells, "lead"))
        owner = _owner(lead, ctx)
        if lead and owner is None:
            warn(
                "lead", r, f"{lead[:40]!r} is not an agency scrgraph knows; the action has no owner"
            )
        out.extend(
            PlanRow(
                sheet=sheet.name,
                row=r,
                recommendation_id=str(rec["id"]),
                number=rec_cell,
                action=action,
                status=status,
                owner=owner,
                due=due,
                completed=completed,
                progress=progress,
                rag=rag,
                evidence=cell_text(cell(cells, "evidence")),
            )
            for rec in target
        )
    return out


def action_id(recommendation_id: str, ordinal: int) -> str:
    """The key of the `ordinal`-th plan action (1-based, in plan order) of a recommendation."""
    return f"{recommendation_id}-plan-{ordinal}"


def plan_batch(
    rows: list[PlanRow],
    *,
    source_id: str,
    source_file: str,
    run_id: str,
    detector: AgencyDetector,
) -> Batch:
    """The graph writes of a plan's rows: Actions, their new Agencies, and the links."""
    actions: list[Row] = []
    agencies: dict[str, Row] = {}
    sectors: dict[str, Row] = {}
    responds: list[Row] = []
    owned: list[Row] = []
    ordinal: Counter[str] = Counter()
    stamp = {"source_file": source_file, "load_run": run_id}
    for pr in rows:
        ordinal[pr.recommendation_id] += 1
        aid = action_id(pr.recommendation_id, ordinal[pr.recommendation_id])
        owner = pr.owner
        if owner is not None:
            owned.append({"start": aid, "end": owner.id, "props": {}})
            if not owner.known:
                agencies[owner.id] = {
                    "id": owner.id,
                    "name": owner.name,
                    "sector": owner.sector,
                    **stamp,
                }
                sectors[owner.sector] = {
                    "id": owner.sector,
                    "label": detector.sector_label(owner.sector),
                }
        actions.append(
            {
                "id": aid,
                "recommendation_id": pr.recommendation_id,
                "owner_agency_id": owner.id if owner else None,
                "description": pr.action,
                "due_date": pr.due.isoformat() if pr.due else None,
                "status": pr.status,
                "completed_date": pr.completed.isoformat() if pr.completed else None,
                "progress": "; ".join(x for x in (pr.progress, pr.rag) if x) or None,
                "evidence": pr.evidence or None,
                **stamp,
                "source_line": pr.row,
            }
        )
        responds.append({"start": aid, "end": pr.recommendation_id, "props": {}})
    batch = Batch(
        nodes=[
            NodeWrite(Label.SECTOR, list(sectors.values())),
            NodeWrite(Label.AGENCY, list(agencies.values())),
            NodeWrite(Label.ACTION, actions),
        ],
        rels=[
            RelWrite(
                RelType.IN_SECTOR,
                [{"start": k, "end": v["sector"], "props": {}} for k, v in agencies.items()],
            ),
            RelWrite(RelType.RESPONDS_TO, responds),
            RelWrite(RelType.OWNED_BY, owned),
            RelWrite(RelType.LOADED, [{"start": run_id, "end": source_id, "props": {}}]),
        ],
    )
    batch.nodes = [nw for nw in batch.nodes if nw.rows]
    batch.rels = [rw for rw in batch.rels if rw.rows]
    return batch


def _neighbours(store: GraphStore, edge: str, ids: list[str]) -> list[Row]:
    """The nodes along a named edge (queries' `entities.neighbours`) of every id, as admin."""
    from queries import ADMIN, run
    from queries.entities import MAX_IDS

    out: list[Row] = []
    for i in range(0, len(ids), MAX_IDS):
        found = run(
            store, "entities.neighbours", {"edge": edge, "ids": ids[i : i + MAX_IDS]}, ADMIN
        )
        out.extend(x["node"] for links in found.values() for x in links)
    return out


def review_context(store: GraphStore, review_id: str) -> tuple[list[Row], list[Row]]:
    """The review's recommendations and the agencies they are addressed to, from the store."""
    if not store.get_nodes(Label.REVIEW, [review_id]):
        raise InputError(
            f"no review with the id {review_id!r} in the store; list the reviews with "
            "`scrgraph query entities.list --param label=Review --role admin` and give one's id to "
            "--review"
        )
    recs = _neighbours(store, "review.recommendations", [review_id])
    agencies = {
        str(a["id"]): a
        for a in _neighbours(store, "recommendation.agencies", [str(r["id"]) for r in recs])
    }
    return recs, [agencies[k] for k in sorted(agencies)]


def earlier_plan_actions(store: GraphStore, recs: list[Row]) -> set[str]:
    """Keys of the actions that plans loaded before wrote for these recommendations."""
    ids = [str(r["id"]) for r in recs]
    actions = _neighbours(store, "recommendation.actions", ids)
    prefixes = tuple(f"{i}-plan-" for i in ids)
    return {str(a["id"]) for a in actions if str(a["id"]).startswith(prefixes)}


def load_action_plan(
    store: GraphStore,
    path: Path | str,
    *,
    review: str,
    mapping: Path | str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Check every row of the plan against the review's recommendations, then (unless
    `dry_run`) write its Actions in one transaction. Loading the same plan again changes
    nothing. Raises InputError, before anything is written, on any problem.
    """
    path = Path(path)
    t0 = time.perf_counter()
    started_at = _now()
    plan_mapping = read_mapping(mapping) if mapping is not None else PlanMapping()
    recs, agencies = review_context(store, review)
    detector = AgencyDetector()
    rows, warned = read_action_plan(
        path,
        review_id=review,
        recommendations=recs,
        agencies=agencies,
        mapping=plan_mapping,
        detector=detector,
    )
    sha = _file_sha256(path)
    digest = hashlib.sha256(
        f"{sha}|plan|review={review}|mapping={plan_mapping.canonical()}".encode()
    ).hexdigest()
    run_id = f"run-{digest[:16]}"
    source_id = f"action-plan/{review}/{path.name}"
    source: Row = {
        "id": source_id,
        "file": str(path),
        "kind": path.suffix.lower().lstrip("."),
        "rows": len(rows),
        "sha256": sha,
        "load_run": run_id,
    }
    batch = plan_batch(
        rows, source_id=source_id, source_file=path.name, run_id=run_id, detector=detector
    )
    kept = sorted(
        earlier_plan_actions(store, recs)
        - {str(a["id"]) for nw in batch.nodes if nw.label == Label.ACTION for a in nw.rows}
    )
    if kept:
        warned.append(
            f"{path}: {len(kept)} action(s) that an earlier plan wrote for review {review}'s "
            f"recommendations are not in this plan; they are kept as they were: "
            + ", ".join(kept[:10])
            + (" ..." if len(kept) > 10 else "")
        )
    batch.nodes.insert(0, NodeWrite(Label.SOURCE, [source]))
    batch.nodes.append(
        NodeWrite(Label.LOAD_RUN, [{"id": run_id, "path": str(path), "started_at": started_at}])
    )
    report = LoadReport(
        run_id=run_id,
        path=str(path),
        dry_run=dry_run,
        counts={path.name: len(rows)},
        warnings=warned,
    )
    _tally_batches(report, [batch])
    if not dry_run:
        # One batch: the whole plan lands in one transaction, or none of it does.
        _write_all(store, [batch], progress, run_id, str(path), started_at, report)
    report.duration = time.perf_counter() - t0
    return report
