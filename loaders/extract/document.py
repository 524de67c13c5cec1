"""From a file to an ExtractedReview."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from loaders.extract.agencies import AgencyDetector
from loaders.extract.meta import read_meta
from loaders.extract.model import (
    AgencyMention,
    ExtractedRecommendation,
    ExtractedReview,
    ThemeTag,
)
from loaders.extract.pfd import is_pfd, read_pfd, response_due
from loaders.extract.reading import read_document
from loaders.extract.sections import RawRecommendation, find_recommendations
from loaders.extract.themes import ThemeTagger

# A theme the recommendations do not carry is raised by the review as a whole when its
# signals occur at least this often in the body of the text.
REVIEW_THEME_MIN_HITS = 3


def extract_document(
    path: Path,
    *,
    board: str | None = None,
    year: int | None = None,
    taxonomy_version: int = 1,
    tagger: ThemeTagger | None = None,
    detector: AgencyDetector | None = None,
    document_kind: str | None = None,
) -> ExtractedReview:
    """Read a review document. Board and year given here win over what the text states.

    The document kind is found from the text (a coroner's PFD report by its statutory
    frame); `document_kind="pfd"` reads the file as one (or as its concerns alone).
    """
    path = Path(path)
    doc = read_document(path)
    tagger = tagger or ThemeTagger(taxonomy_version)
    detector = detector or AgencyDetector()
    meta = read_meta(doc.lines, path.stem)
    recs: list[ExtractedRecommendation] = []
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
            recs.append(
                ExtractedRecommendation(
                    number=c.number,
                    text=c.text,
                    location=line.location if line else "",
                    themes=tagger.tag(c.text),
                    agencies=addressed or detector.detect(c.text),
                    section=c.section,
                    addressees=list(receivers),
                )
            )
    else:
        raws: list[RawRecommendation] = find_recommendations(doc.lines)
        for raw in raws:
            text = raw.text
            recs.append(
                ExtractedRecommendation(
                    number=raw.number,
                    text=text,
                    location=raw.where,
                    themes=tagger.tag(text),
                    agencies=detector.detect(f"{text} {raw.context}".strip()),
                    section=raw.heading,
                )
            )
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
    )
