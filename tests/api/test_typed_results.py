"""The analytics' typed answers: exact values on the small graph for both viewers, entity links
that a client follows in one query, and equality with the named queries' answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import queries
from queries import ADMIN, PUBLIC
from scrgraph.store import GraphStore
from tests.api.conftest import Api, make_api

TRACE = """query($id: String!) { traceRecommendation(id: $id) {
  citation verdict
  recommendation { id key number status }
  review { key title year status board { key } }
  board { key name }
  agencies { key name }
  themes { key label }
  actions { action { key status dueDate } owner { key } audits { key rating } verdict provenance { sourceLine } }
  audits { key date rating }
  laterReviews { review { key year status } board { key } themes { key } }
  provenance { sourceFile sourceLine loadRun }
} }"""


def _trace(api: Api, rid: str, role: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = api.gql(TRACE, {"id": rid}, role=role)["data"]["traceRecommendation"]
    return out


def _later(review: str, year: int, status: str, board: str) -> dict[str, Any]:
    return {
        "review": {"key": review, "year": year, "status": status},
        "board": {"key": board},
        "themes": [{"key": "information_sharing"}],
    }


@pytest.mark.parametrize(
    ("role", "later"),
    [
        (None, [_later("rv2", 2016, "published", "b1")]),
        ("analyst", [_later("rv2", 2016, "published", "b1")]),
        (
            "restricted",
            [
                _later("rv2", 2016, "published", "b1"),
                _later("rv3", 2018, "restricted", "b2"),
                _later("rv4", 2020, "withdrawn", "b2"),
            ],
        ),
    ],
)
def test_trace_exact(api: Api, role: str | None, later: list[dict[str, Any]]) -> None:
    assert _trace(api, "rv1-r2", role) == {
        "citation": "rv1, recommendation 2",
        "verdict": "embedded",
        "recommendation": {
            "id": "Recommendation:rv1-r2",
            "key": "rv1-r2",
            "number": "2",
            "status": "closed_acceptable_action",
        },
        "review": {
            "key": "rv1",
            "title": "Child W",
            "year": 2012,
            "status": "published",
            "board": {"key": "b1"},
        },
        "board": {"key": "b1", "name": "Northby LSCB"},
        "agencies": [{"key": "ag-pol", "name": "Northby Police"}],
        "themes": [{"key": "information_sharing", "label": "Information sharing"}],
        "actions": [
            {
                "action": {"key": "act-rv1-r2", "status": "completed", "dueDate": "2013-03-31"},
                "owner": {"key": "ag-pol"},
                "audits": [{"key": "aud-act-rv1-r2", "rating": "embedded"}],
                "verdict": "embedded",
                "provenance": None,
            }
        ],
        "audits": [{"key": "aud-act-rv1-r2", "date": "2013-03-31", "rating": "embedded"}],
        "laterReviews": later,
        "provenance": None,
    }


def test_trace_of_an_unaudited_recommendation(api: Api) -> None:
    t = _trace(api, "rv1-r1")
    assert t["verdict"] == "not_audited" and t["audits"] == []
    assert [a["key"] for a in t["agencies"]] == ["ag-hv", "ag-pol"]
    assert [(a["action"]["key"], a["verdict"], a["audits"]) for a in t["actions"]] == [
        ("act-rv1-r1", "not_audited", [])
    ]


@pytest.fixture
def demo_api(demo_store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(demo_store, tmp_path)


def test_trace_provenance_only_with_the_grant(demo_api: Api, demo_store: GraphStore) -> None:
    listing = queries.run(demo_store, "entities.list", {"label": "Recommendation", "limit": 5})
    rid = listing["items"][0]["id"]
    raw = queries.run(demo_store, "trace_recommendation", {"id": rid}, ADMIN)
    for role in ("admin", "restricted"):
        t = _trace(demo_api, rid, role)
        assert t["provenance"] == {
            "sourceFile": raw["recommendation"]["source_file"],
            "sourceLine": raw["recommendation"]["source_line"],
            "loadRun": raw["recommendation"]["load_run"],
        }
        assert isinstance(t["provenance"]["sourceLine"], int)
        assert [a["provenance"]["sourceLine"] for a in t["actions"]] == [
            a["source_line"] for a in raw["actions"]
        ]
    for role in (None, "analyst"):
        t = _trace(demo_api, rid, role)
        assert t["provenance"] is None
        assert all(a["provenance"] is None for a in t["actions"])


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
def test_trace_equals_the_query(
    demo_api: Api, demo_store: GraphStore, role: str | None, viewer: queries.Viewer
) -> None:
    listing = queries.run(demo_store, "entities.list", {"label": "Recommendation", "limit": 40})
    checked = 0
    for item in listing["items"]:
        raw = queries.run(demo_store, "trace_recommendation", {"id": item["id"]}, viewer)
        if raw is None:
            continue
        t = _trace(demo_api, item["id"], role)
        assert t["citation"] == raw["citation"] and t["verdict"] == raw["verdict"]
        assert t["review"]["key"] == raw["review"]["id"]
        assert [a["key"] for a in t["agencies"]] == [a["id"] for a in raw["agencies"]]
        assert [th["key"] for th in t["themes"]] == raw["themes"]
        assert [
            (a["action"]["key"], a["verdict"], [au["key"] for au in a["audits"]])
            for a in t["actions"]
        ] == [(a["id"], a["verdict"], [au["id"] for au in a["audits"]]) for a in raw["actions"]]
        assert [
            (lr["review"]["key"], lr["board"]["key"], [th["key"] for th in lr["themes"]])
            for lr in t["laterReviews"]
        ] == [(lr["id"], lr["board_id"], lr["themes"]) for lr in raw["later_reviews"]]
        checked += 1
    assert checked >= 10
