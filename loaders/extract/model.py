"""What reading a review document yields: the review, its recommendations, tags, agencies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ThemeTag:
    """A theme key and the evidence that tagged it: the phrase matched, or a score."""

    theme: str
    evidence: str


@dataclass(frozen=True)
class AgencyMention:
    """An agency named in the text, by its canonical gazetteer name, with its sector key."""

    name: str
    sector: str
    evidence: str = ""

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "sector": self.sector}


@dataclass
class ExtractedRecommendation:
    """One numbered recommendation as printed in the review."""

    number: str
    text: str
    location: str
    themes: list[ThemeTag] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    section: str = ""  # the part of the document it is in, where that matters ("actions")
    addressees: list[str] = field(default_factory=list)  # as named by the document
    confidence: float = 1.0  # how sure the reader is (loaders.extract.confidence)
    reasons: list[str] = field(default_factory=list)  # why: layout, heading, what lowered it

    @property
    def theme_keys(self) -> list[str]:
        return [t.theme for t in self.themes]

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "number": self.number,
            "text": self.text,
            "location": self.location,
            "themes": self.theme_keys,
            "agencies": [a.as_json() for a in self.agencies],
        }
        if self.section:
            out["section"] = self.section
        if self.addressees:
            out["addressees"] = self.addressees
        out["confidence"] = self.confidence
        out["reasons"] = self.reasons
        return out


@dataclass
class ExtractedAction:
    """A row of the review's action-plan table, answering the recommendation it names."""

    recommendation: str  # the number of the recommendation it answers
    text: str
    location: str
    owner: AgencyMention | None = None
    owner_text: str = ""  # the owner column as written
    due_date: dt.date | None = None
    due_text: str = ""  # the timescale column as written ("by March 2024")
    status: str = "not_started"  # one of graph_schema.ACTION_STATUSES

    def as_json(self) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation,
            "text": self.text,
            "location": self.location,
            "owner": self.owner.as_json() if self.owner else None,
            "owner_text": self.owner_text,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "due_text": self.due_text,
            "status": self.status,
        }


@dataclass
class ExtractedReview:
    """A review read from a document. Board and year may be unknown (None)."""

    title: str
    board: str | None
    year: int | None
    document: str
    kind: str  # txt, md or pdf
    review_type: str = "scr"  # the document kind: one of graph_schema.REVIEW_TYPES
    status: str = "draft"  # a new reading is not public until someone publishes it
    pseudonym: str | None = None
    recommendations: list[ExtractedRecommendation] = field(default_factory=list)
    themes: list[ThemeTag] = field(default_factory=list)
    agencies: list[AgencyMention] = field(default_factory=list)
    report_date: dt.date | None = None
    response_due: dt.date | None = None  # a PFD report's receivers owe a response by then
    area: str | None = None  # a PFD report's coroner area
    actions: list[ExtractedAction] = field(default_factory=list)  # from action-plan tables
    warnings: list[str] = field(default_factory=list)  # what was read but not kept, and why
    confidence: float = 1.0  # the document's: its weakest item's, less its warnings
    reasons: list[str] = field(default_factory=list)

    @property
    def theme_keys(self) -> list[str]:
        return [t.theme for t in self.themes]

    def as_json(self) -> dict[str, Any]:
        """The `scrgraph extract --json` shape."""
        out: dict[str, Any] = {
            "title": self.title,
            "board": self.board,
            "year": self.year,
            "recommendations": [r.as_json() for r in self.recommendations],
            "themes": self.theme_keys,
            "agencies": [a.as_json() for a in self.agencies],
        }
        out["confidence"] = self.confidence
        out["confidence_reasons"] = self.reasons
        if self.actions:
            out["actions"] = [a.as_json() for a in self.actions]
        if self.warnings:
            out["warnings"] = self.warnings
        if self.review_type == "pfd":
            out["review_type"] = self.review_type
            out["report_date"] = self.report_date.isoformat() if self.report_date else None
            out["response_due"] = self.response_due.isoformat() if self.response_due else None
            out["area"] = self.area
        return out
