"""Finding a review's own recommendations in its lines.

The reader walks the lines once with a small state machine. Recommendations are taken
from recommendation sections (a heading such as "Recommendations" or "7. Recommendations
for the Board") and, anywhere else, from explicitly labelled lines ("Recommendation 3:").
It skips contents pages, and sections that quote other work: a literature review, previous
reviews, research questions, questionnaires, terms of reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from loaders.extract.reading import Line, join_hyphenated

# --- line shapes ---------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUMBERED_HEADING = re.compile(
    r"^(?:(?:part|section|chapter)\s+)?(\d{1,2}(?:\.\d{1,2})*|[ivx]{1,4}|[A-Z])[.):]?\s+(.+)$",
    re.I,
)
_CONTENTS_ENTRY = re.compile(
    r"(?:\.{3,}|…+|\s\.\s\.|_{3,}|\t|\s{2,})\s*\d{1,3}\s*$|^\D.{0,70}\s\d{1,3}$"
)
_LABEL = re.compile(
    r"^recommendation\s+(?:no\.?\s*|number\s+)?(\d{1,3}[a-z]?)\b\s*(?:[:.)\-–—]\s*)?(.*)$", re.I
)
_R_FORM = re.compile(r"^R\s?(\d{1,3}[a-z]?)\s*(?:[:.)\-–—]\s*|\s+)(.*)$")
_NUM_FORM = re.compile(
    r"^(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.):]\s+(.*)$|^(\d{1,2})\s+[-–—]\s+(.*)$"
    r"|^(\d{1,2}(?:\.\d{1,2}){1,2})\s+(.*)$"
)
_PAREN_FORM = re.compile(r"^\((\d{1,3})\)\s+(.*)$")
_BULLET = re.compile(
    r"^(?:[-•*·▪◦–]|\(?[a-z]\)|[a-z]\.|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\))\s+"
)
_LETTER_ITEM = re.compile(r"^\(?([a-z])[.)]\s+(?=[A-Z])(.*)$")
_ROMAN_ITEM = re.compile(r"^\(?(i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)[.)]\s+(?=[A-Z])(.*)$")
_ROMAN_ORDER: Final = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")
_INLINE_LIST = re.compile(
    r"\b(?:the\s+)?(?:(?:main|key|following)\s+)?recommendations\s+(?:include|are|made\s+are)"
    r"\s*:\s*(.+)$",
    re.I,
)
_QUOTED_LIST = re.compile(
    r"\b(?:previous|earlier|prior|other|national|its|their|whose|(?:\w+['’]s)|report|"
    r"review|study|inquiry|inspection)\s+(?:\w+\s+){0,2}recommendations\b",
    re.I,
)
_OWN_LIST = re.compile(
    r"\b(?:this|the|our)\s+(?:review|report|panel)(?:['’]s)?\s+(?:\w+\s+){0,1}recommendations\b",
    re.I,
)
_TOP_BULLET = re.compile(r"^\s{0,1}([-•*·▪])\s+(?=\S)")
_MD_TABLE = re.compile(r"^\s*\|.*\|\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TEXT_RULE = re.compile(r"^(?=.*[-=_]{3})[\s\-=+_|]+$")
_TABLE_NUMBER = re.compile(r"^(?:r|rec(?:ommendation)?\.?\s*|no\.?\s*)?(\d{1,3}[a-z]?)[.)]?$", re.I)
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MODAL = re.compile(r"\b(should|must|will|shall|to ensure|needs to|are asked|is asked)\b", re.I)
_RUNS_ON = re.compile(
    r"^(?:this|these|that|such|it|they|in\s+particular|for\s+example|"
    r"including|to\s+do\s+this|as\s+part\s+of\s+this)\b",
    re.I,
)
_TERMINAL = (".", "!", "?", ";", ":", ")")
_PREAMBLE = re.compile(
    r"\b(following recommendations|recommendations (are|below|follow|have been)|"
    r"makes? (the following|\w+) recommendations?|recommendations? (is|are) made)\b",
    re.I,
)

_REC_WORD = re.compile(r"\brecommendations?\b", re.I)
_TABLE_WORD = re.compile(r"\b(?:recommendations?|actions?)\b", re.I)
_QUOTING = re.compile(
    r"\b(literature|research|previous|earlier|prior|other (reviews?|reports?|areas?)|"
    r"national (reviews?|studies|analys[ie]s)|biennial|triennial|questionnaire|survey|"
    r"questions?|lines of (enquiry|inquiry)|terms of reference|made by|quoted|"
    r"progress (on|against)|update on|from the .*review|studies|bibliography|references)\b",
    re.I,
)
_ENDING_KEYWORDS: Final = re.compile(
    r"^(appendix|appendices|annex|references|bibliography|glossary|conclusions?|"
    r"introduction|background|methodology|method|findings?|summary|acknowledg\w*|"
    r"terms of reference|next steps|action plan|contents|table of contents|the family|"
    r"family background|chronology|analysis|context|lessons|good practice|response|"
    r"partnership response|board response|signature|about the author|the author|"
    r"author|endnotes?|notes|glossary of terms|abbreviations|learning|key learning|"
    r"key findings|concluding|closing|executive summary|overview|agency responses)\b",
    re.I,
)
# Headings of numbered lists that look like recommendations and are not: questions to
# explore, lines of enquiry, points for reflection. (Findings and learning end a
# recommendations section but do not block it: "Finding 1 ... Recommendation 1" is common.)
_DECOY_HEADING: Final = re.compile(
    r"^(?:\w+\s+){0,3}?(?:(?:areas?|issues?|matters?)\s+for\s+(?:further\s+)?"
    r"(?:exploration|consideration|discussion|reflection)|(?:further\s+|key\s+|research\s+)?"
    r"questions?\b|lines?\s+of\s+(?:enquiry|inquiry)|terms\s+of\s+reference|"
    r"points?\s+for\s+reflection)",
    re.I,
)
_CONTENTS_HEADING = re.compile(r"^(table of )?contents\b|^index$", re.I)
# A sentence (not a heading) that leads into a numbered list that is not recommendations:
# "The review also identified four questions for further exploration:", "Learning from this
# review includes:". The list after it is skipped until a heading, a "Recommendation N"
# line, or a paragraph that is not a list item.
_DECOY_LEAD: Final = re.compile(
    r"\b(?:questions?|areas?\s+for\s+(?:further\s+)?(?:exploration|research|consideration|"
    r"study|development|discussion|reflection)|further\s+(?:research|exploration|work|study)|"
    r"future\s+research|lines?\s+of\s+(?:enquiry|inquiry)|learning(?:\s+points?)?|lessons|"
    r"findings?|terms\s+of\s+reference|points?\s+for\s+reflection|interview\w*)\b",
    re.I,
)


def _clean(text: str) -> str:
    text = _EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _is_contents_entry(text: str) -> bool:
    s = text.strip()
    label = _LABEL.match(_clean(s))
    if label is not None and not label.group(2):
        return False  # "Recommendation 3" on its own line heads its text
    return bool(s) and bool(_CONTENTS_ENTRY.search(s)) and not s.endswith(".")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # without numbering or markdown
    number: str | None


def _heading_like(text: str) -> bool:
    """Short, no closing punctuation, starts with a capital, no modal verb."""
    t = text.strip().rstrip(":")
    if not t or not (t[0].isupper() or t[0].isdigit()):
        return False
    if t.endswith((".", ";", ",", "!", "?")):
        return False
    return _words(t) <= 10 and not _MODAL.search(t)


def _heading(line: Line, prev_blank: bool) -> Heading | None:
    raw = _clean(line.text)
    if not raw:
        return None
    md = _MD_HEADING.match(line.text.strip())
    if md:
        return Heading(len(md.group(1)), _clean(md.group(2)), None)
    if not prev_blank:
        return None
    num = _NUMBERED_HEADING.match(raw)
    if num and _heading_like(num.group(2)) and len(num.group(1)) <= 5:
        number = num.group(1)
        if number.isalpha() and len(number) == 1 and not raw.lower().startswith(("part", "sect")):
            number_ok = raw[1:2] in ".):"
            if not number_ok:
                num = None
        if num is not None:
            level = number.count(".") + 1 if number[0].isdigit() else 1
            return Heading(level, num.group(2).strip().rstrip(":"), number)
    if _heading_like(raw):
        letters = [c for c in raw if c.isalpha()]
        upper = bool(letters) and all(c.isupper() for c in letters)
        if (
            upper
            or _ENDING_KEYWORDS.match(raw)
            or _REC_WORD.search(raw)
            or _DECOY_HEADING.match(raw)
        ):
            return Heading(1 if upper else 2, raw.rstrip(":"), None)
    return None


def _is_rec_heading(h: Heading) -> bool:
    return bool(_REC_WORD.search(h.text)) and _words(h.text) <= 10


def _is_quoting_heading(h: Heading) -> bool:
    return bool(_QUOTING.search(h.text)) or bool(_DECOY_HEADING.match(h.text))


# --- items ---------------------------------------------------------------------------------


@dataclass
class RawRecommendation:
    """A recommendation as found: number, text, location and extra text for agencies."""

    number: str
    parts: list[str]
    location: str
    section: int
    context: str = ""
    closed: bool = False
    bullet: str | None = None  # marker of an unnumbered item ("-", "•")
    shape: str = ""  # "letter" or "roman" for items numbered a), b) or i., ii.
    heading: str = ""  # the recommendations heading it sits under
    also: list[str] = field(default_factory=list)  # other places the same item is listed
    addressee: str = ""  # a table's addressee column ("Lead agency"), as written
    layout: str = ""  # the layout that matched (loaders.extract.confidence.LAYOUT_SCORES)
    under: str = ""  # the recommendations heading it was found under (kept, unlike heading)

    @property
    def where(self) -> str:
        """Its location, with every other place it is listed ("line 40; also line 7")."""
        return "; also ".join([self.location, *self.also])

    @property
    def text(self) -> str:
        return _clean(" ".join(self.parts)).replace(" - ", " - ")

    def add(self, text: str) -> None:
        t = _clean(text)
        if not t:
            return
        joined = join_hyphenated(self.parts[-1], t) if self.parts else None
        if joined is not None:
            self.parts[-1] = joined  # a word hyphenated across lines
        elif (
            len(self.parts) == 1
            and t[:1].isupper()
            and _words(self.parts[0]) <= 6
            and _heading_like(self.parts[0])
            and not self.parts[0].endswith(":")
        ):
            self.parts[0] += ":"  # "1. Information sharing" then its text: a title
            self.parts.append(t)
        else:
            self.parts.append(t)


def _item_start(text: str, in_section: bool) -> tuple[str, str] | None:
    """(number, rest) if the line starts a numbered recommendation."""
    s = _clean(text)
    s = re.sub(r"^[-•*·▪]\s+", "", s) if in_section else s
    m = _LABEL.match(s)
    if m:
        return m.group(1), m.group(2)
    if not in_section:
        return None
    m = _R_FORM.match(s)
    if m and (not m.group(2) or m.group(2)[:1].isupper()):
        return m.group(1), m.group(2)
    m = _PAREN_FORM.match(s)
    if m:
        return m.group(1), m.group(2)
    m = _NUM_FORM.match(s)
    if m:
        groups = [(m.group(i), m.group(i + 1)) for i in (1, 3, 5) if m.group(i)]
        number, rest = groups[0]
        inner = _LABEL.match(rest)
        if inner:
            return inner.group(1), inner.group(2)
        if "." in number and not _MODAL.search(rest):
            return None  # a numbered paragraph ("8.1 The panel concluded ..."), not an item
        return number, rest
    return None


def _item_layout(text: str) -> str:
    """Which of `_item_start`'s forms a line that starts an item matched."""
    s = re.sub(r"^[-•*·▪]\s+", "", _clean(text))
    if _LABEL.match(s):
        return "recommendation_label"
    if _R_FORM.match(s):
        return "r_number"
    if _PAREN_FORM.match(s):
        return "paren_number"
    return "numbered"


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [_clean(c) for c in s.split("|")]


@dataclass
class _Table:
    number_col: int
    text_col: int
    columns: list[str]
    starts: list[int] = field(default_factory=list)  # text tables: column offsets
    addressee_col: int = -1
    # An action plan ("Rec no. | Action | Owner | Timescale | Status"): its rows are
    # actions answering the recommendations they name, not recommendations.
    actions: bool = False
    owner_col: int = -1
    due_col: int = -1
    status_col: int = -1


_ADDRESSEE_COL = re.compile(
    r"\b(?:addressee|addressed|agenc(?:y|ies)|lead|owner|responsib\w*|recipients?|"
    r"partners?|organisations?|for\s+whom|to\s+whom|who)\b"
)
_ACTION_COL = re.compile(r"^(?:\w+\s+){0,2}actions?\b|\bactions?\s+(?:to\s+be\s+)?(?:taken|agreed)")
_OWNER_COL = re.compile(r"\b(?:owner|lead|responsib\w*|accountable|by\s+whom|who)\b")
_DUE_COL = re.compile(
    r"\b(?:timescales?|due|deadline|by\s+when|target(?:\s+date)?|completion\s+date|date)\b"
)
_STATUS_COL = re.compile(r"\b(?:status|progress|rag|update)\b")
_NUMBER_HEAD = re.compile(r"(no\.?|number|num|#|ref\.?|reference|rec\.?(?: ?no\.?)?|r)")
_REC_REF = re.compile(
    r"^(?:recommendation|rec\.?|r|no\.?)?\s*(?:no\.?\s*)?(\d{1,3}[a-z]?)\b(?![.,]\d)", re.I
)


def _col(lowered: list[str], pattern: re.Pattern[str], taken: set[int]) -> int:
    return next((i for i, c in enumerate(lowered) if i not in taken and pattern.search(c)), -1)


def _action_table(cells: list[str], lowered: list[str]) -> _Table | None:
    action_col = next(
        (
            i
            for i, c in enumerate(lowered)
            if _ACTION_COL.search(c) and "recommendation" not in c and _words(c) <= 5
        ),
        -1,
    )
    if action_col < 0:
        return None
    taken = {action_col}
    number_col = next(
        (
            i
            for i, c in enumerate(lowered)
            if i != action_col and ("recommendation" in c or _NUMBER_HEAD.fullmatch(c))
        ),
        -1,
    )
    taken.add(number_col)
    owner = _col(lowered, _OWNER_COL, taken)
    taken.add(owner)
    due = _col(lowered, _DUE_COL, taken)
    taken.add(due)
    status = _col(lowered, _STATUS_COL, taken)
    if number_col < 0 or (owner < 0 and due < 0 and status < 0):
        return None
    return _Table(
        number_col, action_col, cells, actions=True, owner_col=owner, due_col=due, status_col=status
    )


def _table_from_header(cells: list[str]) -> _Table | None:
    lowered = [c.lower() for c in cells]
    plan = _action_table(cells, lowered)
    if plan is not None:
        return plan
    text_col = next(
        (i for i, c in enumerate(lowered) if "recommendation" in c and not c.startswith("no")),
        -1,
    )
    number_col = next(
        (i for i, c in enumerate(lowered) if i != text_col and _NUMBER_HEAD.fullmatch(c)),
        -1,
    )
    if text_col < 0 and number_col < 0:
        return None
    if number_col < 0:
        number_col = 0 if text_col != 0 else -1
    if text_col < 0:
        text_col = 1 if number_col == 0 else 0
    if number_col < 0:
        return None
    addressee = _col(lowered, _ADDRESSEE_COL, {number_col, text_col})
    return _Table(number_col, text_col, cells, addressee_col=addressee)


def _text_table_header(line: str) -> _Table | None:
    """A plain-text table's header: short column names apart by two or more spaces."""
    names = [c.strip() for c in re.split(r"\s{2,}", line.strip())]
    if len(names) < 2 or any(_words(n) > 4 or (n.endswith(".") and _words(n) > 2) for n in names):
        return None
    lowered = " ".join(names).lower()
    if "recommendation" not in lowered and "action" not in lowered:
        return None
    table = _table_from_header(names)
    if table is None or (
        not table.actions and "recommendation" not in names[table.text_col].lower()
    ):
        return None
    starts = [m.start() for m in re.finditer(r"(?:(?<=\s\s)|^\s*)\S", line)]
    if len(starts) != len(names):
        starts = [line.index(n) for n in names]
    table.starts = starts
    return table


@dataclass
class RawAction:
    """A row of an action-plan table: the recommendation it names and what will be done."""

    recommendation: str  # the number of the recommendation it answers
    parts: list[str]
    location: str
    owner: str = ""
    due: str = ""
    status: str = ""

    @property
    def text(self) -> str:
        return _clean(" ".join(self.parts))


def _cell(cells: list[str], col: int) -> str:
    return cells[col] if 0 <= col < len(cells) else ""


def _table_row(
    table: _Table,
    cells: list[str],
    line: Line,
    section: int,
    current: RawRecommendation | None,
    actions: list[RawAction],
    *,
    wrapped: bool,
) -> tuple[RawRecommendation | None, bool]:
    """Read one row of a table. Returns (a new recommendation or None, row used).

    `wrapped`: a row without a number continues the row above (a plain-text table's
    wrapped lines); in a pipe table it is another action for the same recommendation.
    """
    number_cell = _cell(cells, table.number_col)
    text_cell = _cell(cells, table.text_col)
    if table.actions:
        m = _REC_REF.match(number_cell)
        owner = _cell(cells, table.owner_col)
        due = _cell(cells, table.due_col)
        status = _cell(cells, table.status_col)
        if m and text_cell:
            actions.append(RawAction(m.group(1), [text_cell], line.location, owner, due, status))
            return None, True
        if not number_cell and actions and text_cell:
            last = actions[-1]
            if wrapped:
                last.parts.append(text_cell)
                last.owner = _clean(f"{last.owner} {owner}")
                last.due = _clean(f"{last.due} {due}")
                last.status = _clean(f"{last.status} {status}")
            else:
                actions.append(
                    RawAction(last.recommendation, [text_cell], line.location, owner, due, status)
                )
            return None, True
        return None, bool(not number_cell and actions)
    others = " ".join(c for i, c in enumerate(cells) if i != table.text_col)
    addressee = _cell(cells, table.addressee_col)
    m = _TABLE_NUMBER.match(number_cell)
    if m and text_cell:
        rec = RawRecommendation(m.group(1), [], line.location, section or -1, others)
        rec.add(text_cell)
        rec.addressee = addressee
        rec.layout = "table_row"
        return rec, True
    if not number_cell and current is not None and (text_cell or addressee):
        current.add(text_cell)
        current.context += " " + others
        if addressee:
            current.addressee = _clean(f"{current.addressee} {addressee}")
        return None, True
    return None, False


def _slice_text_row(line: str, starts: list[int]) -> list[str]:
    cells: list[str] = []
    bounds = [*starts[1:], max(len(line), starts[-1]) + 1]
    prev = 0
    for i, end in enumerate(bounds):
        # Snap each boundary back to whitespace so a word is never cut in two.
        cut = end
        while 0 < cut < len(line) and not line[cut - 1].isspace() and not line[cut].isspace():
            cut -= 1
            if cut <= prev:
                cut = end
                break
        cells.append(line[prev:cut] if i < len(bounds) - 1 else line[prev:])
        prev = cut
    return [_clean(c) for c in cells]


def _numbered_line_is_heading(
    h: Heading, stripped: str, section: int, rec_heading: Heading | None
) -> bool:
    """Whether a line that could start an item ("3. Information sharing") is a heading."""
    if _MD_HEADING.match(stripped):
        return True
    if _LABEL.match(_clean(stripped)) or _LABEL.match(h.text):
        return False
    if not section:
        return True
    if _ENDING_KEYWORDS.match(h.text):
        return True
    return (
        rec_heading is not None
        and rec_heading.number is not None
        and h.number is not None
        and h.number.isdigit()
        and rec_heading.number.isdigit()
        and int(h.number) == int(rec_heading.number) + 1
    )


def _lettered_item(clean: str, current: RawRecommendation | None) -> tuple[str, str, str] | None:
    """(shape, label, rest) for an `a)`/`i.` item that opens or continues such a list.

    A letter or roman numeral under an open numbered item is that item's sub-point; it is
    an item only as the first of its list or as the next one after the current item.
    """
    for shape, pattern in (("roman", _ROMAN_ITEM), ("letter", _LETTER_ITEM)):
        m = pattern.match(clean)
        if not m:
            continue
        label = m.group(1)
        if current is None or current.closed:
            first = "i" if shape == "roman" else "a"
            if label == first:
                return shape, label, m.group(2)
            continue
        if current.shape != shape:
            continue
        if shape == "roman":
            prev = _ROMAN_ORDER.index(current.number) if current.number in _ROMAN_ORDER else -2
            if _ROMAN_ORDER.index(label) == prev + 1:
                return shape, label, m.group(2)
        elif len(current.number) == 1 and ord(label) == ord(current.number) + 1:
            return shape, label, m.group(2)
    return None


# --- the walk ------------------------------------------------------------------------------


def find_recommendations(lines: tuple[Line, ...]) -> list[RawRecommendation]:
    """The review's own numbered recommendations, in document order."""
    return read_sections(lines)[0]


def read_sections(lines: tuple[Line, ...]) -> tuple[list[RawRecommendation], list[RawAction]]:
    """The review's own recommendations, and the rows of its action-plan tables."""
    items: list[RawRecommendation] = []
    actions: list[RawAction] = []
    current: RawRecommendation | None = None
    section = 0  # id of the recommendation section we are in; 0 = none
    sections = 0
    rec_heading: Heading | None = None
    blocked_level: int | None = None
    in_contents = False
    contents_page = 0
    prev_blank = True
    blank_since_item = False
    md_table: _Table | None = None
    text_table: _Table | None = None
    pending_md_header: list[str] | None = None
    decoy_list = False  # inside a list led into by a sentence such as "... questions:"

    def close() -> None:
        nonlocal current
        if current is not None:
            current.closed = True
        current = None

    for idx, line in enumerate(lines):
        text = line.text
        stripped = text.strip()
        if not stripped:
            prev_blank = True
            if current is not None:
                blank_since_item = True
            if md_table is not None:
                md_table = None
            continue

        # Contents pages: skip entries until prose begins or the page turns.
        if in_contents:
            if line.page != contents_page and line.pdf:
                in_contents = False
            elif _is_contents_entry(stripped) or (
                _heading_like(_clean(stripped)) and not _MD_HEADING.match(stripped)
            ):
                prev_blank = False
                continue
            else:
                in_contents = False
        if _is_contents_entry(stripped) and not _MD_TABLE.match(stripped):
            prev_blank = False
            continue

        # Markdown tables.
        if _MD_TABLE.match(stripped) and blocked_level is None:
            if _MD_RULE.match(stripped):
                if pending_md_header is not None:
                    md_table = _table_from_header(pending_md_header)
                    pending_md_header = None
                prev_blank = False
                continue
            cells = _cells(stripped)
            if md_table is None:
                nxt = lines[idx + 1].text.strip() if idx + 1 < len(lines) else ""
                if _MD_RULE.match(nxt):
                    pending_md_header = cells
                    close()
                    prev_blank = False
                    continue
            table = md_table
            if table is not None and (
                section or table.actions or "recommendation" in " ".join(table.columns).lower()
            ):
                rec, _ = _table_row(table, cells, line, section, current, actions, wrapped=False)
                if rec is not None:
                    close()
                    current = rec
                    items.append(rec)
            prev_blank = False
            continue
        md_table = None
        pending_md_header = None

        # Plain-text tables of recommendations or actions.
        if text_table is not None:
            if _TEXT_RULE.match(stripped):
                continue
            ending = _heading(line, prev_blank)
            if ending is not None and _numbered_line_is_heading(
                ending, stripped, section, rec_heading
            ):
                text_table = None
                close()
        if text_table is not None:
            cells = _slice_text_row(text, text_table.starts)
            rec, used = _table_row(text_table, cells, line, section, current, actions, wrapped=True)
            if rec is not None:
                close()
                current = rec
                items.append(rec)
            if used:
                prev_blank = False
                continue
            text_table = None
            close()
        if blocked_level is None and (section or _TABLE_WORD.search(stripped)):
            header = _text_table_header(text)
            if header is not None:
                text_table = header
                close()
                prev_blank = False
                continue

        # Headings.
        boundary = prev_blank or (line.pdf and (idx == 0 or lines[idx - 1].page != line.page))
        if line.pdf and idx > 0 and not boundary:
            before = _clean(lines[idx - 1].text)
            boundary = before.endswith((".", "!", "?", ":")) or _heading_like(before)
        h = _heading(line, boundary)
        item = _item_start(stripped, bool(section))
        if (
            h is not None
            and item is not None
            and not _numbered_line_is_heading(h, stripped, section, rec_heading)
        ):
            h = None
        if h is not None:
            close()
            decoy_list = False
            if _CONTENTS_HEADING.match(h.text):
                in_contents = True
                contents_page = line.page
                section = 0
            elif blocked_level is not None and h.level > blocked_level:
                pass  # still inside the quoting section
            elif _is_quoting_heading(h):
                blocked_level = h.level
                section = 0
            elif _is_rec_heading(h):
                blocked_level = None
                if not section or rec_heading is None or h.level <= rec_heading.level:
                    sections += 1
                    section = sections
                    rec_heading = h
            else:
                blocked_level = None
                is_sub = (
                    section
                    and rec_heading is not None
                    and h.level > rec_heading.level
                    and not _ENDING_KEYWORDS.match(h.text)
                )
                if not is_sub:
                    section = 0
                    rec_heading = None
            prev_blank = False
            continue

        if blocked_level is not None:
            prev_blank = False
            continue

        if decoy_list:
            listed = item is not None or bool(_BULLET.match(_clean(stripped)))
            if _LABEL.match(_clean(stripped)) or (prev_blank and not listed):
                decoy_list = False
            else:
                prev_blank = False
                continue
        clean_lead = _clean(stripped)
        if (
            clean_lead.endswith(":")
            and _DECOY_LEAD.search(clean_lead)
            and not _REC_WORD.search(clean_lead)
            and item is None
        ):
            close()
            decoy_list = True
            prev_blank = False
            continue

        if item is not None and not (
            section and _PREAMBLE.search(item[1]) and not _LABEL.match(stripped)
        ):
            close()
            current = RawRecommendation(item[0], [], line.location, section or -1)
            current.layout = _item_layout(stripped)
            current.heading = rec_heading.text if section and rec_heading else ""
            current.under = current.heading
            current.add(item[1])
            items.append(current)
            blank_since_item = False
            prev_blank = False
            continue

        clean_line = _clean(stripped)
        lettered = _lettered_item(clean_line, current) if section else None
        if lettered is not None:
            close()
            current = RawRecommendation(lettered[1], [], line.location, section, shape=lettered[0])
            current.layout = lettered[0]
            current.heading = rec_heading.text if rec_heading else ""
            current.under = current.heading
            current.add(lettered[2])
            items.append(current)
            blank_since_item = False
            prev_blank = False
            continue

        inline = _INLINE_LIST.search(clean_line)
        if (
            inline is not None
            and _QUOTED_LIST.search(clean_line[: inline.start(1)])
            and not _OWN_LIST.search(clean_line[: inline.start(1)])
        ):
            inline = None  # another report's recommendations, quoted
        if inline is not None and (current is None or blank_since_item):
            parts = [p.strip(" .") for p in re.split(r";\s*(?:and\s+)?", inline.group(1))]
            parts = [p for p in parts if _words(p) >= 2]
            if len(parts) >= 2:
                close()
                inline_section = sections + 1
                sections += 1
                for k, part in enumerate(parts, start=1):
                    it = RawRecommendation(str(k), [], line.location, inline_section)
                    it.layout = "inline_list"
                    it.add(part[:1].upper() + part[1:] + ".")
                    items.append(it)
                prev_blank = False
                continue

        top_bullet = _TOP_BULLET.match(text)
        if (
            section
            and top_bullet
            and (
                current is None
                or (current.bullet is not None and current.bullet == top_bullet.group(1))
            )
        ):
            # An unnumbered bullet in a recommendations section: kept only if the section
            # has no numbered items (numbered by position then).
            close()
            current = RawRecommendation("", [], line.location, section, bullet=top_bullet.group(1))
            current.layout = "bullet"
            current.under = rec_heading.text if rec_heading else ""
            current.add(text[top_bullet.end() :])
            items.append(current)
            blank_since_item = False
            prev_blank = False
            continue

        if current is not None:
            clean = _clean(stripped)
            last = current.text
            bullet = bool(_BULLET.match(clean))
            continues = (
                not blank_since_item
                or not last
                or not last.endswith(_TERMINAL)
                or last.endswith(":")
                or bullet
                or clean[:1].islower()
                # In a recommendations section, a numbered item's next paragraph that
                # goes on about it ("This audit should ...") is part of it.
                or (section > 0 and current.bullet is None and bool(_RUNS_ON.match(clean)))
            )
            if bullet and section == 0 and blank_since_item and last.endswith("."):
                continues = False
            ends_here = (
                _heading_like(clean)
                and last.endswith((".", "!", "?"))
                and (blank_since_item or len(clean) < 60)
            )
            if continues and not ends_here:
                current.add(clean)
                blank_since_item = False
            else:
                close()
        prev_blank = False

    # A question is asked, not recommended ("How do agencies share ...?").
    kept = [i for i in items if i.text and not i.text.endswith("?")]
    return _dedupe(_number_bullets(kept)), actions


def _number_bullets(items: list[RawRecommendation]) -> list[RawRecommendation]:
    """Bulleted items count only in sections without numbered ones, numbered 1, 2, ..."""
    numbered = {it.section for it in items if it.bullet is None}
    out: list[RawRecommendation] = []
    counters: dict[int, int] = {}
    for it in items:
        if it.bullet is None:
            out.append(it)
        elif it.section not in numbered:
            counters[it.section] = counters.get(it.section, 0) + 1
            it.number = str(counters[it.section])
            out.append(it)
    return out


SAME_LIST: Final = 0.3  # mean word overlap above which two numbered lists are one list
_ADDRESSED = re.compile(r"\brecommendations?\s+(?:for|to)\s+\S", re.I)


def _similar(a: str, b: str) -> float:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return len(wa & wb) / max(1, len(wa | wb))


SAME_ITEM: Final = 0.75  # share of the shorter item's content words the longer one holds
_STOPWORDS: Final = frozenset(
    [
        "the",
        "and",
        "for",
        "that",
        "with",
        "should",
        "this",
        "from",
        "have",
        "been",
        "will",
        "their",
        "they",
        "them",
        "into",
        "when",
        "where",
        "which",
        "what",
        "each",
        "every",
        "other",
        "than",
        "also",
        "such",
        "more",
        "about",
        "after",
        "before",
        "within",
    ]
)


def _content(text: str) -> set[str]:
    words = {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}
    return {w[:4] for w in words - _STOPWORDS}  # a crude stem: "sharing" and "share" agree


def _contained(a: str, b: str) -> float:
    """How much of the shorter text's content the longer one holds (0..1)."""
    ca, cb = _content(a), _content(b)
    return len(ca & cb) / max(1, min(len(ca), len(cb)))


def _dedupe(items: list[RawRecommendation]) -> list[RawRecommendation]:
    """The same recommendation listed twice (executive summary and body) is one.

    Two sections that share most numbers are one list (a summary's short list, then the
    full one): the longer wording is kept, and the other's place goes into its
    provenance. Sections headed for different addressees ("for health", "for police")
    whose items say different things are kept, each item with its heading.
    """
    by_section: dict[int, list[RawRecommendation]] = {}
    for it in items:
        by_section.setdefault(it.section, []).append(it)
    dropped: set[int] = set()
    keys = list(by_section)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if a in dropped or b in dropped:
                continue
            na = {x.number: x for x in by_section[a]}
            nb = {x.number: x for x in by_section[b]}
            shared = set(na) & set(nb)
            if not (
                len(shared) >= max(1, min(len(na), len(nb)) // 2 + 1)
                or (len(shared) >= 1 and min(len(na), len(nb)) == 1)
            ):
                continue
            alike = sum(_similar(na[n].text, nb[n].text) for n in shared) / len(shared)
            held = sum(_contained(na[n].text, nb[n].text) for n in shared) / len(shared)
            if held < SAME_ITEM:
                continue  # the same numbers, but different recommendations: two lists
            ha, hb = by_section[a][0].heading, by_section[b][0].heading
            if alike < SAME_LIST and _ADDRESSED.search(ha) and _ADDRESSED.search(hb) and ha != hb:
                continue  # "for health" then "for police": numbering restarts, both kept
            la = sum(len(x.text) for x in by_section[a])
            lb = sum(len(x.text) for x in by_section[b])
            keep, drop = (nb, na) if la < lb else (na, nb)
            dropped.add(a if la < lb else b)
            for n in shared:
                keep[n].also.append(drop[n].location)
    out = [it for it in items if it.section not in dropped]
    # Numbers that restart under another heading keep the heading as their section.
    numbers_by_section: dict[int, set[str]] = {}
    for it in out:
        numbers_by_section.setdefault(it.section, set()).add(it.number)
    clash = {
        s
        for s, ns in numbers_by_section.items()
        for t, ms in numbers_by_section.items()
        if s != t and ns & ms
    }
    for it in out:
        if it.section not in clash:
            it.heading = ""
    # Within what is left, the same number with near-identical text is one recommendation.
    seen: dict[tuple[str, str], RawRecommendation] = {}
    result: list[RawRecommendation] = []
    for it in out:
        key = (it.heading, it.number)
        prev = seen.get(key)
        if prev is not None and _similar(prev.text, it.text) >= 0.6:
            if len(it.text) > len(prev.text):
                it.also.append(prev.location)
                result[result.index(prev)] = it
                seen[key] = it
            else:
                prev.also.append(it.location)
            continue
        seen[key] = it
        result.append(it)
    return result
