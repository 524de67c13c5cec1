"""Repeated-recommendation linking: near-identical texts, found fast.

Each text becomes a set of features (lower-cased words and word pairs, stop words dropped).
The score of a pair is the Jaccard similarity of their feature sets. Candidate pairs come from
prefix filtering (a set-similarity join): features are ordered rarest first, and two sets whose
Jaccard similarity reaches t must share a feature among the first |x| - ceil(t*|x|) + 1 of
each. That finds *every* pair above the threshold (no recall lost to blocking) while comparing
only a tiny fraction of all pairs; a length filter prunes the rest.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
import re
from collections.abc import Sequence
from typing import Any, Final

# Chosen by measurement on the generator's known re-issued recommendations (see
# docs/data-format.md, "Repeated recommendations").
DEFAULT_THRESHOLD: Final = 0.8

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


def jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


# A bucket this full holds boilerplate (hundreds of copies of "See above.") rather than
# repeats worth a link each; all its pairs would be quadratic in number. Pairs that really
# are near-identical almost always share a smaller bucket too (no recall lost on the
# national corpus at a cap of 100).
_MAX_BUCKET: Final = 2000
_BINS: Final = 40  # one-permutation MinHash: one hash per feature, split into bins
_EMPTY: Final = 1 << 64


def _feature_hash(f: str) -> int:
    return int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "big")


def bands_for(threshold: float, num_hashes: int = _BINS, recall: float = 0.95) -> int:
    """Rows per LSH band: the most (fewest candidates) that still catch a pair scoring exactly
    `threshold` with probability `recall`."""
    best = 1
    for r in range(1, num_hashes + 1):
        b = num_hashes // r
        if 1 - (1 - threshold**r) ** b >= recall:
            best = r
    return best


def _signature(hashes: Sequence[int]) -> tuple[int, ...]:
    """One-permutation MinHash with densification: each bin keeps its smallest hash; an
    empty bin borrows from the next non-empty bin, marked by the distance it borrowed over."""
    sig = [_EMPTY] * _BINS
    for h in hashes:
        b = h % _BINS
        if h < sig[b]:
            sig[b] = h
    if _EMPTY in sig:
        filled = [k for k in range(_BINS) if sig[k] != _EMPTY]
        if not filled:
            return tuple(sig)
        out = list(sig)
        for k in range(_BINS):
            if sig[k] == _EMPTY:
                d = 1
                while sig[(k + d) % _BINS] == _EMPTY:
                    d += 1
                out[k] = sig[(k + d) % _BINS] * 64 + d
        return tuple(out)
    return tuple(sig)


class SimilarityIndex:
    """Near-duplicate linking, fed one text at a time (a streaming load adds each
    recommendation as it passes and keeps no text).

    What it keeps per text: its feature hashes (a set of 64-bit ints) and its MinHash
    signature; texts are added to their LSH buckets as they come. `pairs()`
    gives what `similar_pairs` gives for the same texts in the same order.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self._rows = bands_for(threshold)
        self._nbands = _BINS // self._rows
        self._ids: list[str] = []
        self._sets: list[frozenset[int]] = []
        self._sigs: list[tuple[int, ...]] = []
        self._buckets: dict[tuple[int, ...], list[int]] = {}
        # Each distinct feature hashed once (one int object shared by the texts that have it).
        self._hashes: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, key: str, text: str) -> None:
        """Index one text under `key`."""
        hs: set[int] = set()
        known = self._hashes
        for f in features(text):
            h = known.get(f)
            if h is None:
                h = _feature_hash(f)
                if len(known) < _MAX_CACHED_FEATURES:
                    known[f] = h
            hs.add(h)
        n = len(self._ids)
        self._ids.append(key)
        self._sets.append(frozenset(hs))
        sig = _signature(list(hs))
        self._sigs.append(sig)
        if not hs:
            return
        rows = self._rows
        for band in range(self._nbands):
            bkey = (band, *sig[band * rows : (band + 1) * rows])
            self._buckets.setdefault(bkey, []).append(n)

    def pairs(self) -> list[tuple[str, str, float]]:
        """Pairs of keys whose texts score at least the threshold, each once with a < b,
        sorted."""
        threshold, rows = self.threshold, self._rows
        ids, sets, sigs = self._ids, self._sets, self._sigs
        out: list[tuple[str, str, float]] = []
        # A pair whose signatures agree on fewer than this share of bins is very unlikely to
        # reach the threshold (the agreement estimates the Jaccard similarity).
        min_agree = max(0, int((threshold - 0.25) * _BINS))
        for key, members in self._buckets.items():
            if len(members) < 2 or len(members) > _MAX_BUCKET:
                continue
            band = key[0]
            for x in range(len(members)):
                i = members[x]
                si, gi = sets[i], sigs[i]
                for y in range(x + 1, len(members)):
                    j = members[y]
                    sj, gj = sets[j], sigs[j]
                    if min(len(si), len(sj)) < threshold * max(len(si), len(sj)):
                        continue
                    # Each pair is checked in the first band it shares, not again in later ones.
                    if any(
                        gi[b * rows : (b + 1) * rows] == gj[b * rows : (b + 1) * rows]
                        for b in range(band)
                    ):
                        continue
                    if sum(map(operator.eq, gi, gj)) < min_agree:
                        continue
                    score = jaccard(si, sj)
                    if score >= threshold and ids[i] != ids[j]:
                        a, b = (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
                        out.append((a, b, round(score, 4)))
        out.sort()
        return out


# Feature hashes remembered (so a common feature is hashed once); past this many, new ones
# are hashed each time they come (the same value, only slower), so memory stays bounded.
_MAX_CACHED_FEATURES: Final = 1_000_000


def similar_pairs(
    items: Sequence[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[str, str, float]]:
    """Pairs of ids whose texts score at least `threshold` (0..1), each pair once with a < b.

    `items` are (id, text); the result is sorted. Candidates come from MinHash
    locality-sensitive hashing (one-permutation MinHash, 40 bins, in bands sized so that a
    pair at the threshold is found with probability 0.95 or more, pairs above it almost
    surely); each candidate's score is then the exact Jaccard similarity of its feature sets.
    Deterministic: no salted hashing. (`SimilarityIndex` does the same one text at a time.)
    """
    index = SimilarityIndex(threshold)
    for key, text in items:
        index.add(key, text)
    return index.pairs()
