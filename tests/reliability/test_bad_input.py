"""Bad input for the loaders and for extract: a clear error naming the place, nothing written,
and the command exits non-zero without a stack trace.

Each case breaks one thing in a tiny valid corpus. In process, `load_corpus` must raise
InputError naming the file and line, with the store's counts unchanged (on both backends); as
a subprocess, `scrgraph load` must exit non-zero, say the same, and print no traceback.
"""

from __future__ import annotations

import codecs
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from graph_store import GraphStore
from loaders import load_corpus
from scrgraph.errors import InputError
from tests.reliability.helpers import TINY, Tally, run_scrgraph, tiny_corpus, typed, write_csv

Breaker = Callable[[Path], Path]  # breaks the tiny corpus in this folder; returns what to load

REVIEW_HEADER = ",".join(TINY["reviews"][0])


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write(text)


def unbalanced_quote(d: Path) -> Path:
    _append(d / "reviews.csv", 'rv-3,b-a,"Serious Case Review: Child C,2015,,scr,traditional\n')
    return d


def wrong_column_count(d: Path) -> Path:
    _append(d / "reviews.csv", "rv-3,b-a,Child C,2015\n")
    return d


def repeated_header(d: Path) -> Path:
    _append(d / "reviews.csv", REVIEW_HEADER + "\n")
    return d


def jsonl_broken_line(d: Path) -> Path:
    for f in d.glob("*.csv"):
        f.unlink()
    tiny_corpus(d, fmt="jsonl")
    lines = (d / "reviews.jsonl").read_text().splitlines()
    lines.insert(1, '{"id": "rv-3", "board_id": "b-a", "title": "broken')
    (d / "reviews.jsonl").write_text("\n".join(lines) + "\n")
    return d


def latin1(d: Path) -> Path:
    text = (d / "reviews.csv").read_text().replace("Child B", "Child É")
    (d / "reviews.csv").write_bytes(text.encode("latin-1"))
    return d


def utf16_without_bom(d: Path) -> Path:
    (d / "reviews.csv").write_bytes((d / "reviews.csv").read_text().encode("utf-16-le"))
    return d


def empty_file(d: Path) -> Path:
    (d / "reviews.csv").write_bytes(b"")
    return d


def header_only_jsonl_blank(d: Path) -> Path:
    (d / "reviews.csv").unlink()
    (d / "reviews.jsonl").write_text("\n\n")
    return d


def _with_review(d: Path, **changes: str) -> Path:
    rows = [dict(r) for r in TINY["reviews"]]
    rows[1].update(changes)
    write_csv(d / "reviews.csv", rows)
    return d


def huge_field_csv(d: Path) -> Path:
    return _with_review(d, summary="x" * (10 * 1024 * 1024))


def huge_field_jsonl(d: Path) -> Path:
    jsonl_broken_line(d)  # JSON Lines corpus, then replace the broken file with a huge field
    rows = [typed(r) for r in TINY["reviews"]]
    rows[1]["summary"] = "x" * (10 * 1024 * 1024)
    (d / "reviews.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return d


def year_2099(d: Path) -> Path:
    return _with_review(d, year="2099")


def negative_year(d: Path) -> Path:
    return _with_review(d, year="-2015")


def negative_board_year(d: Path) -> Path:
    rows = [dict(r) for r in TINY["boards"]]
    rows[0]["established_year"] = "-1"
    write_csv(d / "boards.csv", rows)
    return d


def unknown_enum(d: Path) -> Path:
    return _with_review(d, status="top_secret")


def duplicate_id(d: Path) -> Path:
    return _with_review(d, id="rv-1")


def dangling_reference(d: Path) -> Path:
    return _with_review(d, board_id="b-nowhere")


def theme_cycle(d: Path) -> Path:
    write_csv(
        d / "themes.csv",
        [
            {
                "id": "t-a",
                "label": "A",
                "category": "practice",
                "kind": "practice",
                "parent": "t-b",
            },
            {
                "id": "t-b",
                "label": "B",
                "category": "practice",
                "kind": "practice",
                "parent": "t-a",
            },
        ],
    )
    return d


def binary_named_csv(d: Path) -> Path:
    (d / "reviews.csv").write_bytes(bytes(random.Random(7).randrange(256) for _ in range(4096)))
    return d


def binary_without_nul_named_csv(d: Path) -> Path:
    # PNG-like bytes with no NUL: must fail as bad UTF-8, not as a CSV quirk.
    (d / "reviews.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(1, 256)) * 8)
    return d


def pdf_without_text(d: Path) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.add_blank_page(width=595, height=842)
    out = d / "scanned-review.pdf"
    with out.open("wb") as f:
        w.write(f)
    return out


def truncated_pdf(d: Path) -> Path:
    pdf_without_text(d)
    out = d / "truncated-review.pdf"
    out.write_bytes((d / "scanned-review.pdf").read_bytes()[:200])
    return out


def binary_named_pdf(d: Path) -> Path:
    out = d / "random.pdf"
    out.write_bytes(bytes(random.Random(3).randrange(256) for _ in range(2048)))
    return out


def latin1_text_document(d: Path) -> Path:
    out = d / "review.txt"
    out.write_bytes(
        "Serious Case Review: Child É\n\nRecommendations\n1. Share.\n".encode("latin-1")
    )
    return out


def empty_text_document(d: Path) -> Path:
    out = d / "empty.txt"
    out.write_bytes(b"")
    return out


def missing_required_file(d: Path) -> Path:
    (d / "recommendations.csv").unlink()
    return d


# (id, breaker, words the error must contain: the place and what was expected)
CASES: list[tuple[str, Breaker, tuple[str, ...]]] = [
    ("unbalanced-quote", unbalanced_quote, ("reviews.csv:4", "quote")),
    ("wrong-column-count", wrong_column_count, ("reviews.csv:4", "13 columns")),
    ("repeated-header", repeated_header, ("reviews.csv:4", "repeated header")),
    ("jsonl-broken-line", jsonl_broken_line, ("reviews.jsonl:2", "JSON")),
    ("latin-1", latin1, ("reviews.csv:3", "UTF-8")),
    ("utf-16-without-bom", utf16_without_bom, ("reviews.csv:1", "binary")),
    ("empty-file", empty_file, ("reviews.csv", "empty")),
    ("blank-jsonl", header_only_jsonl_blank, ("reviews.jsonl", "blank")),
    ("10MB-field-csv", huge_field_csv, ("reviews.csv:3", "at most 131,072 characters")),
    ("10MB-field-jsonl", huge_field_jsonl, ("reviews.jsonl:2", "summary=", "131,072")),
    ("year-2099", year_2099, ("reviews.csv:3", "year=", "a year between")),
    ("negative-year", negative_year, ("reviews.csv:3", "year=", "a year between")),
    ("negative-board-year", negative_board_year, ("boards.csv:2", "established_year")),
    ("unknown-enum", unknown_enum, ("reviews.csv:3", "status=", "one of")),
    ("duplicate-id", duplicate_id, ("reviews.csv:3", "unique id")),
    ("dangling-reference", dangling_reference, ("reviews.csv:3", "board_id=", "b-nowhere")),
    ("theme-cycle", theme_cycle, ("themes.csv", "cycles")),
    ("binary-named-csv", binary_named_csv, ("reviews.csv:1", "UTF-8")),
    ("binary-no-nul-named-csv", binary_without_nul_named_csv, ("reviews.csv:1", "UTF-8")),
    ("missing-required-file", missing_required_file, ("recommendations.csv",)),
    ("pdf-without-text-layer", pdf_without_text, ("scanned-review.pdf", "no text", "OCR")),
    ("truncated-pdf", truncated_pdf, ("truncated-review.pdf", "PDF")),
    ("binary-named-pdf", binary_named_pdf, ("random.pdf", "PDF")),
    ("latin-1-text-document", latin1_text_document, ("review.txt", "UTF-8")),
    ("empty-text-document", empty_text_document, ("empty.txt",)),
]
DOCUMENT_CASES = {c[0] for c in CASES if c[0].endswith(("pdf", "document", "text-layer"))}
IDS = [c[0] for c in CASES]


def _broken(tmp_path: Path, breaker: Breaker) -> Path:
    return breaker(tiny_corpus(tmp_path / "corpus"))


def _message(e: InputError) -> str:
    return "\n".join([str(e), *e.problems])


def test_load_refuses_and_writes_nothing(store: GraphStore, tmp_path: Path, tally: Tally) -> None:
    """Every case against one store holding a good corpus: an error naming the place, and
    every count as it was."""
    load_corpus(store, tiny_corpus(tmp_path / "good"))  # something there that must survive
    before = _flat(store)
    wrong: list[str] = []
    for case, breaker, words in CASES:
        target = _broken(tmp_path / case, breaker)
        tally.inputs += 1
        try:
            load_corpus(store, target, batch_size=2)
        except InputError as e:
            text = _message(e)
            wrong.extend(
                f"{case}: {w!r} not in the error: {text[-400:]}" for w in words if w not in text
            )
        else:
            wrong.append(f"{case}: loaded without an error")
        after = _flat(store)
        tally.records_checked += sum(before.values())
        tally.records_lost += sum(max(0, n - after.get(k, 0)) for k, n in before.items())
        if after != before:
            changed = {k: (before.get(k), v) for k, v in after.items() if v != before.get(k)}
            wrong.append(f"{case}: the store changed: {changed}")
    assert not wrong, "\n".join(wrong)


def _flat(store: GraphStore) -> dict[str, int]:
    c = store.counts()
    return {**c.nodes, **c.relationships}


@pytest.mark.parametrize(("case", "breaker", "words"), CASES, ids=IDS)
def test_cli_load_in_process(
    tmp_path: Path,
    tally: Tally,
    capsys: pytest.CaptureFixture[str],
    case: str,
    breaker: Breaker,
    words: tuple[str, ...],
) -> None:
    """`scrgraph load` through the command runner: an exit code and a message, no exception."""
    from scrgraph.cli import main

    db = tmp_path / "store.sqlite"
    target = _broken(tmp_path, breaker)
    tally.inputs += 1
    code = main(["load", str(target), "--db", str(db)])
    err = capsys.readouterr().err
    assert code != 0
    assert "\nerror: " in "\n" + err, err[-2000:]
    for w in words:
        assert w in err, f"{case}: {w!r} not in stderr:\n{err[-3000:]}"
    _assert_empty(db)


# One case of each kind as a real subprocess: exit status, stderr, no traceback.
SUBPROCESS_CASES = [
    ("load", "unbalanced-quote"),
    ("load", "jsonl-broken-line"),
    ("load", "latin-1"),
    ("load", "empty-file"),
    ("load", "10MB-field-csv"),
    ("load", "unknown-enum"),
    ("load", "dangling-reference"),
    ("load", "theme-cycle"),
    ("load", "binary-named-csv"),
    ("load", "pdf-without-text-layer"),
    ("extract", "pdf-without-text-layer"),
    ("extract", "binary-named-pdf"),
]


def test_cli_exits_nonzero_without_traceback(tmp_path: Path, tally: Tally) -> None:
    """Run as real processes, three at a time."""
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int, command: str, case: str) -> list[str]:
        _, breaker, words = next(c for c in CASES if c[0] == case)
        db = tmp_path / f"store-{i}.sqlite"
        target = _broken(tmp_path / str(i), breaker)
        args = [command, str(target)] + (["--db", str(db)] if command == "load" else [])
        res = run_scrgraph(args)
        where = f"scrgraph {command} ({case})"
        wrong = [
            f"{where}: {w!r} not in stderr: {res.stderr[-1000:]}"
            for w in words
            if w not in res.stderr
        ]
        if res.returncode == 0:
            wrong.append(f"{where}: exit status 0")
        if "Traceback" in res.stderr:
            wrong.append(f"{where}: a traceback: {res.stderr[-2000:]}")
        if "\nerror: " not in "\n" + res.stderr:
            wrong.append(f"{where}: no 'error:' line: {res.stderr[-1000:]}")
        if command == "load":
            _assert_empty(db)
        return wrong

    tally.inputs += len(SUBPROCESS_CASES)
    with ThreadPoolExecutor(3) as pool:
        results = pool.map(lambda a: one(a[0], *a[1]), enumerate(SUBPROCESS_CASES))
        wrong = [w for r in results for w in r]
    assert not wrong, "\n".join(wrong)


def _assert_empty(db: Path) -> None:
    if not db.exists():  # the command may create the file (schema only), never data
        return
    from graph_store import EmbeddedStore

    with EmbeddedStore(db) as s:
        c = s.counts()
    written = {k: v for k, v in c.nodes.items() if v and k != "SchemaInfo"}
    assert not written and not any(c.relationships.values()), written


@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_cli_extract_refuses(
    tmp_path: Path, tally: Tally, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    from scrgraph.cli import main

    _, breaker, words = next(c for c in CASES if c[0] == case)
    target = _broken(tmp_path, breaker)
    tally.inputs += 1
    code = main(["extract", str(target)])
    err = capsys.readouterr().err
    assert code != 0
    for w in words:
        assert w in err, f"{case}: {w!r} not in stderr:\n{err[-3000:]}"


@pytest.mark.parametrize(
    ("case", "encode"),
    [
        ("utf-8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
        ("utf-16-le-bom", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le")),
        ("utf-16-be-bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
        ("crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_other_encodings_with_a_bom_load_the_same(
    store: GraphStore, tmp_path: Path, tally: Tally, case: str, encode: Callable[[str], bytes]
) -> None:
    """A byte-order mark says what the encoding is: such files load exactly like UTF-8."""
    plain = tiny_corpus(tmp_path / "plain")
    expected = load_corpus(store, plain, dry_run=True)
    d = tiny_corpus(tmp_path / "encoded")
    for f in d.glob("*.csv"):
        f.write_bytes(encode(f.read_text(encoding="utf-8").replace("Child B", "Child É")))
    tally.inputs += 1
    report = load_corpus(store, d)
    assert report.nodes == expected.nodes and report.relationships == expected.relationships
    titles = {r["title"] for r in store_reviews(store)}
    assert "Serious Case Review: Child É" in titles


def store_reviews(store: GraphStore) -> list[dict[str, object]]:
    from graph_schema import Label

    return list(store.get_nodes(Label.REVIEW, ["rv-1", "rv-2"]).values())
