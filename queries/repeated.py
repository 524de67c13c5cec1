"""repeated_recommendations: clusters of near-identical recommendations across boards and years.

A cluster is a connected component of the SIMILAR_TO links (written by the loader with a
`score`) between recommendations whose reviews the viewer may see; a hidden recommendation
neither appears nor joins two clusters. Only clusters spanning at least `min_boards` boards
and `min_years` distinct years are returned, largest first, then by their first member id.
"""

# The SQL here is constant text and fragments of queries._sql; values travel as parameters.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import networkx as nx

from graph_schema import Label
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import Params, QueryParamError, load_cypher
from queries._sql import IN_IDS, ids_param, params_with, reading, vis_sql
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
    """The clusters of the links (see the module docstring). A link is listed from its smaller
    id to its larger; where two links join a pair (one each way) the later in (source,
    target) order gives the score."""
    graph = nx.Graph()
    members: dict[str, dict[str, Any]] = {}
    scores_of: dict[tuple[str, str], float] = {}
    for a, b, score in sorted(links, key=lambda x: (x[0]["id"], x[1]["id"])):
        members[a["id"]] = a
        members[b["id"]] = b
        if a["id"] != b["id"]:
            pair = (min(a["id"], b["id"]), max(a["id"], b["id"]))
            graph.add_edge(*pair)
            scores_of[pair] = score
    comp_of: dict[str, int] = {}
    comps = [sorted(c) for c in nx.connected_components(graph)]
    for i, ids in enumerate(comps):
        for m in ids:
            comp_of[m] = i
    # A component holds every link of its members: a link's ends are in one component.
    edges: list[list[tuple[str, str]]] = [[] for _ in comps]
    for pair in sorted(scores_of):
        edges[comp_of[pair[0]]].append(pair)
    out = []
    for ids, pairs in zip(comps, edges, strict=True):
        boards = sorted({members[i]["board_id"] for i in ids if members[i]["board_id"]})
        years = sorted({members[i]["year"] for i in ids if isinstance(members[i]["year"], int)})
        if len(boards) < min_boards or len(years) < min_years:
            continue
        scores = [round(float(scores_of[pair]), 4) + 0.0 for pair in pairs]
        links_out = [
            {"source": u, "target": v, "score": sc}
            for (u, v), sc in zip(pairs, scores, strict=True)
        ]
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


# Every SIMILAR_TO link with its score.
_LINKS_SQL: Final = (
    "SELECT src, dst, json_extract(props, '$.score') FROM rels WHERE type = 'SIMILAR_TO' "
    "ORDER BY src, dst"
)
# Each linked recommendation the viewer may see: its first review (by id) the viewer may see,
# that review's year and its first board by id.
_MEMBERS_SQL: Final = (
    "WITH linked(id) AS (SELECT src FROM rels WHERE type = 'SIMILAR_TO' "
    "UNION SELECT dst FROM rels WHERE type = 'SIMILAR_TO'), "
    "firsts(id, rv) AS MATERIALIZED (SELECT l.id, (SELECT min(m.src) FROM rels m "
    "CROSS JOIN nodes vr ON vr.label = 'Review' AND vr.id = m.src "
    f"WHERE m.type = 'MAKES' AND m.dst = l.id AND {vis_sql(Label.REVIEW, 'vr')}) FROM linked l) "
    "SELECT f.id, f.rv, json_extract(rv.props, '$.year'), "
    "(SELECT min(b.src) FROM rels b WHERE b.type = 'COMMISSIONED' AND b.dst = f.rv) "
    "FROM firsts f CROSS JOIN nodes rv ON rv.label = 'Review' AND rv.id = f.rv"
)
# What the answer shows of the members of the clusters kept.
_SHOWN_SQL: Final = (
    "SELECT n.id, json_extract(n.props, '$.number'), json_extract(n.props, '$.text'), "
    "json_extract(n.props, '$.status') FROM nodes n "
    f"WHERE n.label = 'Recommendation' AND n.id IN {IN_IDS}"
)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    """Links and their ends' review, year and board in two statements; the recommendations'
    own fields only for the members of the clusters kept."""
    args = _params(params)
    with reading(store) as cur:
        members: dict[str, dict[str, Any]] = {
            str(rid): {
                "id": str(rid),
                "number": None,
                "text": None,
                "status": None,
                "review_id": str(rv),
                "year": year,
                "board_id": board,
            }
            for rid, rv, year, board in cur.execute(_MEMBERS_SQL, params_with(viewer))
        }
        links: list[Link] = []
        for r1, r2, score in cur.execute(_LINKS_SQL):
            a, b = members.get(str(r1)), members.get(str(r2))
            if a is not None and b is not None:
                links.append((a, b, float(score or 0.0)))
        out = clusters(links, **args)
        shown = sorted({m["id"] for c in out["clusters"] for m in c["members"]})
        for rid, number, text, status in cur.execute(_SHOWN_SQL, {"ids": ids_param(shown)}):
            m = members[str(rid)]
            m["number"], m["text"], m["status"] = number, text, status
    return out


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
