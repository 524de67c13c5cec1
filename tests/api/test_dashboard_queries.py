"""Every GraphQL query the dashboard sends is valid against the schema and within the limits.

A typed field the dashboard selects wrongly, or a query with more aliases than the limiter
allows, would otherwise show only in a browser test, as a panel that never fills.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import FieldNode, GraphQLSchema, parse, validate, visit
from graphql.language import Visitor

from gql_api.limits import MAX_ALIASES
from gql_api.schema import build_schema

APP_JS = Path(__file__).resolve().parents[2] / "gql_api" / "dashboard" / "app.js"
# Template constants; a query may splice in others (`${NET_FIELDS}`), which are resolved here.
_CONSTS = dict(re.findall(r"const (\w+) = `(.*?)`;", APP_JS.read_text(encoding="utf-8"), re.S))
QUERIES = {
    name: re.sub(r"\$\{(\w+)\}", lambda m: _CONSTS.get(m[1], m[0]), text)
    for name, text in _CONSTS.items()
    if name.endswith("_Q")
}


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_schema()._schema


def _aliases(text: str) -> int:
    count = 0

    class Count(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            nonlocal count
            count += node.alias is not None

    visit(parse(text), Count())
    return count


def test_the_dashboard_queries_are_found() -> None:
    assert {"TRACE_Q", "RECURRENCE_Q", "NETWORK_Q", "BASE_Q"} <= set(QUERIES), sorted(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_dashboard_query_is_valid_and_within_limits(schema: GraphQLSchema, name: str) -> None:
    text = QUERIES[name]
    if "${" in text:
        pytest.skip("built at run time")
    assert validate(schema, parse(text)) == [], name
    assert _aliases(text) <= MAX_ALIASES, name
