"""Each list's own filter input: exact answers for a public viewer and an admin, both backends.

The small hand-built graph (tests/api/conftest.py), with age bands and three later audits so
that verdicts differ: rv1-r2 (published) and rv3-r2 (restricted) slipped back, rv2-r1 is
partially embedded. Restricted and withdrawn reviews, and all that hangs off them, never
reach the public's answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_schema import Label, RelType
from graph_store import Batch, GraphStore, NodeWrite, RelWrite
from tests.api.conftest import Api, make_api

_LATER_AUDITS = [
    ("aud-late-1", "act-rv1-r2", "2014-01-15", "not_embedded"),
    ("aud-late-3", "act-rv3-r2", "2020-01-15", "partially_embedded"),
    ("aud-first-2", "act-rv2-r1", "2018-01-01", "partially_embedded"),
]


@pytest.fixture
def fapi(small_store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    small_store.write(
        Batch(
            nodes=[
                NodeWrite(
                    Label.REVIEW,
                    [
                        {"id": "rv1", "age_band": "under_1"},
                        {"id": "rv2", "age_band": "1_to_4"},
                        {"id": "rv3", "age_band": "under_1"},
                    ],
                ),
                NodeWrite(
                    Label.AUDIT,
                    [
                        {"id": i, "action_id": a, "date": d, "auditor": "ofsted", "rating": r}
                        for i, a, d, r in _LATER_AUDITS
                    ],
                ),
            ],
            rels=[
                RelWrite(
                    RelType.CHECKS,
                    [{"start": i, "end": a, "props": {}} for i, a, _, _ in _LATER_AUDITS],
                )
            ],
        )
    )
    yield from make_api(small_store, tmp_path)


R = "reviews"
C = "recommendations"
A = "actions"
U = "audits"
PUB_ACTS = ["act-rv1-r1", "act-rv1-r2", "act-rv2-r1", "act-rv2-r2"]
ALL_ACTS = [*PUB_ACTS, "act-rv3-r1", "act-rv3-r2", "act-rv4-r1", "act-rv4-r2"]

# (list, filter literal, keys the public sees, keys an admin sees), each list sorted by id.
CASES: list[tuple[str, str, list[str], list[str]]] = [
    (R, "{yearFrom: 2013, yearTo: 2020}", ["rv2"], ["rv2", "rv3", "rv4"]),
    (R, '{board: "b2"}', [], ["rv3", "rv4"]),
    (R, "{kind: lcspr}", [], ["rv4"]),
    (R, "{status: restricted}", [], ["rv3"]),
    (R, "{ageBand: under_1}", ["rv1"], ["rv1", "rv3"]),
    (R, '{theme: "hidden_man"}', [], ["rv3"]),
    (R, '{text: "neglect"}', ["rv2"], ["rv2"]),
    (R, '{agency: "ag-hv"}', ["rv1"], ["rv1"]),
    (R, '{board: "b1", kind: scr, ageBand: age_1_to_4}', ["rv2"], ["rv2"]),
    (C, "{verdict: slipped_back}", ["rv1-r2"], ["rv1-r2", "rv3-r2"]),
    (C, "{verdict: not_audited}", ["rv1-r1"], ["rv1-r1", "rv3-r1", "rv4-r1"]),
    (C, "{verdict: partially_embedded}", ["rv2-r1"], ["rv2-r1"]),
    (C, "{verdict: embedded}", ["rv2-r2"], ["rv2-r2", "rv4-r2"]),
    (C, "{verdict: not_embedded}", [], []),
    (C, '{status: closed_acceptable_action, board: "b2"}', [], ["rv3-r2", "rv4-r2"]),
    (C, '{sector: "health"}', ["rv1-r1"], ["rv1-r1"]),
    (
        C,
        '{agency: "ag-pol", yearFrom: 2016}',
        ["rv2-r1", "rv2-r2"],
        ["rv2-r1", "rv2-r2", "rv3-r1", "rv3-r2", "rv4-r1", "rv4-r2"],
    ),
    (C, '{theme: "hidden_man"}', [], ["rv3-r1"]),
    (C, "{kind: lcspr}", [], ["rv4-r1", "rv4-r2"]),
    (C, "{yearTo: 2012}", ["rv1-r1", "rv1-r2"], ["rv1-r1", "rv1-r2"]),
    (C, '{text: "family u"}', ["rv2-r1", "rv2-r2"], ["rv2-r1", "rv2-r2"]),
    (A, '{owner: "ag-pol"}', PUB_ACTS, ALL_ACTS),
    (A, "{status: in_progress}", ["act-rv1-r1", "act-rv2-r1"], ALL_ACTS[::2]),
    (
        A,
        '{overdueAsOf: "2019-06-01"}',
        ["act-rv1-r1", "act-rv2-r1"],
        ["act-rv1-r1", "act-rv2-r1", "act-rv3-r1"],
    ),
    (A, '{overdueAsOf: "2013-03-31"}', [], []),  # due that day: not yet overdue
    (A, '{board: "b2", status: completed}', [], ["act-rv3-r2", "act-rv4-r2"]),
    (A, '{theme: "hidden_man"}', [], ["act-rv3-r1"]),
    (A, '{sector: "health"}', [], []),
    (
        A,
        "{yearFrom: 2017, yearTo: 2019}",
        ["act-rv2-r1", "act-rv2-r2"],
        ["act-rv2-r1", "act-rv2-r2", "act-rv3-r1", "act-rv3-r2"],
    ),
    (
        U,
        "{rating: embedded}",
        ["aud-act-rv1-r2", "aud-act-rv2-r2"],
        ["aud-act-rv1-r2", "aud-act-rv2-r2", "aud-act-rv3-r2", "aud-act-rv4-r2"],
    ),
    (U, "{rating: partially_embedded}", ["aud-first-2"], ["aud-first-2", "aud-late-3"]),
    (
        U,
        '{dateFrom: "2014-01-01", dateTo: "2018-12-31"}',
        ["aud-act-rv2-r2", "aud-first-2", "aud-late-1"],
        ["aud-act-rv2-r2", "aud-first-2", "aud-late-1"],
    ),
    (U, '{dateFrom: "2019-03-31"}', [], ["aud-act-rv3-r2", "aud-act-rv4-r2", "aud-late-3"]),
    (U, '{board: "b1", rating: not_embedded}', ["aud-late-1"], ["aud-late-1"]),
    (U, "{yearFrom: 2014, yearTo: 2018}", *[["aud-act-rv2-r2", "aud-first-2", "aud-late-1"]] * 2),
    (U, "{yearFrom: 2019}", [], ["aud-act-rv3-r2", "aud-act-rv4-r2", "aud-late-3"]),
    (U, "{yearFrom: 2020}", [], ["aud-act-rv4-r2", "aud-late-3"]),
    (U, "{yearTo: 2013}", ["aud-act-rv1-r2"], ["aud-act-rv1-r2"]),
    (U, '{agency: "ag-hv"}', [], []),
    ("boards", "{kind: partnership}", ["b2"], ["b2"]),
    ("boards", '{region: "North East"}', ["b1"], ["b1"]),
    ("boards", '{text: "south"}', ["b2"], ["b2"]),
    ("themes", "{category: practice}", *[["hidden_man", "information_sharing", "neglect"]] * 2),
    ("themes", "{kind: barrier}", [], []),
    ("themes", '{text: "man"}', ["hidden_man"], ["hidden_man"]),
    ("agencies", '{sector: "health"}', ["ag-hv"], ["ag-hv"]),
    ("agencies", '{text: "police"}', ["ag-pol"], ["ag-pol"]),
    ("sectors", '{text: "heal"}', ["health"], ["health"]),
]


def _keys(api: Api, field: str, filter: str, role: str | None, sort: str = "ID") -> list[str]:
    q = f"{{ {field}(filter: {filter}, sort: {sort}, first: 100) {{ totalCount edges {{ node {{ key }} }} }} }}"
    conn: dict[str, Any] = api.gql(q, role=role)["data"][field]
    keys = [str(e["node"]["key"]) for e in conn["edges"]]
    assert conn["totalCount"] == len(keys)
    return keys


@pytest.mark.parametrize(("field", "filter", "public", "admin"), CASES)
def test_each_list_filters_as_declared(
    fapi: Api, field: str, filter: str, public: list[str], admin: list[str]
) -> None:
    assert _keys(fapi, field, filter, None) == public
    assert _keys(fapi, field, filter, "admin") == admin


def test_the_inspectors_worklist_newest_first(fapi: Api) -> None:
    q = '{{ recommendations(filter: {{board: "{}", verdict: slipped_back}}, sort: NEWEST) {{ totalCount edges {{ node {{ key year verdict }} }} }} }}'
    for board, public, admin in (("b1", ["rv1-r2"], ["rv1-r2"]), ("b2", [], ["rv3-r2"])):
        for role, expected in ((None, public), ("admin", admin)):
            conn = fapi.gql(q.format(board), role=role)["data"]["recommendations"]
            assert [e["node"]["key"] for e in conn["edges"]] == expected
            assert {e["node"]["verdict"] for e in conn["edges"]} <= {"slipped_back"}
    assert _keys(fapi, C, "{verdict: slipped_back}", "admin", sort="NEWEST") == [
        "rv3-r2",
        "rv1-r2",
    ]


def test_newest_first_ties_by_key_and_descending_reverses(fapi: Api) -> None:
    q = "{ recommendations(sort: NEWEST, first: 3) { edges { node { key } } } }"
    for role, expected in (
        (None, ["rv2-r1", "rv2-r2", "rv1-r1"]),
        ("admin", ["rv4-r1", "rv4-r2", "rv3-r1"]),
    ):
        edges = fapi.gql(q, role=role)["data"]["recommendations"]["edges"]
        assert [e["node"]["key"] for e in edges] == expected
    assert _keys(fapi, R, "{}", None, sort="NEWEST") == ["rv2", "rv1"]
    q = "{ reviews(sort: NEWEST, descending: true) { edges { node { key } } } }"
    assert [e["node"]["key"] for e in fapi.gql(q)["data"]["reviews"]["edges"]] == ["rv1", "rv2"]


def test_the_verdict_filter_agrees_with_the_verdict_field(fapi: Api) -> None:
    q = "{ recommendations(sort: ID, first: 100) { edges { node { key verdict } } } }"
    edges = fapi.gql(q, role="admin")["data"]["recommendations"]["edges"]
    by_verdict: dict[str, list[str]] = {}
    for e in edges:
        by_verdict.setdefault(e["node"]["verdict"], []).append(e["node"]["key"])
    for verdict, keys in by_verdict.items():
        assert _keys(fapi, C, f"{{verdict: {verdict}}}", "admin") == keys


def test_nested_lists_take_their_types_filter(fapi: Api) -> None:
    q = """{ b: node(id: "Board:b2") { ... on Board { reviews(filter: {kind: lcspr}) { totalCount } } }
      t: node(id: "Theme:information_sharing") { ... on Theme {
        recommendations(filter: {verdict: slipped_back}) { totalCount } } }
      a: node(id: "Agency:ag-pol") { ... on Agency {
        actions(filter: {overdueAsOf: "2030-01-01"}) { totalCount } } } }"""
    pub = fapi.gql(q)["data"]
    assert (pub["b"]["reviews"]["totalCount"], pub["t"]["recommendations"]["totalCount"]) == (0, 1)
    assert pub["a"]["actions"]["totalCount"] == 2
    adm = fapi.gql(q, role="admin")["data"]
    assert (adm["b"]["reviews"]["totalCount"], adm["t"]["recommendations"]["totalCount"]) == (1, 2)
    assert adm["a"]["actions"]["totalCount"] == 4


def test_a_bad_date_is_refused_and_names_the_field(fapi: Api) -> None:
    body = fapi.gql('{ audits(filter: {dateTo: "31/12/2020"}) { totalCount } }', expect_errors=True)
    [err] = body["errors"]
    assert err["message"] == "`filter.dateTo` is '31/12/2020'; expected an ISO date (YYYY-MM-DD)"
    assert err["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.fixture
def demo_api(demo_store: GraphStore, tmp_path: Path) -> Iterator[Api]:
    yield from make_api(demo_store, tmp_path)


# Recommendations per verdict in the demo corpus: (public, admin). Restricted reviews' ones
# are in the admin's counts only.
DEMO_VERDICTS = {
    "slipped_back": (386, 469),
    "not_embedded": (56, 65),
    "partially_embedded": (182, 210),
    "embedded": (567, 677),
    "not_audited": (1391, 1715),
}


@pytest.mark.slow
def test_demo_worklist_and_verdict_counts(demo_api: Api) -> None:
    q = " ".join(
        f"{v}: recommendations(filter: {{verdict: {v}}}, first: 0) {{ totalCount }}"
        for v in DEMO_VERDICTS
    )
    for i, role in enumerate((None, "admin")):
        data = demo_api.gql(f"{{ {q} }}", role=role)["data"]
        assert {v: data[v]["totalCount"] for v in DEMO_VERDICTS} == {
            v: n[i] for v, n in DEMO_VERDICTS.items()
        }
    q = (
        '{ recommendations(filter: {board: "b-norley-lscb", verdict: slipped_back}, '
        "sort: NEWEST, first: 3) { totalCount edges { node { key } } } }"
    )
    pub = demo_api.gql(q)["data"]["recommendations"]
    assert pub["totalCount"] == 2
    assert [e["node"]["key"] for e in pub["edges"]] == ["rv-000132-r03", "rv-000055-r01"]
    adm = demo_api.gql(q, role="admin")["data"]["recommendations"]
    assert adm["totalCount"] == 10
    assert [e["node"]["key"] for e in adm["edges"]] == [
        "rv-000132-r03",
        "rv-x00017-r02",
        "rv-x00017-r05",
    ]
