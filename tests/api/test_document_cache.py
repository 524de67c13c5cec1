"""The parse and validation cache: a repeated document skips both, and a cached verdict never
lets a request past a limit, the production introspection block or a viewer's visibility."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import get_introspection_query
from starlette.routing import Route

from gql_api.document_cache import DocumentCache
from gql_api.entity_query import ENTITY_TYPES
from gql_api.http import GraphQLApp
from gql_api.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS, extensions
from gql_api.mutations import Mutation
from gql_api.schema import Query, Schema
from graph_store import EmbeddedStore
from tests.api.conftest import Api, make_api, small_graph


def _cache(api: Api) -> DocumentCache:
    """The document cache of the app's /graphql schema."""
    routes = getattr(api.client.app, "routes", [])
    route = next(r for r in routes if isinstance(r, Route) and r.path == "/graphql")
    endpoint = route.endpoint
    assert isinstance(endpoint, GraphQLApp)
    schema = endpoint.schema
    assert isinstance(schema, Schema)
    return schema.document_cache


@pytest.fixture
def embedded_api(tmp_path: Path) -> Api:  # the limits do not depend on the backend
    store = EmbeddedStore(tmp_path / "s.sqlite")
    store.write(small_graph())
    return next(make_api(store, tmp_path))


def _refused_each_time(api: Api, query: str, words: str, times: int = 3) -> None:
    for _ in range(times):
        res = api.client.post(
            "/graphql",
            json={"query": query},
            headers={"Accept": "application/graphql-response+json"},
        )
        assert res.status_code == 400, res.text
        body = res.json()
        assert "data" not in body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
        assert words in body["errors"][0]["message"], body


def test_repeated_over_deep_document_is_refused_every_time(embedded_api: Api) -> None:
    cache = _cache(embedded_api)
    deep = "{ reviews { edges { node { board { reviews { edges { node { board { reviews { edges { node { key } } } } } } } } } } } }"
    _refused_each_time(embedded_api, deep, f"exceeds maximum operation depth of {MAX_DEPTH}")
    # validated once; the two repeats were refused from the cache, with the same verdict
    assert (cache.misses, cache.hits) == (1, 2)


def test_repeated_alias_flood_is_refused_every_time(embedded_api: Api) -> None:
    cache = _cache(embedded_api)
    many = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1))
    _refused_each_time(embedded_api, f"{{ {many} }}", f"aliases found. Allowed: {MAX_ALIASES}")
    half = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES // 2 + 1))
    frag = f"fragment F on Query {{ {half} }} {{ ...F b: boards {{ c: totalCount d: totalCount }} ...F }}"
    _refused_each_time(embedded_api, frag, f"aliases found. Allowed: {MAX_ALIASES}")
    assert (cache.misses, cache.hits) == (2, 4)


def test_repeated_over_long_document_is_refused_every_time(embedded_api: Api) -> None:
    cache = _cache(embedded_api)
    big = "{ " + " ".join("__typename" for _ in range(MAX_TOKENS)) + " }"
    for _ in range(3):
        res = embedded_api.client.post(
            "/graphql", json={"query": big}, headers={"Accept": "application/graphql-response+json"}
        )
        assert res.status_code == 400, res.text
        err = res.json()["errors"][0]
        assert f"more than {MAX_TOKENS} tokens" in err["message"]
        assert err["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    # a parse failure is never cached: each request parses (and fails) again
    assert len(cache) == 0 and (cache.misses, cache.hits) == (0, 0)


def test_repeated_valid_document_hits_the_cache(embedded_api: Api) -> None:
    cache = _cache(embedded_api)
    q = "query R($first: Int) { reviews(first: $first) { totalCount edges { node { key } } } }"
    answers = [embedded_api.gql(q, {"first": n})["data"]["reviews"] for n in (1, 2, 1)]
    assert answers[0] == answers[2] == {"totalCount": 2, "edges": [{"node": {"key": "rv1"}}]}
    assert answers[1] == {
        "totalCount": 2,
        "edges": [{"node": {"key": "rv1"}}, {"node": {"key": "rv2"}}],
    }
    assert (len(cache), cache.misses, cache.hits) == (1, 1, 2)
    embedded_api.gql("{ reviews { totalCount } }")  # another text is another entry
    assert (len(cache), cache.misses, cache.hits) == (2, 2, 2)


def test_cached_document_answers_each_viewer_as_its_own(api: Api) -> None:
    """Visibility is the resolvers', not validation's: one cached document, two viewers."""
    cache = _cache(api)
    q = "query N($id: ID!) { node(id: $id) { id } }"
    hidden = {"id": "Review:rv3"}
    for _ in range(2):
        assert api.gql(q, hidden)["data"]["node"] is None
        assert api.gql(q, hidden, role="admin")["data"]["node"] == {"id": "Review:rv3"}
        assert api.gql(q, hidden, role="analyst")["data"]["node"] is None
    assert (cache.misses, cache.hits) == (1, 5)


def test_long_documents_are_not_kept(embedded_api: Api) -> None:
    cache = _cache(embedded_api)
    padded = "{ reviews { totalCount } }" + " " * cache.max_text
    for _ in range(2):
        assert embedded_api.gql(padded)["data"] == {"reviews": {"totalCount": 2}}
    assert len(cache) == 0 and cache.hits == 0


def test_cache_is_bounded() -> None:
    cache = DocumentCache(max_entries=2)
    schema = Schema(
        query=Query, mutation=Mutation, types=ENTITY_TYPES, extensions=extensions(False, cache)
    )
    for q in ("{ __typename }", "{ a: __typename }", "{ b: __typename }", "{ __typename }"):
        assert schema.execute_sync(q).errors is None
    assert len(cache) == 2 and (cache.misses, cache.hits) == (4, 0)


def test_production_block_holds_even_in_a_shared_cache() -> None:
    """The verdict is keyed by the rules that ran, so even one cache shared by a development
    and a production schema never answers production with development's verdict."""
    shared = DocumentCache()
    dev, prod = (
        Schema(query=Query, mutation=Mutation, types=ENTITY_TYPES, extensions=extensions(p, shared))
        for p in (False, True)
    )
    for q in (get_introspection_query(), '{ __type(name: "Review") { name } }'):
        for _ in range(2):
            assert dev.execute_sync(q).errors is None
            result = prod.execute_sync(q)
            assert result.data is None and result.errors
            assert "introspection" in result.errors[0].message.lower()
    assert shared.hits == 4  # each schema's repeats came from the cache


def test_production_app_refuses_introspection_every_time(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s.sqlite")
    api = next(make_api(store, tmp_path, SCRGRAPH_PRODUCTION="true"))
    cache = _cache(api)
    for role in (None, "analyst", "admin", None):
        body = api.gql("{ __schema { types { name } } }", role=role, expect_errors=True)
        assert body.get("data") is None
        assert "introspection" in body["errors"][0]["message"].lower()
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (cache.misses, cache.hits) == (1, 3)
