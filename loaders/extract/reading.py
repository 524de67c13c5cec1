"""Reading .txt, .md and .pdf files into lines that remember their line and page."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from scrgraph.errors import InputError

SUFFIXES: Final = (".txt", ".md", ".pdf")
_PAGE_NUMBER = re.compile(
    r"^\s*[-–—]?\s*(?:page\s*\|?\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*[-–—]?\s*$"
    r"|^\s*\d{1,4}\s*\|\s*page\s*$",
    re.I,
)
# Words that keep their hyphen when a line ends after them ("multi-" + "agency").
_HYPHEN_PREFIXES: Final = frozenset(
    {"multi", "self", "pre", "post", "non", "cross", "inter", "co", "ex", "anti", "semi"}
    | {"well", "long", "short", "full", "part", "follow", "step", "half", "face", "cyber"}
)


def join_hyphenated(left: str, right: str) -> str | None:
    """`left` ending in a hyphen and `right` going on in lower case, joined, else None.

    "informa-" + "tion" is "information"; a compound keeps its hyphen: "multi-" +
    "agency" is "multi-agency".
    """
    if not left.endswith("-") or left.endswith(" -") or not right[:1].islower():
        return None
    stem = re.split(r"[\s/(]", left[:-1])[-1]
    if not stem[-1:].isalpha():
        return None
    if stem.lower().split("-")[-1] in _HYPHEN_PREFIXES:
        return left + right
    return left[:-1] + right


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


OCR_HINT: Final = (
    "--ocr needs the tesseract OCR program: on Debian or Ubuntu `apt-get install tesseract-ocr`"
)
# Pages are drawn at this resolution for OCR (tesseract reads body text best at about 300).
OCR_DPI: Final = 300


def read_document(path: Path, *, ocr: bool = False) -> Document:
    """Read a text, markdown or PDF file; raise InputError saying what to do if it cannot.

    With `ocr`, a PDF with no text layer (a scanned review) is read by OCR, page by page."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"{path}: cannot read {suffix or 'a file without an extension'}; "
            "give a .txt, .md or .pdf file"
        )
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".pdf":
        pages = _pdf_pages(path, ocr=ocr)
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
    return Document(path, suffix[1:], text_lines(raw))


def text_lines(raw: str) -> tuple[Line, ...]:
    """Plain text (a file's, or a table cell's) as lines, exactly as a .txt file is read."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    page = 1
    rows: list[tuple[str, int, int]] = []
    for number, text in enumerate(raw.split("\n"), start=1):
        page += text.count("\f")
        rows.append((text.replace("\f", ""), number, page))
    return _clean(rows, pdf=False)


def _pdf_pages(path: Path, *, ocr: bool = False) -> list[str]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as e:  # pragma: no cover - pypdf is a dependency
        raise InputError("reading PDF needs the pypdf package; pip install pypdf") from e
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError(f"{path}: the PDF is encrypted; save an unencrypted copy and retry")
        pages = _layout_pages(path)
        if pages is None:
            pages = [(page.extract_text() or "") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        raise InputError(f"{path}: not a readable PDF ({e}); check the file is a whole PDF") from e
    if not any(p.strip() for p in pages):
        if ocr:
            return ocr_pages(path)
        raise InputError(
            f"{path}: the PDF has no text to read (no text layer in its {len(pages)} page(s); "
            "it is probably scanned); read it with --ocr (which needs the tesseract OCR "
            "program: `apt-get install tesseract-ocr`), or run it through OCR first"
        )
    return pages


def ocr_pages(path: Path) -> list[str]:
    """Each page of a scanned PDF drawn as an image (pypdfium2) and read by tesseract."""
    import shutil
    import subprocess
    import tempfile

    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise InputError(f"{path}: the PDF has no text layer, and {OCR_HINT}")
    import pypdfium2

    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="scrgraph-ocr-") as tmp:
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            for i in range(len(pdf)):
                image = Path(tmp) / f"page-{i + 1}.png"
                pdf[i].render(scale=OCR_DPI / 72).to_pil().save(image)
                done = subprocess.run(
                    [tesseract, str(image), "stdout", "--psm", "4"],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    raise InputError(
                        f"{path}: page {i + 1}: OCR failed ({done.stderr.strip()[:200]})"
                    )
                texts.append(done.stdout)
        finally:
            pdf.close()
    if not any(t.strip() for t in texts):
        raise InputError(f"{path}: OCR found no text on its {len(texts)} page(s)")
    return texts


# A gap between two lines of more than this many line heights is a paragraph break.
_PARAGRAPH_GAP: Final = 1.6
# Characters this much smaller than the body text and raised above its baseline are
# footnote marks ("...was not shared.³").
_MARK_SIZE: Final = 0.8


def _layout_pages(path: Path) -> list[str] | None:
    """Each page's text as lines, read with pdfplumber, which sees ruled tables and layout.

    A ruled table becomes pipe-table rows (`| 1 | text | agency |`), each cell's wrapped
    lines joined, so the section reader treats it as it treats a markdown table. A table
    that goes on over a page break without its header gets its header again. Paragraph
    breaks (a larger gap between lines) become blank lines; footnote marks are dropped.
    None if pdfplumber cannot read the file (pypdf's text is used then).
    """
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - pdfplumber is a dependency
        return None
    pages: list[str] = []
    header: list[str] | None = None  # the last table's header row, for a continuation
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                text, header = _layout_page(page, header)
                pages.append(text)
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return pages


# A gap between words of more than this many character widths separates two columns.
_COLUMN_GAP: Final = 3.0


def _aligned(lines: list[dict[str, Any]]) -> list[str]:
    """Each line's text; a line of an unruled table keeps its columns in place.

    A line with a column gap in it, and an indented line right after one (a cell's
    wrapped text), is laid out with spaces at its characters' positions, as the plain-text
    table reader expects ("1     The board should ...    Police"). Other lines are as
    pdfplumber gives them.
    """
    chars = [c for ln in lines for c in ln.get("chars", []) if c["text"].strip()]
    if not chars:
        return [ln["text"] for ln in lines]
    widths = sorted(c["x1"] - c["x0"] for c in chars)
    cw = max(widths[len(widths) // 2], 1.0)
    left = min(c["x0"] for c in chars)
    out: list[str] = []
    in_table = False
    for ln in lines:
        cs = [c for c in ln.get("chars", []) if c["text"].strip()]
        gapped = any(b["x0"] - a["x1"] > _COLUMN_GAP * cw for a, b in itertools.pairwise(cs))
        indented = bool(cs) and cs[0]["x0"] - left > _COLUMN_GAP * cw
        in_table = bool(cs) and (gapped or (in_table and indented))
        if not in_table:
            out.append(ln["text"])
            continue
        text = ""
        prev_x1: float | None = None
        for c in cs:
            gap = c["x0"] - prev_x1 if prev_x1 is not None else None
            if gap is None or gap > _COLUMN_GAP * cw:
                # A column starts: at its place on a grid finer than the text, so that
                # proportional text never runs past the next column's start.
                col = round((c["x0"] - left) / (cw * 0.8))
                text += " " * max(col - len(text), 2 if text else 0)
            elif gap > cw * 0.25:
                text += " "
            text += c["text"]
            prev_x1 = c["x1"]
        row = [text]
        out.append("".join(row))
    return out


def _line_size(line: dict[str, Any]) -> float:
    sizes = sorted(c["size"] for c in line.get("chars", []) if c["text"].strip())
    return float(sizes[len(sizes) // 2]) if sizes else 0.0


_FOOTNOTE_START = re.compile(r"^\s*(?:\d{1,3}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹])\s*\S")


def _without_footnotes(lines: list[dict[str, Any]], body_size: float) -> list[dict[str, Any]]:
    """The page's lines without its footnotes: the small print below the body text that
    begins with a note's number ("3 Working Together, chapter 2") and what runs on from it."""
    if not body_size or not lines:
        return lines
    small = [_line_size(ln) < body_size * 0.9 for ln in lines]
    last_body = max((i for i, s in enumerate(small) if not s), default=-1)
    cut = len(lines)
    for i in range(last_body + 1, len(lines)):
        if _FOOTNOTE_START.match(lines[i]["text"]):
            cut = i
            break
    return lines[:cut]


def _cell_text(cell: str | None) -> str:
    lines = [ln.strip() for ln in (cell or "").split("\n") if ln.strip()]
    out = ""
    for ln in lines:
        joined = join_hyphenated(out, ln)  # a word hyphenated at the cell's edge
        out = joined if joined is not None else (f"{out} {ln}" if out else ln)
    return out.replace("|", "/")


def _is_caps_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


_FORM: Final = "\x00form"  # the last table was a form's layout (see _layout_table_lines)


def _layout_table_lines(
    rows: list[list[str | None]], *, going_on: bool = False
) -> list[str] | None:
    """A table used to lay a form out, as the text it holds; None for a table of data.

    A coroner's report form (and some reports' templates) is a two-column table: a section
    number, then a cell holding the section's heading in capitals and its paragraphs. Read
    as a data table its paragraphs would run into one cell. Such a table has at most two
    columns, and cells of several lines that open with a heading in capitals; each row
    becomes its number and heading on one line ("5 CORONER'S CONCERNS"), then its lines.
    """
    if not rows or any(len(r) > 2 for r in rows):
        return None
    cells = [[(c or "").strip() for c in r] for r in rows]
    headed = sum(1 for r in cells for c in r if "\n" in c and _is_caps_heading(c.split("\n", 1)[0]))
    if headed < 2 and not (going_on and any(c for r in cells for c in r)):
        return None
    out: list[str] = []
    for r in cells:
        number = r[0] if len(r) == 2 and len(r[0].split()) <= 1 else ""
        text = r[-1] if number or len(r) == 1 else "\n".join(c for c in r if c)
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if not lines and not number:
            continue
        if out:
            out.append("")
        first = lines[0] if lines else ""
        if number and _is_caps_heading(first):
            out.append(f"{number} {first}")
            lines = lines[1:]
        elif number:
            out.append(number)
        out.extend(lines)
    return out


def _layout_page(page: Any, header: list[str] | None) -> tuple[str, list[str] | None]:
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    rest = page
    for t in tables:
        rest = rest.outside_bbox(t.bbox)
    sizes = sorted(c["size"] for c in rest.chars if c["text"].strip())
    body_size = sizes[len(sizes) // 2] if sizes else 0.0
    if body_size:
        # Drop footnote marks: small digits (or symbols) raised above the line's baseline.
        marks = {id(c) for c in rest.chars if _is_mark(c, rest.chars, body_size)}
        if marks:
            rest = rest.filter(lambda obj: id(obj) not in marks)
    entries: list[tuple[float, float, list[str]]] = []  # (top, bottom, lines)
    text_lines = _without_footnotes(rest.extract_text_lines(), body_size)
    for ln, text in zip(text_lines, _aligned(text_lines), strict=True):
        entries.append((ln["top"], ln["bottom"], [text]))
    for t in tables:
        raw_rows = t.extract()
        # A form's table goes on over the page break without a heading in its first cell.
        layout = _layout_table_lines(raw_rows, going_on=header == [_FORM])
        if layout is not None:
            entries.append((t.bbox[1], t.bbox[3], ["", *layout, ""]))
            header = [_FORM]
            continue
        if header == [_FORM]:
            header = None
        rows = [[_cell_text(c) for c in row] for row in raw_rows]
        rows = [r for r in rows if any(r)]
        if not rows:
            continue
        out: list[str] = []
        first = rows[0]
        looks_like_header = bool(first[0]) and all(
            len(c.split()) <= 4 and not _DIGITS.fullmatch(c.split(" ")[0].rstrip(".)"))
            for c in first
            if c
        )
        if looks_like_header:
            header = first
        elif header is not None and len(header) == len(first):
            rows = [header, *rows]  # a table continued from the last page
        else:
            header = None
        for i, row in enumerate(rows):
            out.append("| " + " | ".join(row) + " |")
            if i == 0:
                out.append("|" + "---|" * len(row))
        entries.append((t.bbox[1], t.bbox[3], ["", *out, ""]))
    entries.sort(key=lambda e: e[0])
    lines: list[str] = []
    prev_bottom: float | None = None
    prev_height = 0.0
    for top, bottom, texts in entries:
        height = bottom - top if len(texts) == 1 else prev_height
        if (
            prev_bottom is not None
            and prev_height
            and top - prev_bottom > prev_height * (_PARAGRAPH_GAP - 1)
            and lines
            and lines[-1] != ""
        ):
            lines.append("")
        lines.extend(texts)
        prev_bottom, prev_height = bottom, height or prev_height
    return "\n".join(lines), header


_MARK_CHARS: Final = frozenset("0123456789*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰")


def _is_mark(char: dict[str, Any], chars: list[dict[str, Any]], body_size: float) -> bool:
    """A small digit or symbol sitting above the baseline of the body text beside it."""
    if char["text"] not in _MARK_CHARS or char["size"] >= body_size * _MARK_SIZE:
        return False
    for other in chars:
        if (
            other["size"] >= body_size * 0.95
            and abs(other["x0"] - char["x0"]) < body_size * 3
            and other["top"] <= char["bottom"] <= other["bottom"] + 0.5
            and other["bottom"] - char["bottom"] > body_size * 0.15
        ):
            return True
    return False


def _furniture_key(text: str) -> str:
    return _DIGITS.sub("#", text.strip().lower())


def _page_breaks(lines: list[Line]) -> list[Line]:
    """A page break is not a paragraph break. Blank lines at a page's top or bottom (where
    its furniture was) go; one blank stays after a page's last line only where that line
    ends a paragraph: closing punctuation, and short of the page's full line width."""
    inked: dict[int, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.text.strip():
            inked.setdefault(ln.page, []).append(i)
    keep_after: set[int] = set()
    for idx in inked.values():
        last = lines[idx[-1]].text.strip()
        width = max(len(lines[i].text.strip()) for i in idx)
        if last.endswith((".", "!", "?", ":")) and len(last) < 0.85 * width:
            keep_after.add(idx[-1])
    out: list[Line] = []
    for i, ln in enumerate(lines):
        on_page = inked.get(ln.page)
        if ln.text.strip():
            out.append(ln)
            if i in keep_after:
                out.append(Line("", ln.number, ln.page, ln.pdf))
        elif on_page and on_page[0] < i < on_page[-1]:
            out.append(ln)
    return out


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
    # A PDF's pages are real pages: a line at the edge of both pages of two is furniture.
    least = 2 if pdf else 3
    if len(by_page) >= least:
        counts: Counter[str] = Counter()
        for idx in edges.values():
            counts.update({_furniture_key(rows[i][0]) for i in idx})
        need = max(least, len(by_page) // 2 + 1)
        repeated = {k for k, n in counts.items() if n >= need}
    paged = pdf or len(by_page) > 1
    out: list[Line] = []
    for i, (text, number, page) in enumerate(rows):
        stripped = text.strip()
        furniture = _PAGE_NUMBER.match(stripped) or _furniture_key(stripped) in repeated
        if paged and i in edge and stripped and furniture:
            continue
        out.append(Line(text.rstrip(), number, page, pdf))
    if pdf:
        out = _page_breaks(out)
    return tuple(out)
