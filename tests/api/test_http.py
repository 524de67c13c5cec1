"""GraphQL over HTTP details, health, readiness and metrics."""

from __future__ import annotations

import pytest

from gql_api.http import wants_graphql_response_json
from tests.api.conftest import Api

GQLR = "application/graphql-response+json"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, False),
        ("*/*", False),
        ("application/json", False),
        (GQLR, True),
        (f"{GQLR}, application/json;q=0.9", True),
        (f"application/json, {GQLR}", False),
        (f"application/json;q=0.5, {GQLR}", True),
        (f"{GQLR};q=0", False),
    ],
)
def test_accept_negotiation(accept: str | None, expected: bool) -> None:
    assert wants_graphql_response_json(accept) is expected


def test_media_types_and_status(api: Api) -> None:
    ok = api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"Accept": GQLR})
    assert ok.status_code == 200 and ok.headers["content-type"].startswith(GQLR)
    bad = api.client.post("/graphql", json={"query": "{ nope }"}, headers={"Accept": GQLR})
    assert bad.status_code == 400 and "data" not in bad.json()
    legacy = api.client.post("/graphql", json={"query": "{ nope }"})
    assert legacy.status_code == 200
    assert legacy.headers["content-type"].startswith("application/json")


def test_get_queries(api: Api) -> None:
    res = api.client.get("/graphql", params={"query": "{ boards { totalCount } }"})
    assert res.json() == {"data": {"boards": {"totalCount": 2}}}


def test_health_ready_metrics(api: Api) -> None:
    assert api.client.get("/healthz").text == "ok\n"
    ready = api.client.get("/readyz").json()
    assert ready["ready"] is True
    api.gql("{ nope }", expect_errors=True)
    text = api.client.get("/metrics").text
    assert 'scrgraph_http_requests_total{path="/graphql",method="POST",status="200"}' in text
    assert "scrgraph_http_request_duration_seconds_bucket" in text
    assert "scrgraph_graphql_errors_total" in text


def test_explorer_page_is_local(api: Api) -> None:
    res = api.client.get("/graphql", headers={"Accept": "text/html"})
    assert res.status_code == 200
    assert "http://" not in res.text and "https://" not in res.text
