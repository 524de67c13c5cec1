"""Grouped counts: exact values for a public viewer and an admin, on both backends.

The graph is test_filters' (the small hand-built graph with age bands and later audits):
restricted rv3 and withdrawn rv4, and their recommendations, count for the admin only.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.test_filters import DEMO_VERDICTS, demo_api, fapi

__all__ = ["demo_api", "fapi"]  # fixtures, shared with test_filters

G = dict[str, Any]

CASES: list[tuple[str, str, list[G], int, list[G], int]] = [
    (
        "recommendationCounts(groupBy: [YEAR, VERDICT])",
        "year verdict",
        [
            {"year": 2012, "verdict": "not_audited", "count": 1},
            {"year": 2012, "verdict": "slipped_back", "count": 1},
            {"year": 2016, "verdict": "embedded", "count": 1},
            {"year": 2016, "verdict": "partially_embedded", "count": 1},
        ],
        4,
        [
            {"year": 2012, "verdict": "not_audited", "count": 1},
            {"year": 2012, "verdict": "slipped_back", "count": 1},
            {"year": 2016, "verdict": "embedded", "count": 1},
            {"year": 2016, "verdict": "partially_embedded", "count": 1},
            {"year": 2018, "verdict": "not_audited", "count": 1},
            {"year": 2018, "verdict": "slipped_back", "count": 1},
            {"year": 2020, "verdict": "embedded", "count": 1},
            {"year": 2020, "verdict": "not_audited", "count": 1},
        ],
        8,
    ),
    (
        "recommendationCounts(groupBy: [SECTOR])",
        "sector { key }",
        [{"sector": {"key": "health"}, "count": 1}, {"sector": {"key": "police"}, "count": 4}],
        4,
        [{"sector": {"key": "health"}, "count": 1}, {"sector": {"key": "police"}, "count": 8}],
        8,
    ),
    (
        "recommendationCounts(groupBy: [THEME, STATUS])",
        "themeKey status",
        [
            {"themeKey": "information_sharing", "status": "closed_acceptable_action", "count": 2},
            {"themeKey": "information_sharing", "status": "open_awaiting_response", "count": 2},
        ],
        4,
        [
            {"themeKey": "hidden_man", "status": "open_awaiting_response", "count": 1},
            {"themeKey": "information_sharing", "status": "closed_acceptable_action", "count": 4},
            {"themeKey": "information_sharing", "status": "open_awaiting_response", "count": 4},
        ],
        8,
    ),
    (
        "recommendationCounts(groupBy: [BOARD], filter: {verdict: slipped_back, kind: scr})",
        "board { key name }",
        [{"board": {"key": "b1", "name": "Northby LSCB"}, "count": 1}],
        1,
        [
            {"board": {"key": "b1", "name": "Northby LSCB"}, "count": 1},
            {"board": {"key": "b2", "name": "Southby Partnership"}, "count": 1},
        ],
        2,
    ),
    (
        "reviewCounts(groupBy: [BOARD, KIND])",
        "boardKey kind",
        [{"boardKey": "b1", "kind": "scr", "count": 2}],
        2,
        [
            {"boardKey": "b1", "kind": "scr", "count": 2},
            {"boardKey": "b2", "kind": "lcspr", "count": 1},
            {"boardKey": "b2", "kind": "scr", "count": 1},
        ],
        4,
    ),
    (
        "reviewCounts(groupBy: [STATUS])",
        "status",
        [{"status": "published", "count": 2}],
        2,
        [
            {"status": "published", "count": 2},
            {"status": "restricted", "count": 1},
            {"status": "withdrawn", "count": 1},
        ],
        4,
    ),
    (
        "reviewCounts(groupBy: [THEME], filter: {yearFrom: 2016})",
        "themeKey",
        [{"themeKey": "information_sharing", "count": 1}, {"themeKey": "neglect", "count": 1}],
        1,
        [
            {"themeKey": "hidden_man", "count": 1},
            {"themeKey": "information_sharing", "count": 3},
            {"themeKey": "neglect", "count": 1},
        ],
        3,
    ),
    (
        'reviewCounts(groupBy: [YEAR, SECTOR], filter: {board: "b2"})',
        "year sector { key }",
        [],
        0,
        [
            {"year": 2018, "sector": {"key": "police"}, "count": 1},
            {"year": 2020, "sector": {"key": "police"}, "count": 1},
        ],
        2,
    ),
]


@pytest.mark.parametrize(("field", "select", "public", "ptotal", "admin", "atotal"), CASES)
def test_counts_for_each_viewer(
    fapi: Api,
    field: str,
    select: str,
    public: list[G],
    ptotal: int,
    admin: list[G],
    atotal: int,
) -> None:
    name = field.split("(")[0]
    q = f"{{ {field} {{ total groups {{ {select} count }} }} }}"
    for role, groups, total in ((None, public, ptotal), ("admin", admin, atotal)):
        data = fapi.gql(q, role=role)["data"][name]
        assert (data["groups"], data["total"]) == (groups, total), role


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        (
            '{ reviewCounts(groupBy: [YEAR], filter: {board: "b9"}) { total } }',
            "NOT_FOUND",
            "no board 'b9' (argument `filter.board`)",
        ),
        (
            "{ recommendationCounts(groupBy: [YEAR, BOARD, THEME]) { total } }",
            "BAD_USER_INPUT",
            "`groupBy` takes one or two different dimensions",
        ),
        (
            "{ recommendationCounts(groupBy: []) { total } }",
            "BAD_USER_INPUT",
            "`groupBy` takes one or two different dimensions",
        ),
        (
            "{ reviewCounts(groupBy: [VERDICT]) { total } }",
            "GRAPHQL_VALIDATION_FAILED",
            "Value 'VERDICT' does not exist in 'ReviewDimension' enum.",
        ),
    ],
)
def test_bad_counts_are_refused(fapi: Api, query: str, code: str, message: str) -> None:
    [err] = fapi.gql(query, expect_errors=True)["errors"]
    assert (err["extensions"]["code"], err["message"]) == (code, message)


@pytest.mark.slow
def test_demo_counts_by_verdict_match_the_worklists(demo_api: Api) -> None:
    q = "{ recommendationCounts(groupBy: [VERDICT]) { total groups { verdict count } } }"
    for i, role in enumerate((None, "admin")):
        data = demo_api.gql(q, role=role)["data"]["recommendationCounts"]
        assert {g["verdict"]: g["count"] for g in data["groups"]} == {
            v: n[i] for v, n in DEMO_VERDICTS.items()
        }
        assert data["total"] == sum(n[i] for n in DEMO_VERDICTS.values())
    q = (
        '{ reviewCounts(groupBy: [STATUS], filter: {board: "b-norley-lscb"}) '
        "{ total groups { status count } } }"
    )
    assert demo_api.gql(q)["data"]["reviewCounts"] == {
        "total": 3,
        "groups": [{"status": "published", "count": 3}],
    }
    assert demo_api.gql(q, role="admin")["data"]["reviewCounts"] == {
        "total": 5,
        "groups": [{"status": "published", "count": 3}, {"status": "restricted", "count": 2}],
    }
