"""review_queue: what the document reader was not sure of, waiting for a person.

Items (recommendations, a PFD report's concerns) and documents (reviews) loaded with a
confidence below the threshold carry `review_state: queued` (loaders.extract.confidence)
until a person decides them (gql_api.review_queue). Only items of reviews the viewer may see
are listed, and only reviews the viewer may see: the queue never tells of a hidden review.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from graph_schema import Label, RelType
from graph_store import EmbeddedStore, Neo4jStore, Row
from queries.base import Query, Viewer, register

NAME: Final = "review_queue"

CYPHER: Final = """
CALL () {
  MATCH (rv:Review)-[:MAKES]->(r:Recommendation)
  WHERE rv.status IN $statuses AND r.review_state = 'queued'
    AND ($review IS NULL OR rv.id = $review)
  RETURN collect({props: properties(r), review: rv.id}) AS items
}
CALL () {
  MATCH (rv:Review)
  WHERE rv.status IN $statuses AND rv.review_state = 'queued'
    AND ($review IS NULL OR rv.id = $review)
  RETURN collect(properties(rv)) AS documents
}
RETURN items, documents
"""


def _shape(items: list[tuple[Row, str]], documents: list[Row]) -> dict[str, Any]:
    """Weakest first, then by key: the same order on both backends."""
    queued_in: dict[str, int] = {}
    for _, review in items:
        queued_in[review] = queued_in.get(review, 0) + 1
    items.sort(key=lambda it: (float(it[0].get("confidence") or 0.0), str(it[0]["id"])))
    documents.sort(key=lambda d: (float(d.get("confidence") or 0.0), str(d["id"])))
    return {
        "items": [{"props": p, "review": rv} for p, rv in items],
        "documents": [{"props": d, "queued_items": queued_in.get(d["id"], 0)} for d in documents],
    }


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    rows = store.read(CYPHER, {"statuses": viewer.statuses, "review": params.get("review")})
    row = rows[0] if rows else {"items": [], "documents": []}
    items = [(dict(it["props"]), str(it["review"])) for it in row["items"]]
    return _shape(items, [dict(d) for d in row["documents"]])


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    g = store.graph
    wanted = params.get("review")
    review_label, rec_label = Label.REVIEW.value, Label.RECOMMENDATION.value
    items: list[tuple[Row, str]] = []
    documents: list[Row] = []
    for key in sorted(store.ids(review_label)):
        if wanted is not None and key != wanted:
            continue
        nid = (review_label, key)
        props = g.nodes[nid]
        if not viewer.may_see(props.get("status")):
            continue
        if props.get("review_state") == "queued":
            documents.append(dict(props))
        for _, rec, rel in g.out_edges(nid, keys=True):
            if rel != RelType.MAKES.value or rec[0] != rec_label:
                continue
            if g.nodes[rec].get("review_state") == "queued":
                items.append((dict(g.nodes[rec]), key))
    return _shape(items, documents)


QUERY: Final = register(
    Query(
        name=NAME,
        description="Items and documents the reader was not sure of, waiting for a person.",
        params={"review": "str, optional: only this review's queue"},
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
