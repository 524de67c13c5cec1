"""Whole-word phrase matching that ignores case and punctuation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_APOSTROPHE = re.compile(r"['’‘`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, every other non-alphanumeric run made one space."""
    text = _APOSTROPHE.sub("", text.lower())
    return _NON_WORD.sub(" ", text).strip()


def _plural(form: str) -> str:
    """The plural ending a phrase may take: "es" only after s, x, z, ch or sh ("boxes"),
    else "s" ("houses"); so the initialism "caf" does not match "cafes"."""
    return "(?:e?s)?" if re.search(r"(?:s|x|z|ch|sh)$", form) else "s?"


@dataclass(frozen=True)
class Hit:
    """A phrase of one key found at [start, end) of the normalised text."""

    key: str
    phrase: str
    start: int
    end: int


class PhraseMatcher:
    """Finds, for many keys at once, which of each key's phrases occur as whole words.

    A final plural is tolerated ("s"; "es" after s, x, z, ch or sh). Where one key's hit
    lies strictly inside a longer hit of another key, the longer phrase wins ("multi-agency
    training" is training, not the bare "multi-agency").
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        # Each key's pattern with the first words of its phrases: a phrase can only match
        # where its first word is a word of the text (a one-word phrase perhaps with a plural
        # ending), so a key none of whose first words is there is skipped without a scan.
        self._patterns: list[tuple[str, re.Pattern[str], dict[str, str], frozenset[str]]] = []
        for key, raw in phrases.items():
            forms: dict[str, str] = {}
            for phrase in raw:
                norm = normalise(phrase)
                if norm:
                    forms.setdefault(norm, phrase)
            if not forms:
                continue
            alternation = "|".join(
                re.escape(f) + _plural(f) for f in sorted(forms, key=len, reverse=True)
            )
            pattern = re.compile(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])")
            firsts = frozenset(f.split(" ", 1)[0] for f in forms)
            self._patterns.append((key, pattern, forms, firsts))

    def hits(self, text: str) -> list[Hit]:
        norm = normalise(text)
        words = set(norm.split(" "))
        words |= {w[:-1] for w in words if w.endswith("s")}
        words |= {w[:-1] for w in words if w.endswith("e")}  # "es": one more letter off
        found: list[Hit] = []
        for key, pattern, forms, firsts in self._patterns:
            if words.isdisjoint(firsts):
                continue
            for m in pattern.finditer(norm):
                matched = m.group(0)
                phrase = forms.get(matched) or forms.get(matched[:-1]) or forms.get(matched[:-2])
                found.append(Hit(key, phrase or matched, m.start(), m.end()))
        return [
            h
            for h in found
            if not any(
                o.key != h.key
                and o.start <= h.start
                and o.end >= h.end
                and (o.end - o.start) > (h.end - h.start)
                for o in found
            )
        ]

    def first_hits(self, text: str) -> dict[str, Hit]:
        """The first surviving hit of each key, in text order."""
        out: dict[str, Hit] = {}
        for h in sorted(self.hits(text), key=lambda h: h.start):
            out.setdefault(h.key, h)
        return out
