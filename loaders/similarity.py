"""Repeated-recommendation linking: near-identical texts, found fast.

Each text becomes a set of features (lower-cased words and word pairs, stop words dropped).
The score of a pair is the Jaccard similarity of their feature sets. Candidate pairs come from
prefix filtering (a set-similarity join): features are ordered rarest first, and two sets whose
Jaccard similarity reaches t must share a feature among the first |x| - ceil(t*|x|) + 1 of
each. That finds *every* pair above the threshold (no recall lost to blocking) while comparing
only a tiny fraction of all pairs; a length filter prunes the rest.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Final

# Chosen by measurement on the generator's known re-issued recommendations (see
# docs/data-format.md, "Repeated recommendations").
DEFAULT_THRESHOLD: Final = 0.6

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP_WORDS: Final = (
    "a an and are as at be by for from has have in is it its of on or that the their this "
    "to was were will with all any should must ensure"
)
_STOP: Final = frozenset(_STOP_WORDS.split())


def features(text: str) -> frozenset[str]:
    """Words and adjacent word pairs of a text, lower-cased, stop words dropped."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return frozenset(words + pairs)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def similar_pairs(
    items: Sequence[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[str, str, float]]:
    """Pairs of ids whose texts score at least `threshold` (0..1), each pair once with a < b.

    `items` are (id, text). Sorted by id pair. Texts with no features match nothing.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    ids = [i for i, _ in items]
    sets = [features(t) for _, t in items]
    df: Counter[str] = Counter()
    for s in sets:
        df.update(s)
    # Rarest first; ties broken by the feature itself so the order is deterministic.
    ordered = [sorted(s, key=lambda f: (df[f], f)) for s in sets]
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))  # shortest first
    index: dict[str, list[int]] = {}
    out: list[tuple[str, str, float]] = []
    for i in order:
        x = sets[i]
        n = len(x)
        if n == 0:
            continue
        prefix = n - math.ceil(threshold * n) + 1
        min_len = threshold * n  # every earlier set is no longer than x
        seen: set[int] = set()
        for f in ordered[i][:prefix]:
            bucket = index.get(f)
            if bucket is None:
                index[f] = [i]
                continue
            for j in bucket:
                if j in seen:
                    continue
                seen.add(j)
                y = sets[j]
                if len(y) < min_len:
                    continue
                score = jaccard(x, y)
                if score >= threshold:
                    a, b = ids[i], ids[j]
                    if a == b:
                        continue
                    if b < a:
                        a, b = b, a
                    out.append((a, b, round(score, 4)))
            bucket.append(i)
    out.sort()
    return out
