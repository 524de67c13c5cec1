"""Every top-level field through the in-process client, on both backends."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api

ENTITY_LISTS = [
    ("boards", 2),
    ("reviews", 2),
    ("recommendations", 4),
    ("agencies", 2),
    ("sectors", 2),
    ("themes", 3),
    ("actions", 4),
    ("audits", 2),
]


@pytest.mark.parametrize(("field", "public_total"), ENTITY_LISTS)
def test_entity_lists(api: Api, field: str, public_total: int) -> None:
    q = f"{{ {field}(first: 1) {{ totalCount pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ id key }} }} }} }}"
    conn = api.gql(q)["data"][field]
    assert conn["totalCount"] == public_total
    assert len(conn["edges"]) == 1
    assert conn["pageInfo"]["hasNextPage"] is (public_total > 1)


def test_pagination_walks_every_item_once(api: Api) -> None:
    seen: list[str] = []
    after = None
    while True:
        conn = api.gql(
            "query($after: String) { recommendations(first: 3, after: $after, sort: ID) "
            "{ totalCount pageInfo { hasNextPage endCursor } edges { node { key } } } }",
            {"after": after},
            role="restricted",
        )["data"]["recommendations"]
        seen += [e["node"]["key"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 8


FILTERS: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("reviews", "YEAR", {"yearFrom": 2013}, ["rv2"]),
    ("reviews", "YEAR", {"board": "b1"}, ["rv1", "rv2"]),
    ("reviews", "YEAR", {"theme": "neglect"}, ["rv2"]),
    ("reviews", "YEAR", {"text": "DRIFT"}, ["rv2"]),
    ("reviews", "YEAR", {"agency": "ag-hv"}, ["rv1"]),
    ("reviews", "YEAR", {"sector": "health"}, ["rv1"]),
    ("recommendations", "ID", {"status": "closed_acceptable_action"}, ["rv1-r2", "rv2-r2"]),
    ("recommendations", "ID", {"yearTo": 2012, "agency": "ag-hv"}, ["rv1-r1"]),
    (
        "recommendations",
        "ID",
        {"sector": "police", "board": "b1", "yearFrom": 2016},
        ["rv2-r1", "rv2-r2"],
    ),
    ("actions", "ID", {"status": "completed", "board": "b1"}, ["act-rv1-r2", "act-rv2-r2"]),
    ("actions", "ID", {"yearFrom": 2017}, ["act-rv2-r1", "act-rv2-r2"]),
    (
        "audits",
        "ID",
        {"rating": "embedded", "theme": "information_sharing"},
        ["aud-act-rv1-r2", "aud-act-rv2-r2"],
    ),
    ("agencies", "ID", {"sector": "health"}, ["ag-hv"]),
    ("themes", "ID", {"text": "hidden"}, ["hidden_man"]),
    ("boards", "NAME", {"text": "south"}, ["b2"]),
]


FILTER_TYPES = {
    "reviews": "ReviewFilter",
    "recommendations": "RecommendationFilter",
    "actions": "ActionFilter",
    "audits": "AuditFilter",
    "agencies": "AgencyFilter",
    "themes": "ThemeFilter",
    "boards": "BoardFilter",
}


@pytest.mark.parametrize(("field", "sort", "filter", "expected"), FILTERS)
def test_filters(
    api: Api, field: str, sort: str, filter: dict[str, Any], expected: list[str]
) -> None:
    q = (
        f"query($f: {FILTER_TYPES[field]}) {{ {field}(filter: $f, sort: {sort}, first: 100) "
        "{ totalCount edges { node { key } } } }"
    )
    conn = api.gql(q, {"f": filter})["data"][field]
    assert [e["node"]["key"] for e in conn["edges"]] == expected
    assert conn["totalCount"] == len(expected)


def test_sort_descending(api: Api) -> None:
    conn = api.gql("{ reviews(sort: YEAR, descending: true) { edges { node { year } } } }")
    years = [e["node"]["year"] for e in conn["data"]["reviews"]["edges"]]
    assert years == [2016, 2012]


def test_filter_that_does_not_apply_is_refused(api: Api) -> None:
    body = api.gql("{ boards(filter: {rating: embedded}) { totalCount } }", expect_errors=True)
    assert body["errors"][0]["message"] == (
        "Expected value of type 'BoardFilter' not to include unknown field 'rating', "
        "found: { rating: embedded }."
    )


def test_relationship_connections_and_node(api: Api) -> None:
    q = """{ node(id: "Recommendation:rv1-r1") { id ... on Recommendation {
        number review { key board { key name successors { key } } }
        agencies { key sector { key label agencies { totalCount } } }
        themes { key reviews { totalCount } recommendations { totalCount } }
        actions { edges { node { key owner { key } recommendation { key } audits { key } } } }
        similar { edges { similarity node { key } } }
    } } }"""
    node = api.gql(q)["data"]["node"]
    assert node["id"] == "Recommendation:rv1-r1"
    assert node["review"]["board"] == {
        "key": "b1",
        "name": "Northby LSCB",
        "successors": [{"key": "b2"}],
    }
    assert [a["key"] for a in node["agencies"]] == ["ag-hv", "ag-pol"]
    assert node["themes"][0]["reviews"]["totalCount"] == 2
    assert node["actions"]["edges"][0]["node"]["owner"]["key"] == "ag-pol"
    # rv3-r1 belongs to a restricted review: public sees only the published similar one
    assert [(e["node"]["key"], e["similarity"]) for e in node["similar"]["edges"]] == [
        ("rv2-r1", 0.9)
    ]


def test_plain_lists_in_default_order_and_as_visible(api: Api) -> None:
    """A recommendation's themes and agencies and an action's audits are plain lists, in the
    order of their connections' default sort (label, name, date; not the key), with the
    visibility of the nodes that hold them: the restricted review's recommendation and its
    action answer only for admin, with the same lists."""
    from graph_schema import Label, RelType
    from graph_store import Batch, NodeWrite, RelWrite
    from tests.api.conftest import _rels

    theme = {"id": "a_zeal", "label": "Zeal", "category": "practice", "kind": "practice"}
    audits = [
        {
            "id": "aud-a",
            "action_id": "act-rv3-r2",
            "date": "2019-06-01",
            "auditor": "board_qa",
            "rating": "not_embedded",
        },
        {
            "id": "aud-b",
            "action_id": "act-rv3-r2",
            "date": "2015-01-01",
            "auditor": "board_qa",
            "rating": "embedded",
        },
    ]
    api.store.write(
        Batch(
            nodes=[NodeWrite(Label.THEME, [theme]), NodeWrite(Label.AUDIT, audits)],
            rels=[
                RelWrite(RelType.TAGGED, _rels([("rv1-r1", "a_zeal"), ("rv3-r1", "a_zeal")])),
                RelWrite(RelType.CHECKS, _rels([("aud-a", "act-rv3-r2"), ("aud-b", "act-rv3-r2")])),
            ],
        )
    )
    q = """query($r: ID!, $a: ID!) {
      r: node(id: $r) { ... on Recommendation { themes { key } agencies { key name } } }
      a: node(id: $a) { ... on Action { audits { key date } } } }"""
    pub = api.gql(q, {"r": "Recommendation:rv1-r1", "a": "Action:act-rv1-r2"})["data"]
    assert pub["r"] == {
        "themes": [{"key": "information_sharing"}, {"key": "a_zeal"}],
        "agencies": [
            {"key": "ag-hv", "name": "Health visiting"},
            {"key": "ag-pol", "name": "Northby Police"},
        ],
    }
    assert pub["a"] == {"audits": [{"key": "aud-act-rv1-r2", "date": "2013-03-31"}]}
    hidden = {"r": "Recommendation:rv3-r1", "a": "Action:act-rv3-r2"}
    assert api.gql(q, hidden)["data"] == {"r": None, "a": None}
    admin = api.gql(q, hidden, role="admin")["data"]
    assert admin["r"]["themes"] == [{"key": "hidden_man"}, {"key": "information_sharing"},
                                    {"key": "a_zeal"}]  # fmt: skip
    assert admin["a"]["audits"] == [
        {"key": "aud-b", "date": "2015-01-01"},
        {"key": "aud-act-rv3-r2", "date": "2019-03-31"},
        {"key": "aud-a", "date": "2019-06-01"},
    ]


def test_nested_filter_on_a_connection(api: Api) -> None:
    q = '{ node(id: "Board:b1") { ... on Board { reviews(filter: {yearFrom: 2014}) { totalCount edges { node { key } } } } } }'
    assert api.gql(q)["data"]["node"]["reviews"]["edges"] == [{"node": {"key": "rv2"}}]


def test_node_unknown_and_malformed(api: Api) -> None:
    assert api.gql('{ node(id: "Review:nope") { id } }')["data"]["node"] is None
    body = api.gql('{ node(id: "nonsense") { id } }', expect_errors=True)
    assert "not a global id" in body["errors"][0]["message"]


ANALYTICS = [
    (
        '{ themeRecurrence(theme: "information_sharing", yearFrom: 2010, yearTo: 2020) '
        "{ reviews perYear { year reviews } perBoard { boardKey } afterClosure { reviewKey } } }",
        "themeRecurrence",
    ),
    (
        "{ themeNetwork(yearFrom: 2010, minWeight: 1) { nodes { key } edges { weight } } }",
        "themeNetwork",
    ),
    (
        '{ traceRecommendation(id: "rv1-r2") { citation verdict review { key } audits { key } } }',
        "traceRecommendation",
    ),
    (
        "{ repeatedRecommendations(minBoards: 1, minYears: 1) { clusters { key memberKeys } } }",
        "repeatedRecommendations",
    ),
    (
        '{ agencyLoad(agency: "ag-pol", asOf: "2020-01-01") '
        "{ agencies { key } perYear { year open } totals { actions } overdue { key } } }",
        "agencyLoad",
    ),
    (
        '{ outstandingActions(board: "b1", asOf: "2020-01-01", limit: 10) '
        "{ open overdue actions { key daysOverdue action { key } review { key } } } }",
        "outstandingActions",
    ),
    (
        '{ search(text: "information sharing", limit: 5) { total hits { key kind score } } }',
        "search",
    ),
]


@pytest.mark.parametrize(("query", "field"), ANALYTICS)
def test_analytics_fields(api: Api, query: str, field: str) -> None:
    data = api.gql(query)["data"][field]
    assert isinstance(data, dict) and data


def test_analytics_limit_is_bounded(api: Api) -> None:
    body = api.gql('{ search(text: "x", limit: 1000) { total } }', expect_errors=True)
    assert "between 1 and 100" in body["errors"][0]["message"]
