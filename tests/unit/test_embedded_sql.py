"""The embedded store's SQL read path: typed columns, the upgrade of an older store, and a list
that skips its count. (The answers themselves are compared with Neo4j's in tests/contract and
tests/api.)"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import queries
from graph_schema import SCHEMA_VERSION, TYPED_COLUMNS, Label, RelType, typed_values
from graph_store import Batch, EmbeddedStore, NodeWrite, RelWrite
from queries.base import ADMIN, PUBLIC


def _batch() -> Batch:
    reviews = [
        {"id": "rv-a", "title": "A", "year": 2016, "status": "published", "review_type": "scr"},
        {"id": "rv-b", "title": "B", "year": 2019, "status": "draft", "review_type": "scr"},
    ]
    recs = [
        {"id": "rv-a-r1", "review_id": "rv-a", "number": "1", "text": "t", "status": "open_new"},
        {"id": "rv-a-r2", "review_id": "rv-a", "number": "2", "text": "t", "status": "open_new"},
        {"id": "rv-b-r1", "review_id": "rv-b", "number": "1", "text": "t", "status": "open_new"},
    ]
    for r in recs:
        r["year"] = 2016 if r["review_id"] == "rv-a" else 2019
    recs[1]["year"] = None  # sorts last ascending
    return Batch(
        nodes=[NodeWrite(Label.REVIEW, reviews), NodeWrite(Label.RECOMMENDATION, recs)],
        rels=[
            RelWrite(
                RelType.MAKES,
                [{"start": r["review_id"], "end": r["id"]} for r in recs],
            )
        ],
    )


def test_typed_values_keep_only_the_declared_type() -> None:
    vals = dict(
        zip(
            [c.prop for c in TYPED_COLUMNS],
            typed_values("Recommendation", {"year": True, "status": "open_new", "board_id": 7}),
            strict=True,
        )
    )
    assert vals["year"] is None  # a bool is not a year
    assert vals["status"] == "open_new"
    assert vals["board_id"] is None  # not a string
    assert vals["due_date"] is None  # not a recommendation's column
    assert typed_values("Sector", {"year": 2020}) == (None,) * len(TYPED_COLUMNS)


def test_an_older_store_gets_the_typed_columns_filled_from_its_json(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    c = sqlite3.connect(path)
    c.execute(
        "CREATE TABLE nodes (label TEXT NOT NULL, id TEXT NOT NULL, props TEXT NOT NULL, "
        "PRIMARY KEY (label, id)) WITHOUT ROWID"
    )
    c.execute(
        "CREATE INDEX ix_recommendation_year ON nodes (json_extract(props, '$.year')) "
        "WHERE label = 'Recommendation'"
    )
    c.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    c.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    rows = [
        ("Recommendation", "r1", {"id": "r1", "year": 2017, "status": "open_new"}),
        ("Recommendation", "r2", {"id": "r2", "year": "2018", "status": "closed_done"}),
        ("Action", "a1", {"id": "a1", "status": "in_progress", "due_date": "2020-01-31"}),
    ]
    c.executemany(
        "INSERT INTO nodes VALUES (?, ?, ?)", [(lb, k, json.dumps(p)) for lb, k, p in rows]
    )
    c.commit()
    c.close()
    store = EmbeddedStore(path)
    try:
        assert store.schema_version() == SCHEMA_VERSION == 2
        with store.reading() as cur:
            got = cur.execute(
                "SELECT id, c_year, c_status, c_due_date FROM nodes "
                "WHERE label IN ('Recommendation', 'Action') ORDER BY id"
            ).fetchall()
            indexes = {r[0] for r in cur.execute("SELECT name FROM sqlite_master")}
    finally:
        store.close()
    # A year stored as a string is no year (as the Python filters had it).
    assert got == [
        ("a1", None, "in_progress", "2020-01-31"),
        ("r1", 2017, "open_new", None),
        ("r2", None, "closed_done", None),
    ]
    assert "ix_recommendation_year" not in indexes
    assert {"cx_recommendation_year", "cv_recommendation"} <= indexes


def test_writes_fill_the_typed_columns_and_lists_read_them(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    try:
        store.write(_batch())
        with store.reading() as cur:
            got = cur.execute(
                "SELECT id, c_year, c_status, c_review_id FROM nodes "
                "WHERE label = 'Recommendation' ORDER BY id"
            ).fetchall()
        assert got == [
            ("rv-a-r1", 2016, "open_new", "rv-a"),
            ("rv-a-r2", None, "open_new", "rv-a"),
            ("rv-b-r1", 2019, "open_new", "rv-b"),
        ]
        run = lambda viewer, **p: queries.run(  # noqa: E731
            store, "entities.list", {"label": "Recommendation", **p}, viewer
        )
        pub = run(PUBLIC, limit=10)
        assert (pub["total"], [i["id"] for i in pub["items"]]) == (2, ["rv-a-r1", "rv-a-r2"])
        adm = run(ADMIN, limit=10, descending=True)
        # Nulls first descending, then newest; ties by id.
        assert [i["id"] for i in adm["items"]] == ["rv-a-r2", "rv-b-r1", "rv-a-r1"]
        assert adm["total"] == 3
        # Without the total asked for: the page, and a lower bound that says a next page exists.
        page = run(ADMIN, limit=1, want_total=False)
        assert (page["total"], [i["id"] for i in page["items"]]) == (2, ["rv-a-r1"])
        last = run(ADMIN, limit=2, offset=1, want_total=False)
        assert (last["total"], [i["id"] for i in last["items"]]) == (3, ["rv-b-r1", "rv-a-r2"])
        assert run(PUBLIC, limit=10, filter={"year_from": 2017})["total"] == 0
        assert run(ADMIN, limit=10, filter={"year_from": 2017})["total"] == 1
    finally:
        store.close()
