"""`scrgraph export network`: the theme network for Gephi (GraphML, GEXF) or dashboards (JSON).

Nodes carry label, category, kind, reviews, weighted_degree, betweenness, community, x and y;
edges carry weight (reviews raising both themes). JSON is the `theme_network` query's result,
per-year slices included.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from scrgraph.commands.common import add_store_options, reading_store_from
from scrgraph.commands.query import viewer_for

FORMATS = ("graphml", "gexf", "json")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("export", help="export data for other tools")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    n: argparse.ArgumentParser = what.add_parser(
        "network", help="the theme co-occurrence network (GraphML, GEXF or JSON)"
    )
    n.add_argument("--format", required=True, choices=FORMATS, help="file format")
    n.add_argument("--out", required=True, help="file to write")
    n.add_argument("--year-from", type=int, help="first review year")
    n.add_argument("--year-to", type=int, help="last review year")
    n.add_argument("--boards", help="comma-separated board ids")
    n.add_argument("--min-weight", type=int, default=1, help="drop lighter edges (default 1)")
    n.add_argument("--category", help="only themes of this category")
    n.add_argument(
        "--role",
        default="public",
        choices=("public", "analyst", "inspector", "admin"),
        help="viewer role (default public: published reviews only)",
    )
    add_store_options(n)
    n.set_defaults(func=run)


def write_network(network: dict[str, Any], fmt: str, out: Path) -> None:
    """Write a theme_network result in the format."""
    import networkx as nx

    from queries.network import to_networkx

    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        out.write_text(
            json.dumps(network, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        return
    graph = to_networkx(network)
    for key in ("year_from", "year_to", "min_weight", "category"):
        if network.get(key) is not None:
            graph.graph[key] = network[key]
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    else:
        nx.write_gexf(graph, out)


def run(args: argparse.Namespace) -> int:
    import queries

    params = {
        "year_from": args.year_from,
        "year_to": args.year_to,
        "boards": args.boards,
        "min_weight": args.min_weight,
        "category": args.category,
    }
    with reading_store_from(args) as store:
        network = queries.run(store, "theme_network", params, viewer_for(args.role))
    out = Path(args.out)
    write_network(network, args.format, out)
    print(
        f"wrote {len(network['nodes'])} themes and {len(network['edges'])} edges "
        f"to {out} ({args.format})"
    )
    return 0
