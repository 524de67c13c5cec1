"""The README's GraphQL examples, as a user runs them: the `gql` client against a live server.

The client is given the committed `schema.graphql`, so it validates every example against the
published contract before sending it, the way a typed client generated from it would; the
server is a real `scrgraph serve` on a copy of the demo corpus.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gql import Client, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport

from gql_api.auth import create_key
from gql_api.schema import SCHEMA_FILE
from graph_store import EmbeddedStore
from tests.reliability.helpers import Server, child_env

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def live(
    demo_embedded: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """A served copy of the demo store (the mutation example writes) and an inspector's key."""
    tmp = tmp_path_factory.mktemp("gql-client")
    copy = tmp / "demo.sqlite"
    src, dst = sqlite3.connect(str(demo_embedded.path)), sqlite3.connect(str(copy))
    src.backup(dst)
    src.close()
    dst.close()
    keys = tmp / "keys.json"
    key = create_key(keys, "inspector", "readme-inspector", restricted=True)
    env = child_env(SCRGRAPH_DB=str(copy), SCRGRAPH_KEYS=str(keys))
    server = Server(env, log=tmp / "serve.log").start()
    try:
        yield f"{server.url}/graphql", key
    finally:
        server.stop()


def _client(url: str, key: str | None = None) -> Client:
    headers = {"Authorization": f"Bearer {key}"} if key else None
    transport = HTTPXTransport(url=url, headers=headers, timeout=60)
    return Client(transport=transport, schema=SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example{i}" for i in range(len(EXAMPLES))])
def test_each_readme_example_runs_through_the_gql_client(
    live: tuple[str, str], example: str
) -> None:
    url, key = live
    # mutations and the review queue are for keyed roles; every other example runs keyless
    keyed = example.lstrip().startswith("mutation") or "reviewQueue" in example
    with _client(url, key if keyed else None) as session:
        result: dict[str, Any] = session.execute(gql(example))
    assert result and all(v is not None for v in result.values()), result


def test_the_client_sees_a_not_found_as_an_error(live: tuple[str, str]) -> None:
    url, _ = live
    with _client(url) as session, pytest.raises(TransportQueryError) as caught:
        session.execute(gql('{ traceRecommendation(id: "no-such-recommendation") { verdict } }'))
    assert caught.value.errors is not None
    assert caught.value.errors[0]["extensions"]["code"] == "NOT_FOUND"


def test_the_client_refuses_a_query_the_committed_schema_does_not_have(
    live: tuple[str, str],
) -> None:
    url, _ = live
    with _client(url) as session, pytest.raises(Exception, match="Cannot query field"):
        session.execute(gql('{ briefing(audience: "police") { data } }'))
