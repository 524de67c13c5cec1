"""search: full-text search over reviews and recommendations, with highlighted matches.

Contract (both backends): a hit is a visible review or recommendation whose indexed text
(graph_schema.fulltext_indexes: review title and summary, recommendation text) contains
**every** search term as a whole word, case-insensitively. Terms are the words of the text as
Lucene's standard tokenizer splits them (letters, digits and underscores, joined by an
apostrophe or full stop between letters or between digits); no stemming, no operators, so
Lucene syntax typed by a user is harmless. Each backend's own index supplies candidates
(Neo4j: db.index.fulltext.queryNodes with every term quoted and ANDed; embedded: SQLite FTS5
with every word required) and the exact word rule above settles the hit set, so both return
the same ids.

Scores are BM25 (k1 = 1.2, b = 0.75, Lucene's idf) computed here, not by the index, over the
documents **the viewer may see** only (issue 17): N is the number of visible documents of the
searched kinds, a term's document frequency the number of visible documents that hold it as a
whole word, and lengths are in characters of indexed text. The backends' own scores count
hidden rows (the indexes hold every review), so from them and public texts alone one could
count the hidden documents; these scores depend on visible records only, and are the same on
both backends. Hits are ordered by score (highest first), then kind, then id; `limit` cuts
that order.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph_schema import Label, RelType, fulltext_indexes
from graph_store import EmbeddedStore, Neo4jStore
from queries._common import Params, QueryParamError, load_cypher
from queries._sql import ends, nodes_by_id, params_with, reading, vis_all_sql
from queries.base import Query, Viewer, register

NAME = "search"
CYPHER = load_cypher(NAME)
STATS_CYPHER = load_cypher("search_stats")
K1 = 1.2
B = 0.75

KINDS = {"review": Label.REVIEW.value, "recommendation": Label.RECOMMENDATION.value}
_FIELDS = {ft.label: ft.props for ft in fulltext_indexes()}
_INDEX = {ft.label: ft.name for ft in fulltext_indexes()}
_RUN = re.compile(r"\w+")
_JOIN_LETTERS = ".'’"
_JOIN_DIGITS = ".,;'’"
FRAGMENT = 160  # characters of context in a highlight


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Words as (start, end, lower-case word), split as Lucene's standard tokenizer does."""
    out: list[tuple[int, int, str]] = []
    for m in _RUN.finditer(text):
        s, e = m.span()
        if out and out[-1][1] + 1 == s:
            ps, pe, _ = out[-1]
            sep, before, after = text[pe], text[pe - 1], text[s]
            if (before.isalpha() and after.isalpha() and sep in _JOIN_LETTERS) or (
                before.isdigit() and after.isdigit() and sep in _JOIN_DIGITS
            ):
                out[-1] = (ps, e, text[ps:e].lower())
                continue
        out.append((s, e, text[s:e].lower()))
    return out


def terms(text: str) -> list[str]:
    """The distinct search terms of a user's text, in order."""
    seen: dict[str, None] = {}
    for _, _, w in tokens(text):
        seen.setdefault(w, None)
    return list(seen)


def lucene_query(words: Iterable[str]) -> str:
    """Every term as a quoted phrase, all required: user text cannot inject Lucene syntax."""
    quoted = []
    for w in words:
        esc = w.replace("\\", "\\\\").replace('"', '\\"')
        quoted.append(f'"{esc}"')
    return " AND ".join(quoted)


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    p = Params(NAME, params)
    text = p.req_str("text")
    kinds = p.str_list("kinds") or sorted(KINDS)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise QueryParamError(
            f"query {NAME!r}: kinds {bad} unknown; use {', '.join(sorted(KINDS))}"
        )
    limit = p.int_("limit", 20)
    assert limit is not None
    if limit < 1:
        raise QueryParamError(f"query {NAME!r}: limit={limit} must be 1 or more")
    return {"text": text, "kinds": kinds, "limit": limit, "terms": terms(text)}


def highlight(field: str, text: str, words: set[str]) -> dict[str, Any] | None:
    """A fragment of `text` around its first match, the match spans, and an HTML version."""
    spans = [(s, e) for s, e, w in tokens(text) if w in words]
    if not spans:
        return None
    start = 0 if len(text) <= FRAGMENT else max(0, spans[0][0] - FRAGMENT // 4)
    end = min(len(text), start + FRAGMENT)
    frag = text[start:end]
    local = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    parts, at = [], 0
    for s, e in local:
        parts.append(html.escape(frag[at:s]))
        parts.append(f"<mark>{html.escape(frag[s:e])}</mark>")
        at = e
    parts.append(html.escape(frag[at:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return {
        "field": field,
        "fragment": frag,
        "offset": start,
        "spans": [list(sp) for sp in local],
        "html": prefix + "".join(parts) + suffix,
    }


def _words_of(label: str, props: Mapping[str, Any]) -> list[str]:
    return [w for f in _FIELDS[label] for _, _, w in tokens(str(props.get(f) or ""))]


def _chars_of(label: str, props: Mapping[str, Any]) -> int:
    return sum(len(str(props.get(f) or "")) for f in _FIELDS[label])


def _hit(
    label: str, props: Mapping[str, Any], ctx: Mapping[str, Any], words: list[str]
) -> dict[str, Any] | None:
    """The hit (score still 0) if every term is a whole word of the indexed text, else None."""
    fields = _FIELDS[label]
    if not set(words) <= set(_words_of(label, props)):
        return None
    hl = [h for f in fields if (h := highlight(f, str(props.get(f) or ""), set(words))) is not None]
    kind = "review" if label == Label.REVIEW.value else "recommendation"
    return {
        "kind": kind,
        "id": props["id"],
        "score": 0.0,
        "title": props.get("title") if kind == "review" else ctx.get("review_title"),
        "text": props.get("summary") if kind == "review" else props.get("text"),
        "review_id": ctx.get("review_id"),
        "year": ctx.get("year"),
        "board_id": ctx.get("board_id"),
        "highlights": hl,
        "_label": label,
        "_props": props,
    }


def bm25(
    words: list[str], doc: list[str], chars: int, n: int, total_chars: int, df: Mapping[str, int]
) -> float:
    """BM25 of one document, from statistics of the visible documents only."""
    avg = total_chars / n if n else 1.0
    norm = K1 * (1 - B + B * chars / avg) if avg else K1
    score = 0.0
    for t in words:
        tf = doc.count(t)
        d = df.get(t, 0)
        idf = math.log(1 + (n - d + 0.5) / (d + 0.5))
        score += idf * tf * (K1 + 1) / (tf + norm)
    return score


def _scored(
    hits: list[dict[str, Any]],
    words: list[str],
    n: int,
    total_chars: int,
    matches: Callable[[list[str]], list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Dedupe the hits and give each its visible-only BM25 score."""
    uniq = {(h["kind"], h["id"]): h for h in hits}
    if len(words) == 1:
        df = {words[0]: len(uniq)}
    else:
        df = {t: len({(h["kind"], h["id"]) for h in matches([t])}) for t in words}
    out = []
    for h in uniq.values():
        label, props = h.pop("_label"), h.pop("_props")
        s = bm25(words, _words_of(label, props), _chars_of(label, props), n, total_chars, df)
        h["score"] = round(s, 4) + 0.0
        out.append(h)
    return out


def _shape(hits: list[dict[str, Any]], args: Mapping[str, Any]) -> dict[str, Any]:
    ordered = sorted(hits, key=lambda h: (-h["score"], h["kind"], h["id"]))
    return {
        "text": args["text"],
        "terms": args["terms"],
        "kinds": args["kinds"],
        "limit": args["limit"],
        "total": len(ordered),
        "hits": ordered[: args["limit"]],
    }


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    if not args["terms"]:
        return _shape([], args)
    labels = [KINDS[k] for k in args["kinds"]]

    def matches(words: list[str]) -> list[dict[str, Any]]:
        rows = store.read(
            CYPHER,
            {
                "indexes": [_INDEX[lb] for lb in labels],
                "lucene": lucene_query(words),
                "statuses": viewer.statuses,
            },
        )
        return [h for r in rows if (h := _hit(r["label"], r["props"], r, words)) is not None]

    stats = store.read(
        STATS_CYPHER,
        {
            "labels": labels,
            "statuses": viewer.statuses,
            "fields": {lb: list(fs) for lb, fs in _FIELDS.items()},
        },
    )[0]
    hits = matches(args["terms"])
    n, chars = int(stats["n"] or 0), int(stats["chars"] or 0)
    return _shape(_scored(hits, args["terms"], n, chars, matches), args)


def _stats_sql(label: str) -> str:
    """Visible documents of the label and their indexed text's length in characters (one row).

    The same documents a hit could be: a review the viewer may see, or a recommendation of
    one (so that a score counts exactly the records a hit could be)."""
    lengths = " + ".join(
        f"coalesce(length(json_extract(n.props, '$.{f}')), 0)" for f in _FIELDS[label]
    )
    return (
        f"SELECT count(*), coalesce(sum({lengths}), 0) FROM nodes n "  # noqa: S608
        f"WHERE n.label = '{Label(label).value}' AND {vis_all_sql(Label(label))}"
    )


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    if not args["terms"]:
        return _shape([], args)
    labels = [KINDS[k] for k in args["kinds"]]
    sp = params_with(viewer)
    statuses = frozenset(viewer.statuses)
    with reading(store) as cur:
        everything = 0
        for lb in labels:
            everything += cur.execute(
                "SELECT count(*) FROM nodes WHERE label = ?", (lb,)
            ).fetchone()[0]
        everything = max(everything, 1)
        n = chars = 0
        for lb in labels:
            cn, cc = cur.execute(_stats_sql(lb), sp).fetchone()
            n += int(cn)
            chars += int(cc)

    def matches(words: list[str]) -> list[dict[str, Any]]:
        found = store.fulltext(" ".join(words), labels, everything)
        with reading(store) as cur:
            props = {
                lb: nodes_by_id(cur, Label(lb), [k for lb2, k, _ in found if lb2 == lb])
                for lb in labels
            }
            recs = list(props.get(Label.RECOMMENDATION.value, {}))
            made_by = ends(cur, RelType.MAKES, recs, outgoing=False)
            reviews = set(props.get(Label.REVIEW.value, {}))
            reviews.update(rv for rvs in made_by.values() for rv in rvs)
            review_props = nodes_by_id(cur, Label.REVIEW, sorted(reviews))
            boards = ends(cur, RelType.COMMISSIONED, sorted(reviews), outgoing=False)

        def visible(rv: str) -> bool:
            p = review_props.get(rv)
            return p is not None and p.get("status") in statuses

        hits = []
        for label, key, _ in found:
            p = props[label].get(key)
            if p is None:
                continue
            if label == Label.REVIEW.value:
                rv: str | None = key
            else:  # the first of its reviews (by id) the viewer may see
                rv = next((r for r in sorted(made_by.get(key, ())) if visible(r)), None)
            if rv is None or not visible(rv):
                continue
            rvp = review_props.get(rv) or {}
            bs = sorted(boards.get(rv, ()))
            ctx = {
                "review_id": rv,
                "review_title": rvp.get("title"),
                "year": rvp.get("year"),
                "board_id": bs[0] if bs else None,
            }
            h = _hit(label, p, ctx, words)
            if h is not None:
                hits.append(h)
        return hits

    hits = matches(args["terms"])
    return _shape(_scored(hits, args["terms"], n, chars, matches), args)


QUERY = register(
    Query(
        name=NAME,
        description=(
            "Full-text search over reviews (title, summary) and recommendations (text): every "
            "word must match; hits with BM25 scores over what the viewer may see, and highlighted fragments."
        ),
        params={
            "text": "str, required: words to find (all must match)",
            "kinds": "list[str] or comma-separated, default both: review, recommendation",
            "limit": "int, default 20: at most this many hits (total counts all)",
        },
        cypher=CYPHER,
        extra_cypher={"stats": STATS_CYPHER},
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
