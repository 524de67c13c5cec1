"""PhraseMatcher skips a key none of whose phrases' first words is in the text; the skip must
never lose a match (plural endings, multi-word phrases, punctuation) nor find a new one."""

from __future__ import annotations

import re

from loaders.extract.matching import PhraseMatcher, normalise

PHRASES = {
    "box": ["box"],  # plural "boxes"
    "neglect": ["neglect"],  # plural "neglects"
    "info": ["information sharing", "sharing of information"],
    "voice": ["voice of the child"],
    "house": ["house"],  # "houses": the "s" alone
}


def _brute(text: str) -> set[tuple[str, int, int]]:
    """Every key's pattern scanned over the whole text, with no first-word filter."""
    norm = normalise(text)
    out = set()
    for key, phrases in PHRASES.items():
        alternation = "|".join(
            re.escape(normalise(p)) + ("(?:e?s)?" if re.search("(?:s|x|z|ch|sh)$", p) else "s?")
            for p in phrases
        )
        for m in re.finditer(rf"(?<![a-z0-9])(?:{alternation})(?![a-z0-9])", norm):
            out.add((key, m.start(), m.end()))
    return out


def test_the_first_word_filter_keeps_every_match_and_adds_none() -> None:
    matcher = PhraseMatcher(PHRASES)
    texts = [
        "Boxes and Houses; neglects. Information-sharing, the voice of the child's.",
        "The sharing of information was poor; no box, no house.",
        "Nothing here matches: boxer, housed, neglectful, informational.",
        "",
    ]
    for text in texts:
        got = {(h.key, h.start, h.end) for h in matcher.hits(text)}
        assert got == _brute(text), text
    assert {h.key for h in matcher.hits(texts[0])} == {"box", "house", "neglect", "info", "voice"}
    assert matcher.hits(texts[2]) == []


def test_es_is_a_plural_only_after_s_x_z_ch_or_sh() -> None:
    # An initialism ("caf") is not found inside an ordinary word ("cafes").
    matcher = PhraseMatcher({"caf": ["caf"], "box": ["box"], "case": ["case"]})
    found = {
        h.key for h in matcher.hits("Boxes of cases were left in the cafes; two CAFs were done.")
    }
    assert found == {"caf", "box", "case"}
    assert [h.key for h in matcher.hits("Meals were served in the cafes.")] == []
