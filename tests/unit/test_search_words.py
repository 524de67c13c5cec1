"""The embedded search's fast whole-word test (queries.search._Counter) against `tokens`,
the tokenizer rule it must agree with, and the link order of repeated clusters."""

from __future__ import annotations

import random

import pytest

from queries.repeated import clusters
from queries.search import _Counter, _word_re, tokens


def _want(text: str, terms: list[str]) -> tuple[list[int], dict[str, int]]:
    doc = [w for _, _, w in tokens(text)]
    return [i for i, t in enumerate(terms) if t in doc], {t: doc.count(t) for t in terms}


@pytest.mark.parametrize(
    ("text", "terms", "present", "counts"),
    [
        ("Information sharing; information.", ["information"], [0], {"information": 2}),
        ("o'brien and brien", ["brien"], [0], {"brien": 1}),  # o'brien is one word
        ("o'brien", ["brien"], [], {"brien": 0}),
        ("1.5 and 5", ["5"], [0], {"5": 1}),  # 1.5 is one word
        ("a.b", ["a"], [], {"a": 0}),
        ("1.a", ["a"], [0], {"a": 1}),  # digit then letter: not joined
        ("neglected", ["neglect"], [], {"neglect": 0}),  # no stemming
        ("foo_bar", ["foo"], [], {"foo": 0}),
        ("the child’s voice", ["child’s"], [0], {"child’s": 1}),
        ("café au lait", ["café"], [0], {"café": 1}),  # not ASCII: through tokens
        ("Café", ["café"], [0], {"café": 1}),
    ],
)
def test_counter_table(
    text: str, terms: list[str], present: list[int], counts: dict[str, int]
) -> None:
    c = _Counter(terms)
    assert c.present(text, range(len(terms))) == present
    assert c.counts(text) == counts
    assert _want(text, terms) == (present, counts)


def test_counter_agrees_with_tokens_on_random_text() -> None:
    rnd = random.Random(42)
    alphabet = "aB1_.,;'’ -z9é"
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        query = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 5)))
        terms = list(dict.fromkeys(w for _, _, w in tokens(query)))
        if not terms:
            continue
        c = _Counter(terms)
        assert (c.present(text, range(len(terms))), c.counts(text)) == _want(text, terms), (
            text,
            terms,
        )


def test_word_re_only_for_ascii_terms() -> None:
    assert _word_re("café") is None
    assert _word_re("cafe") is not None


def test_cluster_links_from_the_smaller_id_in_order() -> None:
    def m(i: str, board: str, year: int) -> dict[str, object]:
        return {"id": i, "board_id": board, "year": year}

    a, b, c = m("r3", "b1", 2019), m("r1", "b2", 2020), m("r2", "b1", 2021)
    # r3->r1 and r1->r3 join one pair: the later link in (source, target) order scores it.
    out = clusters([(a, b, 0.5), (b, a, 0.75), (c, a, 0.8)], 2, 2)["clusters"]
    assert [x["id"] for x in out] == ["r1"]
    assert out[0]["links"] == [
        {"source": "r1", "target": "r3", "score": 0.5},
        {"source": "r2", "target": "r3", "score": 0.8},
    ]
    assert out[0]["mean_score"] == 0.65
