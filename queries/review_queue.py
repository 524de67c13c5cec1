"""review_queue: what the document reader was not sure of, waiting for a person.

Items (recommendations, a PFD report's concerns) and documents (reviews) loaded with a
confidence below the threshold carry `review_state: queued` (loaders.extract.confidence)
until a person decides them (gql_api.review_queue). Only items of reviews the viewer may see
are listed, and only reviews the viewer may see: the queue never tells of a hidden review.
"""

# SQL here is built from the schema's closed sets; values travel only as parameters.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from graph_schema import Label, RelType
from graph_store import EmbeddedStore, Neo4jStore, Row
from queries._sql import params_with, prop_sql, props_of, reading, vis_sql
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


# The embedded store's SQL: queued items of visible reviews, and queued visible reviews.
_SQL_ITEMS: Final = f"""
SELECT rv.id, r.props FROM nodes rv
CROSS JOIN rels m ON m.type = '{RelType.MAKES.value}' AND m.src = rv.id
CROSS JOIN nodes r ON r.label = '{Label.RECOMMENDATION.value}' AND r.id = m.dst
WHERE rv.label = '{Label.REVIEW.value}' AND {vis_sql(Label.REVIEW, "rv")}
  AND (:review IS NULL OR rv.id = :review)
  AND {prop_sql(Label.RECOMMENDATION, "review_state", "r")} = 'queued'
"""
_SQL_DOCUMENTS: Final = f"""
SELECT rv.props FROM nodes rv
WHERE rv.label = '{Label.REVIEW.value}' AND {vis_sql(Label.REVIEW, "rv")}
  AND (:review IS NULL OR rv.id = :review)
  AND {prop_sql(Label.REVIEW, "review_state", "rv")} = 'queued'
"""


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    sql_params = params_with(viewer, {"review": params.get("review")})
    with reading(store) as cur:
        items: list[tuple[Row, str]] = [
            (props_of(p), str(rv)) for rv, p in cur.execute(_SQL_ITEMS, sql_params)
        ]
        documents = [props_of(p) for (p,) in cur.execute(_SQL_DOCUMENTS, sql_params)]
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
