"""Every named query on a small hand-built graph, on both backends, with known answers.

Also: every Cypher text runs on the real Neo4j (EXPLAIN), and the trace query seeks by index.

The graph has a board succeeded by a partnership, restricted and withdrawn reviews, a
recommendation that slipped back, and a chain of similar recommendations, so each query's
visibility rules and edge cases are pinned down independently of the demo corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import queries
from graph_schema import Label, RelType
from graph_store import Batch, EmbeddedStore, GraphStore, Neo4jStore, NodeWrite
from queries import ADMIN, PUBLIC, Viewer
from tests import synthetic as syn

# The labels in the order this graph has always been written: vocabulary before the reviews.
MINI_ORDER = (
    Label.BOARD,
    Label.THEME,
    Label.SECTOR,
    Label.AGENCY,
    Label.REVIEW,
    Label.RECOMMENDATION,
    Label.ACTION,
    Label.AUDIT,
)


def mini_batch() -> Batch:
    boards = [
        syn.board("B1", "Northshire LSCB", "lscb", ended_year=2019),
        syn.board("B2", "Southport LSCB", "lscb"),
        syn.board("P1", "Northshire Partnership", "partnership"),
    ]
    themes = [
        syn.theme("information_sharing", "Information sharing"),
        syn.theme("neglect", "Neglect"),
        syn.theme("supervision", "Supervision"),
        syn.theme("learning_culture", "Learning culture", category="learning", kind="enabler"),
    ]
    sectors = [
        syn.sector("police", "Police"),
        syn.sector("health", "Health"),
        syn.sector("childrens_social_care", "Children's social care"),
    ]
    agencies = [
        syn.agency("police1", "Northshire Police", "police"),
        syn.agency("health1", "Northshire Hospital Trust", "health"),
        syn.agency("csc1", "Northshire Children's Services", "childrens_social_care"),
    ]
    reviews = [
        syn.review(
            "R1",
            "Serious case review: Child A",
            "B1",
            2012,
            summary="Poor information sharing between police and health; neglect not recognised.",
        ),
        syn.review(
            "R2",
            "Serious case review: Child B",
            "B1",
            2015,
            summary="Information sharing failed again; supervision was weak.",
        ),
        syn.review(
            "R3",
            "Serious case review: Family C",
            "B2",
            2013,
            status="restricted",
            summary="Restricted report about information sharing and neglect.",
        ),
        syn.review(
            "R4",
            "Practice review: Child D",
            "P1",
            2020,
            summary="Information sharing across the partnership and its learning culture.",
        ),
        syn.review(
            "R5",
            "Serious case review: Child E",
            "B2",
            2016,
            summary="Neglect over many years; supervision of staff.",
        ),
        syn.review(
            "R6",
            "Serious case review: Child F",
            "B2",
            2018,
            status="withdrawn",
            summary="Withdrawn report about information sharing.",
        ),
    ]
    # (id, review, number, text, status): year and board are the review's
    rec_rows = [
        (
            "rec1",
            "R1",
            "1",
            "Agencies must share information about the child with partner agencies promptly.",
            "closed_acceptable_action",
        ),
        ("rec2", "R1", "2", "Improve the supervision of neglect cases.", "open_awaiting_response"),
        (
            "rec3",
            "R3",
            "1",
            "Agencies must share information about the child with partners promptly.",
            "open_acceptable_response",
        ),
        (
            "rec4",
            "R5",
            "3",
            "All agencies must share information about the child with partner agencies.",
            "closed_superseded",
        ),
        (
            "rec5",
            "R4",
            "2",
            "Share information about the child with partner agencies promptly.",
            "open_awaiting_response",
        ),
    ]
    by_id = {r["id"]: r for r in reviews}
    recs = [
        syn.recommendation(
            r, rv, n, text, status, year=by_id[rv]["year"], board_id=by_id[rv]["board_id"]
        )
        for r, rv, n, text, status in rec_rows
    ]
    actions = [
        syn.action(
            "act1",
            "rec1",
            "Joint information-sharing protocol",
            "completed",
            owner_agency_id="police1",
            due_date="2013-06-30",
            completed_date="2013-05-01",
        ),
        syn.action(
            "act2",
            "rec1",
            "Train midwives in referral",
            "in_progress",
            owner_agency_id="health1",
            due_date="2014-01-31",
        ),
        syn.action(
            "act3",
            "rec2",
            "Supervision audit of neglect cases",
            "not_started",
            owner_agency_id="csc1",
            due_date="2013-03-01",
        ),
        syn.action(
            "act4",
            "rec3",
            "Restricted action",
            "not_started",
            owner_agency_id="police1",
            due_date="2014-01-01",
        ),
        syn.action(
            "act5",
            "rec4",
            "Police information-sharing refresh",
            "in_progress",
            owner_agency_id="police1",
            due_date="2030-01-01",
        ),
    ]
    audits = [
        syn.audit("au1", "act1", "2013-09-01", "board_qa", "embedded"),
        syn.audit("au2", "act1", "2014-09-01", "ofsted", "not_embedded"),
        syn.audit("au3", "act4", "2015-01-01", "board_qa", "embedded"),
    ]
    rels = [
        syn.rel(RelType.SUCCEEDED_BY, [("B1", "P1")], year=2019),
        syn.from_fields(RelType.COMMISSIONED, reviews),
        syn.from_fields(RelType.IN_SECTOR, agencies),
        syn.rel(
            RelType.RAISES,
            [
                ("R1", "information_sharing"),
                ("R1", "neglect"),
                ("R2", "information_sharing"),
                ("R2", "supervision"),
                ("R3", "information_sharing"),
                ("R3", "neglect"),
                ("R4", "information_sharing"),
                ("R4", "learning_culture"),
                ("R5", "neglect"),
                ("R5", "supervision"),
                ("R6", "information_sharing"),
            ],
        ),
        syn.from_fields(RelType.MAKES, recs),
        syn.rel(
            RelType.TAGGED,
            [
                ("rec1", "information_sharing"),
                ("rec2", "neglect"),
                ("rec2", "supervision"),
                ("rec3", "information_sharing"),
                ("rec4", "information_sharing"),
                ("rec5", "information_sharing"),
            ],
        ),
        syn.rel(
            RelType.ADDRESSED_TO,
            [
                ("rec1", "police1"),
                ("rec1", "health1"),
                ("rec2", "csc1"),
                ("rec3", "police1"),
                ("rec4", "police1"),
                ("rec5", "csc1"),
            ],
        ),
        syn.from_fields(RelType.RESPONDS_TO, actions),
        syn.from_fields(RelType.OWNED_BY, actions),
        syn.from_fields(RelType.CHECKS, audits),
        syn.rel(RelType.SIMILAR_TO, [("rec3", "rec1")], score=0.9),
        syn.rel(RelType.SIMILAR_TO, [("rec4", "rec1")], score=0.85),
        syn.rel(RelType.SIMILAR_TO, [("rec5", "rec4")], score=0.8),
    ]
    nodes = syn.node_writes(
        boards, reviews, recs, sectors, agencies, themes, actions, audits, order=MINI_ORDER
    )
    return Batch(nodes=nodes, rels=rels)


@pytest.fixture
def mini(store: GraphStore) -> GraphStore:
    """The mini graph on each backend."""
    store.write(mini_batch())
    return store


@pytest.fixture(scope="module")
def mini_embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    """The mini graph in an embedded store: the reference answer for the other backend."""
    s = EmbeddedStore(tmp_path_factory.mktemp("mini") / "mini.sqlite")
    s.write(mini_batch())
    yield s
    s.close()


def both(
    mini: GraphStore, ref: EmbeddedStore, name: str, params: dict[str, Any], viewer: Viewer
) -> Any:
    """Run on the backend under test, check it equals the embedded answer, return it."""
    got = queries.run(mini, name, params, viewer)
    assert got == queries.run(ref, name, params, viewer)
    return got


def ids_in(obj: Any) -> set[str]:
    """Every string anywhere in a result."""
    out: set[str] = set()
    if isinstance(obj, str):
        out.add(obj)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            out |= ids_in(k) | ids_in(v)
    elif isinstance(obj, list | tuple | set):
        for v in obj:
            out |= ids_in(v)
    return out


HIDDEN = {"R3", "R6", "rec3", "act4", "au3"}


def test_trace_public(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    t = both(mini, mini_embedded, "trace_recommendation", {"id": "rec1"}, PUBLIC)
    assert t["recommendation"]["id"] == "rec1"
    assert t["review"]["id"] == "R1"
    assert t["board"]["id"] == "B1"
    assert [a["id"] for a in t["agencies"]] == ["health1", "police1"]
    assert t["themes"] == ["information_sharing"]
    assert [a["id"] for a in t["actions"]] == ["act1", "act2"]
    act1 = t["actions"][0]
    assert act1["owner"]["id"] == "police1"
    assert [a["id"] for a in act1["audits"]] == ["au1", "au2"]
    assert act1["verdict"] == "slipped_back"
    assert t["actions"][1]["verdict"] == "not_audited"
    assert t["verdict"] == "slipped_back"
    assert [(r["id"], r["board_id"]) for r in t["later_reviews"]] == [("R2", "B1"), ("R4", "P1")]
    # the rows the API primes its loaders with: each as `entities.get` gives it to this viewer
    assert {k: [r["id"] for r in rows] for k, rows in t["nodes"].items()} == {
        "Theme": ["information_sharing"],
        "Review": ["R2", "R4"],
        "Board": ["B1", "P1"],
    }
    for label, rows in t["nodes"].items():
        ids = [r["id"] for r in rows]
        got = queries.run(mini, "entities.get", {"label": label, "ids": ids}, PUBLIC)
        assert got == {r["id"]: r for r in rows}
    assert not ids_in(t) & HIDDEN


def test_trace_restricted_is_not_found_for_public(
    mini: GraphStore, mini_embedded: EmbeddedStore
) -> None:
    assert both(mini, mini_embedded, "trace_recommendation", {"id": "rec3"}, PUBLIC) is None
    assert both(mini, mini_embedded, "trace_recommendation", {"id": "nope"}, ADMIN) is None
    t = both(mini, mini_embedded, "trace_recommendation", {"id": "rec3"}, ADMIN)
    assert t["verdict"] == "embedded"
    assert [r["id"] for r in t["later_reviews"]] == ["R6"]
    assert [r["id"] for r in t["nodes"]["Review"]] == ["R6"]


# -- Cypher on the real Neo4j -------------------------------------------------------------

NEO4J_ONLY = pytest.mark.parametrize(
    "backend", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True
)


def _texts() -> list[tuple[str, str]]:
    out = []
    for name, q in sorted(queries.REGISTRY.items()):
        out.append((name, q.cypher))
        out.extend((f"{name}:{k}", text) for k, text in sorted(q.extra_cypher.items()))
    return out


def _operators(plan: Any) -> list[tuple[str, str]]:
    ops = [(str(plan["operatorType"]), str(plan.get("args", {}).get("Details", "")))]
    for child in plan.get("children", []):
        ops.extend(_operators(child))
    return ops


@NEO4J_ONLY
@pytest.mark.parametrize(("name", "cypher"), _texts(), ids=[t[0] for t in _texts()])
def test_cypher_explains(store: GraphStore, name: str, cypher: str) -> None:
    assert isinstance(store, Neo4jStore)
    with store.driver.session(database=store.database) as s:
        summary = s.run("EXPLAIN " + cypher).consume()  # type: ignore[arg-type]
    assert summary.plan is not None, name


@NEO4J_ONLY
def test_trace_profile_uses_the_unique_index(store: GraphStore) -> None:
    assert isinstance(store, Neo4jStore)
    store.write(mini_batch())
    cypher = queries.REGISTRY["trace_recommendation"].cypher
    with store.driver.session(database=store.database) as s:
        result = s.run(
            "PROFILE " + cypher,  # type: ignore[arg-type]
            {"id": "rec1", "statuses": ["published"]},
        )
        rows = list(result)
        summary = result.consume()
    assert len(rows) == 1
    ops = _operators(summary.profile)
    names = [op for op, _ in ops]
    assert any(
        op.startswith("NodeUniqueIndexSeek") and "Recommendation(id)" in details
        for op, details in ops
    ), names
    label_scans = [d for op, d in ops if op.startswith("NodeByLabelScan")]
    assert not [d for d in label_scans if "Recommendation" in d], label_scans
    # The whole trace fans out from that one seek: no other node is found by scanning.
    assert not label_scans, label_scans
    assert not [op for op in names if op.startswith("AllNodesScan")]


# -- theme_recurrence ---------------------------------------------------------------------


def test_recurrence_public(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    from queries.recurrence import slope

    r = both(mini, mini_embedded, "theme_recurrence", {"theme": "information_sharing"}, PUBLIC)
    assert r["theme"]["category"] == "practice"
    assert (r["year_from"], r["year_to"]) == (2012, 2020)
    assert (r["reviews"], r["recommendations"], r["boards"]) == (3, 3, 2)
    assert (r["first_seen"], r["last_seen"]) == (2012, 2020)
    per_year = [y["reviews"] for y in r["by_year"]]
    assert per_year == [1, 0, 0, 1, 0, 0, 0, 0, 1]
    assert r["trend"] == slope(per_year)
    assert [(b["board_id"], b["reviews"], b["recommendations"]) for b in r["by_board"]] == [
        ("B1", 2, 1),
        ("P1", 1, 1),
        ("B2", 0, 1),
    ]
    events = r["recurrence_after_closure"]
    assert [
        (e["recommendation_id"], e["review_id"], e["basis"], e["closed_year"]) for e in events
    ] == [
        ("rec1", "R2", "closed_acted_on", 2013),
        ("rec1", "R4", "closed_acted_on", 2013),
    ]
    assert events[1]["review_board_id"] == "P1"
    assert not ids_in(r) & HIDDEN


def test_recurrence_admin_sees_restricted(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    r = both(mini, mini_embedded, "theme_recurrence", {"theme": "information_sharing"}, ADMIN)
    assert (r["reviews"], r["recommendations"], r["boards"]) == (5, 4, 3)
    events = r["recurrence_after_closure"]
    assert ("rec3", "R6", "audited_embedded", 2015) in [
        (e["recommendation_id"], e["review_id"], e["basis"], e["closed_year"]) for e in events
    ]


def test_recurrence_filters(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    params = {"theme": "information_sharing", "year_from": "2013", "year_to": 2016, "boards": "B1"}
    r = both(mini, mini_embedded, "theme_recurrence", params, ADMIN)
    assert (r["year_from"], r["year_to"]) == (2013, 2016)
    assert [y["year"] for y in r["by_year"]] == [2013, 2014, 2015, 2016]
    assert r["reviews"] == 1
    assert [e["review_id"] for e in r["recurrence_after_closure"]] == ["R2"]
    assert both(mini, mini_embedded, "theme_recurrence", {"theme": "nope"}, ADMIN) is None
    with pytest.raises(queries.QueryParamError):
        queries.run(mini, "theme_recurrence", {"theme": "x", "year_from": 2020, "year_to": 2010})


# -- theme_network ------------------------------------------------------------------------


def test_network_public(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    n = both(mini, mini_embedded, "theme_network", {}, PUBLIC)
    assert n["reviews"] == 4
    assert {v["id"]: v["reviews"] for v in n["nodes"]} == {
        "information_sharing": 3,
        "learning_culture": 1,
        "neglect": 2,
        "supervision": 2,
    }
    assert [(e["source"], e["target"], e["weight"]) for e in n["edges"]] == [
        ("information_sharing", "learning_culture", 1),
        ("information_sharing", "neglect", 1),
        ("information_sharing", "supervision", 1),
        ("neglect", "supervision", 1),
    ]
    by_id = {v["id"]: v for v in n["nodes"]}
    assert by_id["information_sharing"]["weighted_degree"] == 3
    assert by_id["information_sharing"]["betweenness"] > by_id["neglect"]["betweenness"]
    assert all(0 <= v["x"] <= 1 and 0 <= v["y"] <= 1 for v in n["nodes"])
    assert [s["year"] for s in n["years"]] == list(range(2012, 2021))
    assert n["years"][0]["nodes"] == [
        {"id": "information_sharing", "reviews": 1},
        {"id": "neglect", "reviews": 1},
    ]
    assert not ids_in(n) & HIDDEN


def test_network_admin_weights_and_filters(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    n = both(mini, mini_embedded, "theme_network", {"min_weight": 2}, ADMIN)
    assert [(e["source"], e["target"], e["weight"]) for e in n["edges"]] == [
        ("information_sharing", "neglect", 2)
    ]
    n = both(mini, mini_embedded, "theme_network", {"category": "learning"}, PUBLIC)
    assert [v["id"] for v in n["nodes"]] == ["learning_culture"]
    n = both(mini, mini_embedded, "theme_network", {"boards": ["B2"], "year_from": 2010}, PUBLIC)
    assert n["reviews"] == 1 and n["year_from"] == 2010
    # Positions come from the viewer's full network: filters and years do not move themes.
    full = {
        v["id"]: (v["x"], v["y"]) for v in queries.run(mini, "theme_network", {}, PUBLIC)["nodes"]
    }
    part = queries.run(mini, "theme_network", {"year_from": 2015, "min_weight": 1}, PUBLIC)
    assert {v["id"]: (v["x"], v["y"]) for v in part["nodes"]}.items() <= full.items()
    # The same input gives the same layout, run after run.
    again = queries.run(mini, "theme_network", {"boards": ["B2"], "year_from": 2010}, PUBLIC)
    assert again == n


# -- repeated_recommendations --------------------------------------------------------------


def test_repeated_public_and_admin(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    r = both(mini, mini_embedded, "repeated_recommendations", {}, PUBLIC)
    [c] = r["clusters"]
    assert [m["id"] for m in c["members"]] == ["rec1", "rec4", "rec5"]
    assert (c["boards"], c["years"], c["first_year"], c["last_year"]) == (3, 3, 2012, 2020)
    assert c["links"] == [
        {"source": "rec1", "target": "rec4", "score": 0.85},
        {"source": "rec4", "target": "rec5", "score": 0.8},
    ]
    assert not ids_in(r) & HIDDEN
    r = both(mini, mini_embedded, "repeated_recommendations", {"min_boards": "3"}, ADMIN)
    assert [m["id"] for m in r["clusters"][0]["members"]] == ["rec1", "rec3", "rec4", "rec5"]
    r = both(mini, mini_embedded, "repeated_recommendations", {"min_years": 4}, PUBLIC)
    assert r["clusters"] == []


# -- agency_load and outstanding_actions ---------------------------------------------------


def test_agency_load(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    import datetime as dt

    p = {"agency": "police1", "as_of": "2020-01-01"}
    r = both(mini, mini_embedded, "agency_load", p, PUBLIC)
    assert [a["id"] for a in r["agencies"]] == ["police1"]
    assert [(y["year"], y["recommendations"], y["closed"]) for y in r["by_year"]] == [
        (2012, 1, 1),
        (2016, 1, 1),
    ]
    assert r["totals"]["open_actions"] == 1 and r["totals"]["overdue_actions"] == 0
    assert not ids_in(r) & HIDDEN
    r = both(mini, mini_embedded, "agency_load", p, ADMIN)
    assert r["totals"]["recommendations"] == 3 and r["totals"]["open"] == 1
    days = (dt.date(2020, 1, 1) - dt.date(2014, 1, 1)).days
    assert r["overdue"] == [
        {"id": "act4", "year": 2013, "due_date": "2014-01-01", "days_overdue": days}
    ]
    r = both(
        mini,
        mini_embedded,
        "agency_load",
        {"sector": "health", "as_of": "2020-01-01", "year_to": 2012},
        PUBLIC,
    )
    assert [a["id"] for a in r["agencies"]] == ["health1"]
    assert [o["id"] for o in r["overdue"]] == ["act2"]
    with pytest.raises(queries.QueryParamError):
        queries.run(mini, "agency_load", {"agency": "police1", "sector": "police"})


def test_outstanding_actions(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    p: dict[str, Any] = {"as_of": "2020-01-01"}
    r = both(mini, mini_embedded, "outstanding_actions", p, PUBLIC)
    assert [(a["id"], a["overdue"]) for a in r["actions"]] == [
        ("act3", True),
        ("act2", True),
        ("act5", False),
    ]
    assert (r["open"], r["overdue"]) == (3, 2)
    assert r["actions"][0]["days_overdue"] == 2497
    assert not ids_in(r) & HIDDEN
    r = both(mini, mini_embedded, "outstanding_actions", p, ADMIN)
    assert [a["id"] for a in r["actions"]] == ["act3", "act4", "act2", "act5"]
    r = both(mini, mini_embedded, "outstanding_actions", {**p, "board": "B1"}, ADMIN)
    assert [a["id"] for a in r["actions"]] == ["act3", "act2"]
    r = both(
        mini, mini_embedded, "outstanding_actions", {**p, "agency": "police1", "limit": 1}, ADMIN
    )
    assert [a["id"] for a in r["actions"]] == ["act4"] and r["open"] == 2
    # Both filters: Neo4j starts from the board; the owner is filtered after.
    r = both(
        mini, mini_embedded, "outstanding_actions", {**p, "board": "B1", "agency": "health1"}, ADMIN
    )
    assert [a["id"] for a in r["actions"]] == ["act2"] and r["open"] == 1


# -- search -------------------------------------------------------------------------------


def _hits(r: dict[str, Any]) -> set[tuple[str, str]]:
    return {(h["kind"], h["id"]) for h in r["hits"]}


def test_search_sets_agree(mini: GraphStore, mini_embedded: EmbeddedStore) -> None:
    def run_both(params: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
        got = queries.run(mini, "search", params, viewer)
        ref = queries.run(mini_embedded, "search", params, viewer)
        assert _hits(got) == _hits(ref)
        assert got["total"] == ref["total"]
        return got  # type: ignore[no-any-return]

    r = run_both({"text": "Information SHARING"}, PUBLIC)
    assert _hits(r) == {("review", "R1"), ("review", "R2"), ("review", "R4")}
    r1 = next(h for h in r["hits"] if h["id"] == "R1")
    assert r1["highlights"][0]["field"] == "summary"
    assert "<mark>information</mark> <mark>sharing</mark>" in r1["highlights"][0]["html"]
    r = run_both({"text": "share information", "kinds": "recommendation"}, PUBLIC)
    assert _hits(r) == {("recommendation", x) for x in ("rec1", "rec4", "rec5")}
    assert all(h["review_id"] for h in r["hits"])
    r = run_both({"text": "share information", "kinds": "recommendation"}, ADMIN)
    assert ("recommendation", "rec3") in _hits(r)
    r = run_both({"text": "information"}, ADMIN)
    assert r["total"] == 9
    # A limit cuts the score order (the same on both backends: see test_queries_demo).
    cut = queries.run(mini, "search", {"text": "information", "limit": 2}, ADMIN)
    assert len(cut["hits"]) == 2 and cut["total"] == 9
    assert [h["score"] for h in cut["hits"]] == sorted(
        (h["score"] for h in cut["hits"]), reverse=True
    )
    assert not ids_in(run_both({"text": "restricted withdrawn report"}, PUBLIC)) & HIDDEN


def test_search_keeps_its_statistics_until_a_write(mini: GraphStore) -> None:
    """The visible-only statistics and document frequencies are kept per data generation: a
    second search answers the same, and after a write the answer is what a store that kept
    nothing computes."""
    import queries.search as search

    ask = {"text": "share information", "limit": 50}
    first = queries.run(mini, "search", ask, ADMIN)
    assert queries.run(mini, "search", ask, ADMIN) == first
    # A review that holds one of the terms only: no hit, but every score changes.
    extra = syn.review(
        "R9",
        "Serious case review: Child Q",
        "B2",
        2020,
        summary="Information was held by every agency and information was lost.",
    )
    mini.write(
        Batch(
            nodes=[NodeWrite(Label.REVIEW, [extra])],
            rels=[syn.from_fields(RelType.COMMISSIONED, [extra])],
        )
    )
    after = queries.run(mini, "search", ask, ADMIN)
    assert _hits(after) == _hits(first)
    assert [h["score"] for h in after["hits"]] != [h["score"] for h in first["hits"]]
    search.forget(mini)
    assert queries.run(mini, "search", ask, ADMIN) == after


@pytest.mark.parametrize(
    "text",
    ['information AND NOT "sharing" OR *:*', 'share~ info* title:(x) "', "\\", "+-!(){}[]^~*?:/"],
)
def test_search_lucene_syntax_is_inert(
    mini: GraphStore, mini_embedded: EmbeddedStore, text: str
) -> None:
    got = queries.run(mini, "search", {"text": text}, ADMIN)
    assert _hits(got) == _hits(queries.run(mini_embedded, "search", {"text": text}, ADMIN))
