"""Coroners' Prevention of Future Deaths (PFD) reports: their concerns, receivers and dates.

A PFD report (a "Regulation 28 report") has a fixed frame: who it is sent to, the coroner,
the legal powers, the inquest, the circumstances, then the coroner's concerns ("The MATTERS
OF CONCERN are as follows"), "ACTION SHOULD BE TAKEN", the response owed within 56 days,
copies, and the date. Each matter of concern becomes one recommendation-like item.

The concerns are written in many ways: `1.`, `(1)`, `1)`, `a)`, `i.`, bullets or plain
paragraphs; several numbered items may run on in one paragraph; a coroner may add
suggested actions after the concerns, numbered again from 1. `split_concerns` reads a
section of that text alone (a CSV's `concerns` cell); `read_pfd` reads a whole report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from loaders.extract.reading import Line, join_hyphenated

RESPONSE_DAYS: Final = 56

_SIGNALS: Final = (
    re.compile(r"\bregulation\s+28\b", re.I),
    re.compile(r"\bprevent(?:ion of)?\s+future\s+deaths\b", re.I),
    re.compile(r"\bmatters?\s+of\s+concern\b", re.I),
    re.compile(r"\bcoroner[’']?s\s+concerns\b", re.I),
    re.compile(r"\baction\s+should\s+be\s+taken\b", re.I),
    re.compile(r"\breport\s+is\s+being\s+sent\s+to\b", re.I),
    re.compile(r"\bcoroner[’']?s\s+legal\s+powers\b", re.I),
)

# Section headings of the frame, optionally numbered ("5 CORONER'S CONCERNS").
_HEAD_NUM = r"^\s*(?:\d{1,2}[.)]?\s+)?"
_SENT_TO = re.compile(_HEAD_NUM + r"this\s+report\s+is\s+being\s+sent\s+to\b:?\s*(.*)$", re.I)
_CONCERNS_HEAD = re.compile(
    _HEAD_NUM + r"(?:coroner[’']?s\s+concerns|matters?\s+of\s+concern)\s*:?\s*$", re.I
)
_ACTION_HEAD = re.compile(_HEAD_NUM + r"action\s+should\s+be\s+taken\s*:?\s*$", re.I)
# The same headings in capitals with the section's text running on after them on the
# line, as PDF text often has it ("5 CORONER'S CONCERNS The MATTERS OF CONCERN are ...").
_CONCERNS_INLINE = re.compile(
    r"^\s*(?:\d{1,2}[.)]?\s+)?(?:CORONER[’']?S\s+CONCERNS|MATTERS\s+OF\s+CONCERN)[:.]?\s+(\S.*)$"
)
_OTHER_INLINE = re.compile(
    r"^\s*\d{1,2}[.)]?\s+(?:CORONER[’']?S\s+LEGAL\s+POWERS|CORONER|INVESTIGATION\s+(?:AND|and)\s+"
    r"INQUEST|CIRCUMSTANCES\s+OF\s+THE\s+DEATH|YOUR\s+RESPONSE|COPIES\s+(?:AND|and)\s+"
    r"PUBLICATION)\b"
)
_ACTION_INLINE = re.compile(r"^\s*(?:\d{1,2}[.)]?\s+)?ACTION\s+SHOULD\s+BE\s+TAKEN[:.]?\s+(\S.*)$")
_OTHER_HEAD = re.compile(
    _HEAD_NUM + r"(coroner|coroner[’']?s\s+legal\s+powers|investigation\s+and\s+inquest|"
    r"circumstances\s+of\s+the\s+death|your\s+response|copies\s+and\s+publication|"
    r"legal\s+powers|inquest)\s*:?\s*$",
    re.I,
)
_LEGAL_HEAD = re.compile(_HEAD_NUM + r"coroner[’']?s\s+legal\s+powers\s*:?\s*$", re.I)

# Sentences that frame the concerns rather than state one.
_PREAMBLE: Final = re.compile(
    r"matters?\s+of\s+concern|giving\s+rise\s+to\s+concern|risk\s+(?:that\s+|of\s+)?future\s+"
    r"deaths?|statutory\s+duty\s+to\s+report|(?:are|is)\s+as\s+follows|the\s+following\s+"
    r"(?:matters|concerns)|prevention\s+of\s+future\s+deaths\s+report|regulation\s+28",
    re.I,
)
_BOILERPLATE: Final = re.compile(
    r"^(?:in\s+my\s+opinion\s+action\s+should\s+be\s+taken|i\s+believe\s+(?:you|your)|"
    r"you\s+are\s+under\s+a\s+duty\s+to\s+respond|you\s+(?:and\s+your\s+organisation\s+)?"
    r"have\s+the\s+power)",
    re.I,
)
_ACTIONS_LEAD: Final = re.compile(
    r"\b(suggested|possible|recommended|following)\s+actions?\b|\baction\s+(?:that\s+)?"
    r"(?:could|might|should)\s+be\s+taken\b|\bi\s+(?:would\s+)?suggest\b",
    re.I,
)

# Item markers at the start of a line, by shape.
_MARKERS: Final = (
    (
        "label",
        re.compile(r"^(?:matters?\s+of\s+)?concern\s+(?:no\.?\s*)?(\d{1,2})\s*[:.)\-–—]\s*", re.I),
    ),
    ("paren", re.compile(r"^\((\d{1,2})\)\s*")),
    # Paragraphs numbered within the form's section ("5.1 ...", "5.2 ..."): the part after
    # the point is the item's number.
    ("decimal", re.compile(r"^\d{1,2}\.(\d{1,2})\.?\s+(?=[A-Z])")),
    ("number", re.compile(r"^(\d{1,2})(?:[.)]|\s*[-–—])\s+(?!\d)")),
    ("roman", re.compile(r"^\(?((?:x{0,1})(?:ix|iv|v?i{0,3}))[.)]\s+(?=\S)", re.I)),
    ("letter", re.compile(r"^\(?([a-zA-Z])[.)]\s+(?=\S)")),
    ("bullet", re.compile(r"^([•●▪◦·*\-–])\s+(?=\S)")),
)
# After a colon or semicolon an inline item may open in lower case ("are: 1. the ...; 2. the").
_INLINE: Final = {
    "number": re.compile(
        r"(?<=[.;:!?])\s+(\d{1,2})[.)]\s+(?=[A-Z])|(?<=[;:])\s+(\d{1,2})[.)]\s+(?=[a-z])"
    ),
    "paren": re.compile(
        r"(?<=[.;:!?])\s+\((\d{1,2})\)\s*(?=[A-Z])|(?<=[;:])\s+\((\d{1,2})\)\s*(?=[a-z])"
    ),
}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_MIN_WORDS = 6  # a plain paragraph shorter than this is not a matter of concern


@dataclass(frozen=True)
class Concern:
    """One matter of concern (or suggested action): number, text, where, which part."""

    number: str
    text: str
    line: int  # index into the lines given
    section: str  # "concerns" or "actions"
    layout: str = ""  # how it was marked (loaders.extract.confidence.LAYOUT_SCORES)


@dataclass
class PfdReport:
    """What the frame of a PFD report says, besides its concerns."""

    concerns: list[Concern] = field(default_factory=list)
    receivers: list[str] = field(default_factory=list)
    report_date: dt.date | None = None
    area: str | None = None  # the coroner area ("Fenshire"), from the coroner's title

    @property
    def response_due(self) -> dt.date | None:
        return response_due(self.report_date)


def response_due(report_date: dt.date | None) -> dt.date | None:
    """The day by which a receiver owes a response: the report's date plus 56 days."""
    return None if report_date is None else report_date + dt.timedelta(days=RESPONSE_DAYS)


def is_pfd(text: str) -> bool:
    """Whether a whole document reads as a PFD report, by its frame, not by its words.

    Two of the frame's section headings on lines of their own ("CORONER'S CONCERNS",
    "ACTION SHOULD BE TAKEN", "THIS REPORT IS BEING SENT TO", ...), or one of them with a
    title mark (Regulation 28, prevent future deaths) on the first lines. A case review
    that quotes a coroner's report in its prose is not one.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    heads = {
        k
        for ln in lines
        for k, patterns in enumerate(
            (
                (_CONCERNS_HEAD, _CONCERNS_INLINE),
                (_ACTION_HEAD, _ACTION_INLINE),
                (_SENT_TO,),
                (_LEGAL_HEAD,),
            )
        )
        for pattern in patterns
        if pattern.match(ln) and (len(ln) <= 80 or pattern in (_CONCERNS_INLINE, _ACTION_INLINE))
    }
    opening = "\n".join(lines[:8])
    titled = any(s.search(opening) for s in _SIGNALS[:2])
    return len(heads) >= 2 or (titled and len(heads) >= 1)


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _marker(text: str) -> tuple[str, str, str] | None:
    """(shape, label, rest) if the line opens with an item marker."""
    for shape, pattern in _MARKERS:
        m = pattern.match(text)
        if m and (shape != "roman" or m.group(1)):
            return shape, m.group(1), text[m.end() :]
    return None


def _ordinal(shape: str, label: str) -> int:
    if shape in ("number", "paren", "label", "decimal"):
        return int(label)
    if shape == "letter":
        return ord(label.lower()) - ord("a") + 1
    if shape == "roman":
        values = {"i": 1, "v": 5, "x": 10}
        total, prev = 0, 0
        for ch in reversed(label.lower()):
            v = values[ch]
            total += -v if v < prev else v
            prev = max(prev, v)
        return total
    return 0


@dataclass
class _Block:
    text: str
    line: int
    marker: tuple[str, str] | None  # (shape, label)
    lead: str = ""  # the marker as written ("20 -", "(3)")


def _lines_are_paragraphs(lines: Sequence[str]) -> bool:
    """Whether each line is a paragraph (text unwrapped), not a hard-wrapped line.

    Hard-wrapped text has lines of a page's width; text whose lines are mostly far longer
    than any page holds keeps a paragraph to a line, with or without blank lines between.
    """
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    return bool(lengths) and lengths[len(lengths) // 2] > 160


def _wrap_width(lines: Sequence[str]) -> int | None:
    """The width of hard-wrapped text that has no blank lines between its paragraphs.

    PDF text often loses the blank line between paragraphs; there a paragraph's last line
    is one that stops short of the width by more than the next line's first word. None
    when blank lines separate the paragraphs.
    """
    body = [ln.strip() for ln in lines]
    while body and not body[-1]:
        body.pop()
    while body and not body[0]:
        body.pop(0)
    if len(body) < 4 or any(not ln for ln in body) or _lines_are_paragraphs(lines):
        return None
    lengths = sorted(len(ln) for ln in body)
    return lengths[int(len(lengths) * 0.9) - 1]


def _blocks(lines: Sequence[str]) -> list[_Block]:
    """Paragraphs and marked lines; hard-wrapped lines and hyphenation joined."""
    by_line = _lines_are_paragraphs(lines)
    width = _wrap_width(lines)
    blocks: list[_Block] = []
    prev_len = 0
    current: _Block | None = None
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            current = None
            continue
        # The line before stopped short: its paragraph ended there, as the first word
        # of this line would have fitted on it (with room for a proportional font).
        first_word = len(s.split()[0])
        short_before = width is not None and prev_len + 1 + first_word <= 0.92 * width
        prev_len = len(s)
        mk = _marker(s)
        if mk is not None:
            current = _Block(mk[2].strip(), i, (mk[0], mk[1]), s[: len(s) - len(mk[2])].strip())
            blocks.append(current)
            continue
        starts_paragraph = (
            (by_line or short_before)
            and current is not None
            and current.text.endswith((".", "!", "?", ":", ";"))
            and not s[:1].islower()
        )
        if current is None or starts_paragraph:
            current = _Block(s, i, None)
            blocks.append(current)
        elif (joined := join_hyphenated(current.text, s)) is not None:
            current.text = joined
        else:
            current.text = f"{current.text} {s}"
    return blocks


def _split_inline(block: _Block) -> list[_Block]:
    """A paragraph holding "1. ... 2. ... 3. ..." in sequence is several items."""
    text = block.text
    for shape, pattern in _INLINE.items():
        if block.marker is not None and block.marker[0] != shape:
            continue
        start = _ordinal(*block.marker) if block.marker else 0
        cuts: list[tuple[int, int, str]] = []
        expect = start + 1
        for m in pattern.finditer(text):
            number = m.group(1) or m.group(2)
            if int(number) == expect:
                cuts.append((m.start(), m.end(), number))
                expect += 1
        if not cuts:
            continue
        out: list[_Block] = []
        head = text[: cuts[0][0]].strip()
        if block.marker is not None or head:
            out.append(_Block(head, block.line, block.marker))
        for j, (_, end, label) in enumerate(cuts):
            stop = cuts[j + 1][0] if j + 1 < len(cuts) else len(text)
            out.append(_Block(text[end:stop].strip(), block.line, (shape, label)))
        if block.marker is None and head and len(out) >= 2:
            # "The concerns are as follows: 1. ... 2. ..." -- the head is the preamble.
            first = out[0]
            if _PREAMBLE.search(first.text) or first.text.endswith(":"):
                out = out[1:]
        return out
    return [block]


# A lead-in to a quotation ("The Trust's own policy states:"), not a heading.
_QUOTE_LEAD: Final = re.compile(
    r"\b(?:states?|stated|says|said|reads|provides|sets\s+out)\s*:?\s*$"
)


def _is_heading(text: str) -> bool:
    """A short line that heads what follows: no closing full stop, or a lead-in ending ":"."""
    t = text.strip()
    if _words(t) > 12 or not t[:1].isupper() or _QUOTE_LEAD.search(t):
        return False
    return t.endswith(":") or not t.endswith((".", "!", "?", ";", ","))


# "It is a matter of concern that ...": a concern stated, not the section's preamble.
_MATTER_STATED: Final = re.compile(
    r"\b(?:is|are|was|were|remains?)\s+(?:\w+\s+)?(?:a\s+)?matters?\s+of\s+(?:\w+\s+)?concern\s+"
    r"(?:that|to)\b",
    re.I,
)
# A lead-in that says how many concerns follow ("in relation to the following three areas:").
_ANNOUNCED: Final = re.compile(
    r"\b(?:following|these)\s+(two|three|four|five|six|seven|eight|nine|ten|\d)\s+|"
    r"\b(two|three|four|five|six|seven|eight|nine|ten|\d)\s+(?:\w+\s+)?(?:areas|concerns|matters|"
    r"issues|points|aspects|respects)\b",
    re.I,
)
_COUNTS: Final = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _announced(text: str) -> int | None:
    """How many concerns a lead-in says follow, if it says."""
    m = _ANNOUNCED.search(text)
    if m is None or not text.rstrip().endswith(":"):
        return None
    word = (m.group(1) or m.group(2)).lower()
    return int(word) if word.isdigit() else _COUNTS.index(word) + 2


def _is_preamble(text: str) -> bool:
    if _MATTER_STATED.search(text):
        return False
    if _STATED.search(text) and not text.rstrip().endswith(":"):
        return False  # "I am concerned that ... gives rise to a risk of future deaths."
    if _announced(text) is not None:
        return True
    return bool(_PREAMBLE.search(text)) and (text.rstrip().endswith(":") or _words(text) <= 60)


# How coroners write unmarked prose concerns. A paragraph that states a concern in so many
# words ("I am concerned that ...", "My concern is ...", "I am not reassured ..."): where
# a coroner writes some paragraphs so and not others, the others are the evidence that
# leads into a concern, or a closing remark on it, not concerns of their own.
_STATED: Final = re.compile(
    r"\b(?:I|we)\s+(?:\w+\s+){0,3}?concerned\b|\bmy\s+(?:\w+\s+)?concerns?\b|"
    r"\b(?:I|we)\s+(?:\w+\s+){0,2}?(?:have|had|raise[sd]?|hold|share)\s+(?:\w+\s+){0,2}?"
    r"concerns?\b|\b(?:is|are|was|were|remains?)\s+(?:\w+\s+){0,2}?(?:a\s+)?(?:matter\s+of\s+|"
    r"cause\s+for\s+|source\s+of\s+)?concern(?:ing)?\b|\bconcerns?\s+(?:is|was|are|remains?)\s+"
    r"that\b|\b(?:I|we)\s+(?:am|was|were|remain)\s+(?:\w+\s+)?not\s+(?:reassured|satisfied|"
    r"persuaded|convinced)\b|\b(?:I|we)\s+(?:am|was|remain)\s+(?:\w+\s+)?(?:worried|troubled)\b"
    # A paragraph that opens by naming its concern ("A related concern was ...", "In
    # relation to the first concern, ...", "The second area of concern is ...").
    r"|^(?!(?:\w+\s+){0,2}matters?\s+of\s+concern)(?:\w+\s+){0,5}?(?:concern|area\s+of\s+concern)\b",
    re.I,
)
# A paragraph that opens by pointing back ("This arrangement ...", "The consequence of these
# two factors ...") goes on with the one before it.
_ANAPHORIC: Final = re.compile(
    r"^(?:this|these|those|such)\b|^the\s+(?:consequences?|results?|effects?|impact)\s+of\s+"
    r"(?:this|these|that|those)\b|^as\s+a\s+(?:result|consequence)\b",
    re.I,
)
# A paragraph that opens by reporting evidence ("I heard evidence that ...", "Her father told
# me at inquest that ...") is background to what follows it.
# Only the coroner's own account of it: "what the trust told the inquest" may be the concern.
_EVIDENCE: Final = re.compile(
    r"^[^.;:]{0,40}?\b(?:(?:I|we|the\s+(?:court|inquest|jury))\s+(?:\w+\s+)?(?:heard|"
    r"(?:was|were)\s+(?:told|informed|advised|shown))\b|(?:told|informed|advised)\s+(?:me|us)\b)",
    re.I,
)
# A closing paragraph that refers to the concerns as a whole ("these issues", "the above
# matters"), or tells the receiver where else the report went: it belongs to no one item.
_SUM_UP: Final = re.compile(
    r"\b(?:these|those|the\s+above|all\s+(?:of\s+)?the\s+above|the\s+foregoing)\s+(?:\w+\s+){0,2}?"
    r"(?:concerns|issues|matters|points|failings|factors|problems|deficiencies|shortcomings)\b|"
    r"\bthe\s+(?:\w+\s+)?(?:concerns|issues|matters|points|failings|factors|problems|"
    r"deficiencies|shortcomings)\s+(?:\w+\s+){0,2}?above\b",
    re.I,
)
# A numbered paragraph that opens by summing up ("In summary, ...") after the items.
_SUMMING: Final = re.compile(r"^(?:in\s+summary|to\s+summari[sz]e|in\s+conclusion)\b", re.I)
_NOTICE: Final = re.compile(
    r"^I\s+(?:have\s+)?(?:also\s+)?(?:sent|copied|emphasised|stressed)\b|^(?:a\s+)?cop(?:y|ies)\s+"
    r"of\s+this\s+report\b",
    re.I,
)
# A short closing line that says what else comes with the report ("Letters from the two
# trusts are enclosed.", "I attach the review's action plan."): no matter of concern.
_ENCLOSURE: Final = re.compile(
    r"\b(?:(?:is|are|was|were)\s+(?:also\s+)?(?:enclosed|attached|appended)|I\s+(?:have\s+)?"
    r"(?:also\s+)?(?:enclose|attach)(?:ed)?|(?:enclosed|attached)\s+(?:is|are|with|herewith))\b",
    re.I,
)
_ENCLOSURE_WORDS = 40


def _is_notice(text: str) -> bool:
    """Where copies went, or what is enclosed: a closing remark, not a concern."""
    return bool(_NOTICE.match(text)) or (
        _ENCLOSURE.search(text) is not None and _words(text) <= _ENCLOSURE_WORDS
    )


# The lead-in of a list quoted as evidence (guidance or a policy cited, then how the case
# fell short of it), not of a list of concerns.
_CITING: Final = re.compile(
    r"\b(?:guidance|guidelines?|policy|polic(?:ies)|standards?|principles|enquiry|inquiry|"
    r"report|review|framework|protocol|identified|states?|stated|sets?\s+out|requires?|"
    r"recommend\w*|including|include[sd]?|key\s+(?:factors|components))\b",
    re.I,
)
_LIST_OF_CONCERNS: Final = re.compile(
    r"\b(?:concerns?|matters|issues|failings|problems|deficiencies|shortcomings|worries|"
    r"following|as\s+follows|below)\b",
    re.I,
)
_QUOTED_ITEM_WORDS = 30  # items of a quoted list are short: a line of guidance each
_ROMANS: Final = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


def _label(shape: str, n: int, like: str) -> str:
    """The marker label of ordinal `n` in a shape, in the case of `like`."""
    if shape == "letter" and 1 <= n <= 26:
        out = chr(ord("a") + n - 1)
    elif shape == "roman" and 1 <= n <= len(_ROMANS):
        out = _ROMANS[n - 1]
    else:
        return str(n)
    return out.upper() if like.isupper() else out


def _unquote_lists(blocks: list[_Block]) -> list[_Block]:
    """A short bulleted or lettered list quoted inside prose is part of that prose.

    "The guidance identified key factors, including: - a plan ...; - support ...", then
    "Neither was in place": the lead-in cites guidance (it does not announce concerns), the
    items are short, and prose goes on after the list. Lead-in, list and the next paragraph
    are one paragraph. Only when the document has no other marked items.
    """
    marked = [i for i, b in enumerate(blocks) if b.marker is not None]
    if len(marked) < 2 or marked != list(range(marked[0], marked[-1] + 1)):
        return blocks
    first, last = marked[0], marked[-1]
    shapes = {m[0] for i in marked if (m := blocks[i].marker) is not None}
    if len(shapes) != 1 or shapes & {"number", "paren", "label", "decimal"}:
        return blocks
    if first == 0 or last + 1 >= len(blocks):
        return blocks
    lead = blocks[first - 1]
    if (
        lead.marker is not None
        or not lead.text.rstrip().endswith(":")
        or _is_preamble(lead.text)
        or _LIST_OF_CONCERNS.search(lead.text)
        or not _CITING.search(lead.text)
        or any(_words(blocks[i].text) > _QUOTED_ITEM_WORDS for i in marked)
    ):
        return blocks
    after = blocks[last + 1]
    parts = [lead.text, *(f"{blocks[i].lead} {blocks[i].text}" for i in marked), after.text]
    merged = _Block(" ".join(p.strip() for p in parts), lead.line, None)
    return [*blocks[: first - 1], merged, *blocks[last + 2 :]]


# A numbered item that only leads in to its sub-items ("2. My concerns are as follows:"),
# with no matter of its own: its sub-items are the items. One that leads in to the evidence
# ("1. At the inquest the evidence showed that:"), before such a lead-in to the concerns, is
# context, as prose before the first item is.
_LEAD_IN_WORDS = 20
_CONCERNS_LEAD: Final = re.compile(
    r"\bconcern(?:s|ed)?\b|\bmatters\b|\bissues\b|\bfailings\b|\bshortcomings\b|"
    r"\bdeficiencies\b",
    re.I,
)
_EVIDENCE_LEAD: Final = re.compile(
    r"\bevidence\b|\b(?:I|we)\s+(?:\w+\s+)?(?:heard|found|noted|learned|learnt)\b|"
    r"\bfindings\b|\bfacts\b",
    re.I,
)


def _lead_ins(blocks: list[_Block]) -> list[_Block]:
    """Top-level items that only lead in to sub-items give way to those sub-items.

    "1. The evidence showed that: i. ... ii. ...  2. My concerns are as follows: i. ...
    ii. ...": the concerns are 2's sub-items, numbered on as top-level items; 1 and its
    sub-items (evidence before the concerns' lead-in) are no item. Unchanged when no
    top-level item is a lead-in to concerns.
    """
    marked = [i for i, b in enumerate(blocks) if b.marker is not None]
    if not marked:
        return blocks
    first = blocks[marked[0]].marker
    assert first is not None
    top = first[0]
    heads = [i for i in marked if (m := blocks[i].marker) is not None and m[0] == top]
    groups = [(h, heads[k + 1] if k + 1 < len(heads) else len(blocks)) for k, h in enumerate(heads)]
    kinds: list[str] = []
    for h, end in groups:
        text = blocks[h].text.rstrip()
        nxt = blocks[h + 1].marker if h + 1 < end else None
        shapes = [m[0] for b in blocks[h + 1 : end] if (m := b.marker) is not None]
        lead = (
            text.endswith(":")
            and _words(text) <= _LEAD_IN_WORDS
            and nxt is not None
            and shapes.count(nxt[0]) >= 2
        )
        if lead and _CONCERNS_LEAD.search(text):
            kinds.append("concerns")
        elif lead and _EVIDENCE_LEAD.search(text):
            kinds.append("evidence")
        else:
            kinds.append("item")
    if "concerns" not in kinds:
        return blocks
    last_concerns = max(k for k, kind in enumerate(kinds) if kind == "concerns")
    out = blocks[: heads[0]]
    n = 0
    for k, ((h, end), kind) in enumerate(zip(groups, kinds, strict=True)):
        if kind == "evidence" and k < last_concerns:
            continue  # evidence before the concerns' lead-in: context
        head = blocks[h]
        if kind != "concerns":
            n += 1
            assert head.marker is not None
            out.append(
                _Block(head.text, head.line, (top, _label(top, n, head.marker[1])), head.lead)
            )
            out.extend(blocks[h + 1 : end])
            continue
        sub = blocks[h + 1].marker
        assert sub is not None
        for b in blocks[h + 1 : end]:
            if b.marker is not None and b.marker[0] == sub[0]:
                n += 1
                out.append(_Block(b.text, b.line, (top, _label(top, n, b.marker[1])), b.lead))
            else:
                out.append(b)  # its paragraphs and deeper sub-items go on with it
    return out


_JOINED: Final = re.compile(r"(?:\b(?:and|or|of|with|that|the)|,)$", re.I)


def _run_on_lead(blocks: list[_Block]) -> list[_Block]:
    """A marked list that is one sentence run over several lines is a lead-in, not items.

    "Given a) the wait for a referral and b) the private therapy sought meanwhile, then:"
    followed by "(1) ... (2) ...": each line of the first list but the last ends on a joining
    word ("and", "or", ",") and the last ends ":", so it leads in to the list that follows;
    that list holds the items.
    """
    marked = [i for i, b in enumerate(blocks) if b.marker is not None]
    if not marked:
        return blocks
    first = marked[0]
    head = blocks[first].marker
    assert head is not None
    shape = head[0]
    run = first
    while run < len(blocks) and (m := blocks[run].marker) is not None and m[0] == shape:
        run += 1
    if run - first < 2 or run >= len(blocks):
        return blocks
    texts = [blocks[i].text.rstrip() for i in range(first, run)]
    nxt = blocks[run].marker
    if (
        not texts[-1].endswith(":")
        or not all(_JOINED.search(t) for t in texts[:-1])
        or nxt is None
        or nxt[0] == shape
        or sum(1 for b in blocks[run:] if b.marker is not None and b.marker[0] == nxt[0]) < 2
        or any(b.marker is not None and b.marker[0] == shape for b in blocks[run:])
    ):
        return blocks
    return [*blocks[:first], *blocks[run:]]


# A paragraph that goes on in time or in argument from the one before ("In the meantime,
# ...", "However, ...") and states no concern of its own; or a closing request about the
# response ("When you respond ...", "I would be grateful ...").
_GOES_ON: Final = re.compile(
    r"^(?:in\s+the\s+meantime|meanwhile|however|despite\s+this|nevertheless|even\s+so)\b|"
    r"^(?:when|in)\s+(?:you\s+respond|your\s+response)\b|^I\s+(?:would|should)\s+be\s+grateful\b",
    re.I,
)


# A paragraph that tells what happened ("When he was taken to the hospital, he said ...",
# "On the Sunday ...") and has no word of a failing in it: the story that leads into the
# concern after it.
_FAILING_WORDS: Final = (
    r"not|no|never|nor|cannot|lack\w*|fail\w*|without|absen(?:ce|t)|\w*adequa\w*|unclear|"
    r"insufficient\w*|poor\w*|concern\w*|unable|miss(?:ed|ing)|gaps?|delay\w*|deficien\w*|"
    r"shortcomings?|\w+n[\'’]t"
)
_STORY: Final = re.compile(
    rf"^(?:when|on|at|during|after|following|before|prior\s+to)\b(?![^\n]*\b(?:{_FAILING_WORDS}|"
    r"should|must|ought|need\w*|ensure\w*)\b)",
    re.I,
)
_FAILING: Final = re.compile(rf"\b(?:{_FAILING_WORDS})\b", re.I)
# A paragraph that asks for something to be done ("one wonders whether a review might be
# set up", "I would invite the trust to consider ...", "Consideration should be given to
# ..."): after a concern, and naming no failing of its own, it is that concern's request.
_REQUEST: Final = re.compile(
    r"\b(?:one\s+wonders|I\s+wonder|(?:I|we)\s+(?:would\s+)?(?:suggest|invite|urge|ask|recommend)|"
    r"consideration\s+(?:\w+\s+){0,2}?be\s+given|(?:should|could|may\s+wish\s+to|might|ought\s+to)"
    r"\s+(?:\w+\s+)?consider|(?:might|could|should)\s+be\s+(?:established|set\s+up|introduced|"
    r"commissioned|considered))\b",
    re.I,
)


# Any wording that asks for something: a paragraph that does is itself a request, and the
# request after it is a request of its own, not its closing ask.
_ASKS: Final = re.compile(
    r"\b(?:should|must|ought|needs?\s+to|ensure\w*|consider\w*|recommend\w*|suggest\w*)\b", re.I
)


def _is_request(text: str) -> bool:
    return _REQUEST.search(text) is not None and _FAILING.search(text) is None


def _prose_items(paras: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Unmarked paragraphs grouped into concerns, as a careful reader of the section would.

    Each paragraph is a concern, except: one that points back ("This ...") goes on with
    the one before; where some paragraphs state a concern in so many words and others do
    not, those others are evidence leading into the next stated concern, or (after the
    last) a closing remark on it; otherwise a paragraph that reports evidence ("I heard
    that ...") leads into the next. A closing paragraph that sums up several concerns, or
    says where copies went, is no concern.
    """
    if not paras:
        return []
    stated = [bool(_STATED.search(t)) for t, _ in paras]
    gated = any(stated) and not all(stated)
    last_stated = max((k for k, s in enumerate(stated) if s), default=-1)
    items: list[list[tuple[str, int]]] = []
    pending: list[tuple[str, int]] = []
    trailing: list[tuple[str, int]] = []
    for k, para in enumerate(paras):
        text = para[0]
        if gated and k > last_stated:
            trailing.append(para)
        elif (_ANAPHORIC.match(text) or (_GOES_ON.match(text) and not stated[k])) and (
            pending or items
        ):
            (pending if pending else items[-1]).append(para)
        elif (
            items
            and not pending
            and not stated[k]
            and _is_request(text)
            and not any(_ASKS.search(t) or _REQUEST.search(t) for t, _ in items[-1])
        ):
            items[-1].append(para)  # the request made of the concern before it
        elif (
            (not stated[k])
            if gated
            else ((_EVIDENCE.match(text) or _STORY.match(text)) and k + 1 < len(paras))
        ):
            pending.append(para)  # evidence, leading into the next concern
        else:
            items.append([*pending, para])
            pending = []
    if pending:
        items.append(pending)
    for para in trailing:
        if len(items) >= 2 and (_SUM_UP.search(para[0]) or _is_notice(para[0])):
            continue  # sums up the section or says where copies went: no item's
        items[-1].append(para)
    if not gated and len(items) >= 2:
        while len(items) >= 2 and len(items[-1]) == 1 and _is_notice(items[-1][0][0]):
            items.pop()
    return [(" ".join(t for t, _ in group), group[0][1]) for group in items]


# A sentence, inside a paragraph of unmarked prose, that opens by adding a concern to the
# one before it ("A further concern was ...", "It is also of concern that ...", "I am also
# concerned ..."): a second matter run into the same paragraph.
_ANOTHER_CONCERN: Final = re.compile(
    r"(?:(?:a|an|the|my)\s+(?:further|second|third|fourth|another|additional|separate|other)\s+"
    r"(?:\w+\s+)?(?:concern|area\s+of\s+concern)|another\s+(?:\w+\s+)?concern|it\s+(?:is|was|"
    r"remains)\s+(?:also|further|additionally)\s+(?:\w+\s+){0,2}?(?:of\s+)?concern(?:ing)?|"
    r"I\s+(?:am|was|remain)\s+(?:also|further|additionally)\s+concerned|(?:further(?:more)?|"
    r"in\s+addition|additionally|secondly|thirdly|finally),\s+I\s+(?:am|was|remain)\s+(?:also\s+)?"
    r"concerned)\b",
    re.I,
)
# Words that make a sentence's opening a request for action ("Consideration to be given to
# ...", "The trust should consider ...", "Please review ...").
_REQUEST_WORD: Final = re.compile(
    r"\b(?:consider\w*|should|must|recommend\w*|ask|invite|please|ensure|review)\b", re.I
)
_SENTENCE_START: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_OPENER_WORDS = 3
_RUN_ON_MIN_WORDS = 12  # the part before a split holds a matter of its own


def _opening(sentence: str) -> str:
    return " ".join(w.lower() for w in _WORD.findall(sentence)[:_OPENER_WORDS])


def _split_run_together(text: str) -> list[str]:
    """A paragraph of unmarked prose that holds several matters, one after another.

    Two shapes, each from how coroners write rather than from any one report's words: a
    sentence that opens by adding a concern to the one before ("A further concern was ...",
    "It is also of concern that ..."); and a paragraph that opens with a request formula
    ("Consideration to be given to ...", "The trust should consider ...") and opens later
    sentences with the same formula: a list written as prose, one matter a formula. Each
    part before a split must hold a matter of its own (12 words or more).
    """
    starts = [0, *(m.end() for m in _SENTENCE_START.finditer(text))]
    opener = _opening(text)
    repeated = (
        _REQUEST_WORD.search(opener) is not None
        and len(opener.split()) == _OPENER_WORDS
        and sum(1 for s in starts[1:] if _opening(text[s:]) == opener) >= 1
    )
    cuts = [
        s
        for s in starts[1:]
        if _ANOTHER_CONCERN.match(text, s) or (repeated and _opening(text[s:]) == opener)
    ]
    parts: list[str] = []
    begin = 0
    for cut in cuts:
        if _words(text[begin:cut]) >= _RUN_ON_MIN_WORDS:
            parts.append(text[begin:cut].strip())
            begin = cut
    parts.append(text[begin:].strip())
    return parts


_BARE_NUMBER: Final = re.compile(r"^(\s*)(\d{1,2})\s+(?=[A-Z][a-z])")


def _bare_numbers(lines: Sequence[str]) -> list[str]:
    """Items numbered with no stop after the number ("1 That the ward ...", "2 That ..."):
    lines that open with 1, 2, 3 ... in order, in a section with no other numbering, are
    read as "1.", "2.", "3."."""
    out = list(lines)
    for ln in lines:
        mk = _marker(ln.strip())
        if mk is not None and mk[0] in ("number", "paren"):
            return out
    at: list[int] = []
    for i, ln in enumerate(lines):
        m = _BARE_NUMBER.match(ln)
        if m and int(m.group(2)) == len(at) + 1:
            at.append(i)
    if len(at) < 2:
        return out
    for i in at:
        m = _BARE_NUMBER.match(out[i])
        if m is not None:
            out[i] = f"{m.group(1)}{m.group(2)}. {out[i][m.end() :]}"
    return out


def split_concerns(lines: Sequence[str], *, first_line: int = 0) -> list[Concern]:
    """The matters of concern in a concerns section's lines, in order.

    The top-level marker is the shape of the first marked item; lines of other shapes
    under it (`a)` under `1.`) belong to the item above. When the top-level numbering
    starts again at 1 after a lead-in such as "Suggested actions", the items that follow
    are actions. A marker with no words after it (a redacted item, "(2) -----") is no
    item; a paragraph after the last item that sums up the list ("these issues") is no
    item's. With no markers, paragraphs are grouped into concerns by `_prose_items`; one
    ending in ":" takes the next paragraph with it.
    """
    blocks: list[_Block] = []
    for b in _blocks(_bare_numbers(lines)):
        blocks.extend(_split_inline(b))
    # A redacted item ("(2) ------"): a marker with no words after it.
    blocks = [b for b in blocks if b.marker is None or re.search(r"[^\W_]", b.text)]
    announced = next((n for b in blocks if (n := _announced(b.text)) is not None), None)
    # Drop the preamble before the first item and boilerplate anywhere.
    while blocks and blocks[0].marker is None and _is_preamble(blocks[0].text):
        blocks.pop(0)
    blocks = [b for b in blocks if not _BOILERPLATE.match(b.text)]
    blocks = _unquote_lists(blocks)
    blocks = _lead_ins(_run_on_lead(blocks))
    top = next((b.marker[0] for b in blocks if b.marker is not None), None)
    if top is not None and sum(1 for b in blocks if b.marker and b.marker[0] == top) == 1:
        # One lone "1." heads a run of paragraphs: the paragraphs are the items.
        lone = next(b for b in blocks if b.marker and b.marker[0] == top)
        if sum(1 for b in blocks if b.marker is None and _words(b.text) >= _MIN_WORDS) >= 2:
            lone.marker = None
            top = next((b.marker[0] for b in blocks if b.marker is not None), None)
    # number, parts, line, section; and the unmarked paragraphs that went on each item.
    items: list[tuple[str, list[str], int, str]] = []
    going_on: list[list[_Block]] = []
    section = "concerns"
    last = 0
    if top is None:
        paras: list[tuple[str, int]] = []
        carry = ""
        carry_line = 0
        for b in blocks:
            text = f"{carry} {b.text}".strip() if carry else b.text
            line = carry_line if carry else b.line
            if text.endswith(":") and not _is_preamble(text):
                carry, carry_line = text, line
                continue
            carry = ""
            if _is_preamble(text):
                continue
            if _words(text) < _MIN_WORDS and not (_ANAPHORIC.match(text) and paras):
                continue
            paras.append((text, line))
        if carry and _words(carry) >= _MIN_WORDS:
            paras.append((carry, carry_line))
        grouped = paras if announced == len(paras) else _prose_items(paras)
        for text, line in grouped:
            for part in _split_run_together(text):
                items.append((str(len(items) + 1), [part], line, section))
    else:
        heading: str | None = None
        last_marked = max(i for i, b in enumerate(blocks) if b.marker and b.marker[0] == top)
        summed_up = False
        for idx, b in enumerate(blocks):
            if (
                top == "letter"
                and b.marker is not None
                and b.marker[0] == "roman"
                and len(b.marker[1]) == 1
                and _ordinal("letter", b.marker[1]) == last + 1
            ):
                b.marker = ("letter", b.marker[1])  # "h)" then "i)": the letter i
            in_sequence = (
                b.marker is not None
                and b.marker[0] == top
                and (
                    top == "bullet"
                    or not items
                    or _ordinal(*b.marker) == 1
                    or last < _ordinal(*b.marker) <= last + 3  # a number or two skipped
                    # The same number again on a new paragraph: a slip in the numbering.
                    or (_ordinal(*b.marker) == last and top != "letter" and b.text[:1].isupper())
                )
            )
            if b.marker is not None and b.marker[0] == top and not in_sequence:
                # "20 - 30 minutes" wrapped to the start of a line is not item 20.
                lead = b.lead or b.marker[1]
                items[-1][1].append(f"{lead} {b.text}")
                continue
            if idx == last_marked and len(items) >= 2 and _SUMMING.match(b.text):
                summed_up = True  # "5.6 In summary, ...": the last item sums the others up
                continue
            if idx == last_marked and len(items) >= 2 and _is_notice(b.text):
                summed_up = True  # "7. Letters from ... are enclosed.": no matter of concern
                continue
            if b.marker is not None and b.marker[0] == top:
                n = _ordinal(*b.marker)
                if (
                    top != "bullet"
                    and items
                    and heading is None
                    and n == last + 2
                    and len(going_on[-1]) >= 1
                ):
                    # "i)" then "iii)": the paragraph standing where "ii)" would be, after
                    # i)'s own text, is the missing item.
                    missing = going_on[-1].pop()
                    items[-1][1].remove(missing.text)
                    label = _label(top, last + 1, b.marker[1])
                    items.append((label, [missing.text], missing.line, items[-1][3]))
                    going_on.append([])
                if heading is not None:
                    # "Recommendations for the Trust" / "In relation to the prison:".
                    section = "actions" if _ACTIONS_LEAD.search(heading) else heading
                elif items and n <= last and n == 1:
                    section = "actions"  # numbering starts again: the suggested actions
                last = n
                heading = None
                label = b.marker[1] if top != "bullet" else str(len(items) + 1)
                items.append((label, [b.text], b.line, section))
                going_on.append([])
            elif (
                b.marker is None
                and _is_heading(b.text)
                and not (
                    # "I am concerned that:" before sub-items goes on with the item above.
                    items
                    and heading is None
                    and _STATED.search(b.text)
                    and idx + 1 < len(blocks)
                    and (nxt := blocks[idx + 1].marker) is not None
                    and nxt[0] != top
                )
            ):
                heading = b.text.rstrip(":").strip()
            elif summed_up:
                continue
            elif (
                b.marker is None
                and idx > last_marked
                and len(items) >= 2
                and (_SUM_UP.search(b.text) or _is_notice(b.text))
            ):
                summed_up = True  # sums up the whole list: no one item's, nor what follows
            elif items and heading is None:
                joined = f"({b.marker[1]}) {b.text}" if b.marker else b.text
                items[-1][1].append(joined)
                if b.marker is None:
                    going_on[-1].append(b)
            # Prose before the first item (or after a heading) is context, not a concern.
    if top is not None:
        layout = f"pfd_{top}"
    else:
        layout = "pfd_paragraphs_announced" if announced == len(items) else "pfd_paragraphs"
    out: list[Concern] = []
    for k, (number, parts, line, sec) in enumerate(items, start=1):
        text = re.sub(r"\s+", " ", " ".join(parts)).strip()
        if not text:
            continue
        out.append(Concern(number or str(k), text, first_line + line, sec, layout))
    return out


_MONTHS: Final = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_DATE_PATTERNS: Final = (
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b"),
    re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b"),
)


def parse_date(text: str) -> dt.date | None:
    """The last date written in the text (ISO, "3rd March 2021" or 03/03/2021), or None."""
    found: list[tuple[int, dt.date]] = []
    for k, pattern in enumerate(_DATE_PATTERNS):
        for m in pattern.finditer(text):
            try:
                if k == 0:
                    d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                elif k == 1:
                    month = _MONTHS.get(m.group(2).lower())
                    if month is None:
                        continue
                    d = dt.date(int(m.group(3)), month, int(m.group(1)))
                else:
                    d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
            found.append((m.start(), d))
    return max(found)[1] if found else None


_AREA: Final = re.compile(
    r"\bcoroner\s+for\s+(?:the\s+)?(?:coroner\s+)?(?:area\s+of\s+)?(?:the\s+)?"
    r"([A-Z][\w'’&-]*(?:[ \t]+(?:and|of|upon|on|the|[A-Z][\w'’&-]*))*"
    # A joint area ("Fenshire, Northtown and Eastholm") or a part ("Wendshire (West)").
    r"(?-i:,[ \t]+[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*[ \t]+and[ \t]+[A-Z][\w'’-]*"
    r"(?:[ \t]+[A-Z][\w'’-]*)*)?(?-i:[ \t]+\([A-Z][\w'’ \t-]*\))?)",
    re.I,
)
_NAMELY: Final = re.compile(r"\bnamely\s+(?:by\s+)?(.{6,40})", re.I)
_ROLE: Final = re.compile(
    r"^(?:the\s+)?(?:(?:chief|medical|executive|managing|clinical|regional|nursing|deputy|"
    r"interim|acting)\s+)*(?:executive|constable|director|officer|nurse|governor|"
    r"secretary\s+of\s+state(?:\s+for\s+[\w\s]+)?|minister|chair(?:man|person|woman)?|"
    r"head(?:teacher)?|manager|registrar|president|commissioner|leader|ceo)s?$",
    re.I,
)


def _split_outside_brackets(text: str, commas: bool) -> list[str]:
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in ";\n" or (commas and ch == ",")):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def split_receivers(text: str) -> list[str]:
    """Receivers from a "sent to" list or a `;`/`,`-separated cell, markers removed.

    Commas separate receivers only where nothing else does, never inside brackets, and
    not after a bare role ("Chief Executive, Northmoor NHS Trust") or a lone place name
    ("Northmoor, Fenwick and Eastholm NHS Trust").
    """
    parts: list[str] = []
    # "1. Fenshire Police 2. Northmoor NHS Trust" on one line: one receiver a number.
    text = re.sub(r"\s+(?=\(?\d{1,2}[.)]\s+[A-Z])", "\n", text)
    lines = [ln for ln in re.split(r"[;\n]", text) if ln.strip()]
    for raw in _split_outside_brackets(text, commas=len(lines) <= 1):
        s = raw.strip()
        mk = _marker(s)
        if mk is not None:
            s = mk[2].strip()
        s = re.sub(r"^and\s+", "", s).strip(" .")
        if not s or _words(s) < 1:
            continue
        prev = parts[-1] if parts else ""
        lone_place = len(prev.split()) == 1 and not prev.isupper() and not raw.startswith("\n")
        if prev and ((_ROLE.match(prev) and not _ROLE.match(s)) or lone_place):
            parts[-1] = f"{prev}, {s}"
        else:
            parts.append(s)
    return parts


def read_pfd(lines: Sequence[Line]) -> PfdReport:
    """A whole PFD report: its concerns (and suggested actions), receivers and date."""
    texts = [ln.text for ln in lines]
    report = PfdReport()
    concerns_at = action_at = action_line = sent_at = None
    ends: list[int] = []
    for i, t in enumerate(texts):
        s = t.strip()
        inline_concerns = _CONCERNS_INLINE.match(s)
        inline_action = _ACTION_INLINE.match(s)
        if concerns_at is None and (_CONCERNS_HEAD.match(s) or inline_concerns):
            concerns_at = i
            if inline_concerns:
                texts[i] = inline_concerns.group(1)
                concerns_at = i - 1  # the section's text starts on this line
        elif _ACTION_HEAD.match(s) or inline_action:
            action_at = action_line = i
            ends.append(i)
            if inline_action:
                texts[i] = inline_action.group(1)
                action_at = i - 1
        elif sent_at is None and _SENT_TO.match(s):
            sent_at = i
            ends.append(i)
        elif _OTHER_HEAD.match(s) or _OTHER_INLINE.match(s):
            ends.append(i)
    if sent_at is not None:
        first = _SENT_TO.match(texts[sent_at].strip())
        stop = min((e for e in ends if e > sent_at), default=min(sent_at + 15, len(texts)))
        if concerns_at is not None and concerns_at > sent_at:
            stop = min(stop, concerns_at)
        body = [first.group(1) if first else "", *texts[sent_at + 1 : stop]]
        report.receivers = split_receivers("\n".join(body))
    if concerns_at is None:
        # No heading: take everything after the last framing sentence that leads in.
        opening = [i for i, t in enumerate(texts) if t.strip()][:4]
        lead = next(
            (i for i in opening if _PREAMBLE.search(texts[i]) and texts[i].rstrip().endswith(":")),
            None,
        )
        # With neither, the whole text is the concerns (a concerns cell read alone).
        concerns_at = lead if lead is not None else -1
    if concerns_at is not None:
        stop = min((e for e in ends if e > concerns_at), default=len(texts))
        report.concerns = split_concerns(texts[concerns_at + 1 : stop], first_line=concerns_at + 1)
        if action_at is not None and action_line is not None and action_line >= stop:
            nxt = min((e for e in ends if e > action_line), default=len(texts))
            more = split_concerns(texts[action_at + 1 : nxt], first_line=action_at + 1)
            report.concerns.extend(
                Concern(c.number, c.text, c.line, "actions", c.layout)
                for c in more
                if not _BOILERPLATE.match(c.text)
            )
    for t in texts[:60]:
        m = _AREA.search(t)
        if m:
            report.area = m.group(1).strip()
            break
    # "within 56 days of the date of this report, namely by 9 May 2023": a stated due date
    # is not the report's date, but gives it when the report's own date is missing.
    stated_due: dt.date | None = None
    dated = list(texts)
    for i, t in enumerate(texts):
        m = _NAMELY.search(t)
        if m:
            stated_due = parse_date(m.group(1))
            dated[i] = t[: m.start()]
    tail = "\n".join(dated[max(0, len(dated) - 12) :])
    report.report_date = parse_date(tail) or parse_date("\n".join(dated[:20]))
    if report.report_date is None and stated_due is not None:
        report.report_date = stated_due - dt.timedelta(days=RESPONSE_DAYS)
    return report
