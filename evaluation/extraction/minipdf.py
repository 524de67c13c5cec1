"""A tiny PDF writer for tests: text pages in Helvetica, or pages with no text at all.

Enough to produce real PDFs with a text layer (and a scanned-looking one without) so the
reader is tested on files it did not write itself, with no extra dependency.
"""

from __future__ import annotations

from pathlib import Path


def _escape(text: str) -> str:
    text = text.encode("cp1252", "replace").decode("cp1252")
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _page_stream(lines: list[str], *, font_size: int = 10, leading: int = 13) -> bytes:
    parts = ["BT", f"/F1 {font_size} Tf", f"{leading} TL", "50 800 Td"]
    for line in lines:
        parts.append(f"({_escape(line)}) Tj T*")
    parts.append("ET")
    return "\n".join(parts).encode("cp1252")


def _image_stream() -> bytes:
    # A grey rectangle: marks on the page, but no text layer (as a scan would have).
    return b"0.6 g 50 300 495 400 re f"


def write_pdf(path: Path, pages: list[list[str]] | None, *, blank_pages: int = 0) -> Path:
    """Write `pages` (each a list of text lines) or, if None, `blank_pages` text-less pages."""
    streams = (
        [_page_stream(p) for p in pages] if pages is not None else [_image_stream()] * blank_pages
    )
    objects: list[bytes] = []
    n_pages = len(streams)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, stream in enumerate(streams):
        content_id = page_ids[i] + 1
        objects.append(
            (
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    path.write_bytes(bytes(out))
    return path


def write_text_pdf(path: Path, text: str) -> Path:
    """A PDF of `text`, one page per form-feed-separated part."""
    pages = [part.strip("\n").split("\n") for part in text.split("\f")]
    return write_pdf(path, pages)
