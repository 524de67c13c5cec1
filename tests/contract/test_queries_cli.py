"""`scrgraph query` and `scrgraph export network` over the demo corpus in an embedded store."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

import queries
from graph_store import EmbeddedStore
from queries import PUBLIC
from scrgraph.cli import main


def test_query_lists_every_query(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query"]) == 0
    out = capsys.readouterr().out
    for name in ("theme_recurrence", "trace_recommendation", "search"):
        assert name in out
    assert main(["query", "--json"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == set(queries.REGISTRY)


def test_query_runs_with_params(
    demo_embedded: EmbeddedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_embedded.path)
    argv = ["query", "theme_network", "--db", db, "--backend", "embedded", "--json"]
    assert main([*argv, "--param", "year_from=2012", "--param", "min_weight=2"]) == 0
    got = json.loads(capsys.readouterr().out)
    want = queries.run(demo_embedded, "theme_network", {"year_from": 2012, "min_weight": 2}, PUBLIC)
    assert got == json.loads(json.dumps(want))
    assert (
        main(
            ["query", "outstanding_actions", "--db", db, "-p", "as_of=2024-01-01", "-p", "limit=3"]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "overdue:" in text and "actions (3)" in text
    assert main(["query", "search", "--db", db, "-p", "text=neglect", "--role", "admin"]) == 0


def test_query_errors_say_what_to_do(
    demo_embedded: EmbeddedStore, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(demo_embedded.path)
    assert main(["query", "nope", "--db", db]) == 1
    assert "scrgraph query" in capsys.readouterr().err
    assert main(["query", "theme_recurrence", "--db", db, "--param", "theme"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
    assert main(["query", "theme_recurrence", "--db", db]) == 2
    assert "--param theme=" in capsys.readouterr().err
    assert main(["query", "theme_network", "--db", db, "-p", "year_from=soon"]) == 2


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_network_reads_back(demo_embedded: EmbeddedStore, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"network.{fmt}"
    argv = [
        "export",
        "network",
        "--format",
        fmt,
        "--out",
        str(out),
        "--db",
        str(demo_embedded.path),
    ]
    assert main([*argv, "--year-from", "2010", "--year-to", "2019"]) == 0
    want = queries.run(demo_embedded, "theme_network", {"year_from": 2010, "year_to": 2019}, PUBLIC)
    nodes = {n["id"] for n in want["nodes"]}
    weights = {frozenset((e["source"], e["target"])): e["weight"] for e in want["edges"]}
    assert nodes and weights
    if fmt == "json":
        assert json.loads(out.read_text(encoding="utf-8")) == json.loads(json.dumps(want))
        return
    g = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    assert set(g.nodes) == nodes
    assert {frozenset((a, b)): float(d["weight"]) for a, b, d in g.edges(data=True)} == {
        k: float(v) for k, v in weights.items()
    }
    some = want["nodes"][0]
    assert g.nodes[some["id"]]["category"] == some["category"]
    assert int(g.nodes[some["id"]]["reviews"]) == some["reviews"]
