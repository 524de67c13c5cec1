"""The network's layout is computed once per data generation (issue 14, item 5), on both
backends: every write changes the store's generation, requests between writes (filters, year
ranges, slices) reuse one layout, and a reused layout gives the same answer as one computed
afresh. Betweenness is networkx's, exact below the measured size and sampled above it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import networkx as nx
import pytest

import queries
from graph_schema import Label, RelType
from graph_store import Batch, EmbeddedStore, GraphStore, NodeWrite, RelWrite
from queries import ADMIN, PUBLIC
from queries import network as qn
from tests.contract.test_queries_mini import mini_batch


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the full network was laid out (the layout cache starts empty)."""
    qn.clear_layout_cache()
    calls: list[int] = []
    real = qn.full_layout

    def counted(facts: Sequence[qn.Fact]) -> qn.Positions:
        calls.append(len(facts))
        return real(facts)

    monkeypatch.setattr(qn, "full_layout", counted)
    return calls


def _new_review(rid: str, year: int, themes: list[str]) -> Batch:
    return Batch(
        nodes=[
            NodeWrite(
                Label.REVIEW,
                [
                    {
                        "id": rid,
                        "title": f"Review {rid}",
                        "board_id": "B2",
                        "year": year,
                        "review_type": "scr",
                        "status": "published",
                    }
                ],
            ),
            NodeWrite(
                Label.THEME,
                [
                    {
                        "id": "hidden_man",
                        "label": "Hidden man",
                        "category": "practice",
                        "kind": "practice",
                    }
                ],
            ),
        ],
        rels=[
            RelWrite(RelType.COMMISSIONED, [{"start": "B2", "end": rid}]),
            RelWrite(RelType.RAISES, [{"start": rid, "end": t} for t in themes]),
        ],
    )


def _xy(net: dict[str, Any]) -> dict[str, tuple[float, float]]:
    return {n["id"]: (n["x"], n["y"]) for n in net["nodes"]}


def test_one_layout_per_generation(store: GraphStore, layouts: list[int]) -> None:
    store.write(mini_batch())
    g0 = store.data_generation()
    assert g0 is not None
    assert store.data_generation() == g0  # reading does not change it
    full = queries.run(store, "theme_network", {}, PUBLIC)
    assert layouts == [4]  # the four visible reviews' facts, laid out once
    for params in (
        {"year_from": 2012, "year_to": 2014},
        {"year_from": 2016},
        {"min_weight": 2},
        {"category": "practice"},
        {"boards": "B1"},
        {},
    ):
        net = queries.run(store, "theme_network", params, PUBLIC)
        assert all(_xy(net)[v] == _xy(full)[v] for v in _xy(net))
    assert layouts == [4], "a filter or year range laid the network out again"
    # Another viewer sees other reviews: a layout of its own, once.
    queries.run(store, "theme_network", {}, ADMIN)
    queries.run(store, "theme_network", {"year_from": 2013}, ADMIN)
    assert len(layouts) == 2

    # A write moves the generation on; the next request lays the network out again.
    store.write(_new_review("R9", 2020, ["hidden_man", "neglect"]))
    assert store.data_generation() != g0
    after = queries.run(store, "theme_network", {"year_from": 2019}, PUBLIC)
    assert len(layouts) == 3
    assert "hidden_man" in _xy(after)
    # ... and the reused layout is the one computed afresh.
    again = queries.run(store, "theme_network", {}, PUBLIC)
    assert len(layouts) == 3
    qn.clear_layout_cache()
    assert queries.run(store, "theme_network", {}, PUBLIC) == again
    assert len(layouts) == 4


def test_another_process_write_moves_the_embedded_generation(
    tmp_path: Any, layouts: list[int]
) -> None:
    db = tmp_path / "shared.sqlite"
    reader, writer = EmbeddedStore(db), EmbeddedStore(db)
    try:
        writer.write(mini_batch())
        queries.run(reader, "theme_network", {}, PUBLIC)
        g = reader.data_generation()
        queries.run(reader, "theme_network", {"year_from": 2014}, PUBLIC)
        assert layouts == [4]
        writer.write(_new_review("R9", 2020, ["hidden_man", "neglect"]))
        assert reader.data_generation() != g
        net = queries.run(reader, "theme_network", {"year_from": 2014}, PUBLIC)
        assert layouts == [4, 5] and "hidden_man" in _xy(net)
    finally:
        reader.close()
        writer.close()


def _complete(n: int) -> nx.Graph:
    g = nx.Graph()
    names = [f"t{i:02d}" for i in range(n)]
    g.add_nodes_from(names)
    for i, a in enumerate(names):
        for j, b in enumerate(names[i + 1 :], start=i + 1):
            w = 1 + (i * 7 + j * 3) % 11
            g.add_edge(a, b, weight=w, distance=1.0 / w)
    return g


def test_betweenness_is_networkx_exact_then_sampled(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _complete(qn.EXACT_BETWEENNESS_MAX_NODES)
    exact = nx.betweenness_centrality(g, weight="distance", normalized=True)
    assert qn.betweenness(g) == exact
    big = _complete(qn.EXACT_BETWEENNESS_MAX_NODES + 1)
    sampled = nx.betweenness_centrality(
        big, k=qn.BETWEENNESS_SAMPLES, weight="distance", normalized=True, seed=qn.SEED
    )
    assert qn.betweenness(big) == sampled
    assert qn.betweenness(big) != nx.betweenness_centrality(big, weight="distance", normalized=True)
