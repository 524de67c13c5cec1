"""Progress and summaries for `generate` and `extract` on several files (issue 15).

A bar on a terminal's stderr only, none under --quiet or off a terminal; a summary line always.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from scrgraph.cli import main

DOCS = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"
TWO = [DOCS / "anyshire_child_w.txt", DOCS / "carrow_child_t.txt"]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_generate_ends_with_a_summary_and_draws_a_bar_only_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["generate", "--out", str(tmp_path / "a")]) == 0
    out = capsys.readouterr()
    assert out.err == ""  # not a terminal: no bar
    last = out.out.splitlines()[-1]
    assert re.fullmatch(r"  22,778 rows \(302 reviews\) in 10 files, \d+\.\ds, [\d,]+ rows/s", last)
    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    assert main(["generate", "--out", str(tmp_path / "b")]) == 0
    assert "generating: 100%" in tty.getvalue() and "302/302" in tty.getvalue()
    quiet = Tty()
    monkeypatch.setattr("sys.stderr", quiet)
    assert main(["generate", "--out", str(tmp_path / "c"), "--quiet"]) == 0
    assert quiet.getvalue() == ""
    # The bar draws nothing from the random stream: the same files either way.
    for f in sorted((tmp_path / "a").glob("*.csv")):
        assert (
            f.read_bytes()
            == (tmp_path / "b" / f.name).read_bytes()
            == (tmp_path / "c" / f.name).read_bytes()
        )


def test_extract_on_several_files_reads_each_and_summarises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    assert main(["extract", *map(str, TWO), str(bad), "--json"]) == 1
    out = capsys.readouterr()
    readings = json.loads(out.out)
    assert [r["file"] for r in readings] == [str(p) for p in TWO]
    n = sum(len(r["recommendations"]) for r in readings)
    assert n == 10
    lines = out.err.splitlines()
    assert lines[0] == f"refused: {bad}: the file has no text; give a review document with its text"
    assert re.fullmatch(
        r"extract: 3 documents in \d+\.\ds, [\d,.]+ documents/s: 2 read \(10 recommendations\), "
        r"1 refused",
        lines[-1],
    ), lines[-1]
    tty = Tty()
    monkeypatch.setattr("sys.stderr", tty)
    assert main(["extract", *map(str, TWO)]) == 0
    assert "reading: 100%" in tty.getvalue() and "2.00/2.00 " in tty.getvalue()
    quiet = Tty()
    monkeypatch.setattr("sys.stderr", quiet)
    assert main(["extract", *map(str, TWO), "--quiet"]) == 0
    assert quiet.getvalue().splitlines()[-1].endswith("2 read (10 recommendations), 0 refused")
    assert "%|" not in quiet.getvalue()
    assert "== " + str(TWO[1]) in capsys.readouterr().out


def test_extract_on_one_file_prints_no_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(TWO[0])]) == 0
    assert "extract:" not in capsys.readouterr().err


def test_bench_counts_its_parts_and_ends_with_a_summary(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import dataclasses

    from scrgraph.commands.bench import _import_benchmarks

    bench = _import_benchmarks()
    plan = bench.full_plan(("national", "large"), ("embedded", "neo4j"))
    # six parts on Neo4j, five on the embedded store (the peer runs on Neo4j only), two scales
    assert bench.steps(plan) == 22
    assert bench.steps(dataclasses.replace(plan, skip=("api", "graphql"))) == 14
    args = ["bench", "--quick", "--backend", "embedded"]
    for part in ("load", "queries", "graphql", "side", "peer", "api"):
        args += ["--skip", part]
    assert main(args) == 0
    out = capsys.readouterr()
    assert re.fullmatch(
        r"bench: 0 parts in \d+\.\ds; load average at the end [\d.]+ [\d.]+ [\d.]+",
        out.out.splitlines()[-1],
    )
    assert "%|" not in out.err  # not a terminal: no bar
