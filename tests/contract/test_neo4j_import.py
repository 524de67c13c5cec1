"""A first load by `neo4j-admin database import` gives the graph a load through the driver
gives: every node, relationship and property the same, and, once `apply_schema` has run, the
same aggregates.

It runs a Neo4j of its own (the launcher of scripts/neo4j-local, with its own home and port),
because the import needs the server stopped.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest

from graph_store import Neo4jStore
from graph_store.neo4j_import import ImportCsvStore, admin_import
from loaders import load_corpus
from scrgraph.errors import InputError

Graph = dict[str, Any]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def graph_of(store: Neo4jStore) -> Graph:
    """Every node but the bookkeeping ones, by label and key, and every relationship."""
    nodes = {
        (r["label"], r["p"]["id"]): r["p"]
        for r in store.read(
            "MATCH (n) WHERE NOT n:SchemaInfo AND NOT n:LoadRun "
            "RETURN labels(n)[0] AS label, properties(n) AS p"
        )
    }
    rels = sorted(
        (r["t"], r["s"], r["e"], sorted(r["p"].items()))
        for r in store.read(
            "MATCH (a)-[r]->(b) WHERE NOT a:LoadRun AND NOT b:LoadRun "
            "RETURN type(r) AS t, a.id AS s, b.id AS e, properties(r) AS p"
        )
    )
    return {"nodes": nodes, "rels": rels}


@pytest.mark.neo4j
def test_an_import_reads_back_as_a_load(demo_corpus: Path, tmp_path: Path) -> None:
    from benchmarks.neo4j_instance import BenchNeo4j

    neo = BenchNeo4j(port=_free_port(), heap="512m", home=tmp_path / "home")
    why = neo.available()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs a Neo4j of its own here: {why}")
        pytest.skip(why)

    sink = ImportCsvStore()
    load_corpus(sink, demo_corpus)
    args = sink.write_files(tmp_path / "csv")
    assert "--nodes=Review=" + str(tmp_path / "csv" / "nodes-Review.csv") in args

    with neo.running_store() as store:
        store.apply_schema()
        load_corpus(store, demo_corpus)
        loaded = graph_of(store)
        aggregates = _aggregates(store)
    assert len(loaded["nodes"]) > 1000 and len(loaded["rels"]) > 1000

    out = admin_import(neo.home, tmp_path / "csv")
    assert "IMPORT DONE" in out

    with neo.running_store() as store:
        assert store.schema_missing()  # no constraints, no indexes, no version yet
        store.apply_schema()  # creates them, and builds the aggregates
        assert store.schema_missing() == []
        imported = graph_of(store)
        assert imported["nodes"] == loaded["nodes"]
        assert imported["rels"] == loaded["rels"]
        assert _aggregates(store) == aggregates


def _aggregates(store: Neo4jStore) -> dict[str, dict[str, Any]]:
    from graph_schema.aggregates import AGGREGATES

    return {
        a.label.value: {
            r["p"]["id"]: r["p"]
            for r in store.read(f"MATCH (n:{a.label.value}) RETURN properties(n) AS p")
        }
        for a in AGGREGATES
    }


def test_csv_fields_keep_types_empty_strings_and_lists(tmp_path: Path) -> None:
    from graph_schema import Label, RelType
    from graph_store import Batch, NodeWrite, RelWrite

    sink = ImportCsvStore()
    sink.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.REVIEW,
                    [
                        {"id": "rv-1", "title": 'A "quoted", two-line\ntitle', "year": 2014},
                        {"id": "rv-2", "title": "", "year": None},
                    ],
                ),
                NodeWrite(Label.THEME, [{"id": "t-1", "signals": ["a;b", "c"]}]),
            ],
            rels=[RelWrite(RelType.RAISES, [{"start": "rv-1", "end": "t-1"}])],
        )
    )
    # The same key again merges as a store does: new values win, None removes.
    sink.write(Batch(nodes=[NodeWrite(Label.REVIEW, [{"id": "rv-1", "year": 2015}])]))
    sink.write_files(tmp_path)
    reviews = (tmp_path / "nodes-Review.csv").read_text().split("\n")
    assert reviews[0] == "id:ID(Review),title:string,year:long"
    assert reviews[1:4] == ['"rv-1","A ""quoted"", two-line', 'title",2015', '"rv-2","",']
    themes = (tmp_path / "nodes-Theme.csv").read_text().splitlines()
    assert themes == ["id:ID(Theme),signals:string[]", '"t-1","a;b\x1fc"']
    assert (tmp_path / "rels-RAISES.csv").read_text().splitlines() == [
        ":START_ID(Review),:END_ID(Theme)",
        '"rv-1","t-1"',
    ]

    dangling = ImportCsvStore()
    dangling.write(
        Batch(
            nodes=[NodeWrite(Label.REVIEW, [{"id": "rv-1"}])],
            rels=[RelWrite(RelType.RAISES, [{"start": "rv-1", "end": "t-absent"}])],
        )
    )
    with pytest.raises(InputError, match=r"RAISES \(rv-1\) -> \(t-absent\): a Review or Theme"):
        dangling.write_files(tmp_path / "d")


def test_the_cli_writes_the_import_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scrgraph.cli import main
    from tests.unit.test_loaders_validate import write_corpus

    corpus = write_corpus(tmp_path / "c")
    out = tmp_path / "import"
    assert main(["load", str(corpus), "--neo4j-import", str(out), "--quiet"]) == 0
    said = capsys.readouterr().out
    assert f"scripts/neo4j-local import {out}, then scrgraph schema --backend neo4j" in said
    args = (out / "import.args").read_text().splitlines()
    assert args[0] == "neo4j" and f"--report-file={out / 'import.report'}" in args
    assert f"--nodes=Review={out / 'nodes-Review.csv'}" in args
    header = (out / "nodes-Review.csv").read_text().splitlines()[0]
    assert header.startswith("id:ID(Review),") and "year:long" in header

    assert main(["load", str(corpus), "--neo4j-import", str(out), "--dry-run"]) == 1
    assert "--neo4j-import takes a corpus folder" in capsys.readouterr().err
