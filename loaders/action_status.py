"""Action statuses from what action plans write: progress words and RAG ratings.

One mapping for every reader of action plans: spreadsheets (`loaders.action_plan`) and the
action-plan tables of review documents (`loaders.extract`). The statuses are graph_schema's
ACTION_STATUSES; whether an action is overdue is not a status (the queries derive it from
its due date).
"""

from __future__ import annotations

import re
from typing import Final

# Progress words, in the order they are tried: a negated completion ("not yet complete")
# before completion, "not started" before "started".
_PROGRESS_WORDS: Final = tuple(
    (status, re.compile(pattern, re.I))
    for status, pattern in (
        (
            "cancelled",
            r"\bcancell?ed\b|\bwithdrawn\b|\bsuperseded\b|\bno\s+longer\s+(?:required|needed|applicable)\b"
            r"|\bnot\s+required\b|\bdropped\b",
        ),
        (
            "in_progress",
            r"\bnot\s+(?:yet\s+)?(?:complete|completed|achieved|finished|done)\b|\bincomplete\b"
            r"|\bpartial(?:ly)?\b|\bpartly\b",
        ),
        (
            "not_started",
            r"\bnot\s+(?:yet\s+)?(?:started|begun|commenced)\b|\byet\s+to\s+(?:start|begin)\b"
            r"|\bplanned\b|\bpending\b|\bto\s+start\b",
        ),
        (
            "completed",
            r"\bcomplete[d]?\b|\bdone\b|\bachieved\b|\bclosed\b|\bfinished\b|\bembedded\b"
            r"|\bimplemented\b|\bdelivered\b|\bsigned\s+off\b",
        ),
        (
            "in_progress",
            r"\bon-?going\b|\bin\s+progress\b|\bunder\s?way\b|\bstarted\b|\bon\s+track\b"
            r"|\bprogressing\b|\boverdue\b|\bdelayed\b|\bbehind\b|\bslipp\w*|\boff\s+track\b"
            r"|\bat\s+risk\b",
        ),
    )
)
_RAG_LETTERS: Final = {"r": "red", "a": "amber", "g": "green", "b": "blue"}
_RAG_COLOURS: Final = ("red", "amber", "green", "blue")
# A RAG colour to a status. Green is completed, unless the plan also uses blue (a "BRAG"
# plan, where blue is complete and green on track): then green is in progress.
_RAG_STATUS: Final = {
    "red": "not_started",
    "amber": "in_progress",
    "green": "completed",
    "blue": "completed",
}
RAG_EXPECTED: Final = "red, amber, green or blue (R, A, G, B), or a progress word"


def rag_colour(text: str) -> str | None:
    """The RAG colour a cell names, or "mixed" when it names two or more.

    "G", "Green", "Green - complete", "BLUE" name one colour; "Amber/Green" names two, which
    is read as in progress. None when the cell names no colour.
    """
    low = text.strip().lower()
    if low in _RAG_LETTERS:
        return _RAG_LETTERS[low]
    found = [c for c in _RAG_COLOURS if re.search(rf"\b{c}\b", low)]
    if not found and re.fullmatch(r"[rag](?:\s*/\s*[rag])+", low):
        found = [_RAG_LETTERS[x] for x in re.findall(r"[rag]", low)]
    if not found:
        return None
    return found[0] if len(set(found)) == 1 else "mixed"


def progress_status(text: str) -> str | None:
    """The status a progress cell's words say, or None when they name none."""
    for status, pattern in _PROGRESS_WORDS:
        if pattern.search(text):
            return status
    return None


def rag_readable(rag: str) -> bool:
    """Whether a RAG cell is blank, names a colour, or says a progress word."""
    return not rag or rag_colour(rag) is not None or progress_status(rag) is not None


def plan_status(progress: str, rag: str, *, brag: bool = False) -> str | None:
    """One of ACTION_STATUSES from a row's progress and RAG cells; None if the RAG is unread.

    A progress cell of a few words that names a status ("Complete", "Not started",
    "Ongoing", "Overdue") decides; else the RAG rating (red: not started, amber: in
    progress, green: completed, or in progress when `brag`, blue: completed, two colours: in
    progress); else the words of a longer progress note; else not_started. A RAG cell that
    is neither a colour nor a progress word gives None (the row is refused).
    """
    if not rag_readable(rag):
        return None
    said = progress_status(progress) if progress else None
    if said is not None and len(progress.split()) <= 4:
        return said
    colour = rag_colour(rag) if rag else None
    if colour == "mixed":
        return "in_progress"
    if colour is not None:
        return "in_progress" if brag and colour == "green" else _RAG_STATUS[colour]
    return (progress_status(rag) if rag else None) or said or "not_started"
