"""theme_recurrence: where and when one theme is raised, its trend, and recurrence after closure.

Counts come from visible reviews that RAISE the theme and from recommendations TAGGED with it
(counted by their review's year and board). `trend` is the least-squares slope of review counts
per year over the whole range (years without reviews count as 0), rounded to 4 places.

A **recurrence-after-closure event** is one pair (closed recommendation, later review):
- the recommendation is on the theme (TAGGED), made by a visible review in board B, and was
  closed as acted on or audited as embedded, that is:
  - `closed_acted_on`: its status is in `graph_schema.CLOSED_ACTED_ON`; the closure year is the
    year of its latest completed action's completion date, or its review's year if none;
  - `audited_embedded`: an audit of one of its actions rated it `embedded`; the closure year is
    the year of the earliest such audit;
  - when both hold, the earlier closure year wins (`closed_acted_on` on a tie);
- the later review is visible, commissioned by B or by a board that succeeded B
  (SUCCEEDED_BY, any depth), raises the theme, and was published in a year after the
  closure year.
`boards` filters B; `year_from`/`year_to` filter the later review's year; `kind` (one of
REVIEW_TYPES) counts only reviews of that document kind, everywhere.
The record: board_id (B), recommendation_id, recommendation_status, basis, closed_year,
review_id, review_year, review_board_id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from graph_schema import CLOSED_ACTED_ON, Label, RelType
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import G, Params, check_years, in_years, kind_param, load_cypher, year_of
from queries.base import Query, Viewer, register

NAME = "theme_recurrence"
CYPHER = load_cypher(NAME)


def slope(ys: Sequence[float]) -> float:
    """Least-squares slope of ys against 0..n-1 (0.0 for fewer than two points)."""
    n = len(ys)
    if n < 2:
        return 0.0
    mx = (n - 1) / 2
    my = sum(ys) / n
    num = sum((i - mx) * (y - my) for i, y in enumerate(ys))
    den = sum((i - mx) ** 2 for i in range(n))
    return round(num / den, 4) + 0.0


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    p = Params(NAME, params)
    year_from, year_to = p.int_("year_from"), p.int_("year_to")
    check_years(p, year_from, year_to)
    return {
        "theme": p.req_str("theme"),
        "year_from": year_from,
        "year_to": year_to,
        "boards": p.str_list("boards"),
        "kind": kind_param(p, NAME),
    }


def _shape(
    theme: Mapping[str, Any] | None,
    reviews: list[dict[str, Any]],
    recs: list[dict[str, Any]],
    events: list[dict[str, Any]],
    args: Mapping[str, Any],
) -> dict[str, Any] | None:
    if theme is None:
        return None
    seen = sorted({f["year"] for f in reviews} | {f["year"] for f in recs})
    y0 = args["year_from"] if args["year_from"] is not None else (seen[0] if seen else None)
    y1 = args["year_to"] if args["year_to"] is not None else (seen[-1] if seen else None)
    years = list(range(y0, y1 + 1)) if y0 is not None and y1 is not None else []
    rv_year: dict[int, int] = defaultdict(int)
    rec_year: dict[int, int] = defaultdict(int)
    boards: dict[str, dict[str, Any]] = {}

    def board(f: Mapping[str, Any]) -> dict[str, Any]:
        return boards.setdefault(
            f["board_id"],
            {
                "board_id": f["board_id"],
                "board_name": f["board_name"],
                "reviews": 0,
                "recommendations": 0,
                "first_year": None,
                "last_year": None,
            },
        )

    for f in reviews:
        rv_year[f["year"]] += 1
        b = board(f)
        b["reviews"] += 1
        b["first_year"] = f["year"] if b["first_year"] is None else min(b["first_year"], f["year"])
        b["last_year"] = f["year"] if b["last_year"] is None else max(b["last_year"], f["year"])
    for f in recs:
        rec_year[f["year"]] += 1
        board(f)["recommendations"] += 1
    review_years = sorted(rv_year)
    uniq = {tuple(sorted(e.items())): e for e in events}
    return {
        "theme": dict(theme),
        "year_from": y0,
        "year_to": y1,
        "reviews": len(reviews),
        "recommendations": len(recs),
        "boards": sum(1 for b in boards.values() if b["reviews"]),
        "first_seen": review_years[0] if review_years else None,
        "last_seen": review_years[-1] if review_years else None,
        "trend": slope([rv_year.get(y, 0) for y in years]),
        "by_year": [
            {"year": y, "reviews": rv_year.get(y, 0), "recommendations": rec_year.get(y, 0)}
            for y in years
        ],
        "by_board": sorted(boards.values(), key=lambda b: (-b["reviews"], b["board_id"])),
        "recurrence_after_closure": sorted(
            uniq.values(),
            key=lambda e: (e["review_year"], e["review_id"], e["board_id"], e["recommendation_id"]),
        ),
    }


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    rows = store.read(
        CYPHER, {**args, "statuses": viewer.statuses, "closed_acted_on": list(CLOSED_ACTED_ON)}
    )
    if not rows:
        return None
    row = rows[0]
    return _shape(row["theme"], row["reviews"], row["recommendations"], row["events"], args)


def closure(
    status: Any, review_year: int, done: Sequence[str], embedded: Sequence[str]
) -> tuple[str, int] | None:
    """(basis, closure year) for a recommendation, or None if it was never closed."""
    closed_year = None
    if status in CLOSED_ACTED_ON:
        closed_year = year_of(max(done)) if done else None
        if closed_year is None:
            closed_year = review_year
    audit_year = year_of(min(embedded)) if embedded else None
    if closed_year is None and audit_year is None:
        return None
    if audit_year is None or (closed_year is not None and closed_year <= audit_year):
        assert closed_year is not None
        return ("closed_acted_on", closed_year)
    return ("audited_embedded", audit_year)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    g = G(store, viewer)
    tid = args["theme"]
    theme = g.props(Label.THEME, tid)
    if theme is None:
        return None
    y0, y1, only = args["year_from"], args["year_to"], args["boards"]

    def board_ok(b: str) -> bool:
        return only is None or b in only

    def kind_ok(p: Mapping[str, Any]) -> bool:
        return args["kind"] is None or p.get("review_type") == args["kind"]

    reviews, recs, events = [], [], []
    for rv in sorted(g.into(Label.THEME, tid, RelType.RAISES)):
        p = g.props(Label.REVIEW, rv) or {}
        if not g.review_visible(rv) or not in_years(p.get("year"), y0, y1) or not kind_ok(p):
            continue
        for b in g.boards_of_review(rv):
            if board_ok(b):
                bp = g.props(Label.BOARD, b) or {}
                reviews.append(
                    {"id": rv, "year": p.get("year"), "board_id": b, "board_name": bp.get("name")}
                )
    for r in sorted(g.into(Label.THEME, tid, RelType.TAGGED)):
        for rv in g.reviews_of_rec(r):
            p = g.props(Label.REVIEW, rv) or {}
            if not g.review_visible(rv) or not kind_ok(p):
                continue
            for b in g.boards_of_review(rv):
                if not board_ok(b):
                    continue
                bp = g.props(Label.BOARD, b) or {}
                if in_years(p.get("year"), y0, y1):
                    recs.append(
                        {
                            "id": r,
                            "year": p.get("year"),
                            "board_id": b,
                            "board_name": bp.get("name"),
                        }
                    )
                rp = g.props(Label.RECOMMENDATION, r) or {}
                done, embedded = [], []
                for a in g.into(Label.RECOMMENDATION, r, RelType.RESPONDS_TO):
                    ap = g.props(Label.ACTION, a) or {}
                    if ap.get("status") == "completed" and ap.get("completed_date") is not None:
                        done.append(str(ap["completed_date"]))
                    for au in g.into(Label.ACTION, a, RelType.CHECKS):
                        aup = g.props(Label.AUDIT, au) or {}
                        if aup.get("rating") == "embedded" and aup.get("date") is not None:
                            embedded.append(str(aup["date"]))
                c = closure(rp.get("status"), p.get("year"), done, embedded)  # type: ignore[arg-type]
                if c is None:
                    continue
                basis, cyear = c
                for lb in g.successors(b):
                    for lr in g.out(Label.BOARD, lb, RelType.COMMISSIONED):
                        lp = g.props(Label.REVIEW, lr) or {}
                        ly = lp.get("year")
                        if (
                            g.review_visible(lr)
                            and kind_ok(lp)
                            and isinstance(ly, int)
                            and ly > cyear
                            and in_years(ly, y0, y1)
                            and tid in set(g.out(Label.REVIEW, lr, RelType.RAISES))
                        ):
                            events.append(
                                {
                                    "board_id": b,
                                    "recommendation_id": r,
                                    "recommendation_status": rp.get("status"),
                                    "basis": basis,
                                    "closed_year": cyear,
                                    "review_id": lr,
                                    "review_year": ly,
                                    "review_board_id": lb,
                                }
                            )
    t = {k: theme.get(k) for k in ("id", "label", "category", "kind")}
    return _shape(t, reviews, recs, events, args)


QUERY = register(
    Query(
        name=NAME,
        description=(
            "One theme over time: reviews and recommendations per year and per board, number "
            "of boards, first and last seen, trend (least-squares slope of reviews per year), "
            "and recurrence-after-closure events. None if the theme does not exist."
        ),
        params={
            "theme": "str, required: theme key",
            "year_from": "int, optional: first year (default: first year seen)",
            "year_to": "int, optional: last year (default: last year seen)",
            "boards": "list[str] or comma-separated, optional: board ids",
            "kind": "str, optional: review kind (one of graph_schema.REVIEW_TYPES)",
        },
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
