"""A loaded document is a draft until someone says otherwise; a reload says nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph_schema import REVIEW_STATUSES, Label
from graph_store import EmbeddedStore, GraphStore, Neo4jStore
from loaders import load_corpus
from queries.base import ADMIN, PUBLIC
from scrgraph.cli import main
from scrgraph.errors import InputError
from tests.unit.test_loaders_validate import write_corpus

DOCS = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"
DOC = DOCS / "anyshire_child_w.txt"


def _review_status(store: GraphStore) -> str:
    ids = [k for k, r in _reviews(store).items() if r.get("document") == DOC.name]
    assert len(ids) == 1
    return str(_reviews(store)[ids[0]]["status"])


def _reviews(store: GraphStore) -> dict[str, dict[str, object]]:
    if isinstance(store, Neo4jStore):
        keys = [r["id"] for r in store.read("MATCH (r:Review) RETURN r.id AS id")]
    else:
        assert isinstance(store, EmbeddedStore)
        keys = sorted(store.ids(Label.REVIEW.value))
    return store.get_nodes(Label.REVIEW, keys)


def test_draft_is_a_review_status_only_granted_keys_see() -> None:
    assert "draft" in REVIEW_STATUSES
    assert PUBLIC.statuses == ["published"] and "draft" in ADMIN.statuses


def test_a_document_loads_as_a_draft_and_publishing_it_is_a_change(store: GraphStore) -> None:
    first = load_corpus(store, DOC)
    assert first.document_status == "draft" and _review_status(store) == "draft"
    again = load_corpus(store, DOC)
    assert again.loaded_before and again.new_nodes is not None
    assert sum(again.new_nodes.values()) == 0
    published = load_corpus(store, DOC, status="published")
    assert published.run_id != first.run_id and not published.loaded_before
    assert _review_status(store) == "published"
    assert store.counts().nodes["Review"] == 1


def test_a_document_counts_each_sector_once(store: GraphStore) -> None:
    report = load_corpus(store, DOC)
    counts = store.counts()
    # The taxonomy and the document's agencies both name sectors: each is one node.
    assert report.nodes["Sector"] == counts.nodes["Sector"]
    assert report.new_nodes is not None and report.new_nodes["Sector"] == counts.nodes["Sector"]
    assert report.nodes["Theme"] == counts.nodes["Theme"]
    assert report.rows > sum(report.nodes.values())  # some rows do come twice


def test_status_is_refused_for_a_corpus_folder_and_checked_for_a_document(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    with pytest.raises(InputError, match="--status applies to one review document"):
        load_corpus(store, write_corpus(tmp_path / "c"), status="draft")
    with pytest.raises(InputError, match="not a review status"):
        load_corpus(store, DOC, status="secret")
    assert store.is_empty()


def test_a_corpus_folder_keeps_its_statuses(tmp_path: Path, demo_corpus: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(demo_corpus, corpus)
    store = EmbeddedStore(tmp_path / "s.sqlite")
    load_corpus(store, corpus)
    statuses = {str(r["status"]) for r in _reviews(store).values()}
    assert {"published", "restricted"} <= statuses and "draft" not in statuses


def test_cli_load_twice_says_nothing_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "s.sqlite")
    corpus = str(write_corpus(tmp_path / "c"))
    assert main(["load", corpus, "--db", db]) == 0
    first = capsys.readouterr().out
    assert "nothing was there before" in first and "nothing changed" not in first
    assert main(["load", corpus, "--db", db]) == 0
    second = capsys.readouterr().out
    last = second.strip().splitlines()[-1]
    assert last.startswith("  nothing changed: 0 new, ") and "unchanged" in last, last
    # The tables show what the load held and, per label, how much of it was new: none.
    review_line = next(line for line in second.splitlines() if line.strip().startswith("Review "))
    assert review_line.split() == ["Review", "1", "0"]


def test_cli_load_document_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite"
    assert main(["load", str(DOC), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "the review is a draft" in out and "--status published" in out
    sector = next(line for line in out.splitlines() if line.strip().startswith("Sector "))
    with EmbeddedStore(db) as s:
        assert sector.split()[1:] == [str(s.counts().nodes["Sector"])] * 2
    assert main(["load", str(DOC), "--db", str(db), "--status", "published"]) == 0
    assert "the review is published" in capsys.readouterr().out
    with EmbeddedStore(db) as s:
        assert _review_status(s) == "published"
    with pytest.raises(SystemExit):
        main(["load", str(DOC), "--db", str(db), "--status", "public"])
    assert "invalid choice: 'public'" in capsys.readouterr().err
