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


@dataclass(frozen=True)
class Hit:
    """A phrase of one key found at [start, end) of the normalised text."""

    key: str
    phrase: str
    start: int
    end: int


class PhraseMatcher:
    """Finds, for many keys at once, which of each key's phrases occur as whole words.

    A final plural ("s" or "es") is tolerated. Where one key's hit lies strictly inside a
    longer hit of another key, the longer phrase wins ("multi-agency training" is training,
    not the bare "multi-agency").
    """

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        self._patterns: list[tuple[str, re.Pattern[str], dict[str, str]]] = []
        for key, raw in phrases.items():
            forms: dict[str, str] = {}
            for phrase in raw:
                norm = normalise(phrase)
                if norm:
                    forms.setdefault(norm, phrase)
            if not forms:
                continue
            alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            pattern = re.compile(rf"(?<![a-z0-9])(?:{alternation})(?:e?s)?(?![a-z0-9])")
            self._patterns.append((key, pattern, forms))

    def hits(self, text: str) -> list[Hit]:
        norm = normalise(text)
        found: list[Hit] = []
        for key, pattern, forms in self._patterns:
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
