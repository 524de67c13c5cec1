"""repeated_recommendations: clusters of near-identical recommendations across boards and years.

A cluster is a connected component of the SIMILAR_TO links (written by the loader with a
`score`) between recommendations whose reviews the viewer may see; a hidden recommendation
neither appears nor joins two clusters. Only clusters spanning at least `min_boards` boards
and `min_years` distinct years are returned, largest first, then by their first member id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph_schema import Label, RelType
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import Params, QueryParamError, load_cypher
from queries._sql import ends, nodes_by_id, props_of, reading
from queries.base import Query, Viewer, register

NAME = "repeated_recommendations"
CYPHER = load_cypher(NAME)

Link = tuple[dict[str, Any], dict[str, Any], float]


def _at_least_one(name: str, value: int | None) -> QueryParamError:
    return QueryParamError.about(NAME, lambda n: f"{n(name)}={value} must be 1 or more")


def _params(params: Mapping[str, Any]) -> dict[str, int]:
    p = Params(NAME, params)
    out = {"min_boards": p.int_("min_boards", 2), "min_years": p.int_("min_years", 2)}
    for k, v in out.items():
        if v is None or v < 1:
            raise _at_least_one(k, v)
    return out  # type: ignore[return-value]


def clusters(links: Iterable[Link], min_boards: int, min_years: int) -> dict[str, Any]:
    graph = nx.Graph()
    members: dict[str, dict[str, Any]] = {}
    for a, b, score in sorted(links, key=lambda x: (x[0]["id"], x[1]["id"])):
        members[a["id"]] = a
        members[b["id"]] = b
        if a["id"] != b["id"]:
            graph.add_edge(min(a["id"], b["id"]), max(a["id"], b["id"]), score=score)
    out = []
    for comp in nx.connected_components(graph):
        ids = sorted(comp)
        boards = sorted({members[i]["board_id"] for i in ids if members[i]["board_id"]})
        years = sorted({members[i]["year"] for i in ids if isinstance(members[i]["year"], int)})
        if len(boards) < min_boards or len(years) < min_years:
            continue
        links_out = sorted(
            (
                {"source": u, "target": v, "score": round(float(d["score"]), 4) + 0.0}
                for u, v, d in graph.subgraph(ids).edges(data=True)
            ),
            key=lambda e: (e["source"], e["target"]),
        )
        scores = [e["score"] for e in links_out]
        out.append(
            {
                "id": ids[0],
                "size": len(ids),
                "boards": len(boards),
                "years": len(years),
                "board_ids": boards,
                "first_year": years[0] if years else None,
                "last_year": years[-1] if years else None,
                "mean_score": round(sum(scores) / len(scores), 4) + 0.0 if scores else None,
                "members": [members[i] for i in ids],
                "links": links_out,
            }
        )
    out.sort(key=lambda c: (-c["size"], c["id"]))
    return {"min_boards": min_boards, "min_years": min_years, "clusters": out}


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    rows = store.read(CYPHER, {"statuses": viewer.statuses})
    return clusters(((r["a"], r["b"], float(r["score"] or 0.0)) for r in rows), **args)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    statuses = frozenset(viewer.statuses)
    with reading(store) as cur:
        pairs = [
            (str(a), str(b), props_of(d))
            for a, b, d in cur.execute(
                "SELECT src, dst, props FROM rels WHERE type = ? ORDER BY src, dst",
                (RelType.SIMILAR_TO.value,),
            )
        ]
        recs = sorted({k for a, b, _ in pairs for k in (a, b)})
        rec_props = nodes_by_id(cur, Label.RECOMMENDATION, recs)
        made_by = ends(cur, RelType.MAKES, recs, outgoing=False)
        reviews = sorted({rv for rvs in made_by.values() for rv in rvs})
        review_props = nodes_by_id(cur, Label.REVIEW, reviews)
        boards_of = ends(cur, RelType.COMMISSIONED, reviews, outgoing=False)

    def member(rid: str) -> dict[str, Any] | None:
        rv = next(
            (
                r
                for r in sorted(made_by.get(rid, ()))
                if (review_props.get(r) or {}).get("status") in statuses
            ),
            None,
        )
        if rv is None:
            return None
        p = rec_props.get(rid) or {}
        boards = sorted(boards_of.get(rv, ()))
        return {
            "id": rid,
            "number": p.get("number"),
            "text": p.get("text"),
            "status": p.get("status"),
            "review_id": rv,
            "year": (review_props.get(rv) or {}).get("year"),
            "board_id": boards[0] if boards else None,
        }

    members = {rid: member(rid) for rid in recs}
    links: list[Link] = []
    for r1, r2, d in pairs:
        a, b = members[r1], members[r2]
        if a is not None and b is not None:
            links.append((a, b, float(d.get("score") or 0.0)))
    return clusters(links, **args)


QUERY = register(
    Query(
        name=NAME,
        description=(
            "Clusters of near-identical recommendations (connected SIMILAR_TO links) spanning "
            "at least min_boards boards and min_years years, with members and link scores."
        ),
        params={
            "min_boards": "int, default 2: boards a cluster must span",
            "min_years": "int, default 2: distinct years a cluster must span",
        },
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
