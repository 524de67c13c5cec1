"""The analytics' typed answers: exact values on the small graph for both viewers, entity links
that a client follows in one query, and equality with the named queries' answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import queries
from benchmarks.queries import SELECTIONS
from graph_store import GraphStore
from queries import ADMIN, PUBLIC
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


@pytest.mark.parametrize(
    ("role", "later"), [(None, ["rv2"]), ("restricted", ["rv2", "rv3", "rv4"])]
)
def test_a_trace_is_one_backend_call(
    api: Api, role: str | None, later: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bench's trace request: its themes, later reviews and their boards come primed
    from the trace's own rows, so nothing else is read (the public never sees rv3 or rv4)."""
    calls: list[str] = []
    real = queries.run

    def counting(s: GraphStore, name: str, params: Any, viewer: Any = PUBLIC) -> Any:
        calls.append(name)
        return real(s, name, params, viewer)

    monkeypatch.setattr(queries, "run", counting)
    q = "query($id: String!) { traceRecommendation(id: $id)" + SELECTIONS["trace"] + " }"
    t = api.gql(q, {"id": "rv1-r2"}, role=role)["data"]["traceRecommendation"]
    assert t["themes"] == [{"key": "information_sharing", "label": "Information sharing"}]
    assert [
        (lr["review"]["key"], lr["board"]["key"], lr["themes"]) for lr in t["laterReviews"]
    ] == [(k, "b1" if k == "rv2" else "b2", [{"key": "information_sharing"}]) for k in later]
    assert calls == ["trace_recommendation"]


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
        # the rows the trace primes the request's loaders with are what the loaders would read
        for label, rows in raw["nodes"].items():
            ids = [r["id"] for r in rows]
            got = queries.run(demo_store, "entities.get", {"label": label, "ids": ids}, viewer)
            assert got == {r["id"]: r for r in rows}
        checked += 1
    assert checked >= 10


RECURRENCE = """{ themeRecurrence(theme: "information_sharing") {
  theme { key label } yearFrom yearTo reviews recommendations boards firstSeen lastSeen trend
  perYear { year reviews recommendations }
  perBoard { boardKey boardName board { key region } reviews recommendations firstYear lastYear }
  afterClosure { basis closedYear reviewYear recommendationStatus
    recommendation { key } review { key title status } board { key } reviewBoard { key } }
} }"""


def _years(counts: dict[int, tuple[int, int]], y0: int, y1: int) -> list[dict[str, int]]:
    return [
        {
            "year": y,
            "reviews": counts.get(y, (0, 0))[0],
            "recommendations": counts.get(y, (0, 0))[1],
        }
        for y in range(y0, y1 + 1)
    ]


def _board_count(key: str, name: str, region: str, first: int, last: int) -> dict[str, Any]:
    return {
        "boardKey": key,
        "boardName": name,
        "board": {"key": key, "region": region},
        "reviews": 2,
        "recommendations": 4,
        "firstYear": first,
        "lastYear": last,
    }


def _event(
    rec: str, closed: int, review: str, year: int, title: str, status: str
) -> dict[str, Any]:
    """An event of the small graph: rv1 and rv2 are b1's, rv3 and rv4 are b2's."""
    board_of = {"rv1": "b1", "rv2": "b1", "rv3": "b2", "rv4": "b2"}
    return {
        "basis": "closed_acted_on",
        "closedYear": closed,
        "reviewYear": year,
        "recommendationStatus": "closed_acceptable_action",
        "recommendation": {"key": rec},
        "review": {"key": review, "title": title, "status": status},
        "board": {"key": board_of[rec.split("-")[0]]},
        "reviewBoard": {"key": board_of[review]},
    }


B1 = _board_count("b1", "Northby LSCB", "North East", 2012, 2016)
B2 = _board_count("b2", "Southby Partnership", "South", 2018, 2020)
THEME = {"key": "information_sharing", "label": "Information sharing"}


@pytest.mark.parametrize("role", [None, "analyst"])
def test_recurrence_exact_for_the_public(api: Api, role: str | None) -> None:
    assert api.gql(RECURRENCE, role=role)["data"]["themeRecurrence"] == {
        "theme": THEME,
        "yearFrom": 2012,
        "yearTo": 2016,
        "reviews": 2,
        "recommendations": 4,
        "boards": 1,
        "firstSeen": 2012,
        "lastSeen": 2016,
        "trend": 0.0,
        "perYear": _years({2012: (1, 2), 2016: (1, 2)}, 2012, 2016),
        "perBoard": [B1],
        "afterClosure": [_event("rv1-r2", 2012, "rv2", 2016, "Family U", "published")],
    }


def test_recurrence_exact_with_the_grant(api: Api) -> None:
    counts = {2012: (1, 2), 2016: (1, 2), 2018: (1, 2), 2020: (1, 2)}
    assert api.gql(RECURRENCE, role="restricted")["data"]["themeRecurrence"] == {
        "theme": THEME,
        "yearFrom": 2012,
        "yearTo": 2020,
        "reviews": 4,
        "recommendations": 8,
        "boards": 2,
        "firstSeen": 2012,
        "lastSeen": 2020,
        "trend": 0.0333,
        "perYear": _years(counts, 2012, 2020),
        "perBoard": [B1, B2],
        "afterClosure": [
            _event("rv1-r2", 2012, "rv2", 2016, "Family U", "published"),
            _event("rv1-r2", 2012, "rv3", 2018, "Child Secret", "restricted"),
            _event("rv2-r2", 2016, "rv3", 2018, "Child Secret", "restricted"),
            _event("rv1-r2", 2012, "rv4", 2020, "Child Gone", "withdrawn"),
            _event("rv2-r2", 2016, "rv4", 2020, "Child Gone", "withdrawn"),
            _event("rv3-r2", 2018, "rv4", 2020, "Child Gone", "withdrawn"),
        ],
    }


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
def test_recurrence_equals_the_query(
    demo_api: Api, demo_store: GraphStore, role: str | None, viewer: queries.Viewer
) -> None:
    q = """query($t: String!) { themeRecurrence(theme: $t) { yearFrom yearTo reviews
      recommendations boards firstSeen lastSeen trend perYear { year reviews recommendations }
      perBoard { boardKey boardName reviews recommendations firstYear lastYear }
      afterClosure { basis closedYear reviewYear recommendationStatus boardKey
        recommendationKey reviewKey reviewBoardKey review { key } } } }"""
    events = 0
    for theme in ("information_sharing", "neglect", "domestic_abuse"):
        raw = queries.run(demo_store, "theme_recurrence", {"theme": theme}, viewer)
        got = demo_api.gql(q, {"t": theme}, role=role)["data"]["themeRecurrence"]
        assert (got["yearFrom"], got["yearTo"], got["reviews"], got["recommendations"]) == (
            raw["year_from"],
            raw["year_to"],
            raw["reviews"],
            raw["recommendations"],
        )
        assert (got["boards"], got["firstSeen"], got["lastSeen"], got["trend"]) == (
            raw["boards"],
            raw["first_seen"],
            raw["last_seen"],
            raw["trend"],
        )
        assert got["perYear"] == raw["by_year"]
        assert [tuple(b.values()) for b in got["perBoard"]] == [
            tuple(b.values()) for b in raw["by_board"]
        ]
        assert [
            (
                e["basis"],
                e["closedYear"],
                e["reviewYear"],
                e["recommendationStatus"],
                e["boardKey"],
                e["recommendationKey"],
                e["reviewKey"],
                e["reviewBoardKey"],
            )
            for e in got["afterClosure"]
        ] == [
            (
                e["basis"],
                e["closed_year"],
                e["review_year"],
                e["recommendation_status"],
                e["board_id"],
                e["recommendation_id"],
                e["review_id"],
                e["review_board_id"],
            )
            for e in raw["recurrence_after_closure"]
        ]
        # every event's review is one the viewer may see, and comes back as the entity
        assert all(e["review"]["key"] == e["reviewKey"] for e in got["afterClosure"])
        events += len(got["afterClosure"])
    assert events > 0


OUTSTANDING = """query($board: String) { outstandingActions(board: $board, asOf: "2020-01-01") {
  boardKey agencyKey asOf open overdue board { key }
  actions { key status dueDate overdue daysOverdue year recommendationNumber ownerKey
    ownerName boardKey boardName recommendationKey reviewKey
    action { key description } owner { key } board { key } recommendation { key }
    review { key status } }
} }"""


def _open_action(review: str, year: int, board: str, days: int) -> dict[str, Any]:
    names = {"b1": "Northby LSCB", "b2": "Southby Partnership"}
    due = f"{year + 1}-03-31"
    return {
        "key": f"act-{review}-r1",
        "status": "in_progress",
        "dueDate": due,
        "overdue": days > 0,
        "daysOverdue": days,
        "year": year,
        "recommendationNumber": "1",
        "ownerKey": "ag-pol",
        "ownerName": "Northby Police",
        "boardKey": board,
        "boardName": names[board],
        "recommendationKey": f"{review}-r1",
        "reviewKey": review,
        "action": {"key": f"act-{review}-r1", "description": f"Train staff ({review}-r1)"},
        "owner": {"key": "ag-pol"},
        "board": {"key": board},
        "recommendation": {"key": f"{review}-r1"},
        "review": {
            "key": review,
            "status": {"rv3": "restricted", "rv4": "withdrawn"}.get(review, "published"),
        },
    }


# days from each due date (31 March of the year after the review) to 2020-01-01
RV1 = _open_action("rv1", 2012, "b1", 2467)
RV2 = _open_action("rv2", 2016, "b1", 1006)
RV3 = _open_action("rv3", 2018, "b2", 276)
RV4 = _open_action("rv4", 2020, "b2", 0)


@pytest.mark.parametrize(
    ("role", "board", "actions"),
    [
        (None, "b1", [RV1, RV2]),
        ("restricted", "b1", [RV1, RV2]),
        (None, "b2", []),
        ("analyst", "b2", []),
        ("restricted", "b2", [RV3, RV4]),
        (None, None, [RV1, RV2]),
        ("restricted", None, [RV1, RV2, RV3, RV4]),
    ],
)
def test_outstanding_exact(
    api: Api, role: str | None, board: str | None, actions: list[dict[str, Any]]
) -> None:
    got = api.gql(OUTSTANDING, {"board": board}, role=role)["data"]["outstandingActions"]
    assert got == {
        "boardKey": board,
        "agencyKey": None,
        "asOf": "2020-01-01",
        "open": len(actions),
        "overdue": sum(1 for a in actions if a["overdue"]),
        "board": None if board is None else {"key": board},
        "actions": actions,
    }


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
def test_outstanding_equals_the_query(
    demo_api: Api, demo_store: GraphStore, role: str | None, viewer: queries.Viewer
) -> None:
    q = """{ outstandingActions(asOf: "2024-01-01", limit: 100) { open overdue actions {
      key status dueDate overdue daysOverdue year recommendationNumber ownerKey ownerName
      boardKey boardName recommendationKey reviewKey review { key } } } }"""
    got = demo_api.gql(q, role=role)["data"]["outstandingActions"]
    raw = queries.run(
        demo_store, "outstanding_actions", {"as_of": "2024-01-01", "limit": 100}, viewer
    )
    assert (got["open"], got["overdue"]) == (raw["open"], raw["overdue"]) and raw["open"] > 0
    fields = {
        "key": "id",
        "status": "status",
        "dueDate": "due_date",
        "overdue": "overdue",
        "daysOverdue": "days_overdue",
        "year": "year",
        "recommendationNumber": "recommendation_number",
        "ownerKey": "owner_agency_id",
        "ownerName": "owner_name",
        "boardKey": "board_id",
        "boardName": "board_name",
        "recommendationKey": "recommendation_id",
        "reviewKey": "review_id",
    }
    assert [{k: a[k] for k in fields} for a in got["actions"]] == [
        {k: a[v] for k, v in fields.items()} for a in raw["actions"]
    ]
    assert all(a["review"]["key"] == a["reviewKey"] for a in got["actions"])


LOAD = """query($agency: String, $sector: String) {
  agencyLoad(agency: $agency, sector: $sector, asOf: "2020-01-01") {
    agencyKey sectorKey asOf agencies { key name }
    perYear { year recommendations open closed actions openActions overdueActions }
    totals { recommendations open closed actions openActions overdueActions }
    overdue { key year dueDate daysOverdue action { key status } }
} }"""


def _counts(*n: int) -> dict[str, int]:
    names = ("recommendations", "open", "closed", "actions", "openActions", "overdueActions")
    return dict(zip(names, n, strict=True))


def _overdue(review: str, year: int, days: int) -> dict[str, Any]:
    key = f"act-{review}-r1"
    return {
        "key": key,
        "year": year,
        "dueDate": f"{year + 1}-03-31",
        "daysOverdue": days,
        "action": {"key": key, "status": "in_progress"},
    }


POLICE = [{"key": "ag-pol", "name": "Northby Police"}]


@pytest.mark.parametrize(
    ("role", "args", "agencies", "years", "totals", "overdue"),
    [
        (
            None,
            {"agency": "ag-pol"},
            POLICE,
            [
                {"year": 2012, **_counts(2, 1, 1, 2, 1, 1)},
                {"year": 2016, **_counts(2, 1, 1, 2, 1, 1)},
            ],
            _counts(4, 2, 2, 4, 2, 2),
            [_overdue("rv1", 2012, 2467), _overdue("rv2", 2016, 1006)],
        ),
        (
            "restricted",
            {"sector": "police"},
            POLICE,
            [
                {"year": 2012, **_counts(2, 1, 1, 2, 1, 1)},
                {"year": 2016, **_counts(2, 1, 1, 2, 1, 1)},
                {"year": 2018, **_counts(2, 1, 1, 2, 1, 1)},
                {"year": 2020, **_counts(2, 1, 1, 2, 1, 0)},
            ],
            _counts(8, 4, 4, 8, 4, 3),
            [_overdue("rv1", 2012, 2467), _overdue("rv2", 2016, 1006), _overdue("rv3", 2018, 276)],
        ),
        (
            "analyst",
            {"sector": "health"},
            [{"key": "ag-hv", "name": "Health visiting"}],
            [{"year": 2012, **_counts(1, 1, 0, 0, 0, 0)}],
            _counts(1, 1, 0, 0, 0, 0),
            [],
        ),
    ],
)
def test_agency_load_exact(
    api: Api,
    role: str | None,
    args: dict[str, str],
    agencies: list[dict[str, str]],
    years: list[dict[str, int]],
    totals: dict[str, int],
    overdue: list[dict[str, Any]],
) -> None:
    got = api.gql(LOAD, args, role=role)["data"]["agencyLoad"]
    assert got == {
        "agencyKey": args.get("agency"),
        "sectorKey": args.get("sector"),
        "asOf": "2020-01-01",
        "agencies": agencies,
        "perYear": years,
        "totals": totals,
        "overdue": overdue,
    }


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
def test_agency_load_equals_the_query(
    demo_api: Api, demo_store: GraphStore, role: str | None, viewer: queries.Viewer
) -> None:
    names = {"openActions": "open_actions", "overdueActions": "overdue_actions"}
    for sector in ("police", "health"):
        got = demo_api.gql(LOAD, {"sector": sector}, role=role)["data"]["agencyLoad"]
        raw = queries.run(
            demo_store, "agency_load", {"sector": sector, "as_of": "2020-01-01"}, viewer
        )
        assert [a["key"] for a in got["agencies"]] == [a["id"] for a in raw["agencies"]]
        assert {names.get(k, k): v for k, v in got["totals"].items()} == raw["totals"]
        assert [{names.get(k, k): v for k, v in y.items()} for y in got["perYear"]] == raw[
            "by_year"
        ]
        assert [(o["key"], o["year"], o["dueDate"], o["daysOverdue"]) for o in got["overdue"]] == [
            (o["id"], o["year"], o["due_date"], o["days_overdue"]) for o in raw["overdue"]
        ]
        assert raw["totals"]["recommendations"] > 0


REPEATED = """query($b: Int, $y: Int) { repeatedRecommendations(minBoards: $b, minYears: $y) {
  minBoards minYears
  clusters { key size boards years boardKeys boardsReached { key } firstYear lastYear
    meanScore memberKeys members { key review { key } }
    links { sourceKey targetKey score source { key } target { key } } }
} }"""


def _cluster(members: list[str], boards: list[str], last: int) -> dict[str, Any]:
    return {
        "key": "rv1-r1",
        "size": len(members),
        "boards": len(boards),
        "years": len(members),
        "boardKeys": boards,
        "boardsReached": [{"key": b} for b in boards],
        "firstYear": 2012,
        "lastYear": last,
        "meanScore": 0.9,
        "memberKeys": members,
        "members": [{"key": m, "review": {"key": m.split("-")[0]}} for m in members],
        "links": [
            {
                "sourceKey": "rv1-r1",
                "targetKey": m,
                "score": 0.9,
                "source": {"key": "rv1-r1"},
                "target": {"key": m},
            }
            for m in members[1:]
        ],
    }


@pytest.mark.parametrize(
    ("role", "mins", "clusters"),
    [
        (None, (1, 1), [_cluster(["rv1-r1", "rv2-r1"], ["b1"], 2016)]),
        (None, (2, 2), []),  # the public sees no second board: rv3-r1 is hidden
        ("analyst", (2, 2), []),
        ("restricted", (1, 1), [_cluster(["rv1-r1", "rv2-r1", "rv3-r1"], ["b1", "b2"], 2018)]),
        ("restricted", (2, 2), [_cluster(["rv1-r1", "rv2-r1", "rv3-r1"], ["b1", "b2"], 2018)]),
    ],
)
def test_repeated_exact(
    api: Api, role: str | None, mins: tuple[int, int], clusters: list[dict[str, Any]]
) -> None:
    got = api.gql(REPEATED, {"b": mins[0], "y": mins[1]}, role=role)["data"]
    assert got["repeatedRecommendations"] == {
        "minBoards": mins[0],
        "minYears": mins[1],
        "clusters": clusters,
    }


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
def test_repeated_equals_the_query(
    demo_api: Api, demo_store: GraphStore, role: str | None, viewer: queries.Viewer
) -> None:
    got = demo_api.gql(REPEATED, {"b": 2, "y": 2}, role=role)["data"]["repeatedRecommendations"]
    raw = queries.run(demo_store, "repeated_recommendations", {}, viewer)
    assert len(raw["clusters"]) > 0
    assert [
        (
            c["key"],
            c["size"],
            c["boards"],
            c["years"],
            c["boardKeys"],
            c["firstYear"],
            c["lastYear"],
            c["meanScore"],
            c["memberKeys"],
            [(k["sourceKey"], k["targetKey"], k["score"]) for k in c["links"]],
        )
        for c in got["clusters"]
    ] == [
        (
            c["id"],
            c["size"],
            c["boards"],
            c["years"],
            c["board_ids"],
            c["first_year"],
            c["last_year"],
            c["mean_score"],
            [m["id"] for m in c["members"]],
            [(k["source"], k["target"], k["score"]) for k in c["links"]],
        )
        for c in raw["clusters"]
    ]
    # every member comes back as the entity: none is hidden from this viewer
    assert all([m["key"] for m in c["members"]] == c["memberKeys"] for c in got["clusters"])


NETWORK = """query($from: Int, $w: Int) { themeNetwork(yearFrom: $from, minWeight: $w) {
  yearFrom yearTo minWeight category boardKeys reviews communities
  nodes { key label category kind reviews weightedDegree betweenness community x y theme { key } }
  edges { sourceKey targetKey weight source { key } target { key } }
  slices { year reviews nodes { key reviews theme { key } } edges { sourceKey targetKey weight } }
} }"""


def _as_query_answer(net: dict[str, Any]) -> dict[str, Any]:
    """The typed network under the query's own names (as the dashboard's fromNetwork maps it)."""

    def edge(e: dict[str, Any]) -> dict[str, Any]:
        assert (e.get("source") or {"key": e["sourceKey"]})["key"] == e["sourceKey"]
        assert (e.get("target") or {"key": e["targetKey"]})["key"] == e["targetKey"]
        return {"source": e["sourceKey"], "target": e["targetKey"], "weight": e["weight"]}

    def node(n: dict[str, Any]) -> dict[str, Any]:
        assert n["theme"]["key"] == n["key"]
        return {
            "id": n["key"],
            **{k: n[k] for k in ("label", "category", "kind", "reviews")},
            "weighted_degree": n["weightedDegree"],
            **{k: n[k] for k in ("betweenness", "community", "x", "y")},
        }

    return {
        "year_from": net["yearFrom"],
        "year_to": net["yearTo"],
        "min_weight": net["minWeight"],
        "category": net["category"],
        "boards": net["boardKeys"],
        "reviews": net["reviews"],
        "nodes": [node(n) for n in net["nodes"]],
        "edges": [edge(e) for e in net["edges"]],
        "communities": net["communities"],
        "years": [
            {
                "year": s["year"],
                "reviews": s["reviews"],
                "nodes": [{"id": n["key"], "reviews": n["reviews"]} for n in s["nodes"]],
                "edges": [edge(e) for e in s["edges"]],
            }
            for s in net["slices"]
        ],
    }


@pytest.mark.parametrize(
    ("role", "years", "sizes", "edges"),
    [
        (
            None,
            (2012, 2016),
            {"information_sharing": 2, "neglect": 1},
            [("information_sharing", "neglect", 1)],
        ),
        (
            "analyst",
            (2012, 2016),
            {"information_sharing": 2, "neglect": 1},
            [("information_sharing", "neglect", 1)],
        ),
        (
            "restricted",
            (2012, 2020),
            {"hidden_man": 1, "information_sharing": 4, "neglect": 1},
            [("hidden_man", "information_sharing", 1), ("information_sharing", "neglect", 1)],
        ),
    ],
)
def test_network_exact(
    api: Api,
    role: str | None,
    years: tuple[int, int],
    sizes: dict[str, int],
    edges: list[tuple[str, str, int]],
) -> None:
    net = api.gql(NETWORK, {}, role=role)["data"]["themeNetwork"]
    reviews = 4 if role == "restricted" else 2
    assert (net["yearFrom"], net["yearTo"], net["reviews"], net["communities"]) == (
        *years,
        reviews,
        1,
    )
    assert {n["key"]: n["reviews"] for n in net["nodes"]} == sizes
    assert [(e["sourceKey"], e["targetKey"], e["weight"]) for e in net["edges"]] == edges
    assert [s["year"] for s in net["slices"]] == list(range(years[0], years[1] + 1))
    per_year = {s["year"]: s["reviews"] for s in net["slices"] if s["reviews"]}
    assert per_year == (
        {2012: 1, 2016: 1, 2018: 1, 2020: 1} if role == "restricted" else {2012: 1, 2016: 1}
    )


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
@pytest.mark.parametrize("args", [{}, {"year_from": 2015, "min_weight": 2}])
def test_network_equals_the_query(
    demo_api: Api,
    demo_store: GraphStore,
    role: str | None,
    viewer: queries.Viewer,
    args: dict[str, int],
) -> None:
    variables = {"from": args.get("year_from"), "w": args.get("min_weight")}
    net = demo_api.gql(NETWORK, variables, role=role)["data"]["themeNetwork"]
    raw = queries.run(demo_store, "theme_network", args, viewer)
    assert _as_query_answer(net) == raw and raw["edges"]


SEARCH = """query($t: String!, $k: [SearchHitKind!]) { search(text: $t, kinds: $k, limit: 100) {
  text terms kinds limit total
  hits { kind key score title text reviewKey year boardKey
    highlights { field fragment offset spans { start end } html }
    review { key status } recommendation { key } board { key } }
} }"""


def _hits_as_query(got: dict[str, Any]) -> dict[str, Any]:
    """The typed answer under the query's own names."""
    return {
        **{k: got[k] for k in ("text", "terms", "kinds", "limit", "total")},
        "hits": [
            {
                "kind": h["kind"],
                "id": h["key"],
                "score": h["score"],
                "title": h["title"],
                "text": h["text"],
                "review_id": h["reviewKey"],
                "year": h["year"],
                "board_id": h["boardKey"],
                "highlights": [
                    {**hl, "spans": [[s["start"], s["end"]] for s in hl["spans"]]}
                    for hl in h["highlights"]
                ],
            }
            for h in got["hits"]
        ],
    }


@pytest.mark.parametrize(
    ("role", "viewer", "total"),
    [(None, PUBLIC, 5), ("analyst", PUBLIC, 5), ("restricted", ADMIN, 10)],
)
def test_search_small_graph(api: Api, role: str | None, viewer: queries.Viewer, total: int) -> None:
    got = api.gql(SEARCH, {"t": "information sharing"}, role=role)["data"]["search"]
    raw = queries.run(api.store, "search", {"text": "information sharing", "limit": 100}, viewer)
    assert got["total"] == total and _hits_as_query(got) == raw
    for h in got["hits"]:
        # a hit links its own review (a review hit is its own), its recommendation and board
        assert h["review"]["key"] == (h["key"] if h["kind"] == "review" else h["reviewKey"])
        assert (h["recommendation"] or {}).get("key") == (
            h["key"] if h["kind"] == "recommendation" else None
        )
        assert h["board"]["key"] == h["boardKey"]
        for hl in h["highlights"]:
            assert [hl["fragment"][s["start"] : s["end"]].lower() for s in hl["spans"]][:2] == [
                "information",
                "sharing",
            ]
    statuses = {h["review"]["status"] for h in got["hits"]}
    assert statuses == (
        {"published"} if viewer is PUBLIC else {"published", "restricted", "withdrawn"}
    )


@pytest.mark.parametrize(("role", "viewer"), [(None, PUBLIC), ("admin", ADMIN)])
@pytest.mark.parametrize(
    ("text", "kinds"), [("neglect", None), ("information sharing", ["review"])]
)
def test_search_equals_the_query(
    demo_api: Api,
    demo_store: GraphStore,
    role: str | None,
    viewer: queries.Viewer,
    text: str,
    kinds: list[str] | None,
) -> None:
    got = demo_api.gql(SEARCH, {"t": text, "k": kinds}, role=role)["data"]["search"]
    params: dict[str, Any] = {"text": text, "limit": 100}
    if kinds:
        params["kinds"] = kinds
    raw = queries.run(demo_store, "search", params, viewer)
    assert _hits_as_query(got) == raw and raw["total"] > 0
