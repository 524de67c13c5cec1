"""Closed sets are GraphQL enums, with the model's values, each described."""

from __future__ import annotations

import pytest

from gql_api.enums import undescribed
from graph_schema import (
    ACTION_STATUSES,
    AUDIT_RATINGS,
    IMPACT_VERDICTS,
    RECOMMENDATION_STATUSES,
    REVIEW_STATUSES,
)
from tests.api.conftest import Api

ENUMS = {
    "ReviewStatus": REVIEW_STATUSES,
    "RecommendationStatus": RECOMMENDATION_STATUSES,
    "ActionStatus": ACTION_STATUSES,
    "AuditRating": AUDIT_RATINGS,
    "ImpactVerdict": IMPACT_VERDICTS,
}
FIELDS = {
    ("Review", "status"): "ReviewStatus",
    ("Recommendation", "status"): "RecommendationStatus",
    ("Recommendation", "verdict"): "ImpactVerdict",
    ("Action", "status"): "ActionStatus",
    ("Audit", "rating"): "AuditRating",
}


@pytest.mark.parametrize(("name", "values"), sorted(ENUMS.items()))
def test_enum_values_are_the_models(api: Api, name: str, values: tuple[str, ...]) -> None:
    q = "query($n: String!) { __type(name: $n) { kind description enumValues { name description } } }"
    t = api.gql(q, {"n": name})["data"]["__type"]
    assert t["kind"] == "ENUM" and t["description"]
    assert [v["name"] for v in t["enumValues"]] == list(values)
    assert all(v["description"] for v in t["enumValues"])
    assert undescribed(name, values) == [], f"describe them in gql_api/enums.py: {name}"


@pytest.mark.parametrize(("where", "enum"), sorted(FIELDS.items()))
def test_fields_use_the_enums(api: Api, where: tuple[str, str], enum: str) -> None:
    q = "query($n: String!) { __type(name: $n) { fields { name type { kind ofType { name } } } } }"
    fields = api.gql(q, {"n": where[0]})["data"]["__type"]["fields"]
    [f] = [f for f in fields if f["name"] == where[1]]
    assert f["type"] == {"kind": "NON_NULL", "ofType": {"name": enum}}


def test_values_read_as_stored(api: Api) -> None:
    q = """{ reviews(sort: ID) { edges { node { key status } } }
      recommendations(sort: ID) { edges { node { key status verdict } } }
      actions(sort: ID) { edges { node { key status } } }
      audits(sort: ID) { edges { node { key rating } } } }"""
    pub = api.gql(q)["data"]
    assert [(e["node"]["key"], e["node"]["status"]) for e in pub["reviews"]["edges"]] == [
        ("rv1", "published"),
        ("rv2", "published"),
    ]
    recs = [tuple(e["node"].values()) for e in pub["recommendations"]["edges"]]
    assert recs == [
        ("rv1-r1", "open_awaiting_response", "not_audited"),
        ("rv1-r2", "closed_acceptable_action", "embedded"),
        ("rv2-r1", "open_awaiting_response", "not_audited"),
        ("rv2-r2", "closed_acceptable_action", "embedded"),
    ]
    assert {e["node"]["status"] for e in pub["actions"]["edges"]} == {"in_progress", "completed"}
    assert [e["node"]["rating"] for e in pub["audits"]["edges"]] == ["embedded", "embedded"]
    full = api.gql(q, role="restricted")["data"]
    assert [e["node"]["status"] for e in full["reviews"]["edges"]] == [
        "published",
        "published",
        "restricted",
        "withdrawn",
    ]
    assert len(full["recommendations"]["edges"]) == 8


def test_verdict_matches_the_trace(api: Api) -> None:
    for rid in ("rv1-r1", "rv1-r2", "rv3-r2"):
        body = api.gql(
            f'{{ traceRecommendation(id: "{rid}") {{ verdict }} node(id: "Recommendation:{rid}") '
            "{ ... on Recommendation { verdict } } }",
            role="restricted",
        )["data"]
        assert body["node"]["verdict"] == body["traceRecommendation"]["verdict"]
