"""From a file to an ExtractedReview."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Final

from graph_schema import REVIEW_TYPES
from loaders.action_status import plan_status
from loaders.extract.agencies import AgencyDetector
from loaders.extract.confidence import (
    Confidence,
    concern_confidence,
    document_confidence,
    item_confidence,
)
from loaders.extract.meta import read_meta
from loaders.extract.model import (
    AgencyMention,
    ExtractedAction,
    ExtractedRecommendation,
    ExtractedReview,
    ThemeTag,
)
from loaders.extract.pfd import is_pfd, parse_date, read_pfd, response_due, split_receivers
from loaders.extract.reading import read_document
from loaders.extract.sections import RawAction, RawRecommendation, read_sections
from loaders.extract.themes import ThemeTagger
from loaders.taxonomy import CURRENT_TAXONOMY_VERSION
from scrgraph.errors import InputError

# A theme the recommendations do not carry is raised by the review as a whole when its
# signals occur at least this often in the body of the text.
REVIEW_THEME_MIN_HITS = 3

_MONTH_YEAR: Final = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b", re.I
)
_MONTHS: Final = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)


def action_status(text: str) -> str:
    """An action-plan status or RAG rating as one of ACTION_STATUSES (not_started if blank),
    by the mapping spreadsheets' action plans use (`loaders.action_status`)."""
    return plan_status("", text) or "not_started"


def due_date(text: str) -> dt.date | None:
    """A timescale cell as a date: a written date, or the last day of "March 2024"."""
    found = parse_date(text)
    if found is not None:
        return found
    m = _MONTH_YEAR.search(text)
    if m is None:
        return None
    month, year = _MONTHS.index(m.group(1).lower()[:3]) + 1, int(m.group(2))
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def extract_document(
    path: Path,
    *,
    board: str | None = None,
    year: int | None = None,
    taxonomy_version: int = CURRENT_TAXONOMY_VERSION,
    tagger: ThemeTagger | None = None,
    detector: AgencyDetector | None = None,
    document_kind: str | None = None,
    ocr: bool = False,
) -> ExtractedReview:
    """Read a review document. Board and year given here win over what the text states.

    With `ocr`, a scanned PDF (no text layer) is read by OCR (tesseract must be installed).

    The document kind is found from the text (a coroner's PFD report by its statutory
    frame); `document_kind` (one of graph_schema.REVIEW_TYPES) forces the kind, and
    `document_kind="pfd"` reads the file as a PFD report (or as its concerns alone).
    """
    if document_kind is not None and document_kind not in REVIEW_TYPES:
        raise InputError(f"document kind {document_kind!r} is not one of {', '.join(REVIEW_TYPES)}")
    path = Path(path)
    doc = read_document(path, ocr=ocr)
    tagger = tagger or ThemeTagger(taxonomy_version)
    detector = detector or AgencyDetector()
    meta = read_meta(doc.lines, path.stem)
    recs: list[ExtractedRecommendation] = []
    actions: list[ExtractedAction] = []
    warnings: list[str] = []
    body = "\n".join(ln.text for ln in doc.lines)
    pfd = document_kind == "pfd" or (document_kind is None and is_pfd(body))
    review_type = "pfd" if pfd else (document_kind or meta.review_type)
    report_date = None
    area = None
    if pfd:
        report = read_pfd(doc.lines)
        report_date = report.report_date
        area = report.area
        receivers = report.receivers
        addressed = detector.detect("; ".join(receivers)) if receivers else []
        for c in report.concerns:
            line = doc.lines[c.line] if 0 <= c.line < len(doc.lines) else None
            sure = concern_confidence(layout=c.layout, section=c.section, text=c.text)
            recs.append(
                ExtractedRecommendation(
                    number=c.number,
                    text=c.text,
                    location=line.location if line else "",
                    themes=tagger.tag(c.text),
                    agencies=addressed or detector.detect(c.text),
                    section=c.section,
                    addressees=list(receivers),
                    confidence=sure.score,
                    reasons=list(sure.reasons),
                )
            )
    else:
        raws: list[RawRecommendation]
        raw_actions: list[RawAction]
        raws, raw_actions = read_sections(doc.lines)
        for raw in raws:
            text = raw.text
            named = split_receivers(raw.addressee) if raw.addressee else []
            addressed = detector.detect("; ".join(named)) if named else []
            sure = item_confidence(
                layout=raw.layout,
                heading=raw.under or raw.heading,
                text=text,
                listed_twice=bool(raw.also),
            )
            recs.append(
                ExtractedRecommendation(
                    number=raw.number,
                    text=text,
                    location=raw.where,
                    themes=tagger.tag(text),
                    # The addressee column's agencies first, then those the text names.
                    agencies=_union(addressed, detector.detect(f"{text} {raw.context}".strip())),
                    section=raw.heading,
                    addressees=named,
                    confidence=sure.score,
                    reasons=list(sure.reasons),
                )
            )
        actions, warnings = _actions(raw_actions, recs, detector)
    themes: dict[str, ThemeTag] = {}
    for r in recs:
        for t in r.themes:
            themes.setdefault(
                t.theme, ThemeTag(t.theme, f"recommendation {r.number}: {t.evidence}")
            )
    counts: Counter[str] = tagger.count(body)
    for key, n in counts.most_common():
        if n >= REVIEW_THEME_MIN_HITS and key not in themes:
            themes[key] = ThemeTag(key, f"{n} mentions in the text")
    whole = document_confidence(
        [Confidence(r.confidence, tuple(r.reasons)) for r in recs], warnings
    )
    agencies: dict[str, AgencyMention] = {}
    for r in recs:
        for a in r.agencies:
            agencies.setdefault(a.name, a)
    return ExtractedReview(
        title=meta.title,
        board=board or meta.board,
        year=year or meta.year or (report_date.year if report_date else None),
        document=path.name,
        kind=doc.kind,
        review_type=review_type,
        pseudonym=meta.pseudonym,
        recommendations=recs,
        themes=list(themes.values()),
        agencies=list(agencies.values()),
        report_date=report_date,
        response_due=response_due(report_date),
        area=area,
        actions=actions,
        warnings=warnings,
        confidence=whole.score,
        reasons=list(whole.reasons),
    )


def _union(first: list[AgencyMention], more: list[AgencyMention]) -> list[AgencyMention]:
    names = {a.name for a in first}
    return [*first, *(a for a in more if a.name not in names)]


def _actions(
    raws: list[RawAction], recs: list[ExtractedRecommendation], detector: AgencyDetector
) -> tuple[list[ExtractedAction], list[str]]:
    """Action-plan rows that name one of the review's recommendations; the rest, as warnings."""
    numbers = Counter(r.number for r in recs)
    actions: list[ExtractedAction] = []
    warnings: list[str] = []
    for raw in raws:
        n = numbers.get(raw.recommendation, 0)
        if n != 1:
            why = "no recommendation has" if n == 0 else f"{n} recommendations have"
            warnings.append(
                f"{raw.location}: action-plan row for recommendation {raw.recommendation} "
                f"not kept: {why} that number"
            )
            continue
        owners = detector.detect(raw.owner) if raw.owner else []
        actions.append(
            ExtractedAction(
                recommendation=raw.recommendation,
                text=raw.text,
                location=raw.location,
                owner=owners[0] if owners else None,
                owner_text=raw.owner,
                due_date=due_date(raw.due) if raw.due else None,
                due_text=raw.due,
                status=action_status(raw.status),
            )
        )
    return actions, warnings
