"""corpus_info: what is loaded, so that every view can say when the data is synthetic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph_schema import Label
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import load_cypher
from queries._sql import params_with, props_of, reading, vis_sql
from queries.base import Query, Viewer, register

NAME = "corpus_info"
CYPHER = load_cypher(NAME)
_FIELDS = ("id", "path", "started_at", "finished_at", "taxonomy_version", "synthetic")


def _shape(runs: list[Mapping[str, Any]], viewer: Viewer) -> dict[str, Any]:
    """What the viewer is told of the runs it may know of.

    Load runs finish to the second, so two can tie for "latest": every figure is taken over
    all the runs, never from one picked by order. The data is synthetic if any run says so
    (a briefing over a store that holds the demo corpus must say it); the taxonomy version is
    the highest any run loaded; the load time is the last run's."""
    latest = max(runs, key=lambda r: (r.get("finished_at") or "", r.get("id") or ""), default={})
    versions = [r["taxonomy_version"] for r in runs if r.get("taxonomy_version") is not None]
    out: dict[str, Any] = {
        "loaded": bool(runs),
        "load_runs": len(runs),
        "synthetic": any(bool(r.get("synthetic")) for r in runs),
        "taxonomy_version": max(versions) if versions else None,
        "loaded_at": latest.get("finished_at"),
    }
    if viewer.role == "admin":  # file paths are for operators, not for the public
        out["path"] = latest.get("path")
    return out


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    rows = store.read(CYPHER, {"all": viewer.sees_sources, "statuses": viewer.statuses})
    return _shape(list(rows[0]["runs"]) if rows else [], viewer)


_WROTE_VISIBLE = (
    " AND n.id IN (SELECT json_extract(r.props, '$.load_run') FROM nodes r "  # noqa: S608
    f"WHERE r.label = 'Review' AND {vis_sql(Label.REVIEW, 'r')})"
)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    # Only the runs that last wrote a review the viewer may see.
    where = "" if viewer.sees_sources else _WROTE_VISIBLE
    with reading(store) as cur:
        runs = [
            props_of(p)
            for (p,) in cur.execute(
                f"SELECT n.props FROM nodes n WHERE n.label = :label{where} ORDER BY n.id",  # noqa: S608
                params_with(viewer, {"label": Label.LOAD_RUN.value}),
            )
        ]
    return _shape([{k: r.get(k) for k in _FIELDS} for r in runs], viewer)


QUERY = register(
    Query(
        name=NAME,
        description="What is loaded: how many load runs, the highest taxonomy version, whether "
        "any says it is synthetic, and the last load time; for a viewer who may not see every "
        "review, only the runs that last wrote a review it may see.",
        params={},
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
