"""Reading text, markdown and PDF files; a PDF without a text layer is refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.extract import extract_document, read_document
from scrgraph.errors import InputError
from tests.scripts import load_script

minipdf = load_script("evaluation/extraction/minipdf.py")  # the evaluation's tiny PDF writer

PAGES = [
    [
        "Brookvale Safeguarding Children Partnership",
        "Local Child Safeguarding Practice Review: Child R",
        "Published: 2021",
        "",
        "Recommendations",
        "Recommendation 1: Health visitors should ask who lives in the",
    ],
    ["household and share it with the GP.", "Recommendation 2: Police should notify schools."],
]


def test_pdf_with_text_layer_is_read(tmp_path: Path) -> None:
    path = minipdf.write_pdf(tmp_path / "review.pdf", PAGES)
    review = extract_document(path)
    assert review.board == "Brookvale Safeguarding Children Partnership"
    assert review.year == 2021
    assert [(r.number, r.location) for r in review.recommendations] == [
        ("1", "page 1"),
        ("2", "page 2"),
    ]
    assert review.recommendations[0].text == (
        "Health visitors should ask who lives in the household and share it with the GP."
    )
    assert "information_sharing" in review.recommendations[0].theme_keys


def test_pdf_without_text_layer_says_there_is_no_text(tmp_path: Path) -> None:
    path = minipdf.write_pdf(tmp_path / "scan.pdf", None, blank_pages=2)
    with pytest.raises(InputError, match="no text to read") as e:
        read_document(path)
    assert "OCR" in str(e.value)


def test_broken_pdf_and_other_suffixes_are_input_errors(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(InputError):
        read_document(bad)
    doc = tmp_path / "review.docx"
    doc.write_text("x")
    with pytest.raises(InputError, match=r"\.txt, \.md or \.pdf"):
        read_document(doc)
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")


def test_form_feed_pages_and_furniture(tmp_path: Path) -> None:
    pages = [f"Running header\n\nBody {n}\n\nPage {n}\n" for n in range(1, 5)]
    path = tmp_path / "r.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    doc = read_document(path)
    texts = [ln.text for ln in doc.lines if ln.text.strip()]
    assert texts == ["Body 1", "Body 2", "Body 3", "Body 4"]
    body2 = next(ln for ln in doc.lines if ln.text == "Body 2")
    assert (body2.page, body2.location) == (2, f"line {body2.number} (page 2)")


def test_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_document(path)
