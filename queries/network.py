"""theme_network: themes as nodes, edges weighted by the number of reviews raising both.

The database returns, per visible review in range, the themes it raises; everything else is
computed here, the same way for both backends, from input sorted the same way:
- node `reviews`: visible reviews in range raising the theme;
- edge `weight`: reviews raising both themes; edges below `min_weight` are dropped;
- `weighted_degree`: the sum of a node's kept edge weights;
- `betweenness`: networkx betweenness centrality (normalised) with distance 1/weight, so
  themes that travel together are close; rounded to 6 places. Exact up to
  `EXACT_BETWEENNESS_MAX_NODES` themes; above, estimated from `BETWEENNESS_SAMPLES` source
  themes drawn with a fixed seed (the same answer on both backends; see `betweenness`);
- `community`: Louvain (networkx `louvain_communities`, seed 42) on the weighted network;
  numbered 0.. by size (largest first), then by smallest theme key;
- `x`, `y`: a deterministic force-directed layout (seeded Fruchterman-Reingold, pure Python) of
  the *full* network the viewer may see (every year, board and category, every edge), scaled
  into [0, 1] and rounded to 4 places. Filters and per-year slices reuse these positions, so
  changing the years or stepping through them does not move the themes. The layout is
  computed once per data generation of the store (`GraphStore.data_generation`, which
  changes on every write) and per set of review statuses a viewer sees, then reused by every
  request until the next write (see `positions_for`).
- `years`: per-year slices (nodes with their review count that year, edges of that year's
  weight at least `min_weight`).
"""

from __future__ import annotations

import functools
import json
import math
import random
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import combinations
from typing import Any, Final

import networkx as nx

from graph_schema import THEME_CATEGORIES, Label
from graph_schema.aggregates import REVIEW_FACT
from graph_store import EmbeddedStore, GraphStore, Neo4jStore
from queries._common import G, Params, QueryParamError, check_years, in_years, load_cypher
from queries.base import Query, Viewer, register

NAME = "theme_network"
CYPHER = load_cypher(NAME)
SEED = 42

Fact = tuple[str, int, list[dict[str, Any]]]  # (review id, year, themes sorted by id)
Positions = dict[str, tuple[float, float]]

# Betweenness is exact on networks of up to this many themes and estimated from a seeded
# sample of `BETWEENNESS_SAMPLES` source themes above. Measured with
# `python -m benchmarks.betweenness` (benchmarks/RESULTS.md, issue 14 items 4-5) on complete
# theme networks (at national scale every pair of the 40 themes shares a review): exact costs
# about n^3, 12 ms of CPU at 40 themes, 35 ms at 50, 180 ms at 100, so above 48 themes it
# would pass a quarter of the network's 150 ms budget; 32 samples cost 16 ms at 50 themes
# and 60 ms at 100, within about 0.01 of the exact normalised values.
EXACT_BETWEENNESS_MAX_NODES: Final = 48
BETWEENNESS_SAMPLES: Final = 32


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    p = Params(NAME, params)
    year_from, year_to = p.int_("year_from"), p.int_("year_to")
    check_years(p, year_from, year_to)
    min_weight = p.int_("min_weight", 1)
    assert min_weight is not None
    if min_weight < 1:
        raise QueryParamError.about(
            NAME, lambda n: f"{n('min_weight')}={min_weight} must be 1 or more"
        )
    category = p.str_("category")
    if category is not None and category not in THEME_CATEGORIES:
        raise QueryParamError.about(
            NAME,
            lambda n: f"{n('category')}={category!r} is not one of {', '.join(THEME_CATEGORIES)}",
        )
    return {
        "year_from": year_from,
        "year_to": year_to,
        "boards": p.str_list("boards"),
        "min_weight": min_weight,
        "category": category,
    }


def layout(
    graph: nx.Graph, seed: int = SEED, iterations: int = 120
) -> dict[str, tuple[float, float]]:
    """Seeded Fruchterman-Reingold over sorted nodes; positions scaled into [0, 1]."""
    nodes = sorted(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.5, 0.5)}
    rng = random.Random(seed)
    pos = {v: [rng.random(), rng.random()] for v in nodes}
    k = math.sqrt(1.0 / n)
    max_w = max((d.get("weight", 1) for _, _, d in graph.edges(data=True)), default=1)
    edges = sorted(
        (min(a, b), max(a, b), d.get("weight", 1) / max_w) for a, b, d in graph.edges(data=True)
    )
    t = 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i, a in enumerate(nodes):
            pa = pos[a]
            for b in nodes[i + 1 :]:
                pb = pos[b]
                dx, dy = pa[0] - pb[0], pa[1] - pb[1]
                d = max(math.hypot(dx, dy), 0.01)
                f = k * k / d
                disp[a][0] += dx / d * f
                disp[a][1] += dy / d * f
                disp[b][0] -= dx / d * f
                disp[b][1] -= dy / d * f
        for a, b, w in edges:
            pa, pb = pos[a], pos[b]
            dx, dy = pa[0] - pb[0], pa[1] - pb[1]
            d = max(math.hypot(dx, dy), 0.01)
            f = d * d / k * w
            disp[a][0] -= dx / d * f
            disp[a][1] -= dy / d * f
            disp[b][0] += dx / d * f
            disp[b][1] += dy / d * f
        for v in nodes:
            dx, dy = disp[v]
            d = max(math.hypot(dx, dy), 0.01)
            step = min(d, t)
            pos[v][0] += dx / d * step
            pos[v][1] += dy / d * step
        t -= dt
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    x0, y0 = min(xs), min(ys)
    return {
        v: (round((pos[v][0] - x0) / span, 4) + 0.0, round((pos[v][1] - y0) / span, 4) + 0.0)
        for v in nodes
    }


@functools.lru_cache(maxsize=32)
def _cached_layout(
    nodes: tuple[str, ...], edges: tuple[tuple[str, str, int], ...]
) -> dict[str, tuple[float, float]]:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_weighted_edges_from(edges)
    return layout(graph)


def full_layout(facts: Sequence[Fact]) -> dict[str, tuple[float, float]]:
    """Positions for the full network of these review facts (memoised on its shape)."""
    nodes = tuple(sorted({t["id"] for _, _, themes in facts for t in themes}))
    edges = tuple((a, b, w) for (a, b), w in sorted(_pairs(facts).items()))
    return _cached_layout(nodes, edges)


def _pairs(facts: Sequence[Fact]) -> dict[tuple[str, str], int]:
    w: dict[tuple[str, str], int] = defaultdict(int)
    for _, _, themes in facts:
        keys = sorted({t["id"] for t in themes})
        for a, b in combinations(keys, 2):
            w[(a, b)] += 1
    return w


# The full network's layout per store, per data generation and per set of statuses seen.
# Only the store's current generation is kept; the store is held weakly (a closed store's
# layouts go with it).
_LAYOUTS: weakref.WeakKeyDictionary[GraphStore, dict[tuple[Hashable, tuple[str, ...]], Positions]]
_LAYOUTS = weakref.WeakKeyDictionary()
_LAYOUTS_LOCK = threading.Lock()


def positions_for(
    store: GraphStore, viewer: Viewer, full_facts: Callable[[], Sequence[Fact]]
) -> Positions:
    """The layout of the full network this viewer may see: computed from `full_facts()` once
    per data generation of the store, then reused (by every year slice, filter and request)
    until a write changes the generation. A store that cannot tell its generation cheaply
    (None) gets it computed each time."""
    generation = store.data_generation()
    key = (generation, tuple(sorted(viewer.statuses)))
    if generation is not None:
        with _LAYOUTS_LOCK:
            hit = _LAYOUTS.get(store, {}).get(key)
        if hit is not None:
            return hit
    pos = full_layout(full_facts())
    if generation is not None:
        with _LAYOUTS_LOCK:
            mine = _LAYOUTS.setdefault(store, {})
            for old in [k for k in mine if k[0] != generation]:
                del mine[old]
            mine[key] = pos
    return pos


def clear_layout_cache() -> None:
    """Forget every computed layout (benchmarks time the network from scratch with this)."""
    with _LAYOUTS_LOCK:
        _LAYOUTS.clear()
    _cached_layout.cache_clear()


def betweenness(
    graph: nx.Graph,
    exact_max: int = EXACT_BETWEENNESS_MAX_NODES,
    samples: int = BETWEENNESS_SAMPLES,
) -> dict[str, float]:
    """Normalised betweenness with distance 1/weight (networkx's): exact on networks of up
    to `EXACT_BETWEENNESS_MAX_NODES` themes, estimated from `BETWEENNESS_SAMPLES` source
    themes drawn with a fixed seed above. Nodes and edges are added in sorted order, so the
    answer is the same on both backends."""
    k = min(samples, graph.number_of_nodes()) if graph.number_of_nodes() > exact_max else None
    out: dict[str, float] = nx.betweenness_centrality(
        graph, k=k, weight="distance", normalized=True, seed=SEED
    )
    return out


def build(
    facts: Sequence[Fact],
    args: Mapping[str, Any],
    full: Sequence[Fact] | None = None,
    positions: Positions | None = None,
) -> dict[str, Any]:
    """The network, its metrics, layout and per-year slices, from review facts.

    `positions`: the layout of the unfiltered network (see `positions_for`); when not given
    it is computed from `full`, the facts of the unfiltered network (default: `facts`).
    """
    facts = sorted(facts, key=lambda f: f[0])
    min_w = args["min_weight"]
    meta: dict[str, dict[str, Any]] = {}
    count: dict[str, int] = defaultdict(int)
    for _, _, themes in facts:
        for t in themes:
            meta[t["id"]] = {k: t.get(k) for k in ("id", "label", "category", "kind")}
            count[t["id"]] += 1
    weights = {p: w for p, w in sorted(_pairs(facts).items()) if w >= min_w}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(meta))
    for (a, b), w in weights.items():
        graph.add_edge(a, b, weight=w, distance=1.0 / w)
    between = betweenness(graph)
    comms = nx.community.louvain_communities(graph, weight="weight", seed=SEED) if meta else []
    comms = sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))
    community = {v: i for i, c in enumerate(comms) for v in c}
    pos = positions if positions is not None else full_layout(facts if full is None else full)
    if any(v not in pos for v in meta):
        # A write landed between reading the facts and the layout's generation (a theme
        # left the network meanwhile): lay out what was read instead.
        pos = full_layout(facts if full is None else full)
    degree = dict(graph.degree(weight="weight"))
    nodes = [
        {
            **meta[v],
            "reviews": count[v],
            "weighted_degree": int(degree.get(v, 0)),
            "betweenness": round(between.get(v, 0.0), 6) + 0.0,
            "community": community[v],
            "x": pos[v][0],
            "y": pos[v][1],
        }
        for v in sorted(meta)
    ]
    edges = [{"source": a, "target": b, "weight": w} for (a, b), w in weights.items()]
    years_seen = sorted({f[1] for f in facts if isinstance(f[1], int)})
    y0 = (
        args["year_from"]
        if args["year_from"] is not None
        else (years_seen[0] if years_seen else None)
    )
    y1 = (
        args["year_to"] if args["year_to"] is not None else (years_seen[-1] if years_seen else None)
    )
    slices = []
    if y0 is not None and y1 is not None:
        for y in range(y0, y1 + 1):
            yf = [f for f in facts if f[1] == y]
            yc: dict[str, int] = defaultdict(int)
            for _, _, themes in yf:
                for t in themes:
                    yc[t["id"]] += 1
            slices.append(
                {
                    "year": y,
                    "reviews": len(yf),
                    "nodes": [{"id": v, "reviews": yc[v]} for v in sorted(yc)],
                    "edges": [
                        {"source": a, "target": b, "weight": w}
                        for (a, b), w in sorted(_pairs(yf).items())
                        if w >= min_w
                    ],
                }
            )
    return {
        "year_from": y0,
        "year_to": y1,
        "min_weight": min_w,
        "category": args["category"],
        "boards": args["boards"],
        "reviews": len(facts),
        "nodes": nodes,
        "edges": edges,
        "communities": len(comms),
        "years": slices,
    }


def to_networkx(network: Mapping[str, Any]) -> nx.Graph:
    """The result as a networkx graph (node and edge attributes are scalars, for export)."""
    graph = nx.Graph()
    for n in network["nodes"]:
        graph.add_node(n["id"], **{k: v for k, v in n.items() if k != "id" and v is not None})
    for e in network["edges"]:
        graph.add_edge(e["source"], e["target"], weight=e["weight"])
    return graph


_UNFILTERED: Final = {"year_from": None, "year_to": None, "boards": None, "category": None}


def _filtered(args: Mapping[str, Any]) -> bool:
    return any(args[k] is not None for k in _UNFILTERED)


def _theme_facts(
    facts: list[tuple[str, Any, list[str]]],
    themes: Mapping[str, Mapping[str, Any]],
    category: str | None,
) -> list[Fact]:
    """Review facts with each theme's properties, keeping the category's themes only."""
    out: list[Fact] = []
    for rv, year, keys in facts:
        picked = []
        for t in keys:
            tp = themes.get(t) or {}
            if category is None or tp.get("category") == category:
                picked.append({k: tp.get(k) for k in ("id", "label", "category", "kind")})
        if picked:
            out.append((rv, year, picked))
    return out


def _neo4j_facts(store: Neo4jStore, args: Mapping[str, Any], viewer: Viewer) -> list[Fact]:
    cy = {k: args[k] for k in ("year_from", "year_to", "boards")}
    rows = store.read(CYPHER, {**cy, "statuses": viewer.statuses})
    themes = {
        r["t"]["id"]: r["t"]
        for r in store.read(
            f"MATCH (t:{Label.THEME.value}) RETURN t {{.id, .label, .category, .kind}} AS t"
        )
    }
    facts = [(r["review"], r["year"], sorted(set(r["themes"]))) for r in rows]
    return _theme_facts(facts, themes, args["category"])


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    facts = _neo4j_facts(store, args, viewer)
    pos = positions_for(
        store,
        viewer,
        lambda: _neo4j_facts(store, _UNFILTERED, viewer) if _filtered(args) else facts,
    )
    return build(facts, args, positions=pos)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    facts = _embedded_facts(store, args, viewer)
    pos = positions_for(
        store,
        viewer,
        lambda: _embedded_facts(store, _UNFILTERED, viewer) if _filtered(args) else facts,
    )
    return build(facts, args, positions=pos)


def _embedded_facts(store: EmbeddedStore, args: Mapping[str, Any], viewer: Viewer) -> list[Fact]:
    g = G(store, viewer)
    only = set(args["boards"]) if args["boards"] is not None else None
    statuses = list(viewer.statuses)
    rf = REVIEW_FACT
    facts: list[tuple[str, Any, list[str]]] = []
    for rv, year, boards_json, themes_json in store.aggregate_rows(
        f"SELECT id, year, boards, themes FROM {rf.table} "  # noqa: S608
        f"WHERE status IN ({','.join('?' * len(statuses))}) ORDER BY id",
        statuses,
    ):
        if not in_years(year, args["year_from"], args["year_to"]) or themes_json == "[]":
            continue
        boards = json.loads(boards_json)
        if not boards or (only is not None and not only.intersection(boards)):
            continue
        facts.append((rv, year, json.loads(themes_json)))
    themes = {t: g.props(Label.THEME, t) or {} for t in store.ids(Label.THEME.value)}
    return _theme_facts(facts, themes, args["category"])


QUERY = register(
    Query(
        name=NAME,
        description=(
            "The theme co-occurrence network: themes (review counts, category, kind, weighted "
            "degree, betweenness, Louvain community, layout x/y) and edges weighted by reviews "
            "raising both; per-year slices for step-through."
        ),
        params={
            "year_from": "int, optional: first year",
            "year_to": "int, optional: last year",
            "boards": "list[str] or comma-separated, optional: board ids",
            "min_weight": "int, default 1: drop edges with fewer shared reviews",
            "category": f"str, optional: one of {', '.join(THEME_CATEGORIES)}",
        },
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
