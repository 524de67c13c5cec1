"""How sure the reader is of each item it found, and why; what goes to the review queue.

Every extracted recommendation (or matter of concern) gets a confidence between 0 and 1 and
the reasons for it: the layout that matched (`Recommendation 1:` paragraph, numbered list,
table row, bullet, inline list, a PFD report's prose paragraph, ...), the heading it sits
under, and what lowered it (very short or very long text, no modal verb, no heading). A
document's confidence is its weakest item's, lowered by what the reader saw and did not keep.
Items and documents under `QUEUE_THRESHOLD` are loaded as `queued` for a person to confirm,
correct, merge or remove (`gql_api.review_queue`).

The scores are rules, not a trained model: each says which rule gave it, so a reviewer sees
why an item is in the queue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from scrgraph.settings import queue_threshold

# The setting SCRGRAPH_QUEUE_THRESHOLD (scrgraph.settings; 0.70 unless set).
QUEUE_THRESHOLD: Final = queue_threshold()
"""Items and documents whose confidence is below this are queued for review."""

# The layout that matched, and how often that layout is a real recommendation in the
# evaluation sets (a "Recommendation 1:" paragraph nearly always is; a bullet or an inline
# list less often; a PFD concern found in unmarked prose least).
LAYOUT_SCORES: Final[dict[str, float]] = {
    "recommendation_label": 0.95,
    "table_row": 0.9,
    "r_number": 0.9,
    "numbered": 0.85,
    "paren_number": 0.85,
    "letter": 0.8,
    "roman": 0.8,
    "bullet": 0.75,
    "inline_list": 0.7,
    "pfd_label": 0.95,
    "pfd_number": 0.9,
    "pfd_paren": 0.9,
    "pfd_letter": 0.85,
    "pfd_roman": 0.85,
    "pfd_bullet": 0.8,
    "pfd_paragraphs_announced": 0.8,
    "pfd_paragraphs": 0.65,
}
LAYOUT_NAMES: Final[dict[str, str]] = {
    "recommendation_label": "a 'Recommendation N' paragraph",
    "table_row": "a row of a recommendations table",
    "r_number": "an 'R1.' item",
    "numbered": "a numbered item ('1.', '1)')",
    "paren_number": "a '(1)' item",
    "letter": "a lettered item ('a)')",
    "roman": "a roman-numbered item ('i.')",
    "bullet": "a bullet, numbered by position",
    "inline_list": "a part of an inline list ('Recommendations include: a; b')",
    "pfd_label": "a 'Concern N:' paragraph",
    "pfd_number": "a numbered matter of concern",
    "pfd_paren": "a '(1)' matter of concern",
    "pfd_letter": "a lettered matter of concern",
    "pfd_roman": "a roman-numbered matter of concern",
    "pfd_bullet": "a bulleted matter of concern",
    "pfd_paragraphs_announced": "a paragraph of concerns whose number the report announces",
    "pfd_paragraphs": "a paragraph of unmarked prose under MATTERS OF CONCERN",
}
UNKNOWN_LAYOUT_SCORE: Final = 0.6
SHORT_WORDS: Final = 6  # fewer words than this: perhaps a heading or a fragment
LONG_WORDS: Final = 180  # more: perhaps two items run together, or prose swept in
_MODAL: Final = re.compile(
    r"\b(should|must|will|shall|ensure|needs? to|are asked|is asked|consider|"
    r"develop|establish|provide|strengthen|improve)\b",
    re.I,
)
_WORD: Final = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@dataclass(frozen=True)
class Confidence:
    """A score between 0 and 1 and the reasons for it, in order."""

    score: float
    reasons: tuple[str, ...]

    @property
    def queued(self) -> bool:
        return self.score < QUEUE_THRESHOLD


def item_confidence(
    *,
    layout: str,
    heading: str,
    text: str,
    pfd: bool = False,
    listed_twice: bool = False,
) -> Confidence:
    """The confidence of one item found in `layout` under `heading`."""
    score = LAYOUT_SCORES.get(layout, UNKNOWN_LAYOUT_SCORE)
    reasons = [f"layout: {LAYOUT_NAMES.get(layout, layout or 'not recorded')} ({score:.2f})"]
    if heading:
        reasons.append(f"under the heading {heading!r}")
    elif not pfd and layout not in ("recommendation_label", "table_row", "inline_list"):
        score -= 0.1
        reasons.append("under no recommendations heading (-0.10)")
    words = len(_WORD.findall(text))
    if words < SHORT_WORDS:
        score -= 0.25
        reasons.append(f"short: {words} word{'' if words == 1 else 's'} (-0.25)")
    elif words > LONG_WORDS:
        score -= 0.15
        reasons.append(f"long: {words} words, perhaps more than one item (-0.15)")
    if not pfd and not _MODAL.search(text):
        score -= 0.1
        reasons.append("asks nothing of anyone: no 'should', 'must', 'ensure' ... (-0.10)")
    if listed_twice:
        score += 0.05
        reasons.append("listed twice in the document (+0.05)")
    score = round(min(max(score, 0.0), 1.0), 2)
    return Confidence(score, tuple(reasons))


def concern_confidence(*, layout: str, section: str, text: str) -> Confidence:
    """A PFD report's matter of concern (or suggested action) found in `layout`."""
    heading = "MATTERS OF CONCERN" if section == "concerns" else section
    return item_confidence(layout=layout, heading=heading, text=text, pfd=True)


def document_confidence(items: Sequence[Confidence], warnings: Sequence[str]) -> Confidence:
    """A document's confidence: its weakest item's, less 0.05 a warning (at most 0.2)."""
    if not items:
        return Confidence(0.0, ("no recommendations or concerns found",))
    weakest = min(i.score for i in items)
    queued = sum(1 for i in items if i.queued)
    reasons = [f"weakest of {len(items)} items: {weakest:.2f}"]
    if queued:
        reasons.append(f"{queued} of {len(items)} items below {QUEUE_THRESHOLD:.2f}")
    score = weakest
    if warnings:
        cut = min(0.05 * len(warnings), 0.2)
        score -= cut
        reasons.append(f"{len(warnings)} things read but not kept (-{cut:.2f})")
    return Confidence(round(max(score, 0.0), 2), tuple(reasons))
