"""Not found is an error: NOT_FOUND, a message naming the key, the nearest existing keys.

A recommendation the caller may not see answers byte for byte as one that does not exist.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api


def _error(api: Api, query: str, role: str | None = None) -> dict[str, Any]:
    body = api.gql(query, role=role, expect_errors=True)
    assert len(body["errors"]) == 1, body
    err: dict[str, Any] = body["errors"][0]
    assert err["extensions"]["code"] == "NOT_FOUND", err
    return err


@pytest.mark.parametrize("role", [None, "analyst"])
def test_hidden_recommendation_answers_as_an_absent_one(api: Api, role: str | None) -> None:
    q = '{{ traceRecommendation(id: "{}") {{ citation }} }}'
    headers = {"Authorization": f"Bearer {api.keys[role]}"} if role else {}
    hidden = api.client.post("/graphql", json={"query": q.format("rv3-r1")}, headers=headers)
    withdrawn = api.client.post("/graphql", json={"query": q.format("rv4-r1")}, headers=headers)
    absent = api.client.post("/graphql", json={"query": q.format("rv9-r1")}, headers=headers)
    assert hidden.status_code == absent.status_code == withdrawn.status_code == 200
    # Same bytes but for the id itself (ids of equal length, so positions match too).
    assert hidden.content.replace(b"rv3-r1", b"rv9-r1") == absent.content
    assert withdrawn.content.replace(b"rv4-r1", b"rv9-r1") == absent.content
    assert absent.json() == {
        "data": {"traceRecommendation": None},
        "errors": [
            {
                "message": "no recommendation 'rv9-r1' (argument `id`)",
                "locations": [{"line": 1, "column": 3}],
                "path": ["traceRecommendation"],
                "extensions": {"code": "NOT_FOUND", "suggestions": []},
            }
        ],
    }


def test_granted_analyst_sees_the_restricted_trace(api: Api) -> None:
    body = api.gql(
        '{ traceRecommendation(id: "rv3-r1") { recommendation { key } } }', role="restricted"
    )
    assert body["data"]["traceRecommendation"]["recommendation"]["key"] == "rv3-r1"
    err = _error(api, '{ traceRecommendation(id: "rv9-r1") { citation } }', role="restricted")
    assert err["extensions"]["suggestions"] == []


@pytest.mark.parametrize(
    ("query", "message", "suggestions"),
    [
        (
            '{ themeRecurrence(theme: "information_sharng") { reviews } }',
            "no theme 'information_sharng' (argument `theme`); did you mean `information_sharing`?",
            ["information_sharing"],
        ),
        (
            '{ themeRecurrence(theme: "Information Sharing") { reviews } }',
            "no theme 'Information Sharing' (argument `theme`); did you mean "
            "`information_sharing`?",
            ["information_sharing"],
        ),
        (
            '{ themeRecurrence(theme: "neglect", boards: ["b1", "Northby"]) { reviews } }',
            "no board 'Northby' (argument `boards`); did you mean `b1`?",
            ["b1"],
        ),
        (
            '{ themeRecurrence(theme: "zzz") { reviews } }',
            "no theme 'zzz' (argument `theme`)",
            [],
        ),
        (
            '{ themeNetwork(boards: ["b9"]) { reviews } }',
            "no board 'b9' (argument `boards`)",
            [],
        ),
        (
            '{ outstandingActions(board: "b9") { open } }',
            "no board 'b9' (argument `board`)",
            [],
        ),
        (
            '{ outstandingActions(agency: "ag-po") { open } }',
            "no agency 'ag-po' (argument `agency`); did you mean `ag-pol` or `ag-hv`?",
            ["ag-pol", "ag-hv"],
        ),
        (
            '{ agencyLoad(agency: "Northby Polise") { asOf } }',
            "no agency 'Northby Polise' (argument `agency`); did you mean `ag-pol`?",
            ["ag-pol"],
        ),
        (
            '{ agencyLoad(sector: "polise") { asOf } }',
            "no sector 'polise' (argument `sector`); did you mean `police`?",
            ["police"],
        ),
        (
            '{ reviews(filter: {theme: "neglet"}) { totalCount } }',
            "no theme 'neglet' (argument `filter.theme`); did you mean `neglect`?",
            ["neglect"],
        ),
        (
            '{ actions(filter: {board: "b3"}) { totalCount } }',
            "no board 'b3' (argument `filter.board`)",
            [],
        ),
        (
            '{ recommendations(filter: {sector: "polise", verdict: embedded}) { totalCount } }',
            "no sector 'polise' (argument `filter.sector`); did you mean `police`?",
            ["police"],
        ),
        (
            '{ actions(filter: {owner: "ag-po"}) { totalCount } }',
            "no agency 'ag-po' (argument `filter.owner`); did you mean `ag-pol` or `ag-hv`?",
            ["ag-pol", "ag-hv"],
        ),
        (
            '{ audits(filter: {agency: "Northby Polise"}) { totalCount } }',
            "no agency 'Northby Polise' (argument `filter.agency`); did you mean `ag-pol`?",
            ["ag-pol"],
        ),
        (
            '{ recommendations(filter: {board: "Southby Partnershp"}, sort: NEWEST) { totalCount } }',
            "no board 'Southby Partnershp' (argument `filter.board`); did you mean `b2`?",
            ["b2"],
        ),
        (
            '{ briefing(audience: "polise") { markdown } }',
            "no audience 'polise' (argument `audience`); did you mean `police`?",
            ["police"],
        ),
    ],
)
@pytest.mark.parametrize("role", [None, "restricted"])
def test_unknown_key_is_not_found_with_suggestions(
    api: Api, role: str | None, query: str, message: str, suggestions: list[str]
) -> None:
    err = _error(api, query, role=role)
    assert err["message"] == message
    assert err["extensions"]["suggestions"] == suggestions


def test_known_keys_still_answer(api: Api) -> None:
    data = api.gql(
        '{ out: outstandingActions(board: "b1", agency: "ag-pol", asOf: "2030-01-01") '
        "{ open overdue } "
        'load: agencyLoad(sector: "housing", asOf: "2030-01-01") { totals { recommendations } } '
        'rec: themeRecurrence(theme: " neglect ", boards: ["b1", "b2"]) { reviews } '
        'net: themeNetwork(category: practice, boards: ["b1"]) { nodes { key } } '
        'list: reviews(filter: {board: "b1", theme: "neglect", status: published}) '
        "{ totalCount } "
        "hidden: reviews(filter: {status: restricted}) { totalCount } }"
    )["data"]
    assert (data["out"]["open"], data["out"]["overdue"]) == (2, 2)
    # A sector of the closed set with no agency loaded is a true zero, not an unknown key.
    assert data["load"]["totals"]["recommendations"] == 0
    assert data["rec"]["reviews"] == 1
    assert {n["key"] for n in data["net"]["nodes"]} == {"information_sharing", "neglect"}
    assert data["list"]["totalCount"] == 1
    # A status of the closed set is a true zero for the public, not an unknown key.
    assert data["hidden"]["totalCount"] == 0


def test_a_mistyped_enum_value_is_refused_with_the_nearest(api: Api) -> None:
    """A closed set is an enum: GraphQL itself refuses a value outside it, and suggests."""
    body = api.gql("{ themeNetwork(category: practise) { reviews } }", expect_errors=True)
    [err] = body["errors"]
    assert err["message"] == (
        "Value 'practise' does not exist in 'ThemeCategory' enum. "
        "Did you mean the enum value 'practice' or 'process'?"
    )
    assert err["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert body["data"] is None


def test_message_lists_up_to_three_suggestions() -> None:
    from gql_api.errors import not_found

    e = not_found("theme", "x", "theme", ["a", "b", "c"])
    assert e.message == "no theme 'x' (argument `theme`); did you mean `a`, `b` or `c`?"
    e = not_found("theme category", "x", "category", [], known=["practice", "process"])
    assert (
        e.message
        == "no theme category 'x' (argument `category`); expected one of practice, process"
    )


def test_key_lists_only_for_public_vocabulary(api: Api) -> None:
    import queries
    from queries.entities import EntityQueryError

    assert queries.run(api.store, "entities.keys", {"label": "Agency"}) == {
        "ag-hv": "Health visiting",
        "ag-pol": "Northby Police",
    }
    assert list(queries.run(api.store, "entities.keys", {"label": "Theme"})) == [
        "hidden_man",
        "information_sharing",
        "neglect",
    ]
    for label in ("Review", "Recommendation", "Action", "Audit"):
        with pytest.raises(EntityQueryError, match="no public list of keys"):
            queries.run(api.store, "entities.keys", {"label": label})
