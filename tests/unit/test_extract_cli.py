"""`scrgraph extract` prints each recommendation with its number, text, themes and agencies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrgraph.cli import main

DOCS = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"


def test_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(DOCS / "carrow_child_t.txt")]) == 0
    out = capsys.readouterr().out
    assert "5 recommendation(s)" in out
    assert "Recommendation 1 (line" in out
    assert "return home interview" in out
    assert "themes:   " in out and "sexual_abuse_exploitation" in out
    assert "agencies: " in out and "Police (police)" in out
    # The literature review's quoted recommendations are not the review's own.
    assert "healthy relationships" not in out


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    path = DOCS / "dunmere_baby_r.md"
    assert main(["extract", str(path), "--json", "--board", "Other Board", "--year", "2018"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "title",
        "board",
        "year",
        "recommendations",
        "themes",
        "agencies",
        "confidence",
        "confidence_reasons",
    }
    assert (data["board"], data["year"]) == ("Other Board", 2018)
    rec = data["recommendations"][0]
    # Its table has a "Lead agency" column: the addressee as the document names it.
    assert set(rec) == {
        "number",
        "text",
        "location",
        "themes",
        "agencies",
        "addressees",
        "confidence",
        "reasons",
    }
    # A table row under a recommendations heading, with a "should": the reader is sure of it.
    assert (rec["confidence"], rec["reasons"][0]) == (
        0.9,
        "layout: a row of a recommendations table (0.90)",
    )
    assert rec["addressees"] == ["Children's social care"]
    assert rec["number"] == "1" and "pre-birth" in rec["text"]
    assert all(set(a) == {"name", "sector"} for a in data["agencies"])


def test_unreadable_file_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.docx"
    bad.write_text("x")
    assert main(["extract", str(bad)]) != 0
    assert "error:" in capsys.readouterr().err
