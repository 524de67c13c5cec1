"""Closed sets are GraphQL enums, with the model's values, each described."""

from __future__ import annotations

from typing import Any

import pytest

from gql_api.enums import SEARCH_HIT_KIND
from graph_schema import AGE_BAND, CLOSED_SETS, ClosedSet
from tests.api.conftest import Api

FIELDS = {
    ("Review", "status"): "ReviewStatus",
    ("Review", "reviewType"): "DocumentKind",
    ("Recommendation", "status"): "RecommendationStatus",
    ("Recommendation", "verdict"): "ImpactVerdict",
    ("Action", "status"): "ActionStatus",
    ("Audit", "rating"): "AuditRating",
    ("Audit", "auditor"): "Auditor",
    ("Board", "kind"): "BoardKind",
    ("Theme", "category"): "ThemeCategory",
    ("Theme", "kind"): "ThemeKind",
    ("Agency", "sectorKey"): "SectorKey",
    ("Change", "kind"): "ChangeKind",
    ("SearchHit", "kind"): "SearchHitKind",
}
# Words that name a closed set: a field, argument or input field so named is never a String.
CLOSED_WORDS = ("status", "rating", "verdict", "category", "kind", "sector_key", "sectorkey")


@pytest.mark.parametrize("closed", [*CLOSED_SETS, SEARCH_HIT_KIND], ids=lambda c: c.name)
def test_enum_values_are_the_models(api: Api, closed: ClosedSet) -> None:
    q = "query($n: String!) { __type(name: $n) { kind description enumValues { name description } } }"
    t = api.gql(q, {"n": closed.name})["data"]["__type"]
    assert t["kind"] == "ENUM" and t["description"] == closed.description
    names = [v if v[0].isalpha() else closed.prefix + v for v in closed.values]
    assert [v["name"] for v in t["enumValues"]] == names
    assert [v["description"] for v in t["enumValues"]] == [m for _, m in closed.meanings]
    assert all(m for _, m in closed.meanings), f"describe them in graph_schema: {closed.name}"


def test_an_age_band_is_answered_as_stored(api: Api) -> None:
    t = api.gql('{ __type(name: "AgeBand") { enumValues { name } } }')["data"]["__type"]
    assert [v["name"] for v in t["enumValues"]] == [
        "under_1",
        "age_1_to_4",
        "age_5_to_9",
        "age_10_to_15",
        "age_16_plus",
        "unknown",
    ]
    assert AGE_BAND.values[1] == "1_to_4"


def _named(t: dict[str, Any]) -> str:
    while t.get("ofType"):
        t = t["ofType"]
    return str(t["name"])


def test_no_closed_set_is_a_free_string(api: Api) -> None:
    """Introspection: no field, argument or input field named for a status, rating, verdict,
    category, kind or sector key is typed String."""
    ref = "type { name ofType { name ofType { name ofType { name } } } }"
    q = (
        "{ __schema { types { name kind "
        f"fields {{ name {ref} args {{ name {ref} }} }} inputFields {{ name {ref} }} }} }} }}"
    )
    types = api.gql(q)["data"]["__schema"]["types"]
    found = []
    for t in types:
        if t["name"].startswith("__"):
            continue
        for f in t["fields"] or []:
            found.append((f"{t['name']}.{f['name']}", _named(f["type"])))
            for a in f["args"]:
                found.append((f"{t['name']}.{f['name']}({a['name']})", _named(a["type"])))
        for f in t["inputFields"] or []:
            found.append((f"{t['name']}.{f['name']}", _named(f["type"])))
    assert len(found) > 300
    free = [
        where
        for where, named in found
        if named == "String" and any(w in where.rsplit(".", 1)[-1].lower() for w in CLOSED_WORDS)
    ]
    assert free == []


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
