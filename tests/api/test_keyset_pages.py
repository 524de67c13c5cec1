"""Keyset pagination (issue 14 item 2), on both backends, through the in-process API.

A synthetic graph whose sort values tie and are missing (null) on purpose: walking every
list's pages with the cursors the API hands out must give exactly the rows, in the order, of
one big page, for every sort field, both directions and both viewers, at top level and in
nested connections (unfiltered: sorted in Python; filtered: the store's list). Cursors are
refused clearly when they are not this API's (old offset cursors, damaged, edited, of another
sort), and a cursor made up to name a hidden row's position only starts a page there: what
follows is the visible rows after that position, as for any other position.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gql_api.connection import Order, encode_cursor
from graph_schema import ENTITIES, Label, RelType
from graph_store import Batch, GraphStore
from tests import synthetic as syn
from tests.api.conftest import Api, make_api

FIRST = 4  # a small page, so each list takes several pages


def tie_graph() -> Batch:
    """Sort values with ties and nulls; every fourth review restricted (and its subtree)."""
    boards = [
        syn.board(
            f"b{i:02d}",
            f"{('Aford', 'Beford')[i % 2]} LSCB {i}",  # unique (a constraint)
            ("lscb", "partnership")[i % 2],
            region=(None, "North", "South")[i % 3],
            established_year=(None, 2001, 2001, 2005)[i % 4],
            declared=True,
        )
        for i in range(7)
    ]
    reviews = [
        syn.review(
            f"rv{i:02d}",
            ("Child A", "Child B", "Child A")[i % 3],
            f"b{i % 5:02d}",
            (2010, 2010, 2011, 2012, 2010)[i % 5],
            review_type=("scr", "lcspr")[i % 2],
            status="restricted" if i % 4 == 1 else "published",
        )
        for i in range(14)
    ]
    recs = [
        syn.recommendation(
            f"{rv['id']}-r{j}",
            rv["id"],
            str(j),
            f"Share information ({rv['id']} {j}).",
            ("open_awaiting_response", "closed_acceptable_action")[(i + j) % 2],
            year=None if (i + j) % 5 == 0 else rv["year"],
            board_id=None if (i + j) % 4 == 0 else rv["board_id"],
        )
        for i, rv in enumerate(reviews)
        for j in (1, 2)
    ]
    sectors = [syn.sector("police", "Police"), syn.sector("health", "Health")]
    agencies = [
        syn.agency(
            f"ag{i}", ("Police", "Health")[i % 2], ("police", "health")[i % 2], declared=True
        )
        for i in range(4)
    ]
    themes = [syn.theme(t, t.title()) for t in ("neglect", "hidden_man", "supervision")]
    actions = [
        syn.action(
            f"act-{r['id']}",
            r["id"],
            f"Train staff ({r['id']}).",
            ("in_progress", "completed", "not_started")[i % 3],
            due_date=None if i % 3 == 0 else ("2013-03-31", "2014-01-01")[i % 2],
            completed_date="2014-02-02" if i % 3 == 1 else None,
        )
        for i, r in enumerate(recs)
    ]
    audits = [
        syn.audit(
            f"aud-{a['id']}",
            a["id"],
            ("2015-01-01", "2016-06-30")[i % 2],
            ("board_qa", "ofsted")[i % 2],
            ("embedded", "not_embedded", "partially_embedded")[i % 3],
            finding="Practice changed.",
        )
        for i, a in enumerate(actions)
        if i % 2 == 0
    ]
    rels = [
        syn.from_fields(RelType.COMMISSIONED, reviews),
        syn.from_fields(RelType.MAKES, recs),
        syn.rel(RelType.ADDRESSED_TO, [(r["id"], f"ag{i % 4}") for i, r in enumerate(recs)]),
        syn.from_fields(RelType.IN_SECTOR, agencies),
        syn.rel(RelType.RAISES, [(r["id"], themes[i % 3]["id"]) for i, r in enumerate(reviews)]),
        syn.rel(RelType.TAGGED, [(r["id"], themes[i % 2]["id"]) for i, r in enumerate(recs)]),
        syn.from_fields(RelType.RESPONDS_TO, actions),
        syn.rel(RelType.OWNED_BY, [(a["id"], f"ag{i % 4}") for i, a in enumerate(actions)]),
        syn.from_fields(RelType.CHECKS, audits),
    ]
    nodes = syn.node_writes(boards, reviews, recs, sectors, agencies, themes, actions, audits)
    return Batch(nodes=nodes, rels=rels)


HIDDEN_REVIEWS = {f"rv{i:02d}" for i in range(14) if i % 4 == 1}


@pytest.fixture
def tie_api(store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    store.write(tie_graph())
    yield from make_api(store, tmp_path)


# (list field, sort enum values) of every entity type, from graph_schema's declaration.
LISTS: list[tuple[str, list[str]]] = [(e.plural, [s.api_name for s in e.sorts]) for e in ENTITIES]
ROLES = (None, "restricted")


def _conn(api: Api, field: str, args: str, role: str | None, variables: dict[str, Any]) -> Any:
    q = (
        f"query($after: String) {{ {field}({args}, after: $after) {{ "
        "pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { key } } } }"
    )
    return api.gql(q, variables, role=role)["data"][field]


def _walk(api: Api, field: str, args: str, role: str | None) -> list[str]:
    """Every key of a list, page by page (FIRST a page), following endCursor."""
    seen: list[str] = []
    after = None
    for _ in range(200):
        conn = _conn(api, field, f"first: {FIRST}, {args}", role, {"after": after})
        keys = [e["node"]["key"] for e in conn["edges"]]
        seen += keys
        info = conn["pageInfo"]
        assert info["hasPreviousPage"] is (after is not None)
        if keys:
            assert info["endCursor"] == conn["edges"][-1]["cursor"]
        if not info["hasNextPage"]:
            return seen
        assert len(keys) == FIRST
        after = info["endCursor"]
    raise AssertionError("the walk did not end")


def _one_page(api: Api, field: str, args: str, role: str | None) -> list[str]:
    q = f"{{ {field}(first: 100, {args}) {{ totalCount edges {{ node {{ key }} }} }} }}"
    conn = api.gql(q, role=role)["data"][field]
    keys = [e["node"]["key"] for e in conn["edges"]]
    assert conn["totalCount"] == len(keys)
    return keys


def test_walk_equals_one_page_every_list_sort_direction_viewer(tie_api: Api) -> None:
    for field, sorts in LISTS:
        for sort in sorts:
            for desc in ("false", "true"):
                for role in ROLES:
                    args = f"sort: {sort}, descending: {desc}"
                    whole = _one_page(tie_api, field, args, role)
                    assert whole, (field, args)
                    assert _walk(tie_api, field, args, role) == whole, (field, args, role)
                    if field == "reviews" and role is None:
                        assert not HIDDEN_REVIEWS & set(whole)


def _expected_reviews(sort: str, descending: bool, viewer_sees_restricted: bool) -> list[str]:
    """The review list's order worked out here: nulls last ascending and first descending,
    ties by id ascending (by id alone: its direction)."""
    rows = [
        r for r in tie_graph().nodes[1].rows if r["status"] == "published" or viewer_sees_restricted
    ]
    if sort == "id":
        return sorted((r["id"] for r in rows), reverse=descending)
    rows.sort(key=lambda r: r["id"])
    rows.sort(key=lambda r: r[sort], reverse=descending)
    return [r["id"] for r in rows]


@pytest.mark.parametrize(("sort", "prop"), [("YEAR", "year"), ("TITLE", "title"), ("ID", "id")])
@pytest.mark.parametrize("descending", [False, True])
def test_review_order_pinned(tie_api: Api, sort: str, prop: str, descending: bool) -> None:
    args = f"sort: {sort}, descending: {str(descending).lower()}"
    want = _expected_reviews(prop, descending, viewer_sees_restricted=False)
    assert len(want) == 10
    assert _walk(tie_api, "reviews", args, None) == want


def test_nulls_and_ties_pinned(tie_api: Api) -> None:
    """Boards by established year: two without, ties among the rest (nulls last ascending,
    first descending; ties by id ascending both ways)."""
    up = _walk(tie_api, "boards", "sort: ESTABLISHED_YEAR", None)
    down = _walk(tie_api, "boards", "sort: ESTABLISHED_YEAR, descending: true", None)
    assert up == ["b01", "b02", "b05", "b06", "b03", "b00", "b04"]
    assert down == ["b00", "b04", "b03", "b01", "b02", "b05", "b06"]


NESTED = [
    # (parent global id, connection, sort enum values, a filter that goes to the store's list)
    ("Board:b00", "reviews", ["YEAR", "TITLE", "ID", "STATUS"], "{ kind: scr }"),
    (
        "Theme:neglect",
        "recommendations",
        ["YEAR", "BOARD", "NUMBER", "ID"],
        "{ status: open_awaiting_response }",
    ),
    (
        "Agency:ag1",
        "actions",
        ["DUE_DATE", "COMPLETED_DATE", "STATUS", "ID"],
        "{ status: completed }",
    ),
]


def _nested(api: Api, gid: str, field: str, args: str, role: str | None, after: Any) -> Any:
    parent = gid.split(":")[0]
    q = (
        "query($id: ID!, $after: String) { node(id: $id) { "
        f"... on {parent} {{ {field}({args}, after: $after) {{ ...C }} }} }} }} "
    )
    node = api.gql(q + _FRAGMENT[field], {"id": gid, "after": after}, role=role)["data"]["node"]
    return node[field]


_FRAGMENT = {
    f: f"fragment C on {t}Connection {{ totalCount pageInfo {{ hasNextPage endCursor }} "
    "edges { cursor node { key } } }"
    for f, t in (
        ("reviews", "Review"),
        ("recommendations", "Recommendation"),
        ("actions", "Action"),
    )
}


@pytest.mark.parametrize(("gid", "field", "sorts", "filter"), NESTED)
def test_nested_walk_equals_one_page(
    tie_api: Api, gid: str, field: str, sorts: list[str], filter: str
) -> None:
    for sort in sorts:
        for desc in ("false", "true"):
            for flt in ("", f", filter: {filter}"):
                for role in ROLES:
                    args = f"sort: {sort}, descending: {desc}{flt}"
                    whole_conn = _nested(tie_api, gid, field, f"first: 100, {args}", role, None)
                    whole = [e["node"]["key"] for e in whole_conn["edges"]]
                    assert len(whole) == whole_conn["totalCount"]
                    seen: list[str] = []
                    after = None
                    while True:
                        conn = _nested(tie_api, gid, field, f"first: 2, {args}", role, after)
                        seen += [e["node"]["key"] for e in conn["edges"]]
                        if not conn["pageInfo"]["hasNextPage"]:
                            break
                        after = conn["pageInfo"]["endCursor"]
                    assert seen == whole, (gid, field, args, role)
                    if field == "reviews" and role is None:
                        assert not HIDDEN_REVIEWS & set(whole)
    assert whole  # the last combination (with its filter) found rows: the test reads some


def _made_up(label: Label, field: str, descending: bool, value: Any, key: str) -> str:
    return encode_cursor(Order(label, field, descending), value, key)


def test_cursor_naming_a_hidden_row_is_no_oracle(tie_api: Api) -> None:
    """A made-up cursor at a hidden review's exact position answers the visible reviews after
    that position: the same page as a made-up position just beside it where no row is."""
    hidden = "rv05"  # restricted, year 2010
    at_hidden = _made_up(Label.REVIEW, "year", False, 2010, hidden)
    beside = _made_up(Label.REVIEW, "year", False, 2010, hidden + "~")  # no such review
    args = "first: 100, sort: YEAR"
    a = _conn(tie_api, "reviews", args, None, {"after": at_hidden})
    b = _conn(tie_api, "reviews", args, None, {"after": beside})
    keys = [e["node"]["key"] for e in a["edges"]]
    assert keys == [e["node"]["key"] for e in b["edges"]]
    years = {r["id"]: r["year"] for r in tie_graph().nodes[1].rows}
    want = _expected_reviews("year", False, viewer_sees_restricted=False)
    assert keys == [k for k in want if (years[k], k) > (2010, hidden)]
    assert keys[:4] == ["rv06", "rv10", "rv11", "rv02"]  # 2010s after rv05, then 2011
    assert not HIDDEN_REVIEWS & set(keys)


def _error(api: Api, field: str, args: str, after: str) -> dict[str, Any]:
    body = api.gql(
        f"query($after: String) {{ {field}({args}after: $after) {{ edges {{ node {{ key }} }} }} }}",
        {"after": after},
        expect_errors=True,
    )
    assert body["data"] is None or body["data"].get(field) is None, body
    (err,) = body["errors"]
    assert err["extensions"]["code"] == "BAD_USER_INPUT", err
    assert "`after`: cursor" in err["message"]
    return dict(err)


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def test_bad_cursors_are_clear_errors(tie_api: Api) -> None:
    real = _conn(tie_api, "reviews", "first: 2, sort: YEAR", None, {"after": None})["pageInfo"][
        "endCursor"
    ]
    text = base64.urlsafe_b64decode(real).decode()
    edited = _b64(text.replace("2010", "2011"))  # the JSON edited, the check left
    cases = {
        _b64("o:3"): "offset cursor from before keyset pagination",
        "garbage!": "not one this API gave out",
        _b64("k1.zzz.[]"): "damaged or edited",
        _b64("k9.abc.[]"): "unknown cursor version",
        edited: "damaged or edited",
        "A" * 3000: "longer than",
        _made_up(Label.REVIEW, "year", False, "2010", "rv00"): "not of the type year sorts by",
        _made_up(Label.REVIEW, "year", False, 2**70, "rv00"): "not a list position",
    }
    for cursor, says in cases.items():
        err = _error(tie_api, "reviews", "first: 2, sort: YEAR, ", cursor)
        assert says in err["message"], (says, err)
    # a real cursor of another order: the list says which one it belongs to
    err = _error(tie_api, "reviews", "first: 2, sort: YEAR, descending: true, ", real)
    assert "belongs to a list of Review sorted by year, ascending" in err["message"]
    err = _error(tie_api, "boards", "first: 2, ", real)
    assert "belongs to a list of Review sorted by year" in err["message"]
    # nested (the page cut in Python) refuses them the same way
    body = tie_api.gql(
        'query($a: String) { node(id: "Board:b00") { ... on Board { reviews(after: $a) '
        "{ totalCount } } } }",
        {"a": _b64("o:0")},
        expect_errors=True,
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "offset cursor" in body["errors"][0]["message"]


def test_page_info_without_total(tie_api: Api) -> None:
    """hasNextPage without totalCount (the store reads one row past the page), to the end."""
    q = (
        "query($after: String) { audits(first: 5, sort: DATE, after: $after) "
        "{ pageInfo { hasNextPage endCursor } edges { node { key } } } }"
    )
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        conn = tie_api.gql(q, {"after": after}, role="restricted")["data"]["audits"]
        pages += 1
        seen += [e["node"]["key"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 14
    assert pages == 3
