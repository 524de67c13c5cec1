"""trace_recommendation: a recommendation's whole life, for an inspector, in one round trip.

The recommendation and a stable citation of it (review id, number, location), its review and
board, the agencies it addresses, its themes; each action
(owner, due date, status, completion date) with its audits in time order and a verdict; the
recommendation's impact verdict; and later reviews in the same board (or a board that
succeeded it) that raise one of its themes. Besides, `nodes`: the rows of its themes, later
reviews and their boards by label, so that the API's answer needs no second read.

A recommendation whose review the viewer may not see is reported as not found (None). Raw
provenance (source file, line, load run) is there only for viewers who may see every review.
"""

# The SQL here is constant text and fragments of queries._sql; values travel as parameters.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_schema import Label, RelType
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import Params, load_cypher
from queries._sql import (
    IN_IDS,
    ends,
    ids_param,
    nodes_by_id,
    params_with,
    props_of,
    reading,
    vis_sql,
)
from queries.base import Query, Viewer, register

NAME = "trace_recommendation"
CYPHER = load_cypher(NAME)


def impact_verdict(ratings: Sequence[str]) -> str:
    """The verdict from audit ratings in time order.

    `not_audited` without audits; `slipped_back` when the latest audit is not `embedded` but an
    earlier one was; otherwise the latest audit's rating.
    """
    if not ratings:
        return "not_audited"
    last = ratings[-1]
    if last != "embedded" and "embedded" in ratings[:-1]:
        return "slipped_back"
    return last


def _audit_key(a: Mapping[str, Any]) -> tuple[str, str]:
    return (str(a.get("date") or ""), str(a.get("id") or ""))


def citation(rec: Mapping[str, Any]) -> str:
    """A stable reference to the recommendation: its review, number and place in the report.

    It names nothing but the recommendation's own review, so unlike a source line number it
    says nothing about records the viewer cannot see.
    """
    bits = [str(rec.get("review_id") or ""), f"recommendation {rec.get('number') or '?'}"]
    if rec.get("location"):
        bits.append(str(rec["location"]))
    return ", ".join(bits)


def _rows(
    themes: Sequence[Mapping[str, Any]], later: Sequence[Mapping[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of the themes, later reviews and their boards that the answer names by key,
    by label, each once: its themes and boards by id, its later reviews oldest first.

    All are visible to the viewer (later reviews are read by status; a board that commissioned
    a visible review, and any theme, is visible), so an API answer may take them for what a
    lookup by key would give and need no second read.
    """
    reviews: dict[str, dict[str, Any]] = {}
    boards: dict[str, dict[str, Any]] = {}
    for lr in later:
        reviews.setdefault(str(lr["id"]), dict(lr["review"]))
        boards.setdefault(str(lr["board_id"]), dict(lr["board"]))
    return {
        Label.THEME.value: sorted((dict(t) for t in themes), key=lambda t: str(t["id"])),
        Label.REVIEW.value: list(reviews.values()),
        Label.BOARD.value: [boards[k] for k in sorted(boards)],
    }


def _shape(raw: Mapping[str, Any]) -> dict[str, Any]:
    actions = []
    all_audits: list[Mapping[str, Any]] = []
    for item in sorted(raw["actions"], key=lambda x: str(x["action"]["id"])):
        audits = sorted(item["audits"], key=_audit_key)
        all_audits.extend(audits)
        owners = item["owner"]
        actions.append(
            {
                **item["action"],
                "owner": owners[0] if owners else None,
                "audits": audits,
                "verdict": impact_verdict([str(a.get("rating")) for a in audits]),
            }
        )
    all_audits.sort(key=_audit_key)
    later_rows = sorted(raw["later_reviews"], key=lambda x: (x["year"], x["id"]))
    later = [
        {
            **{k: v for k, v in lr.items() if k not in ("review", "board")},
            "themes": sorted(lr["themes"]),
        }
        for lr in later_rows
    ]
    return {
        "recommendation": raw["recommendation"],
        "citation": citation(raw["recommendation"]),
        "review": raw["review"],
        "board": raw["board"],
        "agencies": sorted(raw["agencies"], key=lambda a: str(a["id"])),
        "themes": sorted(str(t["id"]) for t in raw["themes"]),
        "actions": actions,
        "verdict": impact_verdict([str(a.get("rating")) for a in all_audits]),
        "later_reviews": later,
        "nodes": _rows(raw["themes"], later_rows),
    }


def _id(params: Mapping[str, Any]) -> str:
    return Params(NAME, params).req_str("id")


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    rows = store.read(CYPHER, {"id": _id(params), "statuses": viewer.statuses})
    if not rows:
        return None
    row = rows[0]
    return _shape(
        {
            "recommendation": row["recommendation"],
            "review": row["review"],
            "board": row["board"],
            "agencies": row["agencies"],
            "themes": row["themes"],
            "actions": row["actions"],
            "later_reviews": row["later_reviews"],
        }
    )


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    rid = _id(params)
    p = params_with(viewer, {"id": rid})
    with reading(store) as cur:
        row = cur.execute(
            "SELECT props FROM nodes WHERE label = 'Recommendation' AND id = :id", p
        ).fetchone()
        if row is None:
            return None
        rec = props_of(row[0])
        # The first of its reviews (by id) the viewer may see.
        row = cur.execute(
            "SELECT r.id, r.props FROM rels m CROSS JOIN nodes r ON r.label = 'Review' "
            f"AND r.id = m.src WHERE m.type = 'MAKES' AND m.dst = :id AND {vis_sql(Label.REVIEW, 'r')} "
            "ORDER BY m.src LIMIT 1",
            p,
        ).fetchone()
        if row is None:
            return None
        rv_id, review = str(row[0]), props_of(row[1])
        boards = sorted(ends(cur, RelType.COMMISSIONED, [rv_id], outgoing=False).get(rv_id, []))
        board_id = boards[0] if boards else None
        themes = set(ends(cur, RelType.TAGGED, [rid]).get(rid, []))
        themes_p = nodes_by_id(cur, Label.THEME, sorted(themes))
        action_ids = ends(cur, RelType.RESPONDS_TO, [rid], outgoing=False).get(rid, [])
        actions_p = nodes_by_id(cur, Label.ACTION, action_ids)
        owners = ends(cur, RelType.OWNED_BY, action_ids)
        audits = ends(cur, RelType.CHECKS, action_ids, outgoing=False)
        addressed = ends(cur, RelType.ADDRESSED_TO, [rid]).get(rid, [])
        agencies_p = nodes_by_id(
            cur, Label.AGENCY, sorted({*addressed, *(o for os in owners.values() for o in os)})
        )
        audits_p = nodes_by_id(cur, Label.AUDIT, sorted({a for x in audits.values() for a in x}))
        board = nodes_by_id(cur, Label.BOARD, [board_id]).get(board_id, {}) if board_id else None
        later: list[dict[str, Any]] = []
        year = review.get("year")
        if board_id is not None and isinstance(year, int) and themes:
            # Reviews the viewer may see, later than this one, of the board or a board that
            # succeeded it (SUCCEEDED_BY, followed any number of times), raising its themes.
            for lb, lr, props, ly, theme in cur.execute(
                "WITH RECURSIVE s(b) AS (SELECT :board UNION SELECT x.dst FROM s "
                "CROSS JOIN rels x ON x.type = 'SUCCEEDED_BY' AND x.src = s.b) "
                "SELECT c.src, r.id, r.props, r.c_year, t.dst "
                "FROM s CROSS JOIN rels c ON c.type = 'COMMISSIONED' AND c.src = s.b "
                "CROSS JOIN nodes r ON r.label = 'Review' AND r.id = c.dst "
                "CROSS JOIN rels t ON t.type = 'RAISES' AND t.src = r.id "
                f"WHERE {vis_sql(Label.REVIEW, 'r')} AND r.c_year > :year "
                f"AND t.dst IN {IN_IDS} ORDER BY c.src, r.id, t.dst",
                {**p, "board": board_id, "year": year, "ids": ids_param(sorted(themes))},
            ):
                if later and later[-1]["id"] == lr and later[-1]["board_id"] == lb:
                    later[-1]["themes"].append(theme)
                else:
                    review_p = props_of(props)
                    later.append(
                        {
                            "id": lr,
                            "title": review_p.get("title"),
                            "year": ly,
                            "board_id": lb,
                            "themes": [theme],
                            "review": review_p,
                        }
                    )
            later_boards = nodes_by_id(
                cur, Label.BOARD, sorted({str(x["board_id"]) for x in later})
            )
            for x in later:
                x["board"] = later_boards.get(str(x["board_id"]), {})
    return _shape(
        {
            "recommendation": rec,
            "review": review,
            "board": board,
            "agencies": [agencies_p.get(a, {}) for a in addressed],
            "themes": [themes_p[t] for t in sorted(themes) if t in themes_p],
            "actions": [
                {
                    "action": actions_p.get(aid, {}),
                    "owner": [agencies_p.get(o, {}) for o in sorted(owners.get(aid, []))],
                    "audits": [audits_p.get(au, {}) for au in audits.get(aid, [])],
                }
                for aid in action_ids
            ],
            "later_reviews": later,
        }
    )


QUERY = register(
    Query(
        name=NAME,
        description=(
            "A recommendation's review, board, agencies and themes; its actions with their "
            "audits in time order; its impact verdict (not_audited, embedded, "
            "partially_embedded, not_embedded, slipped_back); and later reviews in the same "
            "board or its successors that raise the same themes; `nodes`: the rows of its "
            "themes, later reviews and their boards, by label. None if not visible."
        ),
        params={"id": "str, required: the recommendation id"},
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
