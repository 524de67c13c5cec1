"""`scrgraph load DIR` on a folder of review documents, on both backends.

200 synthetic documents (bulkdocs.py): case reviews in three layouts and coroners' reports,
as .txt, .md and .pdf, with six bad ones (encrypted, no text layer, not a review, 600 pages,
not UTF-8, empty). Each good one is written in one transaction; each bad one is listed with
its reason and nothing of it is written; loading again says every document is unchanged.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from graph_schema import Label, RelType
from graph_store import GraphStore
from loaders.bulk import BulkReport, DocumentResult, ReadOptions, is_document_folder, load_folder
from scrgraph.cli import main
from scrgraph.progress import RowProgress

REASONS = {
    "encrypted": "the PDF is encrypted; save an unencrypted copy and retry",
    "no_text": "the PDF has no text to read (no text layer in its 2 page(s)",
    "not_a_review": "no recommendations or matters of concern found: not a review",
    "too_long": "600 pages, more than SCRGRAPH_MAX_PAGES=400; not read",
    "not_utf8": "not UTF-8 text (byte 67); save it as UTF-8 and try again",
    "empty": "the file has no text; give a review document with its text",
}


def _check_refused(report: BulkReport, folder: Any) -> None:
    refused = {d.name: d.reason for d in report.refused}
    assert set(refused) == set(folder.bad)
    for name, kind in folder.bad.items():
        assert refused[name].startswith(REASONS[kind]), (name, refused[name])


def test_a_folder_of_documents_loads_each_once_and_lists_the_bad_ones(
    store: GraphStore, document_folder: tuple[Path, Any]
) -> None:
    path, folder = document_folder
    assert len(folder.good) == 194 and len(folder.bad) == 6
    seen: list[DocumentResult] = []
    calls: list[tuple[int, int]] = []
    report = load_folder(
        store, path, jobs=2, on_document=seen.append, progress=lambda d, t: calls.append((d, t))
    )
    assert [d.name for d in seen] == [d.name for d in report.documents]
    assert calls[-1] == (200, 200) and len(calls) == 200
    assert (report.count("written"), report.count("unchanged"), report.count("refused")) == (
        194,
        0,
        6,
    )
    _check_refused(report, folder)
    written = {d.name: d.recommendations for d in report.documents if d.outcome == "written"}
    assert written == folder.good
    counts = store.counts()
    assert counts.nodes["Review"] == 194
    assert counts.nodes["Recommendation"] == sum(folder.good.values())
    assert counts.relationships["MAKES"] == sum(folder.good.values())
    # The ledger: one finished LoadRun and one Source per document, the taxonomy's besides.
    assert counts.nodes["LoadRun"] == 195 and counts.nodes["Source"] == 195
    # Nothing of a bad document is in the store.
    assert not store.get_nodes(Label.SOURCE, list(folder.bad))
    kinds = {d.review_type for d in report.documents if d.outcome == "written"}
    assert kinds == {"scr", "lcspr", "pfd"}

    again = load_folder(store, path, jobs=2)
    assert (again.count("written"), again.count("unchanged"), again.count("refused")) == (
        0,
        194,
        6,
    )
    assert store.counts() == counts


def test_a_changed_document_is_written_again_and_the_rest_are_unchanged(
    store: GraphStore, document_folder: tuple[Path, Any], tmp_path: Path
) -> None:
    path, names = _three_documents(document_folder, tmp_path)
    folder = document_folder[1]
    first = load_folder(store, path, jobs=1)
    assert first.count("written") == 3 and not any(d.again for d in first.documents)
    target = path / names[0]
    target.write_text(
        target.read_text(encoding="utf-8").replace("End of report.", "")
        + "\nRecommendation 9: The Partnership should publish its learning.\n",
        encoding="utf-8",
    )
    second = load_folder(store, path, jobs=1)
    assert [(d.name, d.outcome) for d in sorted(second.documents, key=lambda d: d.name)] == [
        (names[0], "written"),
        (names[1], "unchanged"),
        (names[2], "unchanged"),
    ]
    assert not any(d.again for d in second.documents)  # its content changed: not "again"
    assert store.counts().nodes["Recommendation"] == sum(folder.good[n] for n in names) + 1


def test_a_new_reader_reads_every_document_again_and_keeps_a_persons_decisions(
    store: GraphStore,
    document_folder: tuple[Path, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The ledger key holds the reader's version: the same reader skips every document, a
    new one reads each again and writes it over the same review and items (nothing twice),
    an item the old reading left is cleaned, and a person's decisions stand."""
    import loaders.bulk
    from loaders.extract import READER_VERSION

    path, names = _three_documents(document_folder, tmp_path)
    folder = document_folder[1]
    assert load_folder(store, path, jobs=1).count("written") == 3
    recs = sorted(store.get_nodes(Label.RECOMMENDATION, _rec_ids(store)).items())
    assert len(recs) == sum(folder.good[n] for n in names) and len(recs) >= 2
    (kept, _), (plain, plain_row) = recs[0], recs[1]
    review = str(plain_row["review_id"])
    # A person corrects one item; another item carries what an older reading wrote; and an
    # item the older reader read (and the new one does not) is still in the store.
    store.write_nodes(
        Label.RECOMMENDATION,
        [
            {
                "id": kept,
                "text": "Corrected by a person (invented).",
                "review_state": "corrected",
                "decided_by": "analyst-test",
                "decided_at": "2031-01-02T03:04:05+00:00",
            },
            {"id": plain, "text": "What an older reader read (invented)."},
            {**plain_row, "id": f"{review}-r99", "number": "99"},
        ],
    )
    store.write_rels(RelType.MAKES, [{"start": review, "end": f"{review}-r99", "props": {}}])
    counts = store.counts()

    same = load_folder(store, path, jobs=1)
    assert [d.outcome for d in same.documents] == ["unchanged"] * 3
    assert store.counts() == counts

    monkeypatch.setattr(loaders.bulk, "READER_VERSION", READER_VERSION + 1)
    newer = load_folder(store, path, jobs=1)
    assert [(d.outcome, d.again) for d in newer.documents] == [("written", True)] * 3
    assert (
        newer.documents[0]
        .line()
        .endswith("; read again (the same file, read before by another reader or options)")
    )
    assert (
        "  3 written (3 of them read again: a new reader, taxonomy or options), 0 unchanged, "
        "0 refused"
    ) in newer.summary().splitlines()
    after = store.counts()
    assert after.nodes["LoadRun"] == counts.nodes["LoadRun"] + 3  # one ledger entry each
    assert after.nodes["Review"] == counts.nodes["Review"] == 3
    assert after.nodes["Source"] == counts.nodes["Source"] == 4  # the taxonomy's besides
    # Nothing written twice; the item only the older reader read is gone.
    assert after.nodes["Recommendation"] == counts.nodes["Recommendation"] - 1 == len(recs)
    assert after.relationships["MAKES"] == counts.relationships["MAKES"] - 1 == len(recs)
    now = store.get_nodes(Label.RECOMMENDATION, [kept, plain, f"{review}-r99"])
    assert sorted(now) == [kept, plain]
    assert (now[kept]["text"], now[kept]["review_state"], now[kept]["decided_by"]) == (
        "Corrected by a person (invented).",
        "corrected",
        "analyst-test",
    )
    assert now[plain]["text"] == plain_row["text"]  # the new reading is written

    again = load_folder(store, path, jobs=1)
    assert [d.outcome for d in again.documents] == ["unchanged"] * 3
    assert store.counts() == after


def _three_documents(document_folder: tuple[Path, Any], tmp_path: Path) -> tuple[Path, list[str]]:
    """A folder of the first three good text documents, and their names."""
    src, folder = document_folder
    path = tmp_path / "docs"
    path.mkdir()
    names = sorted(n for n in folder.good if n.endswith(".txt"))[:3]
    for n in names:
        shutil.copy(src / n, path / n)
    return path, names


def _rec_ids(store: GraphStore) -> list[str]:
    """The keys of every recommendation in the store (a few documents' worth)."""
    import queries

    got = queries.run(
        store, "entities.list", {"label": "Recommendation", "limit": 100}, queries.ADMIN
    )
    assert got["total"] == len(got["items"])
    return sorted(str(x["id"]) for x in got["items"])


def test_a_dry_run_reads_every_document_and_writes_nothing(
    store: GraphStore, document_folder: tuple[Path, Any]
) -> None:
    path, folder = document_folder
    report = load_folder(store, path, jobs=2, dry_run=True)
    assert report.count("would write") == 194 and report.count("written") == 0
    _check_refused(report, folder)
    assert store.counts().nodes["Review"] == 0


def test_the_page_limit_is_a_setting(tmp_path: Path, document_folder: tuple[Path, Any]) -> None:
    src, folder = document_folder
    long_one = next(n for n, k in folder.bad.items() if k == "too_long")
    path = tmp_path / "docs"
    path.mkdir()
    shutil.copy(src / long_one, path / long_one)
    from graph_store import EmbeddedStore

    with EmbeddedStore(tmp_path / "s.sqlite") as s:
        report = load_folder(s, path, options=ReadOptions(max_pages=600), jobs=1)
    # Read now (it has 600 pages, the limit): refused only because it holds no review.
    assert report.refused[0].reason.startswith(REASONS["not_a_review"])


def test_a_corpus_folder_is_not_a_document_folder(demo_corpus: Path, tmp_path: Path) -> None:
    assert not is_document_folder(demo_corpus)
    assert not is_document_folder(tmp_path)  # empty
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert is_document_folder(tmp_path)


def test_the_cli_summarises_each_document_and_the_run_without_a_bar_off_a_terminal(
    tmp_path: Path, document_folder: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    path, folder = document_folder
    db = tmp_path / "s.sqlite"
    assert main(["load", str(path), "--db", str(db), "--jobs", "2"]) == 1  # some were refused
    out = capsys.readouterr()
    assert "%|" not in out.err and "documents/s]" not in out.err  # no bar: not a terminal
    lines = out.out.splitlines()
    assert sum(1 for ln in lines if ln.startswith("  written     ")) == 194
    assert sum(1 for ln in lines if ln.startswith("  refused     ")) == 6
    summary = next(ln for ln in lines if ln.startswith(f"{path}: 200 documents in "))
    assert "documents/s, 2 processes reading)" in summary
    assert "  194 written, 0 unchanged, 6 refused" in lines
    for name in folder.bad:
        assert any(ln.startswith(f"    {name}: ") for ln in lines), name
    assert main(["load", str(path), "--db", str(db), "--quiet"]) == 1
    out = capsys.readouterr()
    assert "  0 written, 194 unchanged, 6 refused" in out.out.splitlines()
    assert out.err == ""


def test_a_folder_of_good_documents_exits_0(
    tmp_path: Path, document_folder: tuple[Path, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    src, folder = document_folder
    path = tmp_path / "docs"
    path.mkdir()
    for n in sorted(folder.good)[:2]:
        shutil.copy(src / n, path / n)
    assert main(["load", str(path), "--db", str(tmp_path / "s.sqlite"), "--jobs", "1"]) == 0
    assert "  2 written, 0 unchanged, 0 refused" in capsys.readouterr().out.splitlines()


def test_the_document_bar_counts_documents() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    with RowProgress("loading", stream=out, unit="documents") as bar:
        bar(100, 200)
        bar(200, 200)
    assert "loading" in out.getvalue() and "200/200" in out.getvalue()
    assert "documents/s" in out.getvalue()
