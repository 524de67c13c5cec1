"""Plain fields resolved directly answer exactly as strawberry's resolver wrapper does."""

from __future__ import annotations

from pathlib import Path

import pytest

import gql_api.schema
from gql_api.schema import build_schema
from tests.api.conftest import Api, make_api

Q = """{
  reviews { totalCount edges { node { id key title year incidentYear reviewType method ageBand
    sex pseudonym status summary board { id key name kind region }
    recommendations(first: 2, sort: ID, descending: true) { totalCount pageInfo { endCursor }
      edges { cursor node { key themes { key } } } } } } }
  traceRecommendation(id: "rv1-r2") { citation verdict
    recommendation { id key number text status }
    review { key title year status } board { key name } agencies { key name }
    themes { key label } audits { key date rating finding }
    actions { action { key description status dueDate } owner { key name }
      audits { key date rating } verdict provenance { sourceFile sourceLine } }
    laterReviews { review { key title } board { key } themes { key } }
    provenance { sourceFile sourceLine loadRun } }
}"""


def test_which_fields_are_direct() -> None:
    types = build_schema()._schema.type_map

    def direct(type_name: str, field: str) -> bool:
        resolve = types[type_name].fields[field].resolve  # type: ignore[union-attr]
        return resolve is not None and resolve.__module__ == "gql_api.direct_fields"

    assert direct("Review", "title") and direct("Review", "id") and direct("Trace", "verdict")
    # arguments converted as strawberry converts them, `info` given as strawberry's Info
    assert direct("Review", "recommendations") and direct("Query", "reviews")
    assert direct("Trace", "themes")  # async, and asks for info
    assert direct("ReviewConnection", "totalCount")  # an attribute, read as strawberry does


@pytest.mark.parametrize("role", [None, "admin"])
def test_direct_fields_answer_as_strawberry(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, role: str | None
) -> None:
    direct = api.gql(Q, role=role)
    assert api.gql(Q, role=role) == direct  # the arguments' conversions kept: the same again
    monkeypatch.setattr(gql_api.schema, "direct_resolvers", lambda schema: 0)
    wrapped = next(make_api(api.store, tmp_path / "wrapped"))
    assert wrapped.gql(Q, role=role) == direct
    trace = direct["data"]["traceRecommendation"]
    assert trace["citation"].startswith("rv1") and len(trace["actions"]) == 1
    assert len(direct["data"]["reviews"]["edges"]) == (4 if role == "admin" else 2)
