"""The pure parts of briefings: audiences, trends, questions, glossary, repeat groups, CLI args."""

from __future__ import annotations

import itertools
import random
from typing import Any

import pytest

from graph_schema import SECTORS
from queries.briefing import (
    AUDIENCES,
    BriefingError,
    glossary_for,
    lower_first,
    pick_examples,
    resolve_audience,
    supervision_questions,
    trend_word,
)
from queries.briefing_queries import repeat_groups, theme_summary
from scrgraph.commands.brief import BadBriefArgs, parse_years, pick_format


@pytest.mark.parametrize(
    ("words", "key", "sector"),
    [
        ("police", "police", "police"),
        ("Police", "police", "police"),
        ("education", "education", "education"),
        ("DSL", "schools_dsl", "education"),
        ("designated safeguarding leads", "schools_dsl", "education"),
        ("schools", "schools_dsl", "education"),
        ("GPs", "gp", "health"),
        ("general practice", "gp", "health"),
        ("health visitors", "health_visitor", "health"),
        ("health-visitor", "health_visitor", "health"),
        ("children's social care managers", "csc_manager", "childrens_social_care"),
        ("childrens_social_care", "childrens_social_care", "childrens_social_care"),
        ("PVI", "early_years", "early_years_pvi"),
        ("early years", "early_years", "early_years_pvi"),
        ("early_years_pvi", "early_years_pvi", "early_years_pvi"),
    ],
)
def test_resolve_audience(words: str, key: str, sector: str) -> None:
    spec = resolve_audience(words)
    assert (spec.key, spec.sector) == (key, sector)


def test_every_sector_is_an_audience() -> None:
    for s in SECTORS:
        assert resolve_audience(s).sector == s
    assert {a.sector for a in AUDIENCES.values()} == set(SECTORS)


def test_unknown_audience_says_what_works() -> None:
    with pytest.raises(BriefingError, match="police") as e:
        resolve_audience("astronauts")
    assert "schools_dsl" in str(e.value)


@pytest.mark.parametrize(
    ("label", "want"),
    [
        ("Voice of the child", "voice of the child"),
        ("CAMHS and adult mental health transitions", "CAMHS and adult mental health transitions"),
        ("GPs", "GPs"),
        ("Police", "police"),
        ("", ""),
    ],
)
def test_lower_first(label: str, want: str) -> None:
    assert lower_first(label) == want


@pytest.mark.parametrize(
    ("trend", "counts", "word"),
    [
        (0.0, [], "steady"),
        (0.0, [3], "steady"),
        (0.0, [0, 0, 0], "steady"),
        (1.0, [1, 2, 3], "rising"),
        (-1.0, [3, 2, 1], "falling"),
        (0.01, [4, 4, 4, 5], "steady"),
        (0.1, [1, 1, 1, 2], "steady"),  # 0.1 * 3 / 1.25 = 0.24: just under a quarter
        (0.11, [1, 1, 1, 2], "rising"),
        (-0.11, [2, 1, 1, 1], "falling"),
    ],
)
def test_trend_word(trend: float, counts: list[int], word: str) -> None:
    by_year = [{"year": 2000 + i, "reviews": c} for i, c in enumerate(counts)]
    assert trend_word(trend, by_year) == word


def test_questions_come_from_the_description() -> None:
    theme = {
        "id": "hidden_man",
        "label": "Hidden men",
        "kind": "practice",
        "description": "Fathers, partners and other men in the household whom professionals "
        "do not see, assess or engage.",
    }
    qs = supervision_questions(theme, "Health visitors")
    assert 2 <= len(qs) <= 3
    assert "fathers, partners and other men in the household" in qs[0]
    assert all(q.endswith("?") for q in qs)
    assert any("health visitors" in q for q in qs)
    assert all("hidden_man" not in q for q in qs)  # labels, never keys


@pytest.mark.parametrize("kind", ["barrier", "enabler", "practice", None])
def test_questions_for_every_kind(kind: str | None) -> None:
    theme = {"id": "t", "label": "Thing", "kind": kind, "description": "A thing."}
    qs = supervision_questions(theme, "Police")
    assert qs and all(q.endswith("?") for q in qs)
    assert supervision_questions({"id": "t", "label": "Thing", "kind": kind}, "Police")


def test_glossary_picks_terms_that_appear() -> None:
    terms = dict(glossary_for("Ashdale LSCB asked CAMHS and the GPs; Ofsted visited."))
    assert {"LSCB", "CAMHS", "GP", "Ofsted", "embedded", "slipped back"} <= set(terms)
    assert "PVI" not in terms and "MARAC" not in terms
    assert "AMHS" not in terms  # whole words only: CAMHS is not AMHS


def test_pick_examples_prefers_different_boards_and_years() -> None:
    members = [
        {"id": "a", "board_id": "B1", "year": 2010},
        {"id": "b", "board_id": "B1", "year": 2012},
        {"id": "c", "board_id": "B2", "year": 2012},
        {"id": "d", "board_id": "B3", "year": 2015},
        {"id": "e", "board_id": "B4", "year": 2015},
    ]
    # Latest first, each from a new board and a new year (d, b); then a new board at least (e).
    assert [m["id"] for m in pick_examples(members, 3)] == ["d", "b", "e"]
    assert [m["id"] for m in pick_examples(members, 2)] == ["d", "b"]
    assert pick_examples([], 3) == []


# -- repeat groups --------------------------------------------------------------------------


def _rec(i: str, board: str, year: int) -> dict[str, Any]:
    return {
        "id": i,
        "text": f"text {i}",
        "number": "1",
        "review_id": f"rv-{i}",
        "year": year,
        "board_id": board,
        "board_name": board,
        "location": None,
        "source_file": None,
        "source_line": None,
    }


def test_repeat_groups_star_not_chain() -> None:
    # a-b-c-d is a chain: connected components would make one group; stars keep pairs direct.
    recs = {
        "a": _rec("a", "B1", 2010),
        "b": _rec("b", "B2", 2011),
        "c": _rec("c", "B3", 2012),
        "d": _rec("d", "B4", 2013),
        "x": _rec("x", "B5", 2014),  # no neighbour: never a group
    }
    similar = {"a": [("b", 0.9)], "b": [("a", 0.9), ("c", 0.8)], "c": [("b", 0.8), ("d", 0.7)]}
    similar["d"] = [("c", 0.7)]
    # b and c tie on 3 boards, 3 years, 3 members; b has the smaller id. Then d's only
    # neighbour, c, is taken, so d forms no group.
    (group,) = repeat_groups(recs, similar, 10)
    assert group["id"] == "b"
    assert [m["id"] for m in group["members"]] == ["a", "b", "c"]
    assert [m["score"] for m in group["members"]] == [0.9, None, 0.8]
    assert group["mean_score"] == 0.85
    assert (group["size"], group["boards"], group["years"]) == (3, 3, 3)
    assert (group["first_year"], group["last_year"]) == (2010, 2012)
    assert repeat_groups(recs, similar, 0) == []


def test_repeat_groups_ignore_neighbours_outside_the_set() -> None:
    recs = {"a": _rec("a", "B1", 2010), "b": _rec("b", "B2", 2011)}
    similar = {"a": [("b", 0.5), ("zzz", 0.99)], "b": [("a", 0.7)]}
    (g,) = repeat_groups(recs, similar, 5)
    assert g["size"] == 2 and g["mean_score"] == 0.7  # the higher of the two directions


def _brute(recs: dict[str, Any], adj: dict[str, dict[str, float]], limit: int) -> list[str]:
    taken: set[str] = set()
    out: list[str] = []
    while len(out) < limit:
        best: tuple[Any, ...] | None = None
        for a in sorted(adj):
            if a in taken:
                continue
            members = [a, *(b for b in adj[a] if b not in taken)]
            if len(members) < 2:
                continue
            k = (
                -len({recs[m]["board_id"] for m in members}),
                -len({recs[m]["year"] for m in members}),
                -len(members),
                a,
            )
            best = k if best is None or k < best else best
        if best is None:
            return out
        a = best[3]
        taken.update([a, *adj[a]])
        out.append(a)
    return out


@pytest.mark.parametrize("seed", range(8))
def test_repeat_groups_match_a_brute_force_greedy(seed: int) -> None:
    rng = random.Random(seed)
    recs = {
        f"r{i:02d}": _rec(f"r{i:02d}", f"B{rng.randint(1, 6)}", 2010 + rng.randint(0, 5))
        for i in range(40)
    }
    adj: dict[str, dict[str, float]] = {k: {} for k in recs}
    for a, b in itertools.combinations(sorted(recs), 2):
        if rng.random() < 0.08:
            s = round(rng.random(), 4)
            adj[a][b] = adj[b][a] = s
    similar = {a: list(n.items()) for a, n in adj.items()}
    got = [g["id"] for g in repeat_groups(recs, similar, 6)]
    assert got == _brute(recs, {a: n for a, n in adj.items() if n}, 6)


def test_theme_summary_counts_and_trend() -> None:
    recs = [
        {"id": "1", "review_id": "R1", "year": 2010, "board_id": "B1", "themes": ["neglect"]},
        {"id": "2", "review_id": "R1", "year": 2010, "board_id": "B1", "themes": ["neglect"]},
        {
            "id": "3",
            "review_id": "R2",
            "year": 2012,
            "board_id": "B2",
            "themes": ["neglect", "drift"],
        },
        {"id": "4", "review_id": "R3", "year": 2012, "board_id": None, "themes": ["drift"]},
    ]
    neglect, drift = theme_summary(recs, None, None)
    assert neglect["theme"] == "neglect" and drift["theme"] == "drift"
    assert (neglect["recommendations"], neglect["reviews"], neglect["boards"]) == (3, 2, 2)
    assert (drift["recommendations"], drift["reviews"], drift["boards"]) == (2, 2, 1)
    assert [y["year"] for y in neglect["by_year"]] == [2010, 2011, 2012]
    assert [y["reviews"] for y in drift["by_year"]] == [0, 0, 2]
    assert drift["trend"] == 1.0 and neglect["trend"] == 0.0
    assert theme_summary(recs, 2011, 2011)[0]["by_year"] == [
        {"year": 2011, "reviews": 0, "recommendations": 0}
    ]


# -- CLI arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (None, (None, None)),
        ("", (None, None)),
        ("2014-2019", (2014, 2019)),
        ("2014 - 2019", (2014, 2019)),
        ("2014–2019", (2014, 2019)),
        ("2016", (2016, 2016)),
        ("2014-", (2014, None)),
        ("-2019", (None, 2019)),
    ],
)
def test_parse_years(text: str | None, want: tuple[int | None, int | None]) -> None:
    assert parse_years(text) == want


@pytest.mark.parametrize("text", ["2019-2014", "soon", "14-19", "-"])
def test_parse_years_rejects(text: str) -> None:
    with pytest.raises(BadBriefArgs, match="--years"):
        parse_years(text)


@pytest.mark.parametrize(
    ("fmt", "out", "want"),
    [
        (None, None, "md"),
        (None, "x.pdf", "pdf"),
        (None, "x.HTML", "html"),
        (None, "x.txt", "md"),
        ("html", "x.pdf", "html"),
    ],
)
def test_pick_format(fmt: str | None, out: str | None, want: str) -> None:
    assert pick_format(fmt, out) == want
