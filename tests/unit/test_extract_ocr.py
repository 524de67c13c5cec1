"""Scanned reviews: a PDF with no text layer is read by OCR with --ocr (Debian's tesseract),
and without it, or without tesseract, the error says what to do. The scan is drawn here, from
invented text."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from loaders.extract import extract_document
from loaders.extract.reading import OCR_HINT
from scrgraph.cli import main
from scrgraph.errors import InputError

LINES = (
    "Serious Case Review: Child Q (a synthetic example)",
    "",
    "Recommendations",
    "",
    "1. The board should audit how health visitors and police share information.",
    "2. Schools should record every concern about neglect on the same day.",
    "3. The partnership should check that supervision considers the voice of the child.",
)


def _scan(path: Path) -> Path:
    """An A4 page of text as a picture only, saved as a PDF: what a scanner gives."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=28)
    page = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(LINES):
        draw.text((120, 150 + 50 * i), line, fill=0, font=font)
    page.save(path, resolution=200)
    return path


@pytest.fixture
def tesseract() -> None:
    if shutil.which("tesseract") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true needs tesseract (scripts/install --test installs tesseract-ocr)")
        pytest.skip("no tesseract on PATH: apt-get install tesseract-ocr (scripts/install --test)")


def test_a_scan_without_ocr_is_refused_saying_how_to_read_it(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        extract_document(_scan(tmp_path / "scan.pdf"))
    assert "no text layer" in str(e.value) and "--ocr" in str(e.value)
    assert "apt-get install tesseract-ocr" in str(e.value)


def test_ocr_without_tesseract_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(InputError) as e:
        extract_document(_scan(tmp_path / "scan.pdf"), ocr=True)
    assert str(e.value) == f"{tmp_path / 'scan.pdf'}: the PDF has no text layer, and {OCR_HINT}"


@pytest.mark.usefixtures("tesseract")
def test_ocr_reads_the_recommendations_of_a_scan(tmp_path: Path) -> None:
    review = extract_document(_scan(tmp_path / "scan.pdf"), ocr=True)
    assert [r.number for r in review.recommendations] == ["1", "2", "3"]
    first, second, third = (r.text for r in review.recommendations)
    assert "health visitors and police share information" in first
    assert "concern about neglect" in second
    assert "voice of the child" in third
    themes = {t.theme for r in review.recommendations for t in r.themes}
    assert {"information_sharing", "neglect", "voice_of_child"} <= themes


@pytest.mark.usefixtures("tesseract")
def test_load_ocr_writes_a_scanned_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = _scan(tmp_path / "scan.pdf")
    db = tmp_path / "g.sqlite"
    assert (
        main(
            ["load", str(scan), "--year", "2021", "--board", "Elmbury LSCB", "--db", str(db), "-q"]
        )
        == 1
    )
    assert "--ocr" in capsys.readouterr().err
    assert (
        main(
            [
                "load",
                str(scan),
                "--ocr",
                "--year",
                "2021",
                "--board",
                "Elmbury LSCB",
                "--db",
                str(db),
                "-q",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Recommendation" in out and "the review is a draft" in out
