"""Named queries the themed briefings need that no other query answers in time.

Both take an **audience**: every agency of one `sector`, optionally narrowed to some
`agencies` (ids within that sector, e.g. the GP practices of the health sector), and the usual
filters: `boards` (the review was commissioned by one of them) and `year_from` / `year_to`
(the review's year of publication). Only reviews the viewer may see count.

`briefing.sector_recommendations`
    The recommendations addressed to the audience, each with its review, board, provenance
    (source file and line, place in the document), the audience agencies it addresses and its
    themes; per theme, the recommendations, reviews and boards, years seen and trend
    (`theme_summary`); and **repeat groups**: recommendations in that set that are near-identical
    (SIMILAR_TO, either direction) to one leader. Groups are chosen greedily: the leader whose
    group (itself and its not-yet-grouped neighbours in the set) spans the most boards, then
    the most years, then the most members, then the smallest id; its members leave the pool;
    repeat until `groups` groups or no leader has a neighbour left. Unlike the connected
    components of `repeated_recommendations`, which chain into one giant cluster on a dense
    national graph, every member here is directly similar to its leader, so any two members
    are fair "near-identical" examples. `score` is a member's similarity to the leader.

`briefing.sector_actions`
    The actions the audience's agencies own on those reviews: status, due date, days overdue
    as of `as_of` (open and due before it, as `outstanding_actions` counts them), audits in
    time order, and impact verdict (`queries.trace.impact_verdict`); totals of open and
    overdue actions and of each verdict.

A recommendation or action reached through several audience agencies is reported once, with
all of them; a review without a board has `board_id` None and is dropped by a `boards` filter.
"""

from __future__ import annotations

import datetime as dt
import heapq
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from graph_schema import IMPACT_VERDICTS, SECTORS, Label, RelType
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import (
    OPEN_ACTION_STATUSES,
    Params,
    QueryParamError,
    check_years,
    days_overdue,
    in_years,
)
from queries._sql import IN_IDS, ids_param, nodes_by_id, params_with, props_of, reading, vis_sql
from queries.base import Query, Viewer, register
from queries.recurrence import slope
from queries.trace import impact_verdict

SECTOR_RECOMMENDATIONS: Final = "briefing.sector_recommendations"
SECTOR_ACTIONS: Final = "briefing.sector_actions"
DEFAULT_GROUPS: Final = 5

_AUDIENCE_PARAMS: Final = {
    "sector": f"str, required: one of {', '.join(SECTORS)}",
    "agencies": "list[str] or comma-separated, optional: only these agency ids of the sector",
    "boards": "list[str] or comma-separated, optional: board ids",
    "year_from": "int, optional: first review year",
    "year_to": "int, optional: last review year",
}

SECTOR_RECOMMENDATIONS_CYPHER: Final = """\
// briefing.sector_recommendations: recommendations addressed to an audience's agencies, with
// their SIMILAR_TO neighbours addressed to the audience too (Python keeps those in the set).
MATCH (a:Agency)
WHERE a.sector = $sector AND ($agencies IS NULL OR a.id IN $agencies)
  AND (a.declared = true
    OR EXISTS { MATCH (vr:Review)-[:MAKES]->(:Recommendation)-[:ADDRESSED_TO]->(a)
                WHERE vr.status IN $statuses }
    OR EXISTS { MATCH (vr:Review)-[:MAKES]->(:Recommendation)<-[:RESPONDS_TO]-(:Action)
                -[:OWNED_BY]->(a) WHERE vr.status IN $statuses })
WITH a ORDER BY a.id
WITH collect(a) AS agencies
RETURN
  [a IN agencies | a {.id, .name, .sector}] AS agencies,
  COLLECT {
    UNWIND agencies AS a
    MATCH (rv:Review)-[:MAKES]->(r:Recommendation)-[:ADDRESSED_TO]->(a)
    WHERE rv.status IN $statuses
      AND ($year_from IS NULL OR rv.year >= $year_from)
      AND ($year_to IS NULL OR rv.year <= $year_to)
    OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)
    WITH a, rv, r, b
    WHERE $boards IS NULL OR b.id IN $boards
    RETURN {
      id: r.id, number: r.number, text: r.text, status: r.status, level: r.level,
      location: r.location, source_file: r.source_file, source_line: r.source_line,
      review_id: rv.id, year: rv.year, board_id: b.id, board_name: b.name, agency_id: a.id,
      themes: COLLECT { MATCH (r)-[:TAGGED]->(t:Theme) RETURN t.id },
      similar: COLLECT {
        MATCH (r)-[s:SIMILAR_TO]-(o:Recommendation)-[:ADDRESSED_TO]->(x:Agency)
        WHERE x.sector = $sector AND ($agencies IS NULL OR x.id IN $agencies)
        RETURN DISTINCT {id: o.id, score: s.score}
      }
    } AS row
  } AS recommendations
"""

SECTOR_ACTIONS_CYPHER: Final = """\
// briefing.sector_actions: actions the audience's agencies own, with their audits.
MATCH (a:Agency)
WHERE a.sector = $sector AND ($agencies IS NULL OR a.id IN $agencies)
MATCH (ac:Action)-[:OWNED_BY]->(a)
MATCH (ac)-[:RESPONDS_TO]->(r:Recommendation)<-[:MAKES]-(rv:Review)
WHERE rv.status IN $statuses
  AND ($year_from IS NULL OR rv.year >= $year_from)
  AND ($year_to IS NULL OR rv.year <= $year_to)
OPTIONAL MATCH (b:Board)-[:COMMISSIONED]->(rv)
WITH a, ac, r, rv, b
WHERE $boards IS NULL OR b.id IN $boards
RETURN {
  id: ac.id, description: ac.description, status: ac.status, due_date: ac.due_date,
  completed_date: ac.completed_date, owner_agency_id: a.id, owner_name: a.name,
  recommendation_id: r.id, recommendation_number: r.number,
  review_id: rv.id, year: rv.year, board_id: b.id, board_name: b.name,
  themes: COLLECT { MATCH (r)-[:TAGGED]->(t:Theme) RETURN t.id },
  audits: COLLECT { MATCH (au:Audit)-[:CHECKS]->(ac) RETURN au {.id, .date, .rating} }
} AS row
"""


# -- shared ---------------------------------------------------------------------------------


def _audience_params(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    p = Params(name, params)
    sector = p.req_str("sector")
    if sector not in SECTORS:
        raise QueryParamError(
            f"query {name!r}: sector={sector!r} is not one of {', '.join(SECTORS)}"
        )
    year_from, year_to = p.int_("year_from"), p.int_("year_to")
    check_years(p, year_from, year_to)
    out: dict[str, Any] = {
        "sector": sector,
        "agencies": p.str_list("agencies"),
        "boards": p.str_list("boards"),
        "year_from": year_from,
        "year_to": year_to,
    }
    if name == SECTOR_RECOMMENDATIONS:
        groups = p.int_("groups", DEFAULT_GROUPS)
        if groups is None or groups < 0:
            raise QueryParamError(f"query {name!r}: groups={groups} must be 0 or more")
        out["groups"] = groups
    else:
        out["as_of"] = p.date_("as_of")
    return out


def _echo(args: Mapping[str, Any]) -> dict[str, Any]:
    return {k: args[k] for k in ("sector", "agencies", "boards", "year_from", "year_to")}


def _merge(rows: Iterable[Mapping[str, Any]], many: str, one: str) -> dict[str, dict[str, Any]]:
    """Rows (one per id and audience agency) as one record per id listing the agencies.

    The board is the smallest board id among the rows (a review has one board in practice).
    """
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        rec = out.get(row["id"])
        if rec is None:
            rec = {k: v for k, v in row.items() if k != one}
            rec["themes"] = sorted(set(row["themes"]))
            rec[many] = set()
            out[row["id"]] = rec
        elif row["board_id"] is not None and (
            rec["board_id"] is None or row["board_id"] < rec["board_id"]
        ):
            rec["board_id"], rec["board_name"] = row["board_id"], row["board_name"]
        if row[one] is not None:
            rec[many].add(row[one])
    for rec in out.values():
        rec[many] = sorted(rec[many])
    return out


class _Graph:
    """Reads over the embedded store's SQL for one briefing, in one read transaction.

    A briefing walks from a sector's agencies out to their recommendations, reviews, boards
    and themes: tens of thousands of nodes at national scale. Each step of the walk is fetched
    for all its nodes at once (`fetch_props`, `fetch_edges`, `fetch_similar`), then the walk
    reads the caches; a node the walk reaches unfetched is read on its own. Neighbours come in
    key order, as a graph built from the relationships table held them.
    """

    def __init__(self, cur: sqlite3.Cursor, viewer: Viewer) -> None:
        self.cur = cur
        self.statuses = frozenset(viewer.statuses)
        self.viewer = viewer
        self._reviews: dict[str, tuple[dict[str, Any], list[Any]]] = {}
        self._props: dict[tuple[str, str | None], dict[str, Any]] = {}
        self._edges: dict[tuple[str, str, bool], dict[str, list[str]]] = {}
        self._similar: dict[str, list[tuple[str, Any]]] = {}

    def fetch_props(
        self, label: str, keys: Iterable[str | None], fields: Sequence[str] | None = None
    ) -> None:
        """The nodes' properties; only `fields` of them where given (the walk reads no other,
        and a review's summary or a recommendation's text is most of its JSON)."""
        todo = [k for k in dict.fromkeys(keys) if k is not None and (label, k) not in self._props]
        if fields is None:
            found = nodes_by_id(self.cur, Label(label), todo)
        else:
            cols = "".join(f", json_extract(props, '$.{f}')" for f in fields)
            found = {
                str(row[0]): {f: v for f, v in zip(fields, row[1:], strict=True) if v is not None}
                for row in self.cur.execute(
                    f"SELECT id{cols} FROM nodes WHERE label = :label AND id IN {IN_IDS}",  # noqa: S608
                    {"label": label, "ids": ids_param(todo)},
                )
            }
        for k in todo:
            self._props[(label, k)] = found.get(k) or {}

    def fetch_edges(self, rel: str, keys: Iterable[str], outgoing: bool) -> None:
        cache = self._edges.setdefault((rel, "", outgoing), {})
        todo = [k for k in dict.fromkeys(keys) if k not in cache]
        if not todo:
            return
        near, far = ("src", "dst") if outgoing else ("dst", "src")
        for k in todo:
            cache[k] = []
        for k, other in self.cur.execute(
            f"SELECT {near}, {far} FROM rels WHERE type = :type "  # noqa: S608
            f"AND {near} IN {IN_IDS} ORDER BY {near}, {far}",
            {"type": rel, "ids": ids_param(todo)},
        ):
            cache[str(k)].append(str(other))

    def fetch_similar(self, keys: Iterable[str]) -> None:
        todo = [k for k in dict.fromkeys(keys) if k not in self._similar]
        for k in todo:
            self._similar[k] = []
        for k, other, raw in self.cur.execute(
            f"SELECT src, dst, props FROM rels WHERE type = :type AND src IN {IN_IDS} "  # noqa: S608
            "ORDER BY src, dst",
            {"type": _SIMILAR, "ids": ids_param(todo)},
        ):
            self._similar[str(k)].append((str(other), props_of(raw).get("score")))

    def props(self, label: str, key: str | None) -> dict[str, Any]:
        if (label, key) not in self._props:
            self.fetch_props(label, [key])
        return self._props.get((label, key)) or {}

    def _ends(self, key: str, rel: str, outgoing: bool) -> list[str]:
        cache = self._edges.get((rel, "", outgoing))
        if cache is None or key not in cache:
            self.fetch_edges(rel, [key], outgoing)
            cache = self._edges[(rel, "", outgoing)]
        return list(cache[key])

    def out(self, label: str, key: str, rel: str) -> list[str]:
        return self._ends(key, rel, True)

    def into(self, label: str, key: str, rel: str) -> list[str]:
        return self._ends(key, rel, False)

    def similar(self, key: str, pool: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """(id, score) of outgoing SIMILAR_TO neighbours in `pool`.

        Outgoing only: every link between two pool members is then seen once, from its start;
        repeat_groups makes the links undirected.
        """
        if key not in self._similar:
            self.fetch_similar([key])
        return [(other, score) for other, score in self._similar[key] if other in pool]

    def audience(self, args: Mapping[str, Any]) -> list[dict[str, Any]]:
        only = args["agencies"]
        out = []
        for aid, name, sector in self.cur.execute(
            "SELECT n.id, json_extract(n.props, '$.name'), json_extract(n.props, '$.sector') "  # noqa: S608
            "FROM nodes n WHERE n.label = :label AND json_extract(n.props, '$.sector') = :sector "
            f"AND {vis_sql(Label.AGENCY)} ORDER BY n.id",
            params_with(self.viewer, {"label": _AGENCY, "sector": args["sector"]}),
        ).fetchall():
            if only is None or aid in only:
                out.append({"id": aid, "name": name, "sector": sector})
        return out

    def review_boards(self, rv: str, args: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
        """The review's properties and its boards that pass the filters ([] if none)."""
        got = self._reviews.get(rv)
        if got is None:
            got = self._reviews[rv] = self._review_boards(rv, args)
        return got

    def _review_boards(self, rv: str, args: Mapping[str, Any]) -> tuple[dict[str, Any], list[Any]]:
        p = self.props(_REVIEW, rv)
        if p.get("status") not in self.statuses:
            return p, []
        if not in_years(p.get("year"), args["year_from"], args["year_to"]):
            return p, []
        boards: list[str | None] = [*sorted(self.into(_REVIEW, rv, _COMMISSIONED))] or [None]
        only = args["boards"]
        return p, [b for b in boards if only is None or b in only]

    def fetch_recs(self, recs: list[str], fields: Sequence[str]) -> None:
        """A stage of the walk: the recommendations (`fields` of them), their reviews, boards
        and themes."""
        self.fetch_props(_REC, recs, fields)
        self.fetch_edges(_MAKES, recs, outgoing=False)
        self.fetch_edges(_TAGGED, recs, outgoing=True)
        made = self._edges[(_MAKES, "", False)]
        reviews = [rv for r in recs for rv in made.get(r, ())]
        self.fetch_props(_REVIEW, reviews, ("status", "year"))
        self.fetch_edges(_COMMISSIONED, reviews, outgoing=False)
        commissioned = self._edges[(_COMMISSIONED, "", False)]
        self.fetch_props(_BOARD, [b for rv in reviews for b in commissioned.get(rv, ())], ("name",))


_AGENCY: Final = Label.AGENCY.value
_REVIEW: Final = Label.REVIEW.value
_REC: Final = Label.RECOMMENDATION.value
_ACTION: Final = Label.ACTION.value
_AUDIT: Final = Label.AUDIT.value
_BOARD: Final = Label.BOARD.value
_COMMISSIONED: Final = RelType.COMMISSIONED.value
_MAKES: Final = RelType.MAKES.value
_ADDRESSED_TO: Final = RelType.ADDRESSED_TO.value
_TAGGED: Final = RelType.TAGGED.value
_SIMILAR: Final = RelType.SIMILAR_TO.value
_OWNED_BY: Final = RelType.OWNED_BY.value
_RESPONDS_TO: Final = RelType.RESPONDS_TO.value
_CHECKS: Final = RelType.CHECKS.value


# -- briefing.sector_recommendations ----------------------------------------------------------


def repeat_groups(
    recs: Mapping[str, Mapping[str, Any]],
    similar: Mapping[str, Iterable[tuple[str, Any]]],
    limit: int,
) -> list[dict[str, Any]]:
    """Greedy leader groups of near-identical recommendations (see the module docstring)."""
    # Undirected, keeping the higher score where two edges (one each way) join a pair.
    adj: dict[str, dict[str, float]] = {a: {} for a in recs}
    for a in recs:
        near = adj[a]
        for b, raw in similar.get(a, ()):
            if b != a and b in recs:
                score = float(raw or 0.0)
                if score > near.get(b, -1.0):
                    near[b] = adj[b][a] = score
    taken: set[str] = set()

    def key(a: str) -> tuple[int, int, int]:
        members = [a, *(b for b in adj[a] if b not in taken)]
        return (
            len({recs[m]["board_id"] for m in members}),
            len({recs[m]["year"] for m in members}),
            len(members),
        )

    # Lazy greedy: a key only falls as members are taken, so start every candidate at a cheap
    # upper bound (its star's size bounds its boards and years too), and compute the true key
    # only when it reaches the top of the heap.
    heap = [(-len(n) - 1, -len(n) - 1, -len(n) - 1, a) for a, n in adj.items() if n]
    heapq.heapify(heap)
    groups: list[dict[str, Any]] = []
    while heap and len(groups) < limit:
        entry = heapq.heappop(heap)
        a = entry[3]
        if a in taken:
            continue
        k = key(a)
        if k[2] < 2:
            continue
        if (-k[0], -k[1], -k[2], a) != entry:  # keys only fall: re-queue with the true key
            heapq.heappush(heap, (-k[0], -k[1], -k[2], a))
            continue
        members = sorted({a, *(b for b in adj[a] if b not in taken)})
        taken.update(members)
        years = sorted({recs[m]["year"] for m in members if isinstance(recs[m]["year"], int)})
        boards = sorted({recs[m]["board_id"] for m in members if recs[m]["board_id"]})
        scores = [round(adj[a][m], 4) for m in members if m != a]
        groups.append(
            {
                "id": a,
                "text": recs[a]["text"],
                "size": len(members),
                "boards": len(boards),
                "years": len(years),
                "board_ids": boards,
                "first_year": years[0] if years else None,
                "last_year": years[-1] if years else None,
                "mean_score": round(sum(scores) / len(scores), 4) + 0.0,
                "members": [
                    {
                        **{
                            f: recs[m][f]
                            for f in (
                                "id",
                                "number",
                                "review_id",
                                "year",
                                "board_id",
                                "board_name",
                                "location",
                                "source_file",
                                "source_line",
                                "text",
                            )
                        },
                        "score": None if m == a else round(adj[a][m], 4) + 0.0,
                    }
                    for m in sorted(members, key=lambda m: (recs[m]["year"] or 0, m))
                ],
            }
        )
    return groups


def _recs_shape(
    agencies: list[dict[str, Any]],
    rows: Iterable[Mapping[str, Any]],
    similar: Mapping[str, Iterable[tuple[str, Any]]] | None,
    args: Mapping[str, Any],
) -> dict[str, Any]:
    merged = _merge(rows, "agencies", "agency_id")
    if similar is None:  # Neo4j: each row carries its neighbours
        similar = {k: [(s["id"], s["score"]) for s in r.pop("similar")] for k, r in merged.items()}
    recs = sorted(merged.values(), key=lambda r: (r["year"] or 0, r["id"]))
    return {
        **_echo(args),
        "audience": sorted(agencies, key=lambda a: str(a["id"])),
        "recommendations": recs,
        "themes": theme_summary(recs, args["year_from"], args["year_to"]),
        "groups": repeat_groups(merged, similar, args["groups"]),
    }


def theme_summary(
    recs: Sequence[Mapping[str, Any]], year_from: int | None, year_to: int | None
) -> list[dict[str, Any]]:
    """Per theme of the recommendations: counts, boards, years seen, per-year counts, trend.

    `by_year` runs over year_from..year_to, or the years of all the recommendations when
    not given, so the trends of different themes are comparable; `trend` is the least-squares
    slope of reviews per year over that range (theme_recurrence's definition, applied to the
    audience's recommendations). Most recommendations first, then most boards, then key.
    """
    years_all = [r["year"] for r in recs if isinstance(r["year"], int)]
    y0 = year_from if year_from is not None else (min(years_all) if years_all else None)
    y1 = year_to if year_to is not None else (max(years_all) if years_all else None)
    span = list(range(y0, y1 + 1)) if y0 is not None and y1 is not None else []
    count: dict[str, int] = defaultdict(int)
    reviews: dict[str, set[str]] = defaultdict(set)
    boards: dict[str, set[str]] = defaultdict(set)
    rv_year: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    rec_year: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for r in recs:
        for t in r["themes"]:
            count[t] += 1
            reviews[t].add(r["review_id"])
            if r["board_id"]:
                boards[t].add(r["board_id"])
            if isinstance(r["year"], int):
                rv_year[t][r["year"]].add(r["review_id"])
                rec_year[t][r["year"]] += 1
    out: list[dict[str, Any]] = []
    for t in count:
        seen = sorted(rv_year[t])
        out.append(
            {
                "theme": t,
                "recommendations": count[t],
                "reviews": len(reviews[t]),
                "boards": len(boards[t]),
                "first_year": seen[0] if seen else None,
                "last_year": seen[-1] if seen else None,
                "trend": slope([len(rv_year[t].get(y, ())) for y in span]),
                "by_year": [
                    {
                        "year": y,
                        "reviews": len(rv_year[t].get(y, ())),
                        "recommendations": rec_year[t].get(y, 0),
                    }
                    for y in span
                ],
            }
        )
    out.sort(key=lambda x: (-x["recommendations"], -x["boards"], x["theme"]))
    return out


def sector_recommendations_neo4j(
    store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer
) -> dict[str, Any]:
    args = _audience_params(SECTOR_RECOMMENDATIONS, params)
    cy = {k: v for k, v in args.items() if k != "groups"}
    rows = store.read(SECTOR_RECOMMENDATIONS_CYPHER, {**cy, "statuses": viewer.statuses})
    row = rows[0] if rows else {"agencies": [], "recommendations": []}
    return _recs_shape(list(row["agencies"]), row["recommendations"], None, args)


def sector_recommendations_embedded(
    store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer
) -> dict[str, Any]:
    args = _audience_params(SECTOR_RECOMMENDATIONS, params)
    with reading(store) as cur:
        return _sector_recommendations(_Graph(cur, viewer), args)


def _sector_recommendations(g: _Graph, args: Mapping[str, Any]) -> dict[str, Any]:
    agencies = g.audience(args)
    g.fetch_edges(_ADDRESSED_TO, [a["id"] for a in agencies], outgoing=False)
    g.fetch_recs(
        [r for a in agencies for r in g.into(_AGENCY, a["id"], _ADDRESSED_TO)],
        ("number", "text", "status", "level", "location", "source_file", "source_line"),
    )
    rows = []
    for a in agencies:
        for r in g.into(_AGENCY, a["id"], _ADDRESSED_TO):
            rp = g.props(_REC, r)
            for rv in g.into(_REC, r, _MAKES):
                p, boards = g.review_boards(rv, args)
                for b in boards:
                    rows.append(
                        {
                            "id": r,
                            "number": rp.get("number"),
                            "text": rp.get("text"),
                            "status": rp.get("status"),
                            "level": rp.get("level"),
                            "location": rp.get("location"),
                            "source_file": rp.get("source_file"),
                            "source_line": rp.get("source_line"),
                            "review_id": rv,
                            "year": p.get("year"),
                            "board_id": b,
                            "board_name": g.props(_BOARD, b).get("name") if b else None,
                            "agency_id": a["id"],
                            "themes": g.out(_REC, r, _TAGGED),
                        }
                    )
    pool = {row["id"]: None for row in rows}
    g.fetch_similar(pool)
    similar = {r: g.similar(r, pool) for r in pool}
    return _recs_shape(agencies, rows, similar, args)


register(
    Query(
        name=SECTOR_RECOMMENDATIONS,
        description=(
            "Recommendations addressed to a sector's agencies (optionally only some), in "
            "boards and years: each with its review, board, provenance, the audience agencies "
            "it addresses and its themes; and greedy groups of near-identical ones among them."
        ),
        params={
            **_AUDIENCE_PARAMS,
            "groups": f"int, default {DEFAULT_GROUPS}: at most this many repeat groups",
        },
        cypher=SECTOR_RECOMMENDATIONS_CYPHER,
        neo4j=sector_recommendations_neo4j,
        embedded=sector_recommendations_embedded,
    )
)


# -- briefing.sector_actions ------------------------------------------------------------------


def _audit_key(a: Mapping[str, Any]) -> tuple[str, str]:
    return (str(a.get("date") or ""), str(a.get("id") or ""))


def _actions_shape(rows: Iterable[Mapping[str, Any]], args: Mapping[str, Any]) -> dict[str, Any]:
    as_of: dt.date = args["as_of"]
    merged = _merge(rows, "owners", "owner_agency_id")
    actions = []
    for k in sorted(merged):
        a = merged[k]
        audits = {
            str(au.get("id")): {f: au.get(f) for f in ("id", "date", "rating")}
            for au in a["audits"]
        }
        ordered = sorted(audits.values(), key=_audit_key)
        days = days_overdue(a.get("status"), a.get("due_date"), as_of)
        actions.append(
            {
                **a,
                "audits": ordered,
                "verdict": impact_verdict([str(au["rating"]) for au in ordered]),
                "open": a.get("status") in OPEN_ACTION_STATUSES,
                "overdue": days > 0,
                "days_overdue": days,
            }
        )
    verdicts = dict.fromkeys(IMPACT_VERDICTS, 0)
    for a in actions:
        verdicts[a["verdict"]] += 1
    return {
        **_echo(args),
        "as_of": as_of.isoformat(),
        "total": len(actions),
        "open": sum(1 for a in actions if a["open"]),
        "overdue": sum(1 for a in actions if a["overdue"]),
        "audited": len(actions) - verdicts["not_audited"],
        "verdicts": verdicts,
        "actions": actions,
    }


def sector_actions_neo4j(
    store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer
) -> dict[str, Any]:
    args = _audience_params(SECTOR_ACTIONS, params)
    cy = {k: v for k, v in args.items() if k != "as_of"}
    rows = store.read(SECTOR_ACTIONS_CYPHER, {**cy, "statuses": viewer.statuses})
    return _actions_shape((r["row"] for r in rows), args)


def sector_actions_embedded(
    store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer
) -> dict[str, Any]:
    args = _audience_params(SECTOR_ACTIONS, params)
    with reading(store) as cur:
        return _sector_actions(_Graph(cur, viewer), args)


def _sector_actions(g: _Graph, args: Mapping[str, Any]) -> dict[str, Any]:
    agencies = g.audience(args)
    g.fetch_edges(_OWNED_BY, [a["id"] for a in agencies], outgoing=False)
    actions = [ac for a in agencies for ac in g.into(_AGENCY, a["id"], _OWNED_BY)]
    g.fetch_props(_ACTION, actions, ("description", "status", "due_date", "completed_date"))
    g.fetch_edges(_CHECKS, actions, outgoing=False)
    checks = [au for ac in actions for au in g.into(_ACTION, ac, _CHECKS)]
    g.fetch_props(_AUDIT, checks, ("id", "date", "rating"))
    g.fetch_edges(_RESPONDS_TO, actions, outgoing=True)
    g.fetch_recs([r for ac in actions for r in g.out(_ACTION, ac, _RESPONDS_TO)], ("number",))
    rows = []
    for a in agencies:
        for ac in g.into(_AGENCY, a["id"], _OWNED_BY):
            ap = g.props(_ACTION, ac)
            audits = [g.props(_AUDIT, au) for au in g.into(_ACTION, ac, _CHECKS)]
            for r in g.out(_ACTION, ac, _RESPONDS_TO):
                rp = g.props(_REC, r)
                for rv in g.into(_REC, r, _MAKES):
                    p, boards = g.review_boards(rv, args)
                    for b in boards:
                        rows.append(
                            {
                                "id": ac,
                                "description": ap.get("description"),
                                "status": ap.get("status"),
                                "due_date": ap.get("due_date"),
                                "completed_date": ap.get("completed_date"),
                                "owner_agency_id": a["id"],
                                "owner_name": a["name"],
                                "recommendation_id": r,
                                "recommendation_number": rp.get("number"),
                                "review_id": rv,
                                "year": p.get("year"),
                                "board_id": b,
                                "board_name": g.props(_BOARD, b).get("name") if b else None,
                                "themes": g.out(_REC, r, _TAGGED),
                                "audits": audits,
                            }
                        )
    return _actions_shape(rows, args)


register(
    Query(
        name=SECTOR_ACTIONS,
        description=(
            "Actions owned by a sector's agencies (optionally only some) on reviews in boards "
            "and years: status, days overdue as of a date, audits in time order and impact "
            "verdict; totals of open, overdue and each verdict."
        ),
        params={**_AUDIENCE_PARAMS, "as_of": "ISO date, default today: overdue means due before"},
        cypher=SECTOR_ACTIONS_CYPHER,
        neo4j=sector_actions_neo4j,
        embedded=sector_actions_embedded,
    )
)

__all__ = ["DEFAULT_GROUPS", "SECTOR_ACTIONS", "SECTOR_RECOMMENDATIONS", "repeat_groups"]
