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

Scores are the backend's own (Lucene's, or FTS5 BM25 negated): comparable within one result,
not across backends. Hits are ordered by score (highest first), then kind, then id; `limit`
cuts that order, so with a limit below `total` the two backends may keep different hits.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from graph_schema import Label, fulltext_indexes
from queries._common import G, Params, QueryParamError, load_cypher
from queries.base import Query, Viewer, register
from scrgraph.store import EmbeddedStore, Neo4jStore

NAME = "search"
CYPHER = load_cypher(NAME)

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


def _hit(
    label: str, props: Mapping[str, Any], score: float, ctx: Mapping[str, Any], words: list[str]
) -> dict[str, Any] | None:
    """The hit if every term is a whole word of the indexed text, else None."""
    fields = _FIELDS[label]
    present: set[str] = set()
    for f in fields:
        present.update(w for _, _, w in tokens(str(props.get(f) or "")))
    if not set(words) <= present:
        return None
    hl = [h for f in fields if (h := highlight(f, str(props.get(f) or ""), set(words))) is not None]
    kind = "review" if label == Label.REVIEW.value else "recommendation"
    return {
        "kind": kind,
        "id": props["id"],
        "score": round(float(score), 4) + 0.0,
        "title": props.get("title") if kind == "review" else ctx.get("review_title"),
        "text": props.get("summary") if kind == "review" else props.get("text"),
        "review_id": ctx.get("review_id"),
        "year": ctx.get("year"),
        "board_id": ctx.get("board_id"),
        "highlights": hl,
    }


def _shape(hits: list[dict[str, Any]], args: Mapping[str, Any]) -> dict[str, Any]:
    uniq = {(h["kind"], h["id"]): h for h in hits}
    ordered = sorted(uniq.values(), key=lambda h: (-h["score"], h["kind"], h["id"]))
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
    rows = store.read(
        CYPHER,
        {
            "indexes": [_INDEX[KINDS[k]] for k in args["kinds"]],
            "lucene": lucene_query(args["terms"]),
            "statuses": viewer.statuses,
        },
    )
    hits = [
        h
        for r in rows
        if (h := _hit(r["label"], r["props"], r["score"], r, args["terms"])) is not None
    ]
    return _shape(hits, args)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    args = _params(params)
    if not args["terms"]:
        return _shape([], args)
    g = G(store, viewer)
    labels = [KINDS[k] for k in args["kinds"]]
    n = max(sum(len(store.ids(lb)) for lb in labels), 1)
    hits = []
    for label, key, score in store.fulltext(" ".join(args["terms"]), labels, n):
        props = g.props(Label(label), key)
        if props is None:
            continue
        rv = key if label == Label.REVIEW.value else g.visible_review_of_rec(key)
        if rv is None or not g.review_visible(rv):
            continue
        rvp = g.props(Label.REVIEW, rv) or {}
        boards = g.boards_of_review(rv)
        ctx = {
            "review_id": rv,
            "review_title": rvp.get("title"),
            "year": rvp.get("year"),
            "board_id": boards[0] if boards else None,
        }
        h = _hit(label, props, score, ctx, args["terms"])
        if h is not None:
            hits.append(h)
    return _shape(hits, args)


QUERY = register(
    Query(
        name=NAME,
        description=(
            "Full-text search over reviews (title, summary) and recommendations (text): every "
            "word must match; hits with backend-specific scores and highlighted fragments."
        ),
        params={
            "text": "str, required: words to find (all must match)",
            "kinds": "list[str] or comma-separated, default both: review, recommendation",
            "limit": "int, default 20: at most this many hits (total counts all)",
        },
        cypher=CYPHER,
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
