"""The reader's version (`loaders.extract.READER_VERSION`) goes up whenever its output can.

`scrgraph load DIR` skips a document it has already written with the same reader; a reader
that reads differently under an unchanged version would leave every loaded document as the
old reader read it. So each version pins a fingerprint of what the reader reads from the
synthetic evaluation documents (text and Markdown; the PDFs are left out, as their text
depends on the PDF library's version too). A change to the reader that changes its output
fails here until the version is bumped and the new fingerprint added below.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from loaders.extract import READER_VERSION, ThemeTagger, extract_document
from loaders.taxonomy import CURRENT_TAXONOMY_VERSION

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "evaluation" / "extraction" / "docs"

# READER_VERSION -> the first 16 hex digits of the fingerprint of its output.
FINGERPRINTS = {
    1: "c537fed52bc75692",
    # 2: the theme tagger holds a short sentence inside a paragraph to the narrative rule;
    # the synthetic documents read as before, real PFD concerns can differ.
    2: "c537fed52bc75692",
}


def reader_fingerprint() -> str:
    """A hash of what the reader reads from every synthetic text and Markdown document."""
    tagger = ThemeTagger(CURRENT_TAXONOMY_VERSION)
    out = []
    for path in sorted(DOCS.iterdir()):
        if path.suffix in (".txt", ".md"):
            out.append([path.name, extract_document(path, tagger=tagger).as_json()])
    assert len(out) >= 10, f"too few synthetic documents in {DOCS}"
    text = json.dumps(out, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_the_reader_version_goes_up_when_the_reader_reads_differently() -> None:
    # Only up, one at a time: every version has its fingerprint.
    assert sorted(FINGERPRINTS) == list(range(1, READER_VERSION + 1))
    got = reader_fingerprint()
    assert got == FINGERPRINTS[READER_VERSION], (
        f"the reader's output changed (fingerprint {got}) under READER_VERSION "
        f"{READER_VERSION}: bump loaders/extract/version.py and add {{{READER_VERSION + 1}: "
        f'"{got}"}} to FINGERPRINTS, so that `scrgraph load DIR` reads loaded documents again'
    )


def test_the_reader_version_is_declared_once() -> None:
    declared = re.compile(r"^READER_VERSION\b.*=", re.MULTILINE)
    found = [
        p.relative_to(ROOT).as_posix()
        for package in ("loaders", "scrgraph", "graph_store", "gql_api", "queries")
        for p in sorted((ROOT / package).rglob("*.py"))
        if declared.search(p.read_text(encoding="utf-8"))
    ]
    assert found == ["loaders/extract/version.py"]
