"""Every top-level field on the demo corpus, on both backends, as public and as admin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_store import GraphStore
from tests.api.conftest import Api, make_api

pytestmark = pytest.mark.slow


@pytest.fixture
def demo_api(demo_store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(demo_store, tmp_path)


def _first_key(api: Api, field: str, role: str | None = None) -> str:
    data = api.gql(f"{{ {field}(first: 1) {{ edges {{ node {{ key }} }} }} }}", role=role)
    return str(data["data"][field]["edges"][0]["node"]["key"])


ENTITY_FIELDS = [
    "boards",
    "reviews",
    "recommendations",
    "agencies",
    "sectors",
    "themes",
    "actions",
    "audits",
]


@pytest.mark.parametrize("field", ENTITY_FIELDS)
def test_entity_lists_on_demo(demo_api: Api, field: str) -> None:
    q = f"{{ {field}(first: 5) {{ totalCount edges {{ node {{ id key }} }} }} }}"
    pub = demo_api.gql(q)["data"][field]
    full = demo_api.gql(q, role="admin")["data"][field]
    assert 0 < pub["totalCount"] <= full["totalCount"]
    gid = pub["edges"][0]["node"]["id"]
    assert demo_api.gql(f'{{ node(id: "{gid}") {{ id }} }}')["data"]["node"] == {"id": gid}


def test_restricted_counts_differ_on_demo(demo_api: Api) -> None:
    q = "{ reviews { totalCount } recommendations { totalCount } }"
    pub, full = demo_api.gql(q)["data"], demo_api.gql(q, role="admin")["data"]
    assert pub["reviews"]["totalCount"] < full["reviews"]["totalCount"]
    assert pub["recommendations"]["totalCount"] < full["recommendations"]["totalCount"]
    restricted = demo_api.gql(
        "{ reviews(filter: {status: restricted}) { totalCount } }", role="admin"
    )["data"]["reviews"]["totalCount"]
    assert restricted > 0
    assert (
        demo_api.gql("{ reviews(filter: {status: restricted}) { totalCount } }")["data"]["reviews"][
            "totalCount"
        ]
        == 0
    )


def test_inspector_page_on_demo(demo_api: Api) -> None:
    q = """{ recommendations(first: 100, sort: YEAR, descending: true) { totalCount edges { node {
      key review { title board { name } } themes { key }
      actions { edges { node { status audits { rating } } } } } } } }"""
    conn = demo_api.gql(q)["data"]["recommendations"]
    assert len(conn["edges"]) == 100


def _analytics(api: Api) -> list[tuple[str, str]]:
    rec = _first_key(api, "recommendations")
    board = _first_key(api, "boards")
    agency = _first_key(api, "agencies")
    return [
        (
            '{ themeRecurrence(theme: "information_sharing") { reviews trend '
            "perYear { year reviews } afterClosure { review { key } board { key } } } }",
            "themeRecurrence",
        ),
        (
            "{ themeNetwork(yearFrom: 2010) { reviews nodes { key x } edges { weight } "
            "slices { year } } }",
            "themeNetwork",
        ),
        (
            f'{{ traceRecommendation(id: "{rec}") {{ citation verdict review {{ key }} '
            "actions { action { key } audits { rating } } laterReviews { review { key } } } }",
            "traceRecommendation",
        ),
        (
            "{ repeatedRecommendations { clusters { key size members { key } links { score } } } }",
            "repeatedRecommendations",
        ),
        (
            f'{{ agencyLoad(agency: "{agency}", asOf: "2024-01-01") {{ agencies {{ key }} '
            "perYear { year recommendations } totals { recommendations overdueActions } } }",
            "agencyLoad",
        ),
        (
            f'{{ outstandingActions(board: "{board}", asOf: "2024-01-01", limit: 5) '
            "{ open overdue actions { key daysOverdue owner { key } board { key } } } }",
            "outstandingActions",
        ),
        (
            '{ search(text: "information sharing", limit: 5) { total hits { key score '
            "highlights { spans { start end } } review { key } } } }",
            "search",
        ),
    ]


def test_analytics_on_demo(demo_api: Api) -> None:
    for query, field in _analytics(demo_api):
        for role in (None, "admin"):
            data: Any = demo_api.gql(query, role=role)["data"][field]
            assert data, (query, role)
