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

# The SQL here is built from the schema's closed sets and constant text; values travel as
# parameters.
# ruff: noqa: S608

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph_schema import Label, fulltext_indexes
from graph_store import EmbeddedStore, Neo4jStore
from graph_store.embedded import fts_query
from queries._common import Params, QueryParamError, load_cypher
from queries._sql import IN_IDS, ids_param, params_with, reading, vis_all_sql, vis_sql
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
        f"SELECT count(*), coalesce(sum({lengths}), 0) FROM nodes n "
        f"WHERE n.label = '{Label(label).value}' AND {vis_all_sql(Label(label))}"
    )


# Lucene's standard tokenizer (see `tokens`) as one regular expression, exact on text whose
# every character is ASCII or a right single quote: there \w, str.isalpha and str.isdigit
# agree with the classes below. Other text goes through `tokens`.
_TOKEN = re.compile(
    r"[A-Za-z0-9_]+(?:(?:(?<=[A-Za-z])[.'\u2019](?=[A-Za-z])"
    r"|(?<=[0-9])[.,;'\u2019](?=[0-9]))[A-Za-z0-9_]+)*"
)
_SIMPLE = re.compile(r"[\x00-\x7f\u2019]*")


def _words(text: str) -> list[str]:
    """`[w for _, _, w in tokens(text)]`, without a Python step per word where it can."""
    if _SIMPLE.fullmatch(text):
        return _TOKEN.findall(text.lower())
    return [w for _, _, w in tokens(text)]


# One document of a kind: its key and indexed fields; for a recommendation, its first review
# (by id) the viewer may see. Only visible documents: a hidden review, or a recommendation of
# hidden reviews only, is no row (so it counts in no statistic and is no hit).
_DOCS_SQL: dict[str, str] = {
    Label.REVIEW.value: (
        "SELECT n.id, n.id, "
        + ", ".join(f"json_extract(n.props, '$.{f}')" for f in _FIELDS[Label.REVIEW.value])
        + f" FROM nodes n WHERE n.label = 'Review' AND n.id IN {IN_IDS} "
        f"AND {vis_sql(Label.REVIEW)}"
    ),
    Label.RECOMMENDATION.value: (
        "SELECT id, rv, "
        + ", ".join(f"f{i}" for i in range(len(_FIELDS[Label.RECOMMENDATION.value])))
        + " FROM (SELECT n.id AS id, (SELECT min(m.src) FROM rels m "
        "CROSS JOIN nodes vr ON vr.label = 'Review' AND vr.id = m.src "
        f"WHERE m.type = 'MAKES' AND m.dst = n.id AND {vis_sql(Label.REVIEW, 'vr')}) AS rv, "
        + ", ".join(
            f"json_extract(n.props, '$.{f}') AS f{i}"
            for i, f in enumerate(_FIELDS[Label.RECOMMENDATION.value])
        )
        + f" FROM nodes n WHERE n.label = 'Recommendation' AND n.id IN {IN_IDS}) "
        "WHERE rv IS NOT NULL"
    ),
}

# The context of the hits shown: the review's title and year and its first board by id.
_CONTEXT_SQL = (
    "SELECT n.id, json_extract(n.props, '$.title'), json_extract(n.props, '$.year'), "
    "(SELECT min(b.src) FROM rels b WHERE b.type = 'COMMISSIONED' AND b.dst = n.id) "
    f"FROM nodes n WHERE n.label = 'Review' AND n.id IN {IN_IDS}"
)


def _fts_group(term: str) -> str:
    """The FTS5 query `store.fulltext` runs for one term ('' when it has no FTS words)."""
    return fts_query(term)


def run_embedded(store: EmbeddedStore, params: Mapping[str, Any], viewer: Viewer) -> Any:
    """What `run_neo4j` answers, in three statements after the statistics: each term's FTS5
    candidates (one UNION ALL), the visible candidates' indexed text, and the shown hits'
    context. FTS5 supplies candidates only (its porter stemming and its counts over hidden
    rows make its bm25() another score): the exact word rule and the visible-only BM25 are
    computed here, from each candidate's words, tokenized once."""
    args = _params(params)
    words = args["terms"]
    if not words:
        return _shape([], args)
    labels = [KINDS[k] for k in args["kinds"]]
    sp = params_with(viewer)
    groups = [_fts_group(t) for t in words]
    # The hit candidates are the documents every term's FTS5 query finds (as the FTS5 query
    # of all the words together finds); a term without FTS words is left out of that, and
    # its document frequency is 0, as the index finds nothing for it alone.
    asked = [i for i, g in enumerate(groups) if g]
    if not asked:
        return _shape([], args)
    marks = ",".join("?" * len(labels))
    union = " UNION ALL ".join(
        f"SELECT {i}, label, id FROM fts WHERE fts MATCH ? AND label IN ({marks})" for i in asked
    )
    with reading(store) as cur:
        n = chars = 0
        for lb in labels:
            cn, cc = cur.execute(_stats_sql(lb), sp).fetchone()
            n += int(cn)
            chars += int(cc)
        found: dict[tuple[str, str], set[int]] = {}
        bind: list[Any] = []
        for i in asked:
            bind += [groups[i], *labels]
        for i, lb, key in cur.execute(union, bind):
            found.setdefault((str(lb), str(key)), set()).add(int(i))
        docs: dict[tuple[str, str], tuple[str | None, tuple[Any, ...]]] = {}
        for lb in labels:
            keys = [k for lb2, k in found if lb2 == lb]
            if not keys:
                continue
            for row in cur.execute(_DOCS_SQL[lb], {**sp, "ids": ids_param(keys)}):
                docs[(lb, str(row[0]))] = (None if row[1] is None else str(row[1]), row[2:])
        want = set(asked)
        df = dict.fromkeys(words, 0)
        hits: list[tuple[str, str, str, str, list[str], int]] = []
        for (lb, key), (rv, raw) in docs.items():
            texts = [str(v or "") for v in raw]
            doc = [w for t in texts for w in _words(t)]
            present = set(doc)
            in_groups = found[(lb, key)]
            for i in in_groups:
                if words[i] in present:
                    df[words[i]] += 1
            if in_groups >= want and present.issuperset(words):
                kind = "review" if lb == Label.REVIEW.value else "recommendation"
                hits.append((kind, key, lb, rv or key, doc, sum(len(t) for t in texts)))
        if len(words) == 1:
            df = {words[0]: len(hits)}
        scored = []
        for kind, key, lb, rv, doc, length in hits:
            s = bm25(words, doc, length, n, chars, df)
            scored.append((round(s, 4) + 0.0, kind, key, lb, rv))
        scored.sort(key=lambda h: (-h[0], h[1], h[2]))
        page = scored[: args["limit"]]
        ctx = {
            str(r[0]): r[1:]
            for r in cur.execute(_CONTEXT_SQL, {"ids": ids_param(sorted({h[4] for h in page}))})
        }
    out = []
    for score, kind, key, lb, rv in page:
        title, year, board = ctx.get(rv, (None, None, None))
        fields = dict(zip(_FIELDS[lb], docs[(lb, key)][1], strict=True))
        hl = [
            h
            for f in _FIELDS[lb]
            if (h := highlight(f, str(fields[f] or ""), set(words))) is not None
        ]
        out.append(
            {
                "kind": kind,
                "id": key,
                "score": score,
                "title": fields.get("title") if kind == "review" else title,
                "text": fields.get("summary") if kind == "review" else fields.get("text"),
                "review_id": rv,
                "year": year,
                "board_id": board,
                "highlights": hl,
            }
        )
    return {
        "text": args["text"],
        "terms": args["terms"],
        "kinds": args["kinds"],
        "limit": args["limit"],
        "total": len(scored),
        "hits": out,
    }


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
