"""Errors speak to API users: GraphQL argument names and a code, never CLI flags."""

from __future__ import annotations

import pytest

import queries
from graph_store import GraphStore
from queries._common import QueryParamError
from tests.api.conftest import Api


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            '{ outstandingActions(asOf: "soon") { open } }',
            "`asOf` is 'soon', which is not an ISO date (YYYY-MM-DD)",
        ),
        (
            '{ agencyLoad(sector: "police", asOf: "31/03/2020") { asOf } }',
            "`asOf` is '31/03/2020', which is not an ISO date (YYYY-MM-DD)",
        ),
        (
            '{ themeRecurrence(theme: "neglect", yearFrom: 2020, yearTo: 2010) { reviews } }',
            "`yearFrom`=2020 is after `yearTo`=2010; swap them",
        ),
        (
            "{ themeNetwork(yearFrom: 2020, yearTo: 2010) { reviews } }",
            "`yearFrom`=2020 is after `yearTo`=2010; swap them",
        ),
        (
            # a fuzzer's range: the network would slice every year up to it, and time out
            "{ themeNetwork(yearFrom: -1975, yearTo: 2147483647, category: practice) { reviews } }",
            "`yearFrom`=-1975 is not a year of a review: expected 1900 to 2100",
        ),
        (
            '{ themeRecurrence(theme: "neglect", yearTo: 99999) { reviews } }',
            "`yearTo`=99999 is not a year of a review: expected 1900 to 2100",
        ),
        ("{ themeNetwork(minWeight: 0) { reviews } }", "`minWeight`=0 must be 1 or more"),
        (
            "{ repeatedRecommendations(minYears: 0) { minYears } }",
            "`minYears`=0 must be 1 or more",
        ),
        ('{ traceRecommendation(id: "  ") { citation } }', "`id` is required"),
        ("{ agencyLoad { asOf } }", "give exactly one of `agency` or `sector`"),
        (
            '{ agencyLoad(agency: "ag-pol", sector: "police") { asOf } }',
            "give exactly one of `agency` or `sector`",
        ),
    ],
)
def test_bad_arguments_name_graphql_arguments(api: Api, query: str, message: str) -> None:
    body = api.gql(query, expect_errors=True)
    assert all(v is None for v in (body["data"] or {}).values())
    [err] = body["errors"]
    assert err["message"] == message
    assert err["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "--param" not in str(body)


def test_the_cli_keeps_its_wording(small_store: GraphStore) -> None:
    with pytest.raises(QueryParamError) as e:
        queries.run(small_store, "outstanding_actions", {"as_of": "soon"})
    assert str(e.value) == (
        "query 'outstanding_actions': as_of is 'soon', which is not an ISO date (YYYY-MM-DD) "
        "(pass e.g. --param as_of=...)"
    )
    with pytest.raises(QueryParamError) as e:
        queries.run(small_store, "theme_network", {"year_from": "2020", "year_to": "2010"})
    assert str(e.value) == "query 'theme_network': year_from=2020 is after year_to=2010; swap them"
