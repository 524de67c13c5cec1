"""The pure parts of the named queries: verdicts, trends, closures, search terms, parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import pytest

from queries import QueryParamError
from queries._common import Params, days_overdue
from queries.network import build, layout
from queries.recurrence import closure, slope
from queries.search import highlight, lucene_query, terms, tokens
from queries.trace import impact_verdict


@pytest.mark.parametrize(
    ("ratings", "verdict"),
    [
        ([], "not_audited"),
        (["embedded"], "embedded"),
        (["not_embedded", "partially_embedded"], "partially_embedded"),
        (["partially_embedded", "embedded"], "embedded"),
        (["embedded", "partially_embedded"], "slipped_back"),
        (["embedded", "embedded", "not_embedded"], "slipped_back"),
        (["embedded", "not_embedded", "embedded"], "embedded"),
        (["not_embedded"], "not_embedded"),
    ],
)
def test_impact_verdict(ratings: list[str], verdict: str) -> None:
    assert impact_verdict(ratings) == verdict


@pytest.mark.parametrize(
    ("ys", "want"),
    [
        ([], 0.0),
        ([5], 0.0),
        ([1, 2, 3], 1.0),
        ([3, 2, 1], -1.0),
        ([2, 2, 2, 2], 0.0),
        ([0, 1, 0, 3], 0.8),
    ],
)
def test_slope(ys: list[float], want: float) -> None:
    assert slope(ys) == want


@pytest.mark.parametrize(
    ("status", "year", "done", "embedded", "want"),
    [
        ("open_awaiting_response", 2012, [], [], None),
        ("closed_superseded", 2012, ["2013-01-01"], [], None),
        ("closed_acceptable_action", 2012, [], [], ("closed_acted_on", 2012)),
        (
            "closed_alternate_action",
            2012,
            ["2013-05-01", "2014-02-01"],
            [],
            ("closed_acted_on", 2014),
        ),
        (
            "open_acceptable_response",
            2012,
            [],
            ["2016-01-01", "2015-03-01"],
            ("audited_embedded", 2015),
        ),
        (
            "closed_acceptable_action",
            2012,
            ["2016-01-01"],
            ["2014-01-01"],
            ("audited_embedded", 2014),
        ),
        (
            "closed_acceptable_action",
            2012,
            ["2014-01-01"],
            ["2014-06-01"],
            ("closed_acted_on", 2014),
        ),
    ],
)
def test_closure(status: str, year: int, done: list[str], embedded: list[str], want: Any) -> None:
    assert closure(status, year, done, embedded) == want


def test_tokens_follow_the_standard_tokenizer() -> None:
    assert [w for _, _, w in tokens("The child's voice, e.g. 3.5 or 1,000 info-sharing a_b")] == [
        "the",
        "child's",
        "voice",
        "e.g",
        "3.5",
        "or",
        "1,000",
        "info",
        "sharing",
        "a_b",
    ]
    assert terms("Neglect NEGLECT and neglect") == ["neglect", "and"]
    assert terms('*:* "" ()') == []


def test_lucene_query_quotes_every_term() -> None:
    assert lucene_query(["information", "and", "not"]) == '"information" AND "and" AND "not"'
    assert lucene_query(['a"b', "c\\"]) == '"a\\"b" AND "c\\\\"'


def test_highlight_escapes_and_marks() -> None:
    h = highlight("text", "<b>Share</b> information & share.", {"share"})
    assert h is not None
    assert (
        h["html"] == "&lt;b&gt;<mark>Share</mark>&lt;/b&gt; information &amp; <mark>share</mark>."
    )
    assert h["spans"] == [[3, 8], [27, 32]]
    assert highlight("text", "nothing here", {"share"}) is None


def test_params_coerce_cli_strings() -> None:
    p = Params("q", {"n": " 7 ", "l": "b, a,,a", "d": "2020-02-03", "e": ""})
    assert p.int_("n") == 7
    assert p.str_list("l") == ["a", "b"]
    assert p.date_("d") == dt.date(2020, 2, 3)
    assert p.str_("e") is None
    with pytest.raises(QueryParamError, match="n is 'seven', which is not an integer"):
        Params("q", {"n": "seven"}).int_("n")
    with pytest.raises(QueryParamError, match="required"):
        Params("q", {}).req_str("x")


def test_days_overdue() -> None:
    as_of = dt.date(2020, 1, 10)
    assert days_overdue("in_progress", "2020-01-01", as_of) == 9
    assert days_overdue("completed", "2020-01-01", as_of) == 0
    assert days_overdue("not_started", "2020-02-01", as_of) == 0
    assert days_overdue("not_started", None, as_of) == 0


def test_layout_is_deterministic_and_in_the_unit_square() -> None:
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 3), ("b", "c", 1), ("c", "d", 2), ("a", "d", 1)])
    first = layout(g)
    assert first == layout(g.copy())
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())


def test_network_build_ignores_input_order() -> None:
    facts = [
        ("r1", 2010, [{"id": "a"}, {"id": "b"}]),
        ("r2", 2011, [{"id": "a"}, {"id": "b"}, {"id": "c"}]),
        ("r3", 2011, [{"id": "c"}]),
    ]
    args = {"year_from": None, "year_to": None, "boards": None, "min_weight": 1, "category": None}
    one = build(facts, args)
    assert one == build(list(reversed(facts)), args)
    assert [(e["source"], e["target"], e["weight"]) for e in one["edges"]] == [
        ("a", "b", 2),
        ("a", "c", 1),
        ("b", "c", 1),
    ]
    assert [s["year"] for s in one["years"]] == [2010, 2011]
