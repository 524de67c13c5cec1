"""Repeated-recommendation linking: scores, pair order, and the measured threshold."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from pathlib import Path

import pytest

from loaders import DEFAULT_THRESHOLD, parse_corpus, reissued_groups, similar_pairs
from loaders.similarity import bands_for, features, jaccard

BASE = (
    "Health commissioners should ensure that the bruising protocol for non-mobile babies is "
    "applied by every agency within six months."
)

CASES: list[tuple[str, str, bool]] = [
    (BASE, BASE, True),
    (BASE, BASE.replace("within six months", "within three months"), True),
    (BASE, BASE.replace("Health commissioners", "All health providers"), True),
    (BASE, "The police should attend every strategy discussion about domestic abuse.", False),
    (BASE, "", False),
]


@pytest.mark.parametrize(("a", "b", "similar"), CASES)
def test_pairs(a: str, b: str, similar: bool) -> None:
    pairs = similar_pairs([("r2", a), ("r1", b)], threshold=0.6)
    assert bool(pairs) is similar
    if similar:
        x, y, score = pairs[0]
        assert (x, y) == ("r1", "r2") and 0.6 <= score <= 1.0


def test_identical_texts_score_one_and_each_pair_appears_once() -> None:
    pairs = similar_pairs([("c", BASE), ("a", BASE), ("b", BASE)])
    assert pairs == [("a", "b", 1.0), ("a", "c", 1.0), ("b", "c", 1.0)]


def test_features_ignore_case_punctuation_and_stop_words() -> None:
    assert features("The Police SHOULD attend.") == features("police attend")
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_bad_threshold() -> None:
    with pytest.raises(ValueError):
        similar_pairs([], threshold=0)


def test_bands_catch_a_pair_at_the_threshold() -> None:
    r = bands_for(0.8)
    assert 1 - (1 - 0.8**r) ** (40 // r) >= 0.95


def test_lsh_finds_what_all_pairs_finds() -> None:
    rng = random.Random(3)
    words = [f"w{i}" for i in range(300)]
    items = []
    for i in range(300):
        text = rng.sample(words, 25)
        items.append((f"a{i:03d}", " ".join(text)))
        if i % 5 == 0:  # a near copy: one word changed
            copy = text[:]
            copy[rng.randrange(25)] = "changed"
            items.append((f"b{i:03d}", " ".join(copy)))
    sets = {i: features(t) for i, t in items}
    exact = {
        (a, b)
        for a, b in itertools.combinations(sorted(sets), 2)
        if jaccard(sets[a], sets[b]) >= DEFAULT_THRESHOLD
    }
    found = {(a, b) for a, b, _ in similar_pairs(items)}
    assert found <= exact
    assert len(found) >= 0.9 * len(exact) and len(exact) >= 50


def test_threshold_precision_and_recall_on_the_demo_corpus(demo_corpus: Path) -> None:
    corpus, _ = parse_corpus(demo_corpus)
    recs = corpus.records["recommendations"]
    review = {r.values["id"]: r.values["review_id"] for r in recs}
    groups: dict[str, set[str]] = defaultdict(set)
    for root, rid in reissued_groups(demo_corpus):
        groups[root] |= {root, rid}
    truth = {
        (a, b)
        for g in groups.values()
        for a, b in itertools.combinations(sorted(g), 2)
        if review[a] != review[b]
    }
    found = {
        (a, b)
        for a, b, _ in similar_pairs([(r.values["id"], r.values["text"]) for r in recs])
        if review[a] != review[b]
    }
    tp = len(found & truth)
    precision, recall = tp / len(found), tp / len(truth)
    assert precision >= 0.9 and recall >= 0.85, (precision, recall)
