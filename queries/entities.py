"""Entity reads the API needs: batched get-by-ids, neighbours-by-ids and filtered lists.

Every read honours the Viewer. A review the viewer may not see is invisible, and so is
everything reached only through it: its recommendations, their actions and those actions'
audits. A board or an agency is visible when a corpus vocabulary file declared it
(`declared`), or else only when a review the viewer may see reaches it (a board that
commissioned one; an agency a visible recommendation is addressed to, or that owns a
visible action): one named only by a draft, restricted or withdrawn review is hidden like
that review. Sectors (a closed set) and themes (the taxonomy) are always visible.

Cypher texts are built once, at import, from the schema's closed sets and constant
fragments; values only ever travel as `$parameters`.
"""

# SQL here is assembled from the schema's closed sets and constant fragments; values only
# travel as parameters.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from graph_schema import EDGES, SORT_FIELDS, Edge, Label
from graph_store import EmbeddedStore, Neo4jStore, Row
from queries._common import OPEN_ACTION_STATUSES
from queries._sql import (
    IN_IDS,
    ids_param,
    nodes_by_id,
    prop_sql,
    props_of,
    reading,
    statuses_params,
    vis_all_sql,
    vis_count_sql,
    vis_sql,
)
from queries.base import Query, Viewer, register
from scrgraph.errors import ScrgraphError

ENTITY_LABELS: Final = (
    Label.BOARD,
    Label.REVIEW,
    Label.RECOMMENDATION,
    Label.AGENCY,
    Label.SECTOR,
    Label.THEME,
    Label.ACTION,
    Label.AUDIT,
)

MAX_IDS: Final = 1000
MAX_LIMIT: Final = 1000


class EntityQueryError(ScrgraphError):
    """A parameter of an entity read is wrong (unknown label, filter or sort field)."""


# -- visibility ------------------------------------------------------------------------------

# `{v}` is the variable of the node whose visibility is checked.
_VIS: Final[dict[Label, str]] = {
    Label.REVIEW: "{v}.status IN $statuses",
    # A pattern comprehension walks out from the node itself: the planner took the EXISTS
    # forms from the other end (every review by its status index, for each node checked),
    # 3 million db hits for a page of 100 recommendations of 2,000.
    Label.RECOMMENDATION: "any(vs IN [({v})<-[:MAKES]-(vr:Review) | vr.status] "
    "WHERE vs IN $statuses)",
    Label.ACTION: "any(vs IN [({v})-[:RESPONDS_TO]->(:Recommendation)<-[:MAKES]-(vr:Review) "
    "| vr.status] WHERE vs IN $statuses)",
    Label.AUDIT: "any(vs IN [({v})-[:CHECKS]->(:Action)-[:RESPONDS_TO]->(:Recommendation)"
    "<-[:MAKES]-(vr:Review) | vr.status] WHERE vs IN $statuses)",
    # `declared` first: the corpus's own vocabulary answers without a walk.
    Label.BOARD: "({v}.declared = true OR EXISTS {{ MATCH ({v})-[:COMMISSIONED]->(vr:Review) "
    "WHERE vr.status IN $statuses }})",
    Label.AGENCY: "({v}.declared = true "
    "OR EXISTS {{ MATCH (vr:Review)-[:MAKES]->(:Recommendation)-[:ADDRESSED_TO]->({v}) "
    "WHERE vr.status IN $statuses }} "
    "OR EXISTS {{ MATCH (vr:Review)-[:MAKES]->(:Recommendation)<-[:RESPONDS_TO]-(:Action)"
    "-[:OWNED_BY]->({v}) WHERE vr.status IN $statuses }})",
}


def _vis(label: Label, var: str) -> str:
    tpl = _VIS.get(label)
    return tpl.format(v=var) if tpl else "true"


def visible(store: EmbeddedStore, label: Label, key: str, viewer: Viewer) -> bool:
    """Whether the viewer may see this node (embedded); False if it does not exist."""
    with reading(store) as cur:
        row = cur.execute(
            f"SELECT 1 FROM nodes n WHERE n.label = :label AND n.id = :id AND {vis_sql(label)}",
            {"label": label.value, "id": key, **statuses_params(viewer)},
        ).fetchone()
    return row is not None


def _label(params: Mapping[str, Any]) -> Label:
    try:
        label = Label(str(params.get("label")))
    except ValueError as e:
        raise EntityQueryError(
            f"unknown label {params.get('label')!r}; expected one of "
            f"{', '.join(lb.value for lb in ENTITY_LABELS)}"
        ) from e
    if label not in ENTITY_LABELS:
        raise EntityQueryError(f"label {label.value!r} is not an entity the API reads")
    return label


def _ids(params: Mapping[str, Any]) -> list[str]:
    ids = [str(i) for i in params.get("ids") or []]
    if len(ids) > MAX_IDS:
        raise EntityQueryError(f"{len(ids)} ids asked for; at most {MAX_IDS} at once")
    return ids


# -- entities.get ----------------------------------------------------------------------------

_GET_CYPHER: Final[dict[Label, str]] = {
    lb: f"UNWIND $ids AS k MATCH (n:{lb.value} {{id: k}}) WHERE {_vis(lb, 'n')} "
    "RETURN k AS id, properties(n) AS props"
    for lb in ENTITY_LABELS
}


def _get_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Row]:
    label, ids = _label(params), _ids(params)
    if not ids:
        return {}
    rows = store.read(_GET_CYPHER[label], {"ids": ids, "statuses": viewer.statuses})
    return {r["id"]: dict(r["props"]) for r in rows}


def _get_embedded(
    store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer
) -> dict[str, Row]:
    label, ids = _label(params), _ids(params)
    with reading(store) as cur:
        found = nodes_by_id(cur, label, ids, viewer)
    return {k: found[k] for k in ids if k in found}


GET = register(
    Query(
        name="entities.get",
        description="Nodes of one label by id, as {id: properties}; invisible ones are absent.",
        params={"label": "str: an entity label", "ids": f"list[str]: at most {MAX_IDS}"},
        cypher=_GET_CYPHER[Label.REVIEW],
        neo4j=_get_neo4j,
        embedded=_get_embedded,
        extra_cypher={f"get.{lb.value}": c for lb, c in _GET_CYPHER.items()},
    )
)


# -- entities.keys ---------------------------------------------------------------------------

# The vocabulary labels: their keys, as far as the viewer may see them (boards and agencies
# by `visible`), are safe to list, for example to suggest the nearest key to a mistyped one.
# Never a label whose records belong to a review.
VOCABULARY_LABELS: Final = (Label.BOARD, Label.AGENCY, Label.SECTOR, Label.THEME)

_KEYS_CYPHER: Final[dict[Label, str]] = {
    lb: f"MATCH (n:{lb.value}) WHERE {_vis(lb, 'n')} "
    "RETURN n.id AS id, coalesce(n.name, n.label) AS name ORDER BY id"
    for lb in VOCABULARY_LABELS
}


def _vocabulary_label(params: Mapping[str, Any]) -> Label:
    label = _label(params)
    if label not in VOCABULARY_LABELS:
        raise EntityQueryError(
            f"label {label.value!r} has no public list of keys; expected one of "
            f"{', '.join(lb.value for lb in VOCABULARY_LABELS)}"
        )
    return label


def _keys_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    rows = store.read(_KEYS_CYPHER[_vocabulary_label(params)], {"statuses": viewer.statuses})
    return {str(r["id"]): r["name"] for r in rows}


def _keys_embedded(
    store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer
) -> dict[str, Any]:
    label = _vocabulary_label(params)
    sql = (
        "SELECT n.id, json_type(n.props, '$.name') IS NOT NULL, "
        "json_extract(n.props, '$.name'), json_extract(n.props, '$.label') "
        f"FROM nodes n WHERE n.label = :label AND {vis_sql(label)} ORDER BY n.id"
    )
    with reading(store) as cur:
        rows = cur.execute(sql, {"label": label.value, **statuses_params(viewer)}).fetchall()
    # A name that is there (even null) is the name; else the label.
    return {str(k): (name if has_name else lab) for k, has_name, name, lab in rows}


KEYS = register(
    Query(
        name="entities.keys",
        description="Every key of a vocabulary label (Board, Agency, Sector, Theme) the viewer "
        "may see, as {id: name or label}, ordered by id.",
        params={"label": f"str: one of {', '.join(lb.value for lb in VOCABULARY_LABELS)}"},
        cypher=_KEYS_CYPHER[Label.THEME],
        neo4j=_keys_neo4j,
        embedded=_keys_embedded,
        extra_cypher={f"keys.{lb.value}": c for lb, c in _KEYS_CYPHER.items()},
    )
)


# -- entities.neighbours ---------------------------------------------------------------------


# The named edges (`EDGES`) are declared in graph_schema.entities.


def _edge_cypher(e: Edge) -> str:
    arrow = f"-[r:{e.rel.value}]->" if e.outgoing else f"<-[r:{e.rel.value}]-"
    return (
        f"UNWIND $ids AS k MATCH (a:{e.start.value} {{id: k}}){arrow}(n:{e.end.value}) "
        f"WHERE {_vis(e.end, 'n')} "
        "RETURN k AS id, properties(n) AS node, properties(r) AS rel ORDER BY k, n.id"
    )


_EDGE_CYPHER: Final = {name: _edge_cypher(e) for name, e in EDGES.items()}


def _edge(params: Mapping[str, Any]) -> tuple[str, Edge]:
    name = str(params.get("edge"))
    try:
        return name, EDGES[name]
    except KeyError as e:
        raise EntityQueryError(
            f"unknown edge {name!r}; expected one of {', '.join(sorted(EDGES))}"
        ) from e


Neighbours = dict[str, list[dict[str, Row]]]


def _neighbours_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Neighbours:
    name, _ = _edge(params)
    ids = _ids(params)
    out: Neighbours = {k: [] for k in ids}
    if not ids:
        return out
    for r in store.read(_EDGE_CYPHER[name], {"ids": ids, "statuses": viewer.statuses}):
        out[r["id"]].append({"node": dict(r["node"]), "rel": dict(r["rel"] or {})})
    return out


def _neighbours_embedded(
    store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer
) -> Neighbours:
    _, e = _edge(params)
    ids = _ids(params)
    out: Neighbours = {k: [] for k in ids}
    if not ids:
        return out
    near, far = ("src", "dst") if e.outgoing else ("dst", "src")
    sql = (
        f"SELECT r.{near}, n.props, r.props FROM rels r CROSS JOIN nodes n ON n.label = :end "
        f"AND n.id = r.{far} WHERE r.type = :rel AND r.{near} IN {IN_IDS} "
        f"AND {vis_sql(e.end)} ORDER BY r.{near}, n.id"
    )
    p = {"end": e.end.value, "rel": e.rel.value, "ids": ids_param(ids), **statuses_params(viewer)}
    with reading(store) as cur:
        for k, node, rel in cur.execute(sql, p):
            out[k].append({"node": props_of(node), "rel": props_of(rel)})
    for found in out.values():
        found.sort(key=lambda x: str(x["node"].get("id")))
    return out


# -- neighbours in the same statement as their parents --------------------------------------

# Edges to fetch with each node of a read, nested: ((edge, (its own edges ...)), ...), each
# edge leaving the label of the level it sits at. A list or get that names them returns each
# one's neighbours exactly as `entities.neighbours` would (same visibility, rows and order).
Nest = tuple[tuple[str, "Nest"], ...]
NestedNeighbours = dict[str, dict[str, list[dict[str, Row]]]]  # edge -> parent id -> rows
MAX_NEST_DEPTH: Final = 3
MAX_NEST_EDGES: Final = 12


def nest_args(label: Label, raw: Any, depth: int = 1) -> Nest:
    """Check a `with` parameter ({edge: {edge: ...} | None}) against the edges of `label`."""
    if not raw:
        return ()
    if not isinstance(raw, Mapping):
        raise EntityQueryError(f"`with` must map edge names to their own `with`, not {raw!r}")
    if depth > MAX_NEST_DEPTH:
        raise EntityQueryError(f"`with` nests at most {MAX_NEST_DEPTH} edges deep")
    out: list[tuple[str, Nest]] = []
    for name, sub in sorted(raw.items()):
        e = EDGES.get(str(name))
        if e is None or e.start != label:
            raise EntityQueryError(
                f"edge {name!r} does not leave {label.value}; expected one of "
                f"{', '.join(sorted(n for n, x in EDGES.items() if x.start == label))}"
            )
        out.append((str(name), nest_args(e.end, sub, depth + 1)))
    nest = tuple(out)
    if _nest_size(nest) > MAX_NEST_EDGES:
        raise EntityQueryError(f"`with` names more than {MAX_NEST_EDGES} edges")
    return nest


def _nest_size(nest: Nest) -> int:
    return sum(1 + _nest_size(sub) for _, sub in nest)


def _nest_map(label: Label, var: str, nest: Nest, depth: int) -> str:
    """A Cypher map {e0: [...], e1: [...]} of `var`'s visible neighbours along each edge."""
    parts = []
    for i, (name, sub) in enumerate(nest):
        e = EDGES[name]
        if e.start != label:  # nest_args checks it; the text never takes another
            raise EntityQueryError(f"edge {name!r} does not leave {label.value}")
        m = f"{var}_{i}"  # unique along the path: n_0, n_0_1, ...
        r = f"r{m}"
        arrow = f"-[{r}:{e.rel.value}]->" if e.outgoing else f"<-[{r}:{e.rel.value}]-"
        child = f", nb: {_nest_map(e.end, m, sub, depth + 1)}" if sub else ""
        parts.append(
            f"e{i}: COLLECT {{ MATCH ({var}){arrow}({m}:{e.end.value}) "
            f"WHERE {_vis(e.end, m)} WITH {m}, {r} ORDER BY {m}.id "
            f"RETURN {{node: properties({m}), rel: properties({r}){child}}} }}"
        )
    return "{" + ", ".join(parts) + "}"


def _collect_nested(nest: Nest, parent: str, nb: Mapping[str, Any], out: NestedNeighbours) -> None:
    """Spread one node's nested neighbours (from `_nest_map`) into {edge: {parent: rows}}."""
    for i, (name, sub) in enumerate(nest):
        rows = nb[f"e{i}"] or []
        out.setdefault(name, {})[parent] = [
            {"node": dict(x["node"]), "rel": dict(x["rel"] or {})} for x in rows
        ]
        for x in rows:
            _collect_nested(sub, str(x["node"]["id"]), x.get("nb") or {}, out)


NEIGHBOURS = register(
    Query(
        name="entities.neighbours",
        description="For each id, its visible neighbours along a named edge, as "
        "{id: [{node: properties, rel: properties}]} ordered by neighbour id.",
        params={
            "edge": f"str: one of {', '.join(sorted(EDGES))}",
            "ids": f"list[str]: at most {MAX_IDS}",
        },
        cypher=_EDGE_CYPHER["review.recommendations"],
        neo4j=_neighbours_neo4j,
        embedded=_neighbours_embedded,
        extra_cypher={f"neighbours.{n}": c for n, c in _EDGE_CYPHER.items()},
    )
)


# -- entities.list ---------------------------------------------------------------------------

FILTER_KEYS: Final = (
    "year_from",
    "year_to",
    "board",
    "theme",
    "agency",
    "sector",
    "status",
    "rating",
    "text",
    "category",
    "kind",
    "verdict",
    "age_band",
    "region",
    "overdue_as_of",
    "date_from",
    "date_to",
)
# Filters whose value is an ISO date (YYYY-MM-DD), compared as text with the stored dates.
DATE_FILTERS: Final = ("overdue_as_of", "date_from", "date_to")

# The sort fields of each list (`SORT_FIELDS`) are declared in graph_schema.entities.

# The year a node's year-range filter reads, as a Cypher expression over `n`.
_YEAR_EXPR: Final[dict[Label, str]] = {
    Label.REVIEW: "n.year",
    Label.RECOMMENDATION: "n.year",
    Label.ACTION: "toInteger(substring(n.due_date, 0, 4))",
    Label.AUDIT: "toInteger(substring(n.date, 0, 4))",
}

_TEXT_PROPS: Final[dict[Label, tuple[str, ...]]] = {
    Label.BOARD: ("name", "region"),
    Label.REVIEW: ("title", "summary", "pseudonym"),
    Label.RECOMMENDATION: ("text",),
    Label.AGENCY: ("name",),
    Label.SECTOR: ("label", "id"),
    Label.THEME: ("label", "id", "description"),
    Label.ACTION: ("description",),
    Label.AUDIT: ("finding", "evidence", "method"),
}

# Path from `n` to the recommendation(s) whose board / theme a node follows.
_TO_REC: Final[dict[Label, str]] = {
    Label.RECOMMENDATION: "(n)",
    Label.ACTION: "(n)-[:RESPONDS_TO]->(rec:Recommendation)",
    Label.AUDIT: "(n)-[:CHECKS]->(:Action)-[:RESPONDS_TO]->(rec:Recommendation)",
}
# Path from `n` to the agency it concerns.
_TO_AGENCY: Final[dict[Label, str]] = {
    Label.REVIEW: "(n)-[:MAKES]->(:Recommendation)-[:ADDRESSED_TO]->(ag:Agency)",
    Label.RECOMMENDATION: "(n)-[:ADDRESSED_TO]->(ag:Agency)",
    Label.ACTION: "(n)-[:OWNED_BY]->(ag:Agency)",
    Label.AUDIT: "(n)-[:CHECKS]->(:Action)-[:OWNED_BY]->(ag:Agency)",
}


# A recommendation's impact verdict (queries.trace.impact_verdict) from the ratings of its
# actions' audits in time order: `rs` is that list.
_VERDICT_EXPR: Final = (
    "[rs IN [COLLECT { MATCH (n)<-[:RESPONDS_TO]-(:Action)<-[:CHECKS]-(vau:Audit) "
    "WITH vau ORDER BY vau.date, vau.id RETURN vau.rating }] | "
    "CASE WHEN size(rs) = 0 THEN 'not_audited' "
    "WHEN last(rs) <> 'embedded' AND 'embedded' IN rs[..-1] THEN 'slipped_back' "
    "ELSE last(rs) END][0]"
)


def _filter_fragments(label: Label) -> dict[str, str]:
    """Cypher WHERE fragments, per filter key, that apply to a label."""
    f: dict[str, str] = {}
    if label in _YEAR_EXPR:
        f["year_from"] = f"{_YEAR_EXPR[label]} >= $year_from"
        f["year_to"] = f"{_YEAR_EXPR[label]} <= $year_to"
    if label == Label.REVIEW:
        f["board"] = "n.board_id = $board"
        f["theme"] = "EXISTS { MATCH (n)-[:RAISES]->(:Theme {id: $theme}) }"
        f["status"] = "n.status = $status"
        f["kind"] = "n.review_type = $kind"
        f["age_band"] = "n.age_band = $age_band"
    elif label == Label.RECOMMENDATION:
        f["board"] = "n.board_id = $board"
        f["theme"] = "EXISTS { MATCH (n)-[:TAGGED]->(:Theme {id: $theme}) }"
        f["status"] = "n.status = $status"
        f["kind"] = "EXISTS { MATCH (kr:Review)-[:MAKES]->(n) WHERE kr.review_type = $kind }"
        f["verdict"] = f"{_VERDICT_EXPR} = $verdict"
    elif label in (Label.ACTION, Label.AUDIT):
        path = _TO_REC[label]
        f["board"] = f"EXISTS {{ MATCH {path} WHERE rec.board_id = $board }}"
        f["theme"] = f"EXISTS {{ MATCH {path}-[:TAGGED]->(:Theme {{id: $theme}}) }}"
        if label == Label.ACTION:
            f["status"] = "n.status = $status"
            f["overdue_as_of"] = "n.status IN $open_actions AND n.due_date < $overdue_as_of"
        else:
            f["rating"] = "n.rating = $rating"
            f["date_from"] = "n.date >= $date_from"
            f["date_to"] = "n.date <= $date_to"
    elif label == Label.AGENCY:
        f["sector"] = "n.sector = $sector"
    elif label == Label.THEME:
        f["category"] = "n.category = $category"
        f["kind"] = "n.kind = $kind"
    elif label == Label.BOARD:
        f["kind"] = "n.kind = $kind"
        f["region"] = "n.region = $region"
    if label in _TO_AGENCY:
        path = _TO_AGENCY[label]
        f["agency"] = f"EXISTS {{ MATCH {path} WHERE ag.id = $agency }}"
        f["sector"] = f"EXISTS {{ MATCH {path} WHERE ag.sector = $sector }}"
    f["text"] = (
        "("
        + " OR ".join(f"toLower(coalesce(n.{p}, '')) CONTAINS $text" for p in _TEXT_PROPS[label])
        + ")"
    )
    return f


_FILTERS: Final = {lb: _filter_fragments(lb) for lb in ENTITY_LABELS}


@dataclass(frozen=True)
class ListArgs:
    """Checked arguments of a list read."""

    label: Label
    filters: dict[str, Any]
    sort: str
    descending: bool
    offset: int
    limit: int
    ids: list[str] | None
    want_total: bool = True
    with_: Nest = ()
    # Keyset pagination: the (sort value, id) of the row the page follows, and whether to
    # read one row more than the page to say if more follow (`more`).
    after: tuple[Any, str] | None = None
    peek: bool = False


def _after_arg(raw: Any) -> tuple[Any, str] | None:
    """A keyset position `{"value": v, "id": key}`: where a page continues from."""
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or set(raw) != {"value", "id"}:
        raise EntityQueryError(
            f"after {raw!r}: expected {{'value': the last row's sort value, 'id': its id}}"
        )
    value, key = raw["value"], raw["id"]
    if not isinstance(key, str) or not (
        value is None or (isinstance(value, int | float | str) and not isinstance(value, bool))
    ):
        raise EntityQueryError(
            f"after {dict(raw)!r}: the id must be text and the value null, a number or text"
        )
    return value, key


def list_args(params: Mapping[str, Any]) -> ListArgs:
    """Check a list read's parameters, saying what was wrong."""
    label = _label(params)
    raw = dict(params.get("filter") or {})
    filters = {k: v for k, v in raw.items() if v is not None}
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise EntityQueryError(f"unknown filter(s) {sorted(unknown)}; expected {FILTER_KEYS}")
    wrong = set(filters) - set(_FILTERS[label])
    if wrong:
        raise EntityQueryError(
            f"filter(s) {sorted(wrong)} do not apply to {label.value}; "
            f"it takes {sorted(_FILTERS[label])}"
        )
    if "text" in filters:
        filters["text"] = str(filters["text"]).lower()
    for d in DATE_FILTERS:
        if d in filters:
            try:
                filters[d] = dt.date.fromisoformat(str(filters[d])).isoformat()
            except ValueError as e:
                raise EntityQueryError(
                    f"filter {d} {filters[d]!r} is not an ISO date (YYYY-MM-DD)"
                ) from e
    for y in ("year_from", "year_to"):
        if y in filters:
            filters[y] = int(filters[y])
    sort = str(params.get("sort") or SORT_FIELDS[label][0])
    if sort not in SORT_FIELDS[label]:
        raise EntityQueryError(
            f"cannot sort {label.value} by {sort!r}; expected one of {SORT_FIELDS[label]}"
        )
    offset = int(params.get("offset") or 0)
    raw_limit = params.get("limit")
    limit = 20 if raw_limit is None else int(raw_limit)
    if offset < 0 or limit < 0 or limit > MAX_LIMIT:
        raise EntityQueryError(f"offset must be >= 0 and limit between 0 and {MAX_LIMIT}")
    ids = params.get("ids")
    after = _after_arg(params.get("after"))
    if after is not None and offset:
        raise EntityQueryError("give `after` (a keyset position) or `offset`, not both")
    return ListArgs(
        label=label,
        filters=filters,
        sort=sort,
        descending=bool(params.get("descending")),
        offset=offset,
        limit=limit,
        ids=None if ids is None else [str(i) for i in ids],
        want_total=bool(params.get("want_total", True)),
        with_=nest_args(label, params.get("with")),
        after=after,
        peek=bool(params.get("peek")),
    )


def _seek_cypher(a: ListArgs) -> str:
    """The page's keyset predicate: the rows after `a.after` in the list's order (nulls last
    ascending and first descending, ties by id ascending), one of a few constant texts."""
    if a.after is None:
        return ""
    s = f"n.{a.sort}"
    if a.sort == "id":
        return "n.id < $after_id" if a.descending else "n.id > $after_id"
    null = a.after[0] is None
    if not a.descending:
        if null:
            return f"{s} IS NULL AND n.id > $after_id"
        return f"({s} > $after_value OR ({s} = $after_value AND n.id > $after_id) OR {s} IS NULL)"
    if null:
        return f"({s} IS NOT NULL OR n.id > $after_id)"
    return f"({s} < $after_value OR ({s} = $after_value AND n.id > $after_id))"


def list_cypher(a: ListArgs) -> str:
    """The Cypher of a list read, assembled from constant fragments only.

    The count runs only when `want_total` asks for it, and by itself (no properties, no
    sort); the page is a top-k on the sort property, named in the text from the closed set
    `SORT_FIELDS` (never `n[$sort]`, which no index or top-k can serve). `with_` adds each
    item's neighbours, nested, in the same statement.
    """
    where = [_vis(a.label, "n")]
    if a.ids is not None:
        where.append("n.id IN $ids")
    where += [_FILTERS[a.label][k] for k in sorted(a.filters)]
    match = f"MATCH (n:{a.label.value}) WHERE {' AND '.join(where)}"
    if a.sort not in SORT_FIELDS[a.label]:  # list_args checks it; the text never takes another
        raise EntityQueryError(f"cannot sort {a.label.value} by {a.sort!r}")
    direction = "DESC" if a.descending else "ASC"
    order = f"n.id {direction}" if a.sort == "id" else f"n.{a.sort} {direction}, n.id ASC"
    nb = f", nb: {_nest_map(a.label, 'n', a.with_, 0)}" if a.with_ else ""
    parts = []
    seek = _seek_cypher(a)
    page_match = f"{match} AND {seek}" if seek else match
    skip = "" if a.after is not None else "SKIP $offset "
    # The page before the count: with the count first, the planner ran the page's nested
    # neighbours some 100 times slower (7 s against 65 ms for a page of 100 of 2,000).
    if a.limit > 0 or a.peek:
        parts.append(
            f"CALL () {{ {page_match} WITH n ORDER BY {order} {skip}LIMIT $limit "
            f"RETURN collect({{item: properties(n){nb}}}) AS rows }}"
        )
    if a.want_total:
        parts.append(f"CALL () {{ {match} RETURN count(n) AS total }}")
    total = "total" if a.want_total else "null AS total"
    rows = "rows" if a.limit > 0 or a.peek else "[] AS rows"
    if not parts:
        return f"RETURN {total}, {rows}"
    return f"{' '.join(parts)} RETURN {total}, {rows}"


ListResult = dict[str, Any]


def _list_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> ListResult:
    a = list_args(params)
    p: dict[str, Any] = {
        **a.filters,
        "statuses": viewer.statuses,
        "open_actions": list(OPEN_ACTION_STATUSES),
        "offset": a.offset,
        "limit": a.limit + (1 if a.peek else 0),
    }
    if a.ids is not None:
        p["ids"] = a.ids
    if a.after is not None:
        p["after_value"], p["after_id"] = a.after
    rows = store.read(list_cypher(a), p)
    total = rows[0]["total"] if rows else 0
    found = rows[0]["rows"] if rows else []
    more = len(found) > a.limit
    found = found[: a.limit]
    items = [dict(x["item"]) for x in found]
    out: ListResult = {
        "total": None if total is None else int(total),
        "items": items,
        "keys": [[i.get(a.sort), str(i.get("id"))] for i in items],
    }
    if a.peek:
        out["more"] = more
    if a.with_:
        nbs: NestedNeighbours = {}
        for x in found:
            _collect_nested(a.with_, str(x["item"]["id"]), x["nb"], nbs)
        out["neighbours"] = nbs
    return out


# -- the embedded store: SQL over the typed columns (queries._sql) -----------------------------

# The year a node's year-range filter reads (as _YEAR_EXPR): a review's or recommendation's
# own, an action's due date's and an audit's date's, where that date starts with a year.
_YEAR_SQL: Final[dict[Label, str]] = {
    Label.REVIEW: "n.c_year",
    Label.RECOMMENDATION: "n.c_year",
    Label.ACTION: "(CASE WHEN substr(n.c_due_date, 1, 4) GLOB '[0-9][0-9][0-9][0-9]' "
    "THEN CAST(substr(n.c_due_date, 1, 4) AS INTEGER) END)",
    Label.AUDIT: "(CASE WHEN substr(n.c_date, 1, 4) GLOB '[0-9][0-9][0-9][0-9]' "
    "THEN CAST(substr(n.c_date, 1, 4) AS INTEGER) END)",
}

# From `n` to the recommendation(s) whose board / themes it follows, as SQL joins ending in
# `rec_id` (the recommendation's id), for actions and audits.
_REC_JOIN: Final[dict[Label, tuple[str, str, str]]] = {
    Label.ACTION: ("rels fx", "fx.type = 'RESPONDS_TO' AND fx.src = n.id", "fx.dst"),
    Label.AUDIT: (
        "rels fc CROSS JOIN rels fx ON fx.type = 'RESPONDS_TO' AND fx.src = fc.dst",
        "fc.type = 'CHECKS' AND fc.src = n.id",
        "fx.dst",
    ),
}
# From `n` to the agency it concerns: (FROM, WHERE, agency id expression).
_AGENCY_JOIN: Final[dict[Label, tuple[str, str, str]]] = {
    Label.REVIEW: (
        "rels fm CROSS JOIN rels fa ON fa.type = 'ADDRESSED_TO' AND fa.src = fm.dst",
        "fm.type = 'MAKES' AND fm.src = n.id",
        "fa.dst",
    ),
    Label.RECOMMENDATION: ("rels fa", "fa.type = 'ADDRESSED_TO' AND fa.src = n.id", "fa.dst"),
    Label.ACTION: ("rels fo", "fo.type = 'OWNED_BY' AND fo.src = n.id", "fo.dst"),
    Label.AUDIT: (
        "rels fc CROSS JOIN rels fo ON fo.type = 'OWNED_BY' AND fo.src = fc.dst",
        "fc.type = 'CHECKS' AND fc.src = n.id",
        "fo.dst",
    ),
}

# A recommendation's impact verdict (queries.trace.impact_verdict) from its actions' audits
# in time order, as SQL over `n`: the latest audit's rating, or slipped_back when that is not
# `embedded` but an earlier one was, or not_audited without audits.
_AUDITS_OF_REC: Final = (
    "FROM rels vx2 CROSS JOIN rels vc2 ON vc2.type = 'CHECKS' AND vc2.dst = vx2.src "
    "CROSS JOIN nodes au ON au.label = 'Audit' AND au.id = vc2.src "
    "WHERE vx2.type = 'RESPONDS_TO' AND vx2.dst = n.id"
)
_VERDICT_SQL: Final = (
    "(SELECT CASE WHEN lr.rating IS NULL AND NOT EXISTS (SELECT 1 "
    + _AUDITS_OF_REC
    + ") THEN 'not_audited' "
    "WHEN coalesce(lr.rating, 'None') <> 'embedded' AND EXISTS (SELECT 1 "
    + _AUDITS_OF_REC
    + " AND au.c_rating = 'embedded') THEN 'slipped_back' "
    "ELSE coalesce(lr.rating, 'None') END FROM (SELECT (SELECT au.c_rating "
    + _AUDITS_OF_REC
    + " ORDER BY coalesce(au.c_date, '') DESC, au.id DESC LIMIT 1) AS rating) lr)"
)


def _sql_filters(label: Label) -> dict[str, str]:
    """SQL predicates over `n`, per filter key, with the same meaning as _matches had."""
    f: dict[str, str] = {}
    if label in _YEAR_SQL:
        f["year_from"] = f"{_YEAR_SQL[label]} >= :year_from"
        f["year_to"] = f"{_YEAR_SQL[label]} <= :year_to"
    for k in ("status", "rating", "category", "age_band", "region"):
        f[k] = f"{prop_sql(label, k)} = :{k}"
    if label == Label.REVIEW:
        f["kind"] = "n.c_review_type = :kind"
    elif label == Label.RECOMMENDATION:
        f["kind"] = (
            "EXISTS (SELECT 1 FROM rels km CROSS JOIN nodes kr ON kr.label = 'Review' "
            "AND kr.id = km.src WHERE km.type = 'MAKES' AND km.dst = n.id "
            "AND kr.c_review_type = :kind)"
        )
        f["verdict"] = f"{_VERDICT_SQL} = :verdict"
    else:
        f["kind"] = f"{prop_sql(label, 'kind')} = :kind"
    f["overdue_as_of"] = (
        f"{prop_sql(label, 'status')} IN ({', '.join(repr(s) for s in OPEN_ACTION_STATUSES)}) "
        f"AND {prop_sql(label, 'due_date')} < :overdue_as_of"
    )
    f["date_from"] = f"coalesce({prop_sql(label, 'date')}, '') >= :date_from"
    f["date_to"] = (
        f"coalesce({prop_sql(label, 'date')}, '') <> '' AND {prop_sql(label, 'date')} <= :date_to"
    )
    if label in (Label.REVIEW, Label.RECOMMENDATION):
        f["board"] = "n.c_board_id = :board"
        rel = "RAISES" if label == Label.REVIEW else "TAGGED"
        f["theme"] = (
            f"EXISTS (SELECT 1 FROM rels ft WHERE ft.type = '{rel}' AND ft.src = n.id "
            "AND ft.dst = :theme)"
        )
    elif label in _REC_JOIN:
        frm, where, rec = _REC_JOIN[label]
        f["board"] = (
            f"EXISTS (SELECT 1 FROM {frm} CROSS JOIN nodes fr ON fr.label = 'Recommendation' "
            f"AND fr.id = {rec} WHERE {where} AND fr.c_board_id = :board)"
        )
        f["theme"] = (
            f"EXISTS (SELECT 1 FROM {frm} CROSS JOIN rels ft ON ft.type = 'TAGGED' AND ft.src = {rec} "
            f"AND ft.dst = :theme WHERE {where})"
        )
    if label in _AGENCY_JOIN:
        frm, where, ag = _AGENCY_JOIN[label]
        f["agency"] = f"EXISTS (SELECT 1 FROM {frm} WHERE {where} AND {ag} = :agency)"
        f["sector"] = (
            f"EXISTS (SELECT 1 FROM {frm} CROSS JOIN nodes fg ON fg.label = 'Agency' AND fg.id = {ag} "
            f"WHERE {where} AND fg.c_sector = :sector)"
        )
    elif label == Label.AGENCY:
        f["sector"] = "n.c_sector = :sector"
    f["text"] = (
        "("
        + " OR ".join(f"py_contains({prop_sql(label, p)}, :text)" for p in _TEXT_PROPS[label])
        + ")"
    )
    return {k: v for k, v in f.items() if k in _FILTERS[label]}


_SQL_FILTERS: Final = {lb: _sql_filters(lb) for lb in ENTITY_LABELS}


def _list_where(a: ListArgs, many: bool = True) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (over `n`) and parameters of a list read's matching nodes. `many`:
    visibility as one set of ids (to count them all) instead of node by node (a page walks
    the sort index and stops at its end)."""
    where = ["n.label = :label", vis_all_sql(a.label) if many else vis_sql(a.label)]
    params: dict[str, Any] = {"label": a.label.value, **a.filters}
    if a.ids is not None:
        where.append(f"n.id IN {IN_IDS}")
        params["ids"] = ids_param(a.ids)
    where += [_SQL_FILTERS[a.label][k] for k in sorted(a.filters)]
    return " AND ".join(where), params


def _order_sql(a: ListArgs) -> str:
    """Nulls last ascending, first descending; ties by id (as the Cypher orders)."""
    expr = prop_sql(a.label, a.sort)
    if a.sort == "id":
        return f"n.id {'DESC' if a.descending else 'ASC'}"
    d = " DESC" if a.descending else ""
    return f"{expr} IS NULL{d}, {expr}{d}, n.id"


def _seek_sql(a: ListArgs) -> str:
    """The page's keyset predicate over `n` (as _seek_cypher): the rows after `a.after` in
    `_order_sql`'s order. From a value, a range on the label's (nulls last, value, id) index:
    the always-true first term on the index's `IS NULL` column is what makes SQLite seek to
    the position instead of reading the index from its start (measured at national scale, a
    page 50 deep: 1-3 ms against 2-14 ms for the row value alone; descending, whose ties
    read by id ascending, sorts each tie group it reaches)."""
    if a.after is None:
        return ""
    if a.sort == "id":
        return "n.id < :after_id" if a.descending else "n.id > :after_id"
    e = prop_sql(a.label, a.sort)
    null = a.after[0] is None
    if not a.descending:
        if null:
            return f"{e} IS NULL AND n.id > :after_id"
        return f"({e} IS NULL) >= 0 AND ({e} IS NULL, {e}, n.id) > (0, :after_value, :after_id)"
    if null:
        return f"({e} IS NOT NULL OR n.id > :after_id)"
    return (
        f"({e} IS NULL) <= 0 AND ({e} IS NULL, {e}) <= (0, :after_value) "
        f"AND ({e} < :after_value OR n.id > :after_id)"
    )


def _list_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> ListResult:
    a = list_args(params)
    where, p = _list_where(a, many=False)
    p.update(statuses_params(viewer))
    # Without a total asked for (`want_total` False), or asked to `peek`, one row more than
    # the page says whether a further page exists (without a count, the total answered is
    # only that lower bound).
    count = a.want_total
    extra = 1 if a.peek or not count else 0
    seek = _seek_sql(a)
    sort_value = "NULL" if a.sort == "id" else prop_sql(a.label, a.sort)
    keys: list[list[Any]] = []
    with reading(store) as cur:
        items: list[Row] = []
        if a.limit + extra:
            page = (
                f"SELECT n.props, {sort_value}, n.id FROM nodes n WHERE {where}"
                f"{' AND ' + seek if seek else ''} ORDER BY {_order_sql(a)} "
            )
            got = cur.execute(
                page + ("LIMIT :limit" if seek else "LIMIT :limit OFFSET :offset"),
                {
                    **p,
                    "limit": a.limit + extra,
                    "offset": a.offset,
                    **({"after_value": a.after[0], "after_id": a.after[1]} if a.after else {}),
                },
            ).fetchall()
            items = [props_of(r[0]) for r in got]
            keys = [[r[2] if a.sort == "id" else r[1], r[2]] for r in got[: a.limit]]
        if count:
            every = vis_count_sql(a.label) if not a.filters and a.ids is None else None
            if every is None:
                where, p = _list_where(a)
                p.update(statuses_params(viewer))
                every = f"SELECT count(*) FROM nodes n WHERE {where}"
            total = int(cur.execute(every, p).fetchone()[0])
        else:
            total = a.offset + len(items)
    out: ListResult = {"total": total, "items": items[: a.limit], "keys": keys}
    if a.peek:
        out["more"] = len(items) > a.limit
    return out


LIST = register(
    Query(
        name="entities.list",
        description="A filtered, sorted page of one label's visible nodes, with the total "
        "count: {total, items: [properties]}. Nulls sort last ascending, first descending; "
        "ties by id.",
        params={
            "label": "str: an entity label",
            "filter": f"dict: keys among {', '.join(FILTER_KEYS)} (text matches case-"
            "insensitively within the label's text properties)",
            "sort": "str: a property (default: the label's first sort field)",
            "descending": "bool (default false)",
            "offset": "int (default 0)",
            "after": "dict | None: {value, id}, keyset pagination: the page starts after the "
            "row with this sort value and id (in place of `offset`); each answer's `keys` gives "
            "its items' [sort value, id]",
            "peek": "bool (default false): read one row more, and answer `more`: whether rows "
            "follow the page",
            "limit": f"int (default 20, at most {MAX_LIMIT})",
            "ids": "list[str] | None: only among these ids",
            "want_total": "bool (default true): false skips the count, and `total` may then "
            "be null",
            "with": "dict | None: {edge: {edge: ...} | None}, neighbours of each item to "
            f"fetch in the same statement (at most {MAX_NEST_EDGES} edges, "
            f"{MAX_NEST_DEPTH} deep); the Neo4j store then adds `neighbours`: {{edge: "
            "{parent id: rows as entities.neighbours gives them}}, the embedded store leaves "
            "them to entities.neighbours",
        },
        cypher=list_cypher(ListArgs(Label.REVIEW, {}, "year", False, 0, 20, None)),
        neo4j=_list_neo4j,
        embedded=_list_embedded,
        extra_cypher={
            **{
                f"list.{lb.value}.all_filters": list_cypher(
                    ListArgs(
                        lb, dict.fromkeys(_FILTERS[lb], ""), SORT_FIELDS[lb][0], True, 0, 20, []
                    )
                )
                for lb in ENTITY_LABELS
            },
            **{
                f"list.{lb.value}.by.{field}.no_total": list_cypher(
                    ListArgs(lb, {}, field, False, 0, 20, None, want_total=False)
                )
                for lb in ENTITY_LABELS
                for field in SORT_FIELDS[lb]
            },
            "list.Recommendation.with_neighbours": list_cypher(
                ListArgs(
                    Label.RECOMMENDATION,
                    {},
                    "year",
                    False,
                    0,
                    100,
                    None,
                    with_=nest_args(
                        Label.RECOMMENDATION,
                        {
                            "recommendation.review": {"review.board": None},
                            "recommendation.themes": None,
                            "recommendation.actions": {"action.audits": None},
                            "recommendation.agencies": None,
                        },
                    ),
                )
            ),
        },
    )
)


# -- entities.counts -------------------------------------------------------------------------

# What counts can be grouped by, per label: the Cypher list of a node's values for each
# dimension (an item with several, e.g. themes, counts once in each of their groups; one with
# none counts in the group whose value is null).
_DIMENSIONS: Final[dict[Label, dict[str, str]]] = {
    Label.REVIEW: {
        "year": "[n.year]",
        "board": "[n.board_id]",
        "theme": "COLLECT { MATCH (n)-[:RAISES]->(dt:Theme) RETURN DISTINCT dt.id }",
        "sector": "COLLECT { MATCH (n)-[:MAKES]->(:Recommendation)-[:ADDRESSED_TO]->(da:Agency) "
        "RETURN DISTINCT da.sector }",
        "status": "[n.status]",
        "kind": "[n.review_type]",
    },
    Label.RECOMMENDATION: {
        "year": "[n.year]",
        "board": "[n.board_id]",
        "theme": "COLLECT { MATCH (n)-[:TAGGED]->(dt:Theme) RETURN DISTINCT dt.id }",
        "sector": "COLLECT { MATCH (n)-[:ADDRESSED_TO]->(da:Agency) RETURN DISTINCT da.sector }",
        "status": "[n.status]",
        "verdict": f"[{_VERDICT_EXPR}]",
        "kind": "COLLECT { MATCH (dr:Review)-[:MAKES]->(n) RETURN DISTINCT dr.review_type }",
    },
}
MAX_GROUP_BY: Final = 2


@dataclass(frozen=True)
class CountArgs:
    """Checked arguments of a grouped count."""

    base: ListArgs
    group_by: tuple[str, ...]


def count_args(params: Mapping[str, Any]) -> CountArgs:
    """Check a grouped count's parameters, saying what was wrong."""
    a = list_args({**params, "sort": None, "offset": 0, "limit": 0})
    dims = _DIMENSIONS.get(a.label)
    if dims is None:
        raise EntityQueryError(
            f"counts are for {', '.join(lb.value for lb in _DIMENSIONS)}, not {a.label.value}"
        )
    group_by = tuple(str(g) for g in params.get("group_by") or ())
    if not 1 <= len(group_by) <= MAX_GROUP_BY or len(set(group_by)) != len(group_by):
        raise EntityQueryError(
            f"group_by {list(group_by)}: give one or {MAX_GROUP_BY} different dimensions"
        )
    wrong = [g for g in group_by if g not in dims]
    if wrong:
        raise EntityQueryError(
            f"cannot group {a.label.value} by {wrong}; expected among {', '.join(dims)}"
        )
    return CountArgs(a, group_by)


def count_cypher(c: CountArgs) -> str:
    """The Cypher of a grouped count, assembled from constant fragments only."""
    a = c.base
    where = [_vis(a.label, "n")] + [_FILTERS[a.label][k] for k in sorted(a.filters)]
    dims = _DIMENSIONS[a.label]
    lists = ", ".join(f"{dims[g]} AS l{i}" for i, g in enumerate(c.group_by))
    unwinds = " ".join(
        f"UNWIND CASE WHEN size(l{i}) = 0 THEN [null] ELSE l{i} END AS g{i}"
        for i in range(len(c.group_by))
    )
    keys = ", ".join(f"g{i}" for i in range(len(c.group_by)))
    return (
        f"MATCH (n:{a.label.value}) WHERE {' AND '.join(where)} "
        f"WITH n, {lists} {unwinds} "
        f"RETURN {keys}, count(DISTINCT n) AS count"
    )


def _group_order(row: Row, group_by: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple((row[g] is None, row[g] if row[g] is not None else 0) for g in group_by)


def _counts_answer(c: CountArgs, total: int, groups: list[Row]) -> dict[str, Any]:
    groups.sort(key=lambda r: _group_order(r, c.group_by))
    return {"group_by": list(c.group_by), "total": total, "groups": groups}


def _counts_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> dict[str, Any]:
    c = count_args(params)
    p: dict[str, Any] = {
        **c.base.filters,
        "statuses": viewer.statuses,
        "open_actions": list(OPEN_ACTION_STATUSES),
    }
    groups = [
        {**{g: r[f"g{i}"] for i, g in enumerate(c.group_by)}, "count": int(r["count"])}
        for r in store.read(count_cypher(c), p)
    ]
    total = _list_neo4j(store, {**params, "offset": 0, "limit": 0}, viewer)["total"]
    return _counts_answer(c, int(total), groups)


# A dimension with one value per item, as SQL over `n`.
_DIM_SCALAR_SQL: Final[dict[Label, dict[str, str]]] = {
    Label.REVIEW: {
        "year": "n.c_year",
        "board": "n.c_board_id",
        "status": "n.c_status",
        "kind": "n.c_review_type",
    },
    Label.RECOMMENDATION: {
        "year": "n.c_year",
        "board": "n.c_board_id",
        "status": "n.c_status",
        "verdict": _VERDICT_SQL,
    },
}
# A dimension with several values per item: (item id, value) for the matching items `m`.
_SECTOR_OF_RECS: Final = (
    "SELECT DISTINCT {item}, g.c_sector FROM {frm} "
    "CROSS JOIN nodes g ON g.label = 'Agency' AND g.id = fa.dst "
    "WHERE {where} AND g.c_sector IS NOT NULL"
)
_DIM_MULTI_SQL: Final[dict[Label, dict[str, str]]] = {
    Label.REVIEW: {
        "theme": "SELECT DISTINCT src, dst FROM rels WHERE type = 'RAISES' "
        "AND src IN (SELECT id FROM m)",
        "sector": _SECTOR_OF_RECS.format(
            item="fm.src",
            frm="rels fm CROSS JOIN rels fa ON fa.type = 'ADDRESSED_TO' AND fa.src = fm.dst",
            where="fm.type = 'MAKES' AND fm.src IN (SELECT id FROM m)",
        ),
    },
    Label.RECOMMENDATION: {
        "theme": "SELECT DISTINCT src, dst FROM rels WHERE type = 'TAGGED' "
        "AND src IN (SELECT id FROM m)",
        "sector": _SECTOR_OF_RECS.format(
            item="fa.src",
            frm="rels fa",
            where="fa.type = 'ADDRESSED_TO' AND fa.src IN (SELECT id FROM m)",
        ),
        "kind": "SELECT DISTINCT km.dst, kr.c_review_type FROM rels km CROSS JOIN nodes kr "
        "ON kr.label = 'Review' AND kr.id = km.src WHERE km.type = 'MAKES' "
        "AND km.dst IN (SELECT id FROM m) AND kr.c_review_type IS NOT NULL",
    },
}


def _counts_embedded(
    store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer
) -> dict[str, Any]:
    c = count_args(params)
    a = c.base
    where, p = _list_where(a)
    p.update(statuses_params(viewer))
    scalar = [g for g in c.group_by if g in _DIM_SCALAR_SQL[a.label]]
    cols = "".join(f", {_DIM_SCALAR_SQL[a.label][g]}" for g in scalar)
    values: dict[str, dict[str, list[Any]]] = {}
    with reading(store) as cur:
        for row in cur.execute(f"SELECT n.id{cols} FROM nodes n WHERE {where}", p):
            values[row[0]] = {g: [row[i + 1]] for i, g in enumerate(scalar)}
        for g in c.group_by:
            if g in scalar:
                continue
            sql = f"WITH m AS (SELECT n.id FROM nodes n WHERE {where}) {_DIM_MULTI_SQL[a.label][g]}"
            for k, v in cur.execute(sql, p):
                values[k].setdefault(g, []).append(v)
    counts: dict[tuple[Any, ...], int] = {}
    for dims in values.values():
        combos: list[tuple[Any, ...]] = [()]
        for g in c.group_by:
            vals = dims.get(g) or [None]
            combos = [(*combo, v) for combo in combos for v in vals]
        for combo in set(combos):
            counts[combo] = counts.get(combo, 0) + 1
    groups = [
        {**dict(zip(c.group_by, combo, strict=True)), "count": n} for combo, n in counts.items()
    ]
    return _counts_answer(c, len(values), groups)


COUNTS = register(
    Query(
        name="entities.counts",
        description="Visible reviews or recommendations matching a filter, counted by one or "
        "two dimensions: {group_by, total, groups: [{<dimension>: value, count}]}, groups "
        "ordered by their values (nulls last). An item with several values of a dimension "
        "(themes, sectors) counts in each of their groups; `total` counts each item once.",
        params={
            "label": "str: Review or Recommendation",
            "group_by": "list[str]: one or two of year, board, theme, sector, status, kind "
            "(and verdict, for recommendations)",
            "filter": "dict: as for entities.list",
        },
        cypher=count_cypher(
            CountArgs(ListArgs(Label.RECOMMENDATION, {}, "year", False, 0, 0, None), ("year",))
        ),
        neo4j=_counts_neo4j,
        embedded=_counts_embedded,
        extra_cypher={
            f"counts.{lb.value}.{d1}.{d2}": count_cypher(
                CountArgs(
                    ListArgs(lb, dict.fromkeys(_FILTERS[lb], ""), "year", False, 0, 0, None),
                    (d1, d2),
                )
            )
            for lb, dims in _DIMENSIONS.items()
            for d1, d2 in zip(list(dims), [*list(dims)[1:], next(iter(dims))], strict=True)
        },
    )
)

__all__ = [
    "COUNTS",
    "EDGES",
    "ENTITY_LABELS",
    "FILTER_KEYS",
    "GET",
    "KEYS",
    "LIST",
    "NEIGHBOURS",
    "SORT_FIELDS",
    "VOCABULARY_LABELS",
    "CountArgs",
    "Edge",
    "EntityQueryError",
    "ListArgs",
    "count_args",
    "count_cypher",
    "list_args",
    "list_cypher",
    "visible",
]
