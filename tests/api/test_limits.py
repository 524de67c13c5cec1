"""Over-deep, alias-heavy, over-large and over-paged queries are refused with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from gql_api.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from graph_store import EmbeddedStore
from tests.api.conftest import Api, make_api, small_graph


@pytest.fixture
def api(tmp_path: Path) -> Api:  # limits need no second backend
    store = EmbeddedStore(tmp_path / "s.sqlite")
    store.write(small_graph())
    return next(make_api(store, tmp_path))


def _refused(api: Api, query: str, words: str) -> None:
    res = api.client.post(
        "/graphql",
        json={"query": query},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert res.status_code == 400, res.text
    body = res.json()
    assert "data" not in body
    assert words in body["errors"][0]["message"], body


def test_depth(api: Api) -> None:
    deep = "{ reviews { edges { node { board { reviews { edges { node { board { reviews { edges { node { key } } } } } } } } } } } }"
    _refused(api, deep, f"exceeds maximum operation depth of {MAX_DEPTH}")


def test_aliases_including_through_fragments(api: Api) -> None:
    many = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1))
    _refused(api, f"{{ {many} }}", f"aliases found. Allowed: {MAX_ALIASES}")
    half = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES // 2 + 1))
    frag = f"fragment F on Query {{ {half} }} {{ ...F b: boards {{ c: totalCount d: totalCount }} ...F }}"
    _refused(api, frag, f"aliases found. Allowed: {MAX_ALIASES}")


def test_tokens(api: Api) -> None:
    big = "{ " + " ".join("__typename" for _ in range(MAX_TOKENS)) + " }"
    _refused(api, big, f"more than {MAX_TOKENS} tokens")


def test_page_size(api: Api) -> None:
    body = api.gql("{ reviews(first: 101) { totalCount } }", expect_errors=True)
    assert "between 0 and 100" in body["errors"][0]["message"]
    body = api.gql('{ reviews(after: "garbage") { totalCount } }', expect_errors=True)
    assert "cursor" in body["errors"][0]["message"]


def test_within_limits_is_fine(api: Api) -> None:
    ok = "{ reviews { edges { node { board { reviews { edges { node { key } } } } } } } }"
    assert "errors" not in api.gql(ok)


def test_internal_errors_are_masked(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import queries

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret stack detail /etc/passwd")

    monkeypatch.setattr(queries, "run", boom)
    res = api.client.post("/graphql", json={"query": "{ reviews { totalCount } }"})
    text = res.text
    assert "secret" not in text and "Traceback" not in text
    assert res.json()["errors"][0]["extensions"]["code"] == "INTERNAL"


def test_backend_unavailable_is_503(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    import queries
    from scrgraph.errors import BackendUnavailable

    def down(*args: object, **kwargs: object) -> None:
        raise BackendUnavailable("Neo4j is unavailable: connection refused to 10.0.0.1")

    monkeypatch.setattr(queries, "run", down)
    res = api.client.post("/graphql", json={"query": "{ reviews { totalCount } }"})
    assert res.status_code == 503
    err = res.json()["errors"][0]
    assert err["extensions"]["code"] == "BACKEND_UNAVAILABLE"
    assert "10.0.0.1" not in err["message"] and "unavailable" in err["message"]


def test_timeout_is_504(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import queries

    store = EmbeddedStore(tmp_path / "s.sqlite")
    api = next(make_api(store, tmp_path, SCRGRAPH_REQUEST_TIMEOUT="0.2"))

    def slow(*args: object, **kwargs: object) -> None:
        time.sleep(1.0)

    monkeypatch.setattr(queries, "run", slow)
    res = api.client.post("/graphql", json={"query": "{ reviews { totalCount } }"})
    assert res.status_code == 504
    assert "longer than 0.2 s" in res.json()["errors"][0]["message"]


def test_production_disables_introspection_and_explorer(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    api = next(make_api(store, tmp_path, SCRGRAPH_PRODUCTION="true"))
    body = api.gql("{ __schema { types { name } } }", expect_errors=True)
    assert "introspection" in body["errors"][0]["message"].lower()
    assert api.client.get("/graphql", headers={"Accept": "text/html"}).status_code == 404
    assert api.client.get("/explorer").status_code == 404
    assert api.gql("{ reviews { totalCount } }")["data"] == {"reviews": {"totalCount": 0}}
