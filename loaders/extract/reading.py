"""Reading .txt, .md and .pdf files into lines that remember their line and page."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from scrgraph.errors import InputError

SUFFIXES: Final = (".txt", ".md", ".pdf")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I)
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    """One line of the document: its text, 1-based line number and 1-based page."""

    text: str
    number: int
    page: int
    pdf: bool = False

    @property
    def location(self) -> str:
        if self.pdf:
            return f"page {self.page}"
        if self.page > 1:
            return f"line {self.number} (page {self.page})"
        return f"line {self.number}"


@dataclass(frozen=True)
class Document:
    """A document's lines, page furniture (running headers, page numbers) removed."""

    path: Path
    kind: str
    lines: tuple[Line, ...]


def read_document(path: Path) -> Document:
    """Read a text, markdown or PDF file; raise InputError saying what to do if it cannot."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"{path}: cannot read {suffix or 'a file without an extension'}; "
            "give a .txt, .md or .pdf file"
        )
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".pdf":
        pages = _pdf_pages(path)
        pdf_rows = [
            (text, number, page_no)
            for page_no, page in enumerate(pages, start=1)
            for number, text in enumerate(page.split("\n"), start=1)
        ]
        return Document(path, "pdf", _clean(pdf_rows, pdf=True))
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: not UTF-8 text (byte {e.start}); save it as UTF-8 and try again"
        ) from e
    if not raw.strip():
        raise InputError(f"{path}: the file has no text; give a review document with its text")
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    page = 1
    rows: list[tuple[str, int, int]] = []
    for number, text in enumerate(raw.split("\n"), start=1):
        page += text.count("\f")
        rows.append((text.replace("\f", ""), number, page))
    return Document(path, suffix[1:], _clean(rows, pdf=False))


def _pdf_pages(path: Path) -> list[str]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as e:  # pragma: no cover - pypdf is a dependency
        raise InputError("reading PDF needs the pypdf package; pip install pypdf") from e
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError(f"{path}: the PDF is encrypted; save an unencrypted copy and retry")
        pages = [(page.extract_text() or "") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        raise InputError(f"{path}: not a readable PDF ({e}); check the file is a whole PDF") from e
    if not any(p.strip() for p in pages):
        raise InputError(
            f"{path}: the PDF has no text to read (no text layer in its {len(pages)} page(s); "
            "it is probably scanned); run it through OCR first (for example ocrmypdf) "
            "and try again"
        )
    return pages


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())


def _clean(rows: list[tuple[str, int, int]], *, pdf: bool) -> tuple[Line, ...]:
    """Drop page numbers and running headers/footers at the top or bottom of pages."""
    by_page: dict[int, list[int]] = {}
    for i, (text, _, page) in enumerate(rows):
        if text.strip():
            by_page.setdefault(page, []).append(i)
    edges: dict[int, list[int]] = {}
    for page, idx in by_page.items():
        # The first and last two lines of a page; only one each on a page of little text.
        edges[page] = idx[:2] + idx[-2:] if len(idx) > 4 else idx[:1] + idx[-1:]
    edge = {i for idx in edges.values() for i in idx}
    repeated: set[str] = set()
    if len(by_page) >= 3:
        counts: Counter[str] = Counter()
        for idx in edges.values():
            counts.update({_furniture_key(rows[i][0]) for i in idx})
        need = max(3, len(by_page) // 2 + 1)
        repeated = {k for k, n in counts.items() if n >= need}
    paged = pdf or len(by_page) > 1
    out: list[Line] = []
    for i, (text, number, page) in enumerate(rows):
        stripped = text.strip()
        furniture = _PAGE_NUMBER.match(stripped) or _furniture_key(stripped) in repeated
        if paged and i in edge and stripped and furniture:
            continue
        out.append(Line(text.rstrip(), number, page, pdf))
    return tuple(out)
