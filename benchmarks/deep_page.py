"""A deep page through the API (issue 14 item 2, keyset pagination): page N of a list.

    python -m benchmarks.deep_page --backend embedded --db var/bench/embedded-national.sqlite \
        --page 50 --reps 20 --json benchmarks/results/FILE.json
    python -m benchmarks.deep_page --backend neo4j --page 50 --reps 20   # NEO4J_TEST_URI's store

In this process, through the GraphQL app (httpx's ASGI transport, no socket), as the public
viewer: walks `recommendations(first: 100)` page by page, following `pageInfo.endCursor`,
up to page N, timing each page; then asks page N again `--reps` times with the same cursor
(p50/p95). Each variant: sorted by year ascending and descending, with and without
`totalCount`. It uses only the public API (cursors as the server gives them out), so the
same file, copied into an older checkout, measures that checkout: run before and after back
to back on the same store. `--load DIR` first clears the store and loads a corpus folder.
`--store-only` times the store alone instead: page N by OFFSET (the old path, which the
list still takes) against by keyset, alternately in one process. The load average is
recorded at the start and end of each variant.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._util import _git_commit, loadavg, percentiles, say

_FIELDS = "pageInfo { hasNextPage endCursor } edges { node { key year } }"
VARIANTS: tuple[tuple[str, str, str], ...] = (
    ("year asc", "sort: YEAR", _FIELDS),
    ("year desc", "sort: YEAR, descending: true", _FIELDS),
    ("year asc, totalCount", "sort: YEAR", "totalCount " + _FIELDS),
)


def _query(args: str, fields: str, first: int) -> str:
    return (
        f"query($after: String) {{ recommendations(first: {first}, after: $after, "
        f"{args}) {{ {fields} }} }}"
    )


def deep_page(api: Any, args: str, fields: str, page: int, reps: int, first: int) -> dict[str, Any]:
    before = loadavg()
    q = _query(args, fields, first)
    walk: list[float] = []
    after = None
    keys: list[str] = []
    for _ in range(page - 1):
        ((t, body),) = api.post_many([{"query": q, "variables": {"after": after}}])
        walk.append(t)
        conn = body["data"]["recommendations"]
        keys += [e["node"]["key"] for e in conn["edges"]]
        after = conn["pageInfo"]["endCursor"]
        if not conn["pageInfo"]["hasNextPage"]:
            raise SystemExit(f"the list ends before page {page}")
    runs = api.post_many([{"query": q, "variables": {"after": after}}] * (reps + 1))
    times = [t for t, _ in runs[1:]]
    last = runs[-1][1]["data"]["recommendations"]["edges"]
    return {
        "rows_before_page": len(keys),
        "distinct_rows_before_page": len(set(keys)),
        "page_first_key": last[0]["node"]["key"] if last else None,
        "walk_total_s": round(sum(walk), 3),
        "walk_first_page_ms": round(walk[0] * 1000, 1) if walk else None,
        "walk_last_page_ms": round(walk[-1] * 1000, 1) if walk else None,
        "page": percentiles(times),
        "loadavg": [before, loadavg()],
    }


def store_offset_vs_keyset(store: Any, page: int, reps: int, first: int) -> dict[str, Any]:
    """The store alone (`queries.run`, entities.list, public viewer, 100 rows, no count):
    page N by OFFSET and by the keyset position of the row before it, alternately in this
    process, so both share the machine's load. Needs a checkout whose list takes `after`."""
    import queries

    out: dict[str, Any] = {}
    for name, descending in (("year asc", False), ("year desc", True)):
        before = loadavg()
        base = {"label": "Recommendation", "sort": "year", "descending": descending}
        base |= {"want_total": False}
        offset = (page - 1) * first
        prev = queries.run(store, "entities.list", {**base, "offset": offset - 1, "limit": 1})
        value, key = prev["keys"][0]
        by_offset = {**base, "offset": offset, "limit": first}
        by_keyset = {**base, "after": {"value": value, "id": key}, "limit": first}
        t_off: list[float] = []
        t_key: list[float] = []
        same = True
        for _ in range(reps):
            t0 = time.perf_counter()
            a = queries.run(store, "entities.list", by_offset)
            t_off.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            b = queries.run(store, "entities.list", by_keyset)
            t_key.append(time.perf_counter() - t0)
            same = same and [i["id"] for i in a["items"]] == [i["id"] for i in b["items"]]
        out[name] = {
            "offset": percentiles(t_off),
            "keyset": percentiles(t_key),
            "same_rows": same,
            "loadavg": [before, loadavg()],
        }
    return out


def _store(backend: str, db: Path | None) -> Any:
    from graph_store import EmbeddedStore, Neo4jStore
    from scrgraph.settings import test_neo4j_settings

    if backend == "embedded":
        if db is None:
            raise SystemExit("--db is needed with --backend embedded")
        return EmbeddedStore(db)
    cfg = test_neo4j_settings()
    if cfg is None:
        raise SystemExit("NEO4J_TEST_URI is not set: name the Neo4j to read")
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(cfg.uri, auth=(cfg.user, cfg.password))
    return Neo4jStore(driver, cfg.database, own_driver=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=("embedded", "neo4j"), required=True)
    ap.add_argument("--db", type=Path, help="the embedded store (with --backend embedded)")
    ap.add_argument("--load", type=Path, help="clear the store and load this corpus first")
    ap.add_argument("--page", type=int, default=50, help="the page to time (50)")
    ap.add_argument("--first", type=int, default=100, help="the page size (100)")
    ap.add_argument("--reps", type=int, default=20, help="timed requests of that page (20)")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument(
        "--store-only",
        action="store_true",
        help="only the store's list, page N by OFFSET against by keyset, alternately",
    )
    a = ap.parse_args(argv)
    from benchmarks.queries import InProcessApi

    store = _store(a.backend, a.db)
    if a.load is not None:
        from loaders import load_corpus

        say(f"deep page: loading {a.load}")
        store.clear()
        store.apply_schema()
        load_corpus(store, a.load)
    report: dict[str, Any] = {
        "commit": _git_commit() or "unknown",
        "backend": a.backend,
        "db": str(a.db) if a.db else None,
        "page": a.page,
        "first": a.first,
        "loadavg_start": loadavg(),
    }
    if a.store_only:
        say(f"deep page: {a.backend} store, offset against keyset, x{a.reps}")
        report["store"] = store_offset_vs_keyset(store, a.page, a.reps, a.first)
    with tempfile.TemporaryDirectory() as tmp:
        api = InProcessApi(store, Path(tmp))
        for name, args, fields in () if a.store_only else VARIANTS:
            say(f"deep page: {a.backend} {name}, page {a.page}, x{a.reps}")
            report[name] = deep_page(api, args, fields, a.page, a.reps, a.first)
    report["loadavg_end"] = loadavg()
    store.close()
    text = json.dumps(report, indent=2)
    print(text)
    if a.json:
        a.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
