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

from graph_schema import Label
from graph_schema.aggregates import RECURRENCE_EVENT, THEME_TALLY
from graph_store import EmbeddedStore, Neo4jStore
from graph_store.aggregates import closure
from queries._common import G, Params, check_years, in_years, kind_param, load_cypher
from queries.base import Query, Viewer, register

__all__ = ["QUERY", "closure", "slope"]

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
    cells: list[dict[str, Any]],
    events: list[dict[str, Any]],
    args: Mapping[str, Any],
) -> dict[str, Any] | None:
    """The answer from theme-tally cells {year, board_id, board_name, reviews, recommendations}
    (already filtered to the viewer, years, boards and kind) and the events."""
    if theme is None:
        return None
    seen = sorted({c["year"] for c in cells})
    y0 = args["year_from"] if args["year_from"] is not None else (seen[0] if seen else None)
    y1 = args["year_to"] if args["year_to"] is not None else (seen[-1] if seen else None)
    years = list(range(y0, y1 + 1)) if y0 is not None and y1 is not None else []
    rv_year: dict[int, int] = defaultdict(int)
    rec_year: dict[int, int] = defaultdict(int)
    boards: dict[str, dict[str, Any]] = {}
    for c in cells:
        b = boards.setdefault(
            c["board_id"],
            {
                "board_id": c["board_id"],
                "board_name": c["board_name"],
                "reviews": 0,
                "recommendations": 0,
                "first_year": None,
                "last_year": None,
            },
        )
        y = c["year"]
        if c["reviews"]:
            rv_year[y] += c["reviews"]
            b["reviews"] += c["reviews"]
            b["first_year"] = y if b["first_year"] is None else min(b["first_year"], y)
            b["last_year"] = y if b["last_year"] is None else max(b["last_year"], y)
        if c["recommendations"]:
            rec_year[y] += c["recommendations"]
            b["recommendations"] += c["recommendations"]
    review_years = sorted(rv_year)
    uniq = {tuple(sorted(e.items())): e for e in events}
    return {
        "theme": dict(theme),
        "year_from": y0,
        "year_to": y1,
        "reviews": sum(rv_year.values()),
        "recommendations": sum(rec_year.values()),
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
    rows = store.read(CYPHER, {**args, "statuses": viewer.statuses})
    if not rows:
        return None
    row = rows[0]
    return _shape(row["theme"], row["cells"], row["events"], args)


_EVENT_OUT = (
    ("board", "board_id"),
    ("recommendation", "recommendation_id"),
    ("recommendation_status", "recommendation_status"),
    ("basis", "basis"),
    ("closed_year", "closed_year"),
    ("review", "review_id"),
    ("review_year", "review_year"),
    ("review_board", "review_board_id"),
)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    g = G(store, viewer)
    tid = args["theme"]
    theme = g.props(Label.THEME, tid)
    if theme is None:
        return None
    y0, y1, only, kind = args["year_from"], args["year_to"], args["boards"], args["kind"]
    statuses = list(viewer.statuses)
    marks = ",".join("?" * len(statuses))
    tt, ev = THEME_TALLY, RECURRENCE_EVENT
    cells = []
    for board, year, n_rev, n_rec, k in store.aggregate_rows(
        f"SELECT board, year, reviews, recommendations, kind FROM {tt.table} "  # noqa: S608
        f"WHERE theme = ? AND status IN ({marks})",
        (tid, *statuses),
    ):
        if (
            (kind is None or k == kind)
            and (only is None or board in only)
            and in_years(year, y0, y1)
        ):
            bp = g.props(Label.BOARD, board) or {}
            cells.append(
                {
                    "board_id": board,
                    "board_name": bp.get("name"),
                    "year": year,
                    "reviews": n_rev,
                    "recommendations": n_rec,
                }
            )
    cols = [c for c, _ in _EVENT_OUT]
    events = []
    for row in store.aggregate_rows(
        f"SELECT {', '.join(cols)}, rec_review_kind, review_kind FROM {ev.table} "  # noqa: S608
        f"WHERE theme = ? AND rec_review_status IN ({marks}) AND review_status IN ({marks})",
        (tid, *statuses, *statuses),
    ):
        e = dict(zip(cols, row[: len(cols)], strict=True))
        if kind is not None and (row[-2] != kind or row[-1] != kind):
            continue
        if (only is None or e["board"] in only) and in_years(e["review_year"], y0, y1):
            events.append({out: e[c] for c, out in _EVENT_OUT})
    t = {k: theme.get(k) for k in ("id", "label", "category", "kind")}
    return _shape(t, cells, events, args)


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
