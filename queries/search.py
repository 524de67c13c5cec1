"""search: full-text search over reviews and recommendations, with highlighted matches.

Contract (both backends): a hit is a visible review or recommendation whose indexed text
(graph_schema.fulltext_indexes: review title and summary, recommendation text) contains
**every** search term as a whole word, case-insensitively. Terms are the words of the text as
Lucene's standard tokenizer splits them (letters, digits and underscores, joined by an
apostrophe or full stop between letters or between digits); no stemming, no operators, so
Lucene syntax typed by a user is harmless. Each backend's own index supplies candidates
(Neo4j: db.index.fulltext.queryNodes, one quoted term at a time; embedded: SQLite FTS5) and
the exact word rule above settles the hit set, so both return the same ids.

Kept per store and data generation (`_cached`), on both backends: the visible-only statistics
and each term's postings, so that a search of terms already asked reads only the page it
shows. A write through scrgraph moves the generation on and drops them.

Scores are BM25 (k1 = 1.2, b = 0.75, Lucene's idf) computed here, not by the index, over the
documents **the viewer may see** only (issue 17): N is the number of visible documents of the
searched kinds, a term's document frequency the number of visible documents that hold it as a
whole word, and lengths are in characters of indexed text. The backends' own scores count
hidden rows (the indexes hold every review), so from them and public texts alone one could
count the hidden documents; these scores depend on visible records only, and are the same on
both backends. Hits are ordered by score (highest first), then kind, then id; `limit` cuts
that order.
"""

# The SQL here is built from the schema's closed sets and constant text; values travel as
# parameters.
# ruff: noqa: S608

from __future__ import annotations

import html
import json
import math
import re
import threading
import weakref
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any

from graph_schema import Label, fulltext_indexes
from graph_store import EmbeddedStore, GraphStore, Neo4jStore
from graph_store.embedded import fts_query
from graph_store.neo4j_store import GENERATION_CYPHER, generation_of
from queries._common import Params, QueryParamError, load_cypher
from queries._sql import IN_IDS, ids_param, params_with, reading, vis_all_sql, vis_sql
from queries.base import Query, Viewer, register

NAME = "search"
CYPHER = load_cypher(NAME)
STATS_CYPHER = load_cypher("search_stats")
PAGE_CYPHER = (
    f"OPTIONAL MATCH (s:{Label.SCHEMA_INFO.value} {{id: 'schema'}})\n"
    f"RETURN CASE WHEN s IS NULL THEN NULL ELSE {GENERATION_CYPHER} END AS generation,\n"
    + load_cypher("search_page")
)
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


def bm25_tf(
    words: list[str],
    tf: Mapping[str, int],
    chars: int,
    n: int,
    total_chars: int,
    df: Mapping[str, int],
) -> float:
    """`bm25` from the document's count of each term."""
    avg = total_chars / n if n else 1.0
    norm = K1 * (1 - B + B * chars / avg) if avg else K1
    score = 0.0
    for t in words:
        f = tf[t]
        d = df.get(t, 0)
        idf = math.log(1 + (n - d + 0.5) / (d + 0.5))
        score += idf * f * (K1 + 1) / (f + norm)
    return score


# A hit: kind, key, label, its review (context), its indexed text's length in characters.
Hit = tuple[str, str, str, str, int]


def _answer(args: Mapping[str, Any], total: int, hits: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "text": args["text"],
        "terms": args["terms"],
        "kinds": args["kinds"],
        "limit": args["limit"],
        "total": total,
        "hits": hits,
    }


def _ranked(
    hits: Iterable[tuple[Mapping[str, int], Hit]],
    words: list[str],
    n: int,
    chars: int,
    df: Mapping[str, int],
) -> list[tuple[float, Hit]]:
    """The hits (each with its count of every term) with their visible-only BM25 scores, best
    first, then by kind and key."""
    return sorted(
        ((round(bm25_tf(words, tf, h[4], n, chars, df), 4) + 0.0, h) for tf, h in hits),
        key=lambda x: (-x[0], x[1][0], x[1][1]),
    )


def _shown(
    page: list[tuple[float, Hit]],
    stored: Mapping[tuple[str, str], Sequence[Any]],
    context: Mapping[str, tuple[Any, Any, Any]],
    words: set[str],
) -> list[dict[str, Any]]:
    """The shown hits: `stored` holds each one's indexed fields as stored (by label and key),
    `context` each review's title, year and first board. A hit not in `stored` is left out: it
    was kept from a data generation that has passed (on Neo4j, the page's own read tells, and
    the search runs again)."""
    out = []
    for score, (kind, key, label, review, _) in page:
        if (label, key) not in stored:
            continue
        raw = dict(zip(_FIELDS[label], stored[(label, key)], strict=True))
        title, year, board = context.get(review, (None, None, None))
        hl = [
            h for f in _FIELDS[label] if (h := highlight(f, str(raw[f] or ""), words)) is not None
        ]
        out.append(
            {
                "kind": kind,
                "id": key,
                "score": score,
                "title": raw.get("title") if kind == "review" else title,
                "text": raw.get("summary") if kind == "review" else raw.get("text"),
                "review_id": review,
                "year": year,
                "board_id": board,
                "highlights": hl,
            }
        )
    return out


# A term's postings: of the visible documents of the searched labels that hold it as a whole
# word, (label, key) -> (how often, the document's characters, its context review).
Postings = dict[tuple[str, str], tuple[int, int, str]]
# The shown hits' indexed fields as stored (by label and key), and their reviews' context.
Page = tuple[Mapping[tuple[str, str], Sequence[Any]], Mapping[str, tuple[Any, Any, Any]]]


def _search(
    store: GraphStore,
    generation: Hashable | None,
    args: Mapping[str, Any],
    viewer: Viewer,
    read_stats: Callable[[list[str]], tuple[int, int]],
    read_postings: Callable[[list[str], list[str]], dict[str, Postings]],
    read_page: Callable[[list[tuple[float, Hit]]], Page],
) -> dict[str, Any]:
    """The search on either backend, from its three readers: the visible documents' count and
    characters (of the labels asked), the postings of some terms, and the shown page;
    `generation` is the store's data generation, read before any of them.

    The statistics and each term's postings are kept per data generation (`_cached`), so a
    search of terms already asked reads only the page it shows. The hits are the documents in
    every term's postings; each term's document frequency is the size of its postings."""
    words = args["terms"]
    if not words:
        return _answer(args, 0, [])
    labels = [KINDS[k] for k in args["kinds"]]
    key = (generation, tuple(sorted(viewer.statuses)), tuple(labels))
    n, chars = _cached(store, (*key, "stats"), lambda: read_stats(labels))
    postings: dict[str, Postings] = _kept(store, [(*key, "postings", t) for t in words])
    todo = [t for t in words if t not in postings]
    if todo:
        for t, got in read_postings(todo, labels).items():
            _keep(store, (*key, "postings", t), got, len(got))
            postings[t] = got
    docs = set.intersection(*(set(postings[t]) for t in words))
    hits = []
    for label, doc in docs:
        _, size, review = postings[words[0]][(label, doc)]
        kind = "review" if label == Label.REVIEW.value else "recommendation"
        tf = {t: postings[t][(label, doc)][0] for t in words}
        hits.append((tf, (kind, doc, label, review, size)))
    df = {t: len(postings[t]) for t in words}
    scored = _ranked(hits, words, n, chars, df)
    page = scored[: args["limit"]]
    stored, ctx = read_page(page)
    return _answer(args, len(scored), _shown(page, stored, ctx, set(words)))


def _posted(
    todo: list[str], rows: Iterable[tuple[str, str, str, list[Any], Iterable[int]]]
) -> dict[str, Postings]:
    """The postings of the terms `todo` from candidate rows: label, key, context review, the
    indexed fields' values, and the indexes in `todo` of the terms whose candidate it is."""
    out: dict[str, Postings] = {t: {} for t in todo}
    counter = _Counter(todo)
    for label, key, review, values, which in rows:
        parts = [str(v or "") for v in values]
        counts = counter.counts("\n".join(parts))
        size = sum(map(len, parts))
        for i in which:
            if counts[todo[i]]:
                out[todo[i]][(label, key)] = (counts[todo[i]], size, review)
    return out


def run_neo4j(store: Neo4jStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    """`_search` on Neo4j: the statistics in one statement, the new terms' postings in one
    (each term's full-text candidates, visible only, with their indexed text), the page and the
    data generation in one."""
    fields = {lb: list(fs) for lb, fs in _FIELDS.items()}

    def stats(labels: list[str]) -> tuple[int, int]:
        row = store.read(
            STATS_CYPHER, {"labels": labels, "statuses": viewer.statuses, "fields": fields}
        )[0]
        return int(row["n"] or 0), int(row["chars"] or 0)

    def postings(todo: list[str], labels: list[str]) -> dict[str, Postings]:
        rows = store.read(
            CYPHER,
            {
                "indexes": [_INDEX[lb] for lb in labels],
                "groups": [lucene_query([t]) for t in todo],
                "statuses": viewer.statuses,
                "fields": fields,
            },
        )
        return _posted(
            todo,
            (
                (str(r["label"]), str(r["id"]), str(r["review_id"]), r["texts"], r["groups"])
                for r in rows
            ),
        )

    seen: list[Hashable | None] = []

    def page(shown: list[tuple[float, Hit]]) -> Page:
        got = store.read(
            PAGE_CYPHER,
            {
                "hits": [{"label": h[2], "id": h[1], "review": h[3]} for _, h in shown],
                "fields": fields,
            },
        )
        seen.append(generation_of(got[0]["generation"]))
        rows = got[0]["rows"]
        return (
            {(str(r["label"]), str(r["id"])): list(r["texts"]) for r in rows},
            {str(r["review"]): (r["title"], r["year"], r["board_id"]) for r in rows},
        )

    args = _params(params)
    if not args["terms"]:
        return _answer(args, 0, [])
    # The generation of what is kept is assumed; the page's statement reads the real one in its
    # own transaction. Where they differ (a write came between), the search runs again on it, so
    # that a search of kept terms is one read.
    assumed = _kept_generation(store)
    if assumed is None:
        assumed = store.data_generation()
    answer = _search(store, assumed, args, viewer, stats, postings, page)
    if seen[-1] != assumed:
        answer = _search(store, seen[-1], args, viewer, stats, postings, page)
    return answer


def _stats_sql(label: str) -> str:
    """Visible documents of the label and their indexed text's length in characters (one row).

    The same documents a hit could be: a review the viewer may see, or a recommendation of
    one (so that a score counts exactly the records a hit could be)."""
    lengths = " + ".join(
        f"coalesce(length(json_extract(n.props, '$.{f}')), 0)" for f in _FIELDS[label]
    )
    return (
        f"SELECT count(*), coalesce(sum({lengths}), 0) FROM nodes n "
        f"WHERE n.label = '{Label(label).value}' AND {vis_all_sql(Label(label))}"
    )


# Where a text and a term are ASCII (a right single quote allowed in the text), \w,
# str.isalpha and str.isdigit agree with the classes below, so one regular expression finds a
# term's occurrences as whole words exactly as `tokens` splits them: not inside a longer run
# of word characters, and not joined to a neighbouring run by the separators `tokens` joins
# on. Other texts and terms go through `tokens`.
_SIMPLE = re.compile(r"[\x00-\x7f\u2019]*")
_AFTER_LETTER = r"[.'\u2019][A-Za-z]"
_AFTER_DIGIT = r"[.,;'\u2019][0-9]"


def _word_re(term: str) -> re.Pattern[str] | None:
    """A pattern finding `term` (lower-case) as a whole word of a lower-cased simple text."""
    if not term or not term.isascii():
        return None
    pre, post = ["[A-Za-z0-9_]"], r"(?![A-Za-z0-9_])"
    if term[0].isalpha():
        pre.append(r"[A-Za-z][.'\u2019]")
    elif term[0].isdigit():
        pre.append(r"[0-9][.,;'\u2019]")
    if term[-1].isalpha():
        post += f"(?!{_AFTER_LETTER})"
    elif term[-1].isdigit():
        post += f"(?!{_AFTER_DIGIT})"
    # The literal first, its lookbehinds after it (fixed width: the term's own length on), so
    # that the search scans for the literal at C speed.
    lit = re.escape(term)
    behind = "".join(f"(?<!{cls}{lit})" for cls in pre)
    return re.compile(lit + behind + post)


class _Counter:
    """How often each term is a whole word of a document's text (see `_word_re`)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        pats = [_word_re(t) for t in words]
        self.pats = None if any(p is None for p in pats) else [p for p in pats if p is not None]

    def present(self, text: str, which: Iterable[int]) -> list[int]:
        """The indexes in `which` of the terms that are words of the text."""
        if self.pats is not None and (text.isascii() or _SIMPLE.fullmatch(text)):
            low = text.lower()
            return [i for i in which if self.pats[i].search(low)]
        found = {w for _, _, w in tokens(text)}
        return [i for i in which if self.words[i] in found]

    def counts(self, text: str) -> dict[str, int]:
        if self.pats is not None and (text.isascii() or _SIMPLE.fullmatch(text)):
            low = text.lower()
            return {t: len(p.findall(low)) for t, p in zip(self.words, self.pats, strict=True)}
        doc = [w for _, _, w in tokens(text)]
        return {t: doc.count(t) for t in self.words}


# The visible documents among FTS rows (by rowid, which fts_map shares): key, the review that
# gives a hit its context (a review itself; for a recommendation its first review by id the
# viewer may see) and the indexed text. A hidden review, or a recommendation of hidden reviews
# only, is no row, so it counts in no statistic and is no hit. A recommendation's one indexed
# field is its FTS row's text (`_index_text` writes `str(value)` when it is not empty, which
# is what `str(value or "")` reads); a review's fields come from its properties, joined by a
# line break, which is no word character and joins no words.
_REC_FIELDS = _FIELDS[Label.RECOMMENDATION.value]
assert len(_REC_FIELDS) == 1
_DOCS_SQL: dict[str, str] = {
    Label.REVIEW.value: (
        "SELECT m.rowid, n.id, "
        + ", ".join(f"json_extract(n.props, '$.{f}')" for f in _FIELDS[Label.REVIEW.value])
        + " FROM json_each(:ids) j CROSS JOIN fts_map m ON m.rowid = j.value "
        "CROSS JOIN nodes n ON n.label = m.label AND n.id = m.id "
        f"WHERE m.label = 'Review' AND {vis_sql(Label.REVIEW)}"
    ),
    # Every recommendation's text; `_first_reviews` says which are visible.
    Label.RECOMMENDATION.value: (
        "SELECT m.rowid, m.id, f.text "
        "FROM json_each(:ids) j CROSS JOIN fts_map m ON m.rowid = j.value "
        "CROSS JOIN fts f ON f.rowid = m.rowid "
        "WHERE m.label = 'Recommendation'"
    ),
}

# Each recommendation the viewer may see and its first review (by id) the viewer may see.
_FIRST_REVIEWS_SQL = (
    "SELECT x.dst, min(x.src) FROM rels x "
    "CROSS JOIN nodes vr ON vr.label = 'Review' AND vr.id = x.src "
    f"WHERE x.type = 'MAKES' AND {vis_sql(Label.REVIEW, 'vr')} GROUP BY x.dst"
)

# The shown hits: their indexed fields as stored, and their review's title, year and first
# board by id.
_PAGE_SQL: dict[str, str] = {
    lb: (
        "SELECT n.id, "
        + ", ".join(f"json_extract(n.props, '$.{f}')" for f in fields)
        + f" FROM nodes n WHERE n.label = '{Label(lb).value}' AND n.id IN {IN_IDS}"
    )
    for lb, fields in _FIELDS.items()
    if lb in KINDS.values()
}
_CONTEXT_SQL = (
    "SELECT n.id, json_extract(n.props, '$.title'), json_extract(n.props, '$.year'), "
    "(SELECT min(b.src) FROM rels b WHERE b.type = 'COMMISSIONED' AND b.dst = n.id) "
    f"FROM nodes n WHERE n.label = 'Review' AND n.id IN {IN_IDS}"
)

# Per store, data generation and the viewer's statuses: the visible documents' count and
# characters, each searched term's postings, and (embedded) the recommendations' first visible
# reviews, the same until a write. Every key starts with the generation, and all of a store's
# keys share one (`_keep` drops the others).
_CACHE: weakref.WeakKeyDictionary[GraphStore, dict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)
_SIZES: weakref.WeakKeyDictionary[GraphStore, int] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()
# What a store keeps, counted in entries (a term's postings count one a document): past this,
# everything kept is dropped and read again as asked.
CACHE_MOST = 1_000_000


def _cached(store: GraphStore, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """`compute()`, kept for the store until its data generation (`key[0]`) changes; never
    kept when the store cannot tell its generation (None)."""
    if key[0] is None:
        return compute()
    with _CACHE_LOCK:
        hit = _CACHE.get(store, {}).get(key)
    if hit is not None:
        return hit
    got = compute()
    _keep(store, key, got)
    return got


def _keep(store: GraphStore, key: tuple[Any, ...], value: Any, size: int = 1) -> None:
    """Keep `value` under `key` (see `_cached`); `size` is what it counts toward `CACHE_MOST`."""
    if key[0] is None:
        return
    with _CACHE_LOCK:
        mine = _CACHE.setdefault(store, {})
        if any(k[0] != key[0] for k in mine) or _SIZES.get(store, 0) + size > CACHE_MOST:
            mine.clear()
            _SIZES[store] = 0
        mine[key] = value
        _SIZES[store] = _SIZES.get(store, 0) + size


def forget(store: GraphStore) -> None:
    """Drop what is kept for the store (the next search reads everything again)."""
    with _CACHE_LOCK:
        _CACHE.pop(store, None)
        _SIZES.pop(store, None)


def _kept_generation(store: GraphStore) -> Hashable | None:
    """The data generation of what is kept for the store (None if nothing is)."""
    with _CACHE_LOCK:
        return next((k[0] for k in _CACHE.get(store, {})), None)


def _kept(store: GraphStore, keys: list[tuple[Any, ...]]) -> dict[str, Any]:
    """Of the values keyed `(..., term)`, those kept: term -> value."""
    if not keys or keys[0][0] is None:
        return {}
    with _CACHE_LOCK:
        mine = _CACHE.get(store, {})
        return {k[-1]: mine[k] for k in keys if k in mine}


def _first_reviews(
    store: EmbeddedStore, cur: Any, generation: int, viewer: Viewer
) -> dict[str, str]:
    """Each recommendation the viewer may see, and its first visible review by id (kept per
    data generation)."""

    def compute() -> dict[str, str]:
        return {str(r): str(rv) for r, rv in cur.execute(_FIRST_REVIEWS_SQL, params_with(viewer))}

    got: dict[str, str] = _cached(
        store,
        (generation, tuple(sorted(viewer.statuses)), "first_reviews"),
        compute,
    )
    return got


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    """`_search` on the embedded store: the statistics by SQL; the new terms' postings from
    their FTS5 candidates (one UNION ALL) and the visible candidates' text; the page's fields
    and context. FTS5 supplies candidates only (its porter stemming and its counts over hidden
    rows make its bm25() another score). A term with no FTS5 word (underscores only) has no
    candidates, as Lucene's tokenizer gives no word for it either."""
    sp = params_with(viewer)
    generation = store.data_generation()
    with reading(store) as cur:

        def stats(labels: list[str]) -> tuple[int, int]:
            n = chars = 0
            for lb in labels:
                cn, cc = cur.execute(_stats_sql(lb), sp).fetchone()
                n += int(cn)
                chars += int(cc)
            return n, chars

        def postings(todo: list[str], labels: list[str]) -> dict[str, Postings]:
            groups = [fts_query(t) for t in todo]
            asked = [i for i, g in enumerate(groups) if g]
            if not asked:
                return {t: {} for t in todo}
            union = " UNION ALL ".join(
                f"SELECT {i}, rowid FROM fts WHERE fts MATCH ?" for i in asked
            )
            found: dict[int, list[int]] = {}
            for i, rowid in cur.execute(union, [groups[i] for i in asked]):
                found.setdefault(int(rowid), []).append(int(i))
            rowids = json.dumps(sorted(found))
            rows = []
            for lb in labels:
                first = (
                    None
                    if lb == Label.REVIEW.value
                    else _first_reviews(store, cur, generation, viewer)
                )
                for row in cur.execute(_DOCS_SQL[lb], {**sp, "ids": rowids}):
                    rv = str(row[1]) if first is None else first.get(str(row[1]))
                    if rv is not None:  # else a recommendation of hidden reviews only
                        rows.append((lb, str(row[1]), rv, list(row[2:]), found[int(row[0])]))
            return _posted(todo, rows)

        def page(shown: list[tuple[float, Hit]]) -> Page:
            stored: dict[tuple[str, str], Sequence[Any]] = {}
            if not shown:
                return stored, {}
            for lb in {h[2] for _, h in shown}:
                keys = sorted(h[1] for _, h in shown if h[2] == lb)
                for row in cur.execute(_PAGE_SQL[lb], {"ids": ids_param(keys)}):
                    stored[(lb, str(row[0]))] = row[1:]
            reviews = ids_param(sorted({h[3] for _, h in shown}))
            ctx = {
                str(r[0]): (r[1], r[2], r[3]) for r in cur.execute(_CONTEXT_SQL, {"ids": reviews})
            }
            return stored, ctx

        return _search(store, generation, _params(params), viewer, stats, postings, page)


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
        extra_cypher={"stats": STATS_CYPHER, "page": PAGE_CYPHER},
        neo4j=run_neo4j,
        embedded=run_embedded,
    )
)
