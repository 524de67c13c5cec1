"""Loading on both backends: same counts, idempotent, and nothing written when input is bad."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from graph_schema import Label
from graph_store import EmbeddedStore, GraphStore
from loaders import load_corpus
from scrgraph.errors import InputError
from tests.unit.test_loaders_validate import write_corpus


def test_demo_counts_equal_a_fresh_embedded_load_and_are_stable(
    store: GraphStore, demo_corpus: Path, demo_embedded: EmbeddedStore
) -> None:
    expected = demo_embedded.counts()
    report = load_corpus(store, demo_corpus, batch_size=3000)
    assert store.counts() == expected
    assert report.synthetic
    assert report.counts["reviews"] == expected.nodes["Review"]
    # A second load of the same corpus merges onto the same nodes: identical counts.
    again = load_corpus(store, demo_corpus)
    assert again.run_id == report.run_id
    assert store.counts() == expected
    # The demo corpus has what the product needs.
    assert expected.nodes["Board"] >= 40 and expected.nodes["Review"] >= 250
    for rel in ("SUCCEEDED_BY", "SIMILAR_TO", "RAISES", "TAGGED", "CHECKS", "BROADER"):
        assert expected.relationships[rel] > 0, rel


def test_nodes_are_stamped_and_recommendations_carry_year_and_board(
    store: GraphStore, tmp_path: Path
) -> None:
    corpus = write_corpus(tmp_path / "c")
    report = load_corpus(store, corpus)
    rec = store.get_nodes(Label.RECOMMENDATION, ["rc1"])["rc1"]
    assert rec["source_file"] == "recommendations.csv"
    assert rec["source_line"] == 2
    assert rec["load_run"] == report.run_id
    assert rec["year"] == 2012 and rec["board_id"] == "b1"
    run = store.get_nodes(Label.LOAD_RUN, [report.run_id])[report.run_id]
    assert run["taxonomy_version"] == 1 and run["finished_at"] >= run["started_at"]
    assert '"recommendations": 1' in run["counts"]
    sources = store.get_nodes(Label.SOURCE, ["reviews.csv", "default:taxonomy_v1.jsonl"])
    assert set(sources) == {"reviews.csv", "default:taxonomy_v1.jsonl"}


def test_a_changed_row_updates_its_node(store: GraphStore, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c")
    load_corpus(store, corpus)
    before = store.counts()
    write_corpus(
        corpus,
        {"recommendations": ["rc1,rv1,1,Share information now.,board,closed_superseded,p. 3"]},
    )
    load_corpus(store, corpus)
    rec = store.get_nodes(Label.RECOMMENDATION, ["rc1"])["rc1"]
    assert (rec["text"], rec["status"]) == ("Share information now.", "closed_superseded")
    after = store.counts()
    # Only the run is new: a different corpus is a different LoadRun, reading the same files.
    assert after.nodes == {**before.nodes, "LoadRun": before.nodes["LoadRun"] + 1}
    assert after.relationships == {
        **before.relationships,
        "LOADED": before.relationships["LOADED"] * 2,
    }


BROKEN = {
    "reviews": [
        "rv1,b1,Serious Case Review: Child W,2012,2011,scr,systems,under_1,male,Child W,"
        "published,A summary.,doc.pdf",
        "rv2,b1,Serious Case Review: Child Y,2099,,scr,,,,,published,,",
    ],
    "recommendations": [
        "rc1,rv1,1,Share information.,board,closed_acceptable_action,p. 3",
        "rc2,rv-missing,1,Share information.,board,open_awaiting_response,",
        "rc3,rv1,2,Share information.,board,sort_of_done,",
    ],
}


def test_broken_corpus_names_file_line_field_and_writes_nothing(
    store: GraphStore, tmp_path: Path
) -> None:
    load_corpus(store, write_corpus(tmp_path / "good"))
    before = store.counts()
    broken = write_corpus(tmp_path / "broken", BROKEN)
    with pytest.raises(InputError) as e:
        load_corpus(store, broken)
    text = "\n".join(e.value.problems)
    assert "reviews.csv:3: year='2099': expected a year between 1945 and" in text
    assert (
        "recommendations.csv:3: review_id='rv-missing': expected an id defined in reviews" in text
    )
    assert "recommendations.csv:4: status='sort_of_done': expected one of open_awaiting" in text
    assert "nothing was written" in str(e.value)
    assert store.counts() == before
    assert not store.get_nodes(Label.RECOMMENDATION, ["rc2", "rc3"])


def test_references_may_point_into_the_graph(store: GraphStore, tmp_path: Path) -> None:
    load_corpus(store, write_corpus(tmp_path / "first"))
    second = write_corpus(
        tmp_path / "second",
        {
            "recommendations": ["rc9,rv1,9,Train staff in supervision.,board,closed_superseded,"],
            "actions": ["a9,rc9,ag1,Train.,2013-06-01,not_started,"],
            "audits": [],
            "review_themes": [],
        },
    )
    for name in ("boards", "agencies", "reviews"):
        (second / f"{name}.csv").write_text(
            (second / f"{name}.csv").read_text().splitlines()[0] + "\n"
        )
    load_corpus(store, second)
    rec = store.get_nodes(Label.RECOMMENDATION, ["rc9"])["rc9"]
    assert rec["year"] == 2012 and rec["board_id"] == "b1"


def test_dry_run_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    before = store.counts()
    report = load_corpus(store, write_corpus(tmp_path / "c"), dry_run=True)
    assert report.dry_run and report.nodes["Recommendation"] == 1
    assert store.counts() == before


def test_board_and_year_filters(store: GraphStore, demo_corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "demo"
    shutil.copytree(demo_corpus, copy)
    report = load_corpus(store, copy, year=2012)
    counts = store.counts().nodes
    assert 0 < counts["Review"] == report.counts["reviews"] < 60
    assert counts["Board"] == report.counts["boards"]  # boards, agencies, themes load whole


def test_cli_load_reports_problems_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scrgraph.cli import main

    db = tmp_path / "cli.sqlite"
    broken = write_corpus(tmp_path / "broken", BROKEN)
    assert main(["load", str(broken), "--db", str(db)]) != 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "reviews.csv:3: year='2099'" in err and "nothing was written" in err
    good = write_corpus(tmp_path / "good")
    assert main(["load", str(good), "--db", str(db), "--dry-run"]) == 0
    assert "dry run" in capsys.readouterr().out
    with EmbeddedStore(db) as s:
        assert s.counts().nodes["Review"] == 0
    assert main(["load", str(good), "--db", str(db), "--batch-size", "7"]) == 0
    out = capsys.readouterr().out
    assert "recommendations" in out and "Recommendation" in out
    with EmbeddedStore(db) as s:
        assert s.counts().nodes["Review"] == 1


def test_cli_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scrgraph.cli import main

    assert main(["generate", "--scale", "demo", "--seed", "1", "--out", str(tmp_path / "g")]) == 0
    assert "reviews" in capsys.readouterr().out
    assert (tmp_path / "g" / "corpus.json").is_file()


def test_demo_prepare_loads_once(tmp_path: Path, demo_corpus: Path) -> None:
    from scrgraph.commands.demo import prepare

    corpus = tmp_path / "demo-corpus"
    shutil.copytree(demo_corpus, corpus)
    db = tmp_path / "demo.sqlite"
    assert prepare(db, corpus) is True
    assert prepare(db, corpus) is False
    with EmbeddedStore(db) as s:
        loaded = s.counts()
        assert loaded.nodes["Review"] > 0
    # A corpus from an older generator is regenerated; the same bytes need no new load.
    meta = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    (corpus / "corpus.json").write_text(json.dumps({**meta, "generator": "old"}))
    assert prepare(db, corpus) is False
    assert json.loads((corpus / "corpus.json").read_text(encoding="utf-8")) == meta
    # A different demo corpus in the demo's own store replaces the old load, not adds to it.
    reviews = corpus / "reviews.csv"
    reviews.write_text(
        reviews.read_text(encoding="utf-8").replace("Serious Case Review:", "SCR:", 1),
        encoding="utf-8",
    )
    assert prepare(db, corpus) is True
    with EmbeddedStore(db) as s:
        assert s.counts() == loaded  # one LoadRun, not two


DOCS = Path(__file__).resolve().parents[2] / "evaluation" / "extraction" / "docs"


def test_a_single_document_loads_through_extract_idempotently(store: GraphStore) -> None:
    doc = DOCS / "anyshire_child_w.txt"
    report = load_corpus(store, doc)
    first = store.counts()
    assert first.nodes["Review"] == 1 and first.nodes["Theme"] >= 85
    assert first.relationships["FROM_SOURCE"] == 1 and first.relationships["LOADED"] == 2
    assert store.get_nodes(Label.LOAD_RUN, [report.run_id])
    load_corpus(store, doc)
    assert store.counts() == first
