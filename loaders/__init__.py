"""Loaders: corpus files (CSV or JSON Lines) validated, then merged into the graph in batches;
and the deterministic synthetic corpus generator the demo and the tests share."""

from loaders.generate import SCALES, generate_corpus, reissued_groups
from loaders.load import DEFAULT_BATCH_SIZE, LoadReport, Progress, corpus_run_id, load_corpus
from loaders.models import FILES, json_schema, json_schema_text
from loaders.readers import Problem
from loaders.similarity import DEFAULT_THRESHOLD, similar_pairs
from loaders.validate import Corpus, parse_corpus
from loaders.writer import CorpusWriter

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_THRESHOLD",
    "FILES",
    "SCALES",
    "Corpus",
    "CorpusWriter",
    "LoadReport",
    "Problem",
    "Progress",
    "corpus_run_id",
    "generate_corpus",
    "json_schema",
    "json_schema_text",
    "load_corpus",
    "parse_corpus",
    "reissued_groups",
    "similar_pairs",
]
