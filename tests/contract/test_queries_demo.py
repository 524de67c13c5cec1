"""The contract: every named query gives equal answers on both backends over the demo corpus.

The embedded answer (from `demo_embedded`) is the reference; on the Neo4j backend the same
query must return the same value. Visibility: a public viewer's results never contain a
restricted or withdrawn review, nor anything reached only through one, and differ from an
admin's where such reviews matter.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

import queries
from graph_schema import Label, RelType
from graph_store import EmbeddedStore, GraphStore
from queries import ADMIN, PUBLIC, Viewer

AS_OF = "2024-06-30"


def strings(obj: Any) -> set[str]:
    """Every string anywhere in a result."""
    if isinstance(obj, str):
        return {obj}
    if isinstance(obj, dict):
        return set().union(*(strings(k) | strings(v) for k, v in obj.items()))
    if isinstance(obj, list | tuple | set):
        return set().union(*(strings(v) for v in obj))
    return set()


@pytest.fixture(scope="module")
def hidden(demo_embedded: EmbeddedStore) -> set[str]:
    """Ids only an admin may see: non-published reviews and what hangs only from them."""
    g = demo_embedded.graph
    out: set[str] = set()
    for rv in demo_embedded.ids(Label.REVIEW.value):
        if g.nodes[(Label.REVIEW.value, rv)]["status"] == "published":
            continue
        out.add(rv)
        for _, rec, k in g.out_edges((Label.REVIEW.value, rv), keys=True):
            if k != RelType.MAKES.value:
                continue
            out.add(rec[1])
            for act, _, k2 in g.in_edges(rec, keys=True):
                if k2 != RelType.RESPONDS_TO.value:
                    continue
                out.add(act[1])
                out.update(au[1] for au, _, k3 in g.in_edges(act, keys=True) if k3 == "CHECKS")
    assert out, "the demo corpus should have restricted reviews"
    return out


@pytest.fixture(scope="module")
def picks(demo_embedded: EmbeddedStore) -> dict[str, Any]:
    """Parameters that exercise the demo corpus, chosen from it deterministically."""
    g = demo_embedded.graph
    raised = Counter(t[1] for _, t, k in g.edges(keys=True) if k == RelType.RAISES.value)
    addressed = Counter(a[1] for _, a, k in g.edges(keys=True) if k == RelType.ADDRESSED_TO.value)
    succeeded = sorted(b[1] for b, _, k in g.edges(keys=True) if k == RelType.SUCCEEDED_BY.value)
    restricted_recs = sorted(
        r[1]
        for rv, r, k in g.edges(keys=True)
        if k == RelType.MAKES.value and g.nodes[rv]["status"] == "restricted"
    )
    published_recs = sorted(
        r[1]
        for rv, r, k in g.edges(keys=True)
        if k == RelType.MAKES.value and g.nodes[rv]["status"] == "published"
    )
    audited = sorted(
        r[1]
        for a, r, k in g.edges(keys=True)
        if k == RelType.RESPONDS_TO.value
        and any(k2 == RelType.CHECKS.value for _, _, k2 in g.in_edges(a, keys=True))
    )
    top_agency = max(sorted(addressed), key=lambda a: addressed[a])
    return {
        "themes": [t for t, _ in sorted(raised.items(), key=lambda x: (-x[1], x[0]))[:3]],
        "board": succeeded[0],
        "agency": top_agency,
        "sector": g.nodes[(Label.AGENCY.value, top_agency)]["sector"],
        "restricted_rec": restricted_recs[0],
        "recs": published_recs[:: max(1, len(published_recs) // 25)] + audited[:10],
    }


def check(
    store: GraphStore, ref: EmbeddedStore, name: str, params: dict[str, Any], viewer: Viewer
) -> Any:
    got = queries.run(store, name, params, viewer)
    want = queries.run(ref, name, params, viewer)
    assert got == want, f"{name} {params} as {viewer.role} differs between backends"
    return got


def test_every_query_is_covered() -> None:
    assert {
        "theme_recurrence",
        "theme_network",
        "trace_recommendation",
        "repeated_recommendations",
        "agency_load",
        "outstanding_actions",
        "search",
    } <= set(queries.REGISTRY)


@pytest.mark.parametrize("viewer", [PUBLIC, ADMIN], ids=["public", "admin"])
def test_theme_recurrence(
    demo_store: GraphStore,
    demo_embedded: EmbeddedStore,
    picks: dict[str, Any],
    hidden: set[str],
    viewer: Viewer,
) -> None:
    events = 0
    for theme in picks["themes"]:
        for extra in ({}, {"year_from": 2010, "year_to": 2018}, {"boards": [picks["board"]]}):
            r = check(
                demo_store, demo_embedded, "theme_recurrence", {"theme": theme, **extra}, viewer
            )
            assert r["reviews"] > 0 or extra
            events += len(r["recurrence_after_closure"])
            if viewer is PUBLIC:
                assert not strings(r) & hidden
    assert events > 0, "the demo corpus should show recurrence after closure"


@pytest.mark.parametrize("viewer", [PUBLIC, ADMIN], ids=["public", "admin"])
def test_theme_network(
    demo_store: GraphStore, demo_embedded: EmbeddedStore, picks: dict[str, Any], viewer: Viewer
) -> None:
    for params in (
        {},
        {"year_from": 2012, "year_to": 2016, "min_weight": 3},
        {"category": "practice", "boards": [picks["board"]]},
    ):
        n = check(demo_store, demo_embedded, "theme_network", params, viewer)
        assert n["nodes"]
        if not params:  # the full network counts every review the viewer may see (all themed)
            assert n["reviews"] == (244 if viewer is PUBLIC else 302)


@pytest.mark.parametrize("viewer", [PUBLIC, ADMIN], ids=["public", "admin"])
def test_trace_recommendation(
    demo_store: GraphStore,
    demo_embedded: EmbeddedStore,
    picks: dict[str, Any],
    hidden: set[str],
    viewer: Viewer,
) -> None:
    verdicts = Counter()
    for rec in picks["recs"]:
        t = check(demo_store, demo_embedded, "trace_recommendation", {"id": rec}, viewer)
        assert t is not None and t["recommendation"]["id"] == rec
        verdicts[t["verdict"]] += 1
        if viewer is PUBLIC:
            assert not strings(t) & hidden
    assert len(verdicts) >= 2, verdicts
    hidden_trace = check(
        demo_store, demo_embedded, "trace_recommendation", {"id": picks["restricted_rec"]}, viewer
    )
    assert (hidden_trace is None) == (viewer is PUBLIC)


@pytest.mark.parametrize("viewer", [PUBLIC, ADMIN], ids=["public", "admin"])
def test_repeated_recommendations(
    demo_store: GraphStore, demo_embedded: EmbeddedStore, hidden: set[str], viewer: Viewer
) -> None:
    r = check(
        demo_store,
        demo_embedded,
        "repeated_recommendations",
        {"min_boards": 2, "min_years": 2},
        viewer,
    )
    assert r["clusters"]
    assert all(c["boards"] >= 2 and c["years"] >= 2 for c in r["clusters"])
    check(
        demo_store,
        demo_embedded,
        "repeated_recommendations",
        {"min_boards": 4, "min_years": 3},
        viewer,
    )
    if viewer is PUBLIC:
        assert not strings(r) & hidden


@pytest.mark.parametrize("viewer", [PUBLIC, ADMIN], ids=["public", "admin"])
def test_accountability(
    demo_store: GraphStore,
    demo_embedded: EmbeddedStore,
    picks: dict[str, Any],
    hidden: set[str],
    viewer: Viewer,
) -> None:
    results = [
        check(
            demo_store,
            demo_embedded,
            "agency_load",
            {"agency": picks["agency"], "as_of": AS_OF},
            viewer,
        ),
        check(
            demo_store,
            demo_embedded,
            "agency_load",
            {"sector": picks["sector"], "year_from": 2010, "year_to": 2020, "as_of": AS_OF},
            viewer,
        ),
        check(demo_store, demo_embedded, "outstanding_actions", {"as_of": AS_OF}, viewer),
        check(
            demo_store,
            demo_embedded,
            "outstanding_actions",
            {"as_of": AS_OF, "board": picks["board"], "limit": 5},
            viewer,
        ),
        check(
            demo_store,
            demo_embedded,
            "outstanding_actions",
            {"as_of": AS_OF, "agency": picks["agency"]},
            viewer,
        ),
    ]
    assert results[0]["totals"]["recommendations"] > 0
    assert results[2]["overdue"] > 0
    if viewer is PUBLIC:
        assert not strings(results) & hidden


@pytest.mark.parametrize("viewer", [PUBLIC, ADMIN], ids=["public", "admin"])
@pytest.mark.parametrize(
    "params",
    [
        {"text": "information sharing", "limit": 10000},
        {"text": "neglect", "kinds": "review", "limit": 10000},
        {"text": "training staff", "kinds": ["recommendation"], "limit": 10000},
        {"text": "Child's voice (OR) *:*", "limit": 10000},
    ],
)
def test_search_hit_sets(
    demo_store: GraphStore,
    demo_embedded: EmbeddedStore,
    hidden: set[str],
    viewer: Viewer,
    params: dict[str, Any],
) -> None:
    got = queries.run(demo_store, "search", params, viewer)
    want = queries.run(demo_embedded, "search", params, viewer)
    key = lambda r: {(h["kind"], h["id"]) for h in r["hits"]}  # noqa: E731
    assert key(got) == key(want)
    assert got["total"] == want["total"]
    # Scores are computed from the visible documents, not by the index: the answers agree
    # entirely, scores and order included.
    assert got == want
    # Again, from the statistics and document frequencies kept since the first answer.
    assert queries.run(demo_store, "search", params, viewer) == want
    if viewer is PUBLIC:
        assert not strings(got) & hidden


def test_public_and_admin_differ(demo_store: GraphStore, picks: dict[str, Any]) -> None:
    theme = picks["themes"][0]
    pub = queries.run(demo_store, "theme_recurrence", {"theme": theme}, PUBLIC)
    adm = queries.run(demo_store, "theme_recurrence", {"theme": theme}, ADMIN)
    assert adm["reviews"] > pub["reviews"]
    pub_n = queries.run(demo_store, "theme_network", {}, PUBLIC)
    adm_n = queries.run(demo_store, "theme_network", {}, ADMIN)
    assert adm_n["reviews"] > pub_n["reviews"]
    pub_o = queries.run(demo_store, "outstanding_actions", {"as_of": AS_OF}, PUBLIC)
    adm_o = queries.run(demo_store, "outstanding_actions", {"as_of": AS_OF}, ADMIN)
    assert adm_o["open"] > pub_o["open"]


@pytest.mark.parametrize("backend", [pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_trace_profile_on_demo_seeks_the_unique_index(
    demo_store: GraphStore, picks: dict[str, Any]
) -> None:
    from graph_store import Neo4jStore

    assert isinstance(demo_store, Neo4jStore)
    cypher = queries.REGISTRY["trace_recommendation"].cypher
    with demo_store.driver.session(database=demo_store.database) as s:
        result = s.run("PROFILE " + cypher, {"id": picks["recs"][0], "statuses": PUBLIC.statuses})  # type: ignore[arg-type]
        assert len(list(result)) == 1
        plan = result.consume().profile

    def ops(p: Any) -> list[tuple[str, str]]:
        here = [(str(p["operatorType"]), str(p.get("args", {}).get("Details", "")))]
        return here + [o for c in p.get("children", []) for o in ops(c)]

    found = ops(plan)
    # The whole plan, one operator a line, so that a failure shows what the planner chose.
    shown = "\n".join(f"{o}: {d}" for o, d in found)
    # The constraint's index, sought (a NodeUniqueIndexSeek; a NodeIndexSeek on the same index
    # is a seek too): CI once failed here without showing the plan, and runs since have not
    # reproduced it, so the message now shows every operator.
    assert any(
        o.startswith(("NodeUniqueIndexSeek", "NodeIndexSeek")) and "Recommendation(id)" in d
        for o, d in found
    ), shown
    assert not [d for o, d in found if o.startswith("NodeByLabelScan")], shown
    assert not [o for o, _ in found if o.startswith(("AllNodesScan", "NodeIndexScan"))], shown
