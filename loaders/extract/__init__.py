"""Reading review documents (.txt, .md, .pdf): recommendations, themes and agencies.

`extract_document` reads a file into an `ExtractedReview`; `extract_to_batch` also turns
it into graph writes for the loader.
"""

from __future__ import annotations

from loaders.extract.agencies import AgencyDetector, load_gazetteer
from loaders.extract.batch import (
    coroner_area_board,
    extract_to_batch,
    keep_decisions,
    review_batches,
    slug,
)
from loaders.extract.confidence import QUEUE_THRESHOLD, Confidence
from loaders.extract.document import extract_document
from loaders.extract.model import (
    AgencyMention,
    ExtractedAction,
    ExtractedRecommendation,
    ExtractedReview,
    ThemeTag,
)
from loaders.extract.reading import SUFFIXES, Document, read_document
from loaders.extract.themes import ThemeTagger, load_taxonomy
from loaders.extract.version import READER_VERSION

__all__ = [
    "QUEUE_THRESHOLD",
    "READER_VERSION",
    "SUFFIXES",
    "AgencyDetector",
    "AgencyMention",
    "Confidence",
    "Document",
    "ExtractedAction",
    "ExtractedRecommendation",
    "ExtractedReview",
    "ThemeTag",
    "ThemeTagger",
    "coroner_area_board",
    "extract_document",
    "extract_to_batch",
    "keep_decisions",
    "load_gazetteer",
    "load_taxonomy",
    "read_document",
    "review_batches",
    "slug",
]
