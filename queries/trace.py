"""trace_recommendation: a recommendation's whole life, for an inspector, in one round trip.

The recommendation and a stable citation of it (review id, number, location), its review and
board, the agencies it addresses, its themes; each action
(owner, due date, status, completion date) with its audits in time order and a verdict; the
recommendation's impact verdict; and later reviews in the same board (or a board that
succeeded it) that raise one of its themes.

A recommendation whose review the viewer may not see is reported as not found (None). Raw
provenance (source file, line, load run) is there only for viewers who may see every review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph_schema import Label, RelType
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import G, Params, load_cypher
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
    later = [
        {**lr, "themes": sorted(lr["themes"])}
        for lr in sorted(raw["later_reviews"], key=lambda x: (x["year"], x["id"]))
    ]
    return {
        "recommendation": raw["recommendation"],
        "citation": citation(raw["recommendation"]),
        "review": raw["review"],
        "board": raw["board"],
        "agencies": sorted(raw["agencies"], key=lambda a: str(a["id"])),
        "themes": sorted(raw["themes"]),
        "actions": actions,
        "verdict": impact_verdict([str(a.get("rating")) for a in all_audits]),
        "later_reviews": later,
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
    g = G(store, viewer)
    rid = _id(params)
    rec = g.props(Label.RECOMMENDATION, rid)
    if rec is None:
        return None
    rv_id = g.visible_review_of_rec(rid)
    if rv_id is None:
        return None
    review = g.props(Label.REVIEW, rv_id) or {}
    boards = g.boards_of_review(rv_id)
    board_id = boards[0] if boards else None
    themes = set(g.out(Label.RECOMMENDATION, rid, RelType.TAGGED))
    actions = []
    for aid in g.into(Label.RECOMMENDATION, rid, RelType.RESPONDS_TO):
        actions.append(
            {
                "action": dict(g.props(Label.ACTION, aid) or {}),
                "owner": [
                    dict(g.props(Label.AGENCY, o) or {})
                    for o in sorted(g.out(Label.ACTION, aid, RelType.OWNED_BY))
                ],
                "audits": [
                    dict(g.props(Label.AUDIT, au) or {})
                    for au in g.into(Label.ACTION, aid, RelType.CHECKS)
                ],
            }
        )
    later = []
    year = review.get("year")
    if board_id is not None and isinstance(year, int):
        for lb in g.successors(board_id):
            for lr in g.out(Label.BOARD, lb, RelType.COMMISSIONED):
                lp = g.props(Label.REVIEW, lr) or {}
                ly = lp.get("year")
                if not g.review_visible(lr) or not isinstance(ly, int) or ly <= year:
                    continue
                shared = themes & set(g.out(Label.REVIEW, lr, RelType.RAISES))
                if shared:
                    later.append(
                        {
                            "id": lr,
                            "title": lp.get("title"),
                            "year": ly,
                            "board_id": lb,
                            "themes": sorted(shared),
                        }
                    )
    return _shape(
        {
            "recommendation": dict(rec),
            "review": dict(review),
            "board": dict(g.props(Label.BOARD, board_id) or {}) if board_id else None,
            "agencies": [
                dict(g.props(Label.AGENCY, a) or {})
                for a in g.out(Label.RECOMMENDATION, rid, RelType.ADDRESSED_TO)
            ],
            "themes": sorted(themes),
            "actions": actions,
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
            "board or its successors that raise the same themes. None if not visible."
        ),
        params={"id": "str, required: the recommendation id"},
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
