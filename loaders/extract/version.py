"""The reader's version: what `scrgraph load DIR` keys its "already loaded" ledger on.

Bump `READER_VERSION` in the same commit as any change that can change what the reader
reads from a document (its items, numbers, spans, themes, agencies, confidence or the
review's metadata). A folder loaded again after a bump is read again, document by document;
with the same reader every document already written is skipped. The test
`tests/unit/test_extract_reader_version.py` holds a fingerprint of the reader's output on
the synthetic evaluation documents per version, and fails when the output changes under an
unchanged version.
"""

from __future__ import annotations

from typing import Final

READER_VERSION: Final = 2
