"""What a review says about itself on its first pages: title, board, year, type, pseudonym."""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.extract.reading import Line

_BOARD = re.compile(
    r"\b((?:[A-Z][\w'’&-]*[ \t]+){1,5}?(?:and[ \t]+(?:[A-Z][\w'’-]*[ \t]+){1,3})?"
    r"(?:Local[ \t]+)?Safeguarding[ \t]+(?:Children(?:'s|’s)?[ \t]+)?(?:Board|Partnership|Partners))\b"
)
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
_PUBLISHED = re.compile(r"\b(published|publication|date of (?:report|publication)|dated?)\b", re.I)
_PSEUDONYM = re.compile(r"\b((?:Child|Family|Baby|Children|Young Person)\s+[A-Z]{1,2})\b")
_MD = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class Meta:
    title: str
    board: str | None
    year: int | None
    review_type: str
    pseudonym: str | None


def _review_type(text: str) -> str:
    t = text.lower()
    if "local child safeguarding practice review" in t or "lcspr" in t:
        return "lcspr"
    if "serious case review" in t:
        return "scr"
    if "rapid review" in t:
        return "rapid"
    if "thematic review" in t or "thematic" in t:
        return "thematic"
    if "national review" in t or "national panel" in t:
        return "national"
    return "scr"


def read_meta(lines: tuple[Line, ...], fallback_title: str) -> Meta:
    head = [ln for ln in lines[:80] if ln.text.strip()][:25]
    texts = [_MD.sub("", ln.text.strip()).replace("**", "").strip() for ln in head]
    title = ""
    for i, t in enumerate(texts):
        if re.search(r"review|report|inquiry", t, re.I) and len(t) <= 160:
            title = t
            following = texts[i + 1] if i + 1 < len(texts) else ""
            if not _PSEUDONYM.search(t) and _PSEUDONYM.fullmatch(following.title()):
                title = f"{t}: {following}"  # "SERIOUS CASE REVIEW" then "Child S"
            break
    if not title:
        title = texts[0] if texts else fallback_title
    joined = "\n".join(t.title() if t.isupper() else t for t in texts)
    board_m = _BOARD.search(joined)
    board = board_m.group(1).strip() if board_m else None
    if board:
        board = re.sub(r"^(?:The|By|For|From|Commissioned by|Of)\s+", "", board)
    year: int | None = None
    for t in texts:
        if _PUBLISHED.search(t):
            ys = _YEAR.findall(t)
            if ys:
                year = int(ys[-1])
                break
    if year is None:
        ys = [int(y) for t in texts for y in _YEAR.findall(t)]
        year = max(ys) if ys else None
    pseudo_m = _PSEUDONYM.search(joined)
    return Meta(
        title=title,
        board=board,
        year=year,
        review_type=_review_type(joined),
        pseudonym=pseudo_m.group(1) if pseudo_m else None,
    )
