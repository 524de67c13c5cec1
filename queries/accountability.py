"""Accountability: agency_load and outstanding_actions.

An action is **open** when its status is `not_started` or `in_progress` (not `completed` or
`cancelled`), and **overdue** when it is open and its due date is before `as_of` (default
today); `days_overdue` counts the days from the due date to `as_of`. A recommendation is open
when its status starts with `open_`, closed when it starts with `closed_`. Only
recommendations and actions whose review the viewer may see count; years are review years.

A **response** is awaited when a recommendation's status is `open_awaiting_response` and a
date it is owed by is recorded (`response_due`: a coroner's PFD report's receivers owe one
within 56 days of the report's date); it is **overdue** when that date is before `as_of`.
`outstanding_actions` lists the awaited responses beside the open actions; `kind` (one of
REVIEW_TYPES) keeps only those of reviews of that kind.
"""

# The SQL here is constant text and fragments of queries._sql; values travel as parameters.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Final

from graph_schema import REVIEW_TYPES, SECTORS, Label, RelType
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import (
    OPEN_ACTION_STATUSES,
    Params,
    QueryParamError,
    as_date,
    check_years,
    days_overdue,
    in_years,
    kind_param,
    load_cypher,
)
from queries._sql import IN_IDS, ends, ids_param, params_with, reading, vis_sql
from queries.base import Query, Viewer, register

AGENCY_LOAD = "agency_load"
OUTSTANDING = "outstanding_actions"
AGENCY_CYPHER = load_cypher(AGENCY_LOAD)
AWAITING: Final = "open_awaiting_response"

# outstanding_actions on Neo4j: a head that starts from the end the filters fix (a board, an
# owner, or else every open action by the status index), then the tail in the .cypher file,
# which applies every filter. Nodes reached by a relationship carry no label: the type fixes
# it, and a label invites a plan cached on a small graph to seek by index instead of expanding
# (see graph_store.neo4j_store). Each head binds the same variables, so answers do not depend
# on which one runs.
_ACTION_HEADS: Final = {
    "board": "MATCH (b:Board {id: $board})-[:COMMISSIONED]->(rv)-[:MAKES]->(r)"
    "<-[:RESPONDS_TO]-(ac)\nWHERE ac.status IN $open\nOPTIONAL MATCH (ac)-[:OWNED_BY]->(o)\n",
    "agency": "MATCH (o:Agency {id: $agency})<-[:OWNED_BY]-(ac)\nWHERE ac.status IN $open\n"
    "MATCH (ac)-[:RESPONDS_TO]->(r)<-[:MAKES]-(rv)\nOPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)\n",
    "all": "MATCH (ac:Action)\nWHERE ac.status IN $open\n"
    "MATCH (ac)-[:RESPONDS_TO]->(r)<-[:MAKES]-(rv)\nOPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)\n"
    "OPTIONAL MATCH (ac)-[:OWNED_BY]->(o)\n",
}
_RESPONSE_HEADS: Final = {
    "board": "MATCH (b:Board {id: $board})-[:COMMISSIONED]->(rv)-[:MAKES]->(r)\n",
    "agency": "MATCH (:Agency {id: $agency})<-[:ADDRESSED_TO]-(r)<-[:MAKES]-(rv)\n"
    "OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)\n",
    "all": f"MATCH (r:Recommendation)<-[:MAKES]-(rv)\nWHERE r.status = '{AWAITING}'\n"
    "OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)\n",
}
_ACTIONS_TAIL = load_cypher(OUTSTANDING)
_RESPONSES_TAIL = load_cypher("outstanding_responses")
# One statement a head: the open actions, then the awaited responses.
OUTSTANDING_CYPHER: Final = {
    k: f"RETURN COLLECT {{\n{_ACTION_HEADS[k]}{_ACTIONS_TAIL}}} AS actions,\n"
    f"COLLECT {{\n{_RESPONSE_HEADS[k]}{_RESPONSES_TAIL}}} AS responses"
    for k in _ACTION_HEADS
}


def response_days_overdue(status: Any, due: Any, as_of: dt.date) -> int:
    """Days past a response's due date while it is awaited (0 if answered or not yet due)."""
    if status != AWAITING:
        return 0
    d = as_date(due)
    if d is None or d >= as_of:
        return 0
    return (as_of - d).days


# -- agency_load ------------------------------------------------------------------------------


def _load_params(params: Mapping[str, Any]) -> dict[str, Any]:
    p = Params(AGENCY_LOAD, params)
    agency, sector = p.str_("agency"), p.str_("sector")
    if (agency is None) == (sector is None):
        raise QueryParamError.about(
            AGENCY_LOAD, lambda n: f"give exactly one of {n('agency')} or {n('sector')}"
        )
    if sector is not None and sector not in SECTORS:
        raise QueryParamError.about(
            AGENCY_LOAD, lambda n: f"{n('sector')}={sector!r} is not one of {', '.join(SECTORS)}"
        )
    year_from, year_to = p.int_("year_from"), p.int_("year_to")
    check_years(p, year_from, year_to)
    return {
        "agency": agency,
        "sector": sector,
        "year_from": year_from,
        "year_to": year_to,
        "as_of": p.date_("as_of"),
    }


def _load_shape(
    agencies: list[dict[str, Any]],
    recs: Iterable[Mapping[str, Any]],
    actions: Iterable[Mapping[str, Any]],
    args: Mapping[str, Any],
) -> dict[str, Any]:
    as_of: dt.date = args["as_of"]
    years: dict[int, dict[str, int]] = defaultdict(
        lambda: {
            "recommendations": 0,
            "open": 0,
            "closed": 0,
            "actions": 0,
            "open_actions": 0,
            "overdue_actions": 0,
        }
    )
    for r in {x["id"]: x for x in recs}.values():
        y = years[r["year"]]
        y["recommendations"] += 1
        status = str(r.get("status") or "")
        y["open"] += status.startswith("open_")
        y["closed"] += status.startswith("closed_")
    overdue = []
    for a in {x["id"]: x for x in actions}.values():
        y = years[a["year"]]
        y["actions"] += 1
        y["open_actions"] += a.get("status") in OPEN_ACTION_STATUSES
        days = days_overdue(a.get("status"), a.get("due_date"), as_of)
        if days:
            y["overdue_actions"] += 1
            overdue.append(
                {"id": a["id"], "year": a["year"], "due_date": a["due_date"], "days_overdue": days}
            )
    by_year = [{"year": y, **years[y]} for y in sorted(k for k in years if k is not None)]
    totals = {
        k: sum(row[k] for row in by_year)
        for k in ("recommendations", "open", "closed", "actions", "open_actions", "overdue_actions")
    }
    return {
        "agency": args["agency"],
        "sector": args["sector"],
        "as_of": as_of.isoformat(),
        "agencies": sorted(agencies, key=lambda a: a["id"]),
        "by_year": by_year,
        "totals": totals,
        "overdue": sorted(overdue, key=lambda o: (-o["days_overdue"], o["id"])),
    }


def agency_load_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _load_params(params)
    cy = {k: args[k] for k in ("agency", "sector", "year_from", "year_to")}
    rows = store.read(AGENCY_CYPHER, {**cy, "statuses": viewer.statuses})
    row = rows[0] if rows else {"agencies": [], "recommendations": [], "actions": []}
    return _load_shape(row["agencies"], row["recommendations"], row["actions"], args)


# The agencies' recommendations and actions with their visible reviews (queries._sql), all the
# agencies in one statement, in the order the graph walk took: agency, then its neighbours by
# id (the table's key order).
# The typed columns (graph_schema.TYPED_COLUMNS), read from their covering indexes without the
# nodes' JSON; a column is NULL where the property is missing or not of its declared type, and
# then `_fill` reads the property from the JSON.
_LOAD_RECS_SQL: Final = (
    "SELECT x.src, m.src, rv.c_year, r.c_status "
    "FROM rels x CROSS JOIN rels m ON m.type = 'MAKES' AND m.dst = x.src "
    "CROSS JOIN nodes rv ON rv.label = 'Review' AND rv.id = m.src "
    "CROSS JOIN nodes r ON r.label = 'Recommendation' AND r.id = x.src "
    f"WHERE x.type = 'ADDRESSED_TO' AND x.dst IN {IN_IDS} AND {vis_sql(Label.REVIEW, 'rv')} "
    "ORDER BY x.dst, x.src, m.src"
)
_LOAD_ACTIONS_SQL: Final = (
    "SELECT o.src, m.src, rv.c_year, ac.c_status, ac.c_due_date "
    "FROM rels o CROSS JOIN rels x ON x.type = 'RESPONDS_TO' AND x.src = o.src "
    "CROSS JOIN rels m ON m.type = 'MAKES' AND m.dst = x.dst "
    "CROSS JOIN nodes rv ON rv.label = 'Review' AND rv.id = m.src "
    "CROSS JOIN nodes ac ON ac.label = 'Action' AND ac.id = o.src "
    f"WHERE o.type = 'OWNED_BY' AND o.dst IN {IN_IDS} AND {vis_sql(Label.REVIEW, 'rv')} "
    "ORDER BY o.dst, o.src, x.dst, m.src"
)
_JSON_PROP_SQL: Final = (
    "SELECT n.id, json_extract(n.props, '$.' || :prop) FROM nodes n "
    f"WHERE n.label = :label AND n.id IN {IN_IDS}"
)


def _fill(cur: Any, rows: list[list[Any]], col: int, key: int, label: Label, prop: str) -> None:
    """Where a row's typed column `col` is NULL, the property from the JSON of node `key`."""
    todo = sorted({str(r[key]) for r in rows if r[col] is None})
    if not todo:
        return
    got = dict(
        cur.execute(_JSON_PROP_SQL, {"prop": prop, "label": label.value, "ids": ids_param(todo)})
    )
    for r in rows:
        if r[col] is None:
            r[col] = got.get(str(r[key]))


_LOAD_AGENCIES_SQL: Final = (
    "SELECT n.id, json_extract(n.props, '$.name'), json_extract(n.props, '$.sector') "
    "FROM nodes n WHERE n.label = 'Agency' AND (n.id = :agency OR (:sector IS NOT NULL "
    f"AND :sector != '' AND json_extract(n.props, '$.sector') = :sector)) "
    f"AND {vis_sql(Label.AGENCY)} ORDER BY n.id"
)


def agency_load_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    """From SQL. Not from the write-time aggregates: they carry no agency, and what is overdue
    depends on `as_of`, which only the actions' own due dates can answer."""
    args = _load_params(params)
    yf, yt = args["year_from"], args["year_to"]
    agencies: list[dict[str, Any]] = []
    recs: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    with reading(store) as cur:
        sp = params_with(viewer, {"agency": args["agency"], "sector": args["sector"]})
        for aid, name, sector in cur.execute(_LOAD_AGENCIES_SQL, sp).fetchall():
            agencies.append({"id": aid, "name": name, "sector": sector})
        ap = params_with(viewer, {"ids": ids_param(a["id"] for a in agencies)})
        rows = [list(r) for r in cur.execute(_LOAD_RECS_SQL, ap)]
        _fill(cur, rows, 2, 1, Label.REVIEW, "year")
        _fill(cur, rows, 3, 0, Label.RECOMMENDATION, "status")
        for r, _, year, status in rows:
            if in_years(year, yf, yt):
                recs.append({"id": r, "year": year, "status": status})
        rows = [list(r) for r in cur.execute(_LOAD_ACTIONS_SQL, ap)]
        _fill(cur, rows, 2, 1, Label.REVIEW, "year")
        _fill(cur, rows, 3, 0, Label.ACTION, "status")
        _fill(cur, rows, 4, 0, Label.ACTION, "due_date")
        for ac, _, year, status, due in rows:
            if in_years(year, yf, yt):
                actions.append({"id": ac, "year": year, "status": status, "due_date": due})
    return _load_shape(agencies, recs, actions, args)


register(
    Query(
        name=AGENCY_LOAD,
        description=(
            "Recommendations addressed to an agency (or every agency in a sector) per year, "
            "open against closed, and the actions those agencies own, open and overdue."
        ),
        params={
            "agency": "str: agency id (or give sector)",
            "sector": f"str: sector key, one of {', '.join(SECTORS)} (or give agency)",
            "year_from": "int, optional: first review year",
            "year_to": "int, optional: last review year",
            "as_of": "ISO date, default today: overdue means due before this",
        },
        cypher=AGENCY_CYPHER,
        neo4j=agency_load_neo4j,
        embedded=agency_load_embedded,
    )
)


# -- outstanding_actions ------------------------------------------------------------------------


def _out_params(params: Mapping[str, Any]) -> dict[str, Any]:
    p = Params(OUTSTANDING, params)
    limit = p.int_("limit")
    if limit is not None and limit < 1:
        raise QueryParamError.about(
            OUTSTANDING, lambda n: f"{n('limit')}={limit} must be 1 or more"
        )
    return {
        "board": p.str_("board"),
        "agency": p.str_("agency"),
        "kind": kind_param(p, OUTSTANDING),
        "as_of": p.date_("as_of"),
        "limit": limit,
    }


def _action_order(a: Mapping[str, Any]) -> tuple[int, str, str]:
    # Most overdue first; then soonest due (undated last); then id.
    return (-int(a["days_overdue"]), str(a.get("due_date") or "9999-99-99"), str(a["id"]))


def _out_shape(
    actions: Iterable[Mapping[str, Any]],
    responses: Iterable[Mapping[str, Any]],
    args: Mapping[str, Any],
) -> dict[str, Any]:
    as_of: dt.date = args["as_of"]
    awaited: dict[str, dict[str, Any]] = {}
    for x in sorted(responses, key=lambda x: json.dumps(x, sort_keys=True, default=str)):
        if str(x["id"]) not in awaited:
            days = response_days_overdue(AWAITING, x.get("response_due"), as_of)
            awaited[str(x["id"])] = {
                **x,
                "agencies": sorted(x.get("agencies") or []),
                "overdue": days > 0,
                "days_overdue": days,
            }
    answers = sorted(
        awaited.values(),
        key=lambda r: (-int(r["days_overdue"]), str(r["response_due"]), str(r["id"])),
    )
    rows = []
    first: dict[str, Mapping[str, Any]] = {}
    for x in sorted(actions, key=lambda x: json.dumps(x, sort_keys=True, default=str)):
        first.setdefault(str(x["id"]), x)
    for a in first.values():
        days = days_overdue(a.get("status"), a.get("due_date"), as_of)
        rows.append({**a, "overdue": days > 0, "days_overdue": days})
    rows.sort(key=_action_order)
    limit = args["limit"]
    return {
        "board": args["board"],
        "agency": args["agency"],
        "as_of": as_of.isoformat(),
        "kind": args["kind"],
        "open": len(rows),
        "overdue": sum(1 for r in rows if r["overdue"]),
        "actions": rows[:limit] if limit else rows,
        "responses_awaited": len(answers),
        "responses_overdue": sum(1 for r in answers if r["overdue"]),
        "responses": answers[:limit] if limit else answers,
    }


def _head(args: Mapping[str, Any]) -> str:
    """Which head of `_ACTION_HEADS` / `_RESPONSE_HEADS` starts from the most selective end."""
    return "board" if args["board"] else "agency" if args["agency"] else "all"


def outstanding_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _out_params(params)
    cypher_params = {
        "board": args["board"],
        "agency": args["agency"],
        "kind": args["kind"],
        "statuses": viewer.statuses,
        "open": list(OPEN_ACTION_STATUSES),
    }
    row = store.read(OUTSTANDING_CYPHER[_head(args)], cypher_params)[0]
    return _out_shape(row["actions"], row["responses"], args)


# The open actions' rows, from whichever end the filters fix: a board, an owner, or else
# every open action (by the status index). Each row: one action, owner, recommendation,
# review and board (a missing owner or board is a row with NULL there).
_OPEN = "(" + ", ".join(f"'{s}'" for s in OPEN_ACTION_STATUSES) + ")"
_OUT_SELECT = (
    "SELECT a.id, json_extract(a.props, '$.description'), json_extract(a.props, '$.status'), "
    "json_extract(a.props, '$.due_date'), o.dst, json_extract(g.props, '$.name'), x.dst, "
    "json_extract(rc.props, '$.number'), r.id, json_extract(r.props, '$.year'), c.src, "
    "json_extract(b.props, '$.name') "
)
_OUT_REC_UP = (
    "CROSS JOIN nodes rc ON rc.label = 'Recommendation' AND rc.id = x.dst "
    "CROSS JOIN rels m ON m.type = 'MAKES' AND m.dst = x.dst "
    "CROSS JOIN nodes r ON r.label = 'Review' AND r.id = m.src "
)
_OUT_FROM: Final[dict[str, str]] = {
    "board": "FROM rels c CROSS JOIN nodes r ON r.label = 'Review' AND r.id = c.dst "
    "CROSS JOIN rels m ON m.type = 'MAKES' AND m.src = r.id "
    "CROSS JOIN rels x ON x.type = 'RESPONDS_TO' AND x.dst = m.dst "
    "CROSS JOIN nodes a ON a.label = 'Action' AND a.id = x.src "
    "CROSS JOIN nodes rc ON rc.label = 'Recommendation' AND rc.id = x.dst "
    "LEFT JOIN rels o ON o.type = 'OWNED_BY' AND o.src = a.id "
    "LEFT JOIN nodes g ON g.label = 'Agency' AND g.id = o.dst "
    "LEFT JOIN nodes b ON b.label = 'Board' AND b.id = c.src "
    "WHERE c.type = 'COMMISSIONED' AND c.src = :board",
    "agency": "FROM rels o CROSS JOIN nodes a ON a.label = 'Action' AND a.id = o.src "
    "CROSS JOIN rels x ON x.type = 'RESPONDS_TO' AND x.src = a.id "
    + _OUT_REC_UP
    + "LEFT JOIN rels c ON c.type = 'COMMISSIONED' AND c.dst = r.id "
    "LEFT JOIN nodes b ON b.label = 'Board' AND b.id = c.src "
    "LEFT JOIN nodes g ON g.label = 'Agency' AND g.id = o.dst "
    "WHERE o.type = 'OWNED_BY' AND o.dst = :agency",
    "all": "FROM nodes a CROSS JOIN rels x ON x.type = 'RESPONDS_TO' AND x.src = a.id "
    + _OUT_REC_UP
    + "LEFT JOIN rels c ON c.type = 'COMMISSIONED' AND c.dst = r.id "
    "LEFT JOIN nodes b ON b.label = 'Board' AND b.id = c.src "
    "LEFT JOIN rels o ON o.type = 'OWNED_BY' AND o.src = a.id "
    "LEFT JOIN nodes g ON g.label = 'Agency' AND g.id = o.dst "
    f"WHERE a.label = 'Action' AND a.c_status IN {_OPEN}",
}
_OUT_FIELDS = (
    "id",
    "description",
    "status",
    "due_date",
    "owner_agency_id",
    "owner_name",
    "recommendation_id",
    "recommendation_number",
    "review_id",
    "year",
    "board_id",
    "board_name",
)
_RESPONSES_SQL = (
    "SELECT rc.id, json_extract(rc.props, '$.number'), json_extract(rc.props, '$.response_due'), "
    "r.id, json_extract(r.props, '$.review_type'), json_extract(r.props, '$.year'), c.src, "
    "json_extract(b.props, '$.name') FROM nodes rc "
    "CROSS JOIN rels m ON m.type = 'MAKES' AND m.dst = rc.id "
    "CROSS JOIN nodes r ON r.label = 'Review' AND r.id = m.src "
    "LEFT JOIN rels c ON c.type = 'COMMISSIONED' AND c.dst = r.id "
    "LEFT JOIN nodes b ON b.label = 'Board' AND b.id = c.src "
    f"WHERE rc.label = 'Recommendation' AND rc.c_status = '{AWAITING}' "
    "AND json_extract(rc.props, '$.response_due') IS NOT NULL "
    f"AND {vis_sql(Label.REVIEW, 'r')}"
)
_RESPONSE_FIELDS = (
    "id",
    "number",
    "response_due",
    "review_id",
    "review_type",
    "year",
    "board_id",
    "board_name",
)


def outstanding_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _out_params(params)
    p = params_with(viewer, {k: args[k] for k in ("board", "agency", "kind")})
    start = "board" if args["board"] is not None else "agency" if args["agency"] else "all"
    where = [_OUT_FROM[start], f"a.c_status IN {_OPEN}", vis_sql(Label.REVIEW, "r")]
    resp = [_RESPONSES_SQL]
    if args["kind"] is not None:
        where.append("r.c_review_type = :kind")
        resp.append("r.c_review_type = :kind")
    if args["board"] is not None:
        resp.append("c.src = :board")
    if args["agency"] is not None:
        where.append("o.dst = :agency")
        resp.append(
            "EXISTS (SELECT 1 FROM rels ad WHERE ad.type = 'ADDRESSED_TO' AND ad.src = rc.id "
            "AND ad.dst = :agency)"
        )
    with reading(store) as cur:
        actions = [
            dict(zip(_OUT_FIELDS, row, strict=True))
            for row in cur.execute(_OUT_SELECT + " AND ".join(where), p)
        ]
        responses = [
            dict(zip(_RESPONSE_FIELDS, row, strict=True))
            for row in cur.execute(" AND ".join(resp), p)
        ]
        addressed = ends(cur, RelType.ADDRESSED_TO, sorted({r["id"] for r in responses}))
    for r in responses:
        r["agencies"] = sorted(addressed.get(r["id"], []))
    return _out_shape(actions, responses, args)


register(
    Query(
        name=OUTSTANDING,
        description=(
            "Open actions (not completed or cancelled), optionally for one board or owner "
            "agency, with days overdue as of a date; most overdue first, then soonest due; and "
            "the responses awaited by a date (PFD reports' concerns), most overdue first."
        ),
        params={
            "board": "str, optional: board id (of the recommendation's review)",
            "agency": "str, optional: owner agency id (of a response: an addressee)",
            "kind": f"str, optional: review kind, one of {', '.join(REVIEW_TYPES)}",
            "as_of": "ISO date, default today",
            "limit": "int, optional: at most this many actions and responses (counts cover all)",
        },
        cypher=OUTSTANDING_CYPHER["all"],
        extra_cypher={k: c for k, c in OUTSTANDING_CYPHER.items() if k != "all"},
        neo4j=outstanding_neo4j,
        embedded=outstanding_embedded,
    )
)
