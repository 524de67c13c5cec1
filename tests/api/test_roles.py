"""Restricted and withdrawn reviews never reach a viewer who may not see them."""

from __future__ import annotations

from pathlib import Path

import pytest

from gql_api.auth import create_key, load_keys
from graph_store import GraphStore
from tests.api.conftest import Api, make_api

SECRET = ("rv3", "rv4")


def _keys(conn: dict[str, object]) -> list[str]:
    return [e["node"]["key"] for e in conn["edges"]]  # type: ignore[index, union-attr]


@pytest.mark.parametrize(
    ("role", "sees_restricted"),
    [(None, False), ("analyst", False), ("restricted", True), ("inspector", True), ("admin", True)],
)
def test_lists_and_counts(api: Api, role: str | None, sees_restricted: bool) -> None:
    data = api.gql(
        "{ reviews(first: 100) { totalCount edges { node { key } } } "
        "recommendations(first: 100) { totalCount } actions(first: 100) { totalCount } "
        "audits(first: 100) { totalCount } "
        'node(id: "Board:b2") { ... on Board { reviews { totalCount } } } }',
        role=role,
    )["data"]
    keys = _keys(data["reviews"])
    assert any(k in keys for k in SECRET) is sees_restricted
    assert data["reviews"]["totalCount"] == (4 if sees_restricted else 2)
    assert data["recommendations"]["totalCount"] == (8 if sees_restricted else 4)
    assert data["actions"]["totalCount"] == (8 if sees_restricted else 4)
    assert data["audits"]["totalCount"] == (4 if sees_restricted else 2)
    assert data["node"]["reviews"]["totalCount"] == (2 if sees_restricted else 0)


@pytest.mark.parametrize(
    "gid", ["Review:rv3", "Recommendation:rv3-r1", "Action:act-rv3-r1", "Audit:aud-act-rv3-r2"]
)
def test_node_lookup(api: Api, gid: str) -> None:
    q = f'{{ node(id: "{gid}") {{ id }} }}'
    assert api.gql(q)["data"]["node"] is None
    assert api.gql(q, role="analyst")["data"]["node"] is None
    assert api.gql(q, role="restricted")["data"]["node"] == {"id": gid}


def test_theme_and_agency_connections(api: Api) -> None:
    q = (
        '{ node(id: "Theme:hidden_man") { ... on Theme { reviews { totalCount } '
        "recommendations { totalCount } } } "
        'a: node(id: "Agency:ag-pol") { ... on Agency { recommendations { totalCount } '
        "actions { totalCount } } } }"
    )
    pub = api.gql(q)["data"]
    assert pub["node"] == {"reviews": {"totalCount": 0}, "recommendations": {"totalCount": 0}}
    assert pub["a"] == {"recommendations": {"totalCount": 4}, "actions": {"totalCount": 4}}
    full = api.gql(q, role="restricted")["data"]
    assert full["node"] == {"reviews": {"totalCount": 1}, "recommendations": {"totalCount": 1}}


def test_search(api: Api) -> None:
    q = '{ search(text: "information sharing", limit: 100) { total hits { key } } }'
    pub = api.gql(q)["data"]["search"]
    ids = {h["key"] for h in pub["hits"]}
    assert not any(i.startswith(SECRET) for i in ids)
    assert pub["total"] == 5
    full = api.gql(q, role="restricted")["data"]["search"]
    assert any(h["key"].startswith("rv3") for h in full["hits"])


def test_trace(api: Api) -> None:
    q = '{ traceRecommendation(id: "rv3-r1") { review { key } } }'
    for role in (None, "analyst"):
        err = api.gql(q, role=role, expect_errors=True)["errors"][0]
        assert err["extensions"] == {"code": "NOT_FOUND", "suggestions": []}
    assert api.gql(q, role="restricted")["data"]["traceRecommendation"]["review"]["key"] == "rv3"


def test_recurrence_counts(api: Api) -> None:
    q = '{ themeRecurrence(theme: "information_sharing") { reviews recommendations boards } }'
    pub = api.gql(q)["data"]["themeRecurrence"]
    assert (pub["reviews"], pub["recommendations"], pub["boards"]) == (2, 4, 1)
    full = api.gql(q, role="restricted")["data"]["themeRecurrence"]
    assert (full["reviews"], full["recommendations"], full["boards"]) == (4, 8, 2)


def test_network_weights(api: Api) -> None:
    q = "{ themeNetwork { nodes { key reviews } edges { sourceKey targetKey weight } } }"
    pub = api.gql(q)["data"]["themeNetwork"]
    assert "hidden_man" not in {n["key"] for n in pub["nodes"]}
    weights = {(e["sourceKey"], e["targetKey"]): e["weight"] for e in pub["edges"]}
    assert all("hidden_man" not in k for k in weights)
    full = api.gql(q, role="restricted")["data"]["themeNetwork"]
    assert "hidden_man" in {n["key"] for n in full["nodes"]}
    assert {n["key"]: n["reviews"] for n in pub["nodes"]}["information_sharing"] == 2
    assert {n["key"]: n["reviews"] for n in full["nodes"]}["information_sharing"] == 4


def test_keys_file_keeps_only_hashes(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    key = create_key(path, "analyst", "someone", restricted=True)
    text = path.read_text()
    assert key not in text and key.startswith("scr_")
    (rec,) = load_keys(path)
    assert (rec.role, rec.restricted, rec.name) == ("analyst", True, "someone")


def test_unknown_or_malformed_key_is_401(api: Api) -> None:
    for header in ("Bearer scr_nope", "Basic abc", "Bearer "):
        res = api.client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Authorization": header}
        )
        assert res.status_code == 401, header
        assert res.headers["www-authenticate"] == "Bearer"
        assert res.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_require_key(small_store: GraphStore, tmp_path: Path) -> None:
    for api in make_api(small_store, tmp_path, SCRGRAPH_REQUIRE_KEY="true"):
        res = api.client.post("/graphql", json={"query": "{ __typename }"})
        assert res.status_code == 401
        assert "requires an API key" in res.json()["errors"][0]["message"]
        assert api.gql("{ __typename }", role="analyst")["data"] == {"__typename": "Query"}
