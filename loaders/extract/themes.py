"""Theme tagging: the taxonomy's signal phrases, plus an optional lexical-semantic pass."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from loaders.extract.matching import Hit, PhraseMatcher, normalise
from loaders.extract.model import ThemeTag
from loaders.taxonomy import CURRENT_TAXONOMY_VERSION, taxonomy_path
from scrgraph.errors import InputError


@dataclass(frozen=True)
class Theme:
    """One taxonomy entry."""

    id: str
    label: str
    category: str
    kind: str
    description: str
    signals: tuple[str, ...]
    parent: str | None
    # Phrases that signal the theme only in a text that also has one of `context`:
    # "mental health" is parental mental health only where a parent is named.
    context_signals: tuple[str, ...] = ()
    context: tuple[str, ...] = ()


@lru_cache(maxsize=4)
def load_taxonomy(version: int = CURRENT_TAXONOMY_VERSION) -> tuple[Theme, ...]:
    """The themes of a taxonomy version, in file order."""
    path = taxonomy_path(version)
    if not path.is_file():
        raise InputError(f"taxonomy version {version}: {path} does not exist")
    themes: list[Theme] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            themes.append(
                Theme(
                    id=d["id"],
                    label=d.get("label") or d["id"],
                    category=d["category"],
                    kind=d["kind"],
                    description=d.get("description") or "",
                    signals=tuple(d.get("signals") or ()),
                    parent=d.get("parent"),
                    context_signals=tuple(d.get("context_signals") or ()),
                    context=tuple(d.get("context") or ()),
                )
            )
        except (ValueError, KeyError, TypeError) as e:
            raise InputError(f"{path}:{n}: not a theme record ({e})") from e
    return tuple(themes)


# Names that contain a theme's signal but are not about the theme: an agency called a
# "multi-agency safeguarding hub" is not a multi-agency approach. They win as longer phrases
# and are then dropped.
_IGNORE: Final = "_ignore"
_IN_CONTEXT: Final = "\x00context"  # suffix of the matcher key of a theme's context signals
_SENTENCE: Final = re.compile(r"(?<=[.!?;:])\s+|\n+")
_REDACTION: Final = re.compile(r"\[\s*redacted\s*\]", re.I)
# An aside in brackets of three words or more ("(whom he had not seen for years)") is not
# what the sentence is about; a short one ("(CAMHS)", "(a)") is kept.
_ASIDE: Final = re.compile(r"\((?=(?:[^()]*?\w+\b){3})[^()]*\)")
# A one-word signal ("policy", "assessment", "discharge") names its theme only in a sentence
# that speaks of a failing, a lack, a need or a concern; in plain narrative ("he was
# discharged on the Monday") it is the setting of the concern, not its subject. Phrases of
# two words or more are specific enough alone, and so is any signal in a short line (a
# heading, a title, a fragment: "Neglected children.").
_NARRATIVE_WORDS: Final = 12
_RUN_IN_WORDS: Final = 4  # a run-in heading opening a line: "Discharge planning."
_LINES: Final = re.compile(r"\n+")
_FAILING: Final = re.compile(
    r"\b(?:not|no|never|nor|cannot|lack\w*|fail\w*|without|absen(?:ce|t)|\w*adequa\w*|"
    r"inabilit\w*|unclear|whether|"
    r"insufficient\w*|poor\w*|concern\w*|should|must|ought|need\w*|ensure\w*|unable|lost|"
    r"miss(?:ed|ing)|gaps?|limited|deficien\w*|shortcomings?|\w+n[\'’]t)\b",
    re.I,
)
# The name of a body ("crisis team", "ambulance service", "school nurse") is held to the same
# rule as a one-word signal, however many words it has: in plain narrative it is who acted,
# not the matter.
_BODY: Final = re.compile(
    r"^(?:(?!\b(?:to|of|for|from|by|with|in)\b).)*\b(?:team|service|nurse|practitioner|line)s?$"
)
# So is an act of getting help told as a plain event ("after the overdose his doctor wrote
# a referral to the crisis team"): the concern is a referral missing, refused, slow or
# asked for, not one made.
_ACT: Final = re.compile(r"(?:referrals?|referred|access)\s+to\b")
_SOUGHT: Final = re.compile(r"\b(?:ask\w*|request\w*|sought|seek\w*|want\w*)\b", re.I)
# A sentence that reports a step already taken or promised ("procedures have been put in
# place", "a plan of action will be put in place") tells what was done about a matter, not
# what the matter is; a sentence that asks whether any was taken ("whether new procedures
# were put in place") is still about it.
_REMEDIED: Final = re.compile(
    r"\b(?:ha(?:s|ve|d)|would|will)\s+(?:\w+\s+){0,2}?be(?:en)?\s+(?:put\s+in\s+place|"
    r"introduced|implemented)\b",
    re.I,
)
_ASKED: Final = re.compile(r"\b(?:any|whether|if|no)\b", re.I)
# A short opening clause that sets the time ("Following an assessment, ...", "After his discharge
# from the ward, ..."): a one-word signal in it is when the matter happened, not the matter,
# whatever the rest of the sentence says.
_SETTING: Final = re.compile(
    r"^\W*(?:following|after|since|prior\s+to|upon)\s+(?:[^\s,;:]+\s+){0,6}?[^\s,;:]+,", re.I
)
# Information sharing is between professionals and agencies (the taxonomy's description):
# the family "was not informed of" something is about the family's involvement.
_TELLING: Final = frozenset(
    {
        "informed of",
        "is informed",
        "are informed",
        "be informed",
        "is told of",
        "are told of",
        "notified",
        "is notified",
        "notify",
        "notification",
        "notifications",
    }
)
_FAMILY_TOLD: Final = re.compile(
    r"\b(?:family|families|relatives?|next\s+of\s+kin|parents?|carers?)\s+(?:\w+\s+){0,3}?"
    r"(?:was|were|is|are|be|been)\s+(?:\w+\s+){0,2}?(?:informed|told|notified)\b",
    re.I,
)
IGNORED_PHRASES: Final = (
    "multi agency safeguarding hub",
    "multi-agency safeguarding hubs",
    "multi agency public protection arrangements",
    "multi agency risk assessment conference",
    # Names and set phrases that hold a signal word without its sense.
    "university health board",
    "university hospital",
    "university hospitals",
    "university teaching hospital",
    "university nhs foundation trust",
    "prevention of future deaths",
    "prevention of future death",
    "prevent future deaths",
    "prevention duty",
    "mental capacity",
    "capacity assessment",
    "brought to the attention",
    "not brought to the attention",
    "were not brought to the attention",
    "was not brought to the attention",
    "brought to their attention",
    "brought to my attention",
    "in the absence of",
    "the absence of",
    # "I refer to the attached note": the writer citing, not a referral.
    "i refer to",
    "we refer to",
    "i would refer to",
)

_STOP: Final = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "all",
        "any",
        "should",
        "must",
        "ensure",
        "including",
        "incl",
        "into",
        "within",
        "across",
        "more",
        "not",
        "no",
        "than",
        "so",
        "such",
        "which",
        "who",
        "how",
        "what",
        "when",
        "where",
        "there",
        "these",
        "those",
        "they",
        "them",
        "we",
        "our",
        "can",
        "could",
        "would",
        "may",
        "might",
        "been",
        "being",
        "do",
        "does",
        "did",
        "also",
        "other",
        "each",
        "both",
        "about",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(normalise(text)) if w not in _STOP and len(w) > 2]


def _pieces(text: str) -> list[tuple[str, bool]]:
    """The sentences of `text`, each with whether it is exempt from the narrative rule.

    A short line (a heading, a title, a list entry, a fragment) is all matter, and so is a
    run-in heading that opens a line ("Supervision. Team managers should ..."); a short
    sentence inside a paragraph ("He was discharged on the Monday.") is held to the rule
    like a long one."""
    out: list[tuple[str, bool]] = []
    for line in _LINES.split(text):
        short_line = len(_WORD.findall(line.lower())) < _NARRATIVE_WORDS
        for n, sentence in enumerate(_SENTENCE.split(line)):
            words = len(_WORD.findall(sentence.lower()))
            out.append((sentence, short_line or (n == 0 and words <= _RUN_IN_WORDS)))
    return out


class ThemeTagger:
    """Tags text with taxonomy themes.

    Signal phrases are matched as whole words. The optional semantic pass compares the
    text's TF-IDF vector with each theme's label and description (pure Python, offline);
    it adds a theme only when the cosine reaches `semantic_threshold`.
    """

    def __init__(
        self,
        version: int = CURRENT_TAXONOMY_VERSION,
        *,
        semantic: bool = False,
        semantic_threshold: float = 0.35,
    ) -> None:
        self.themes = load_taxonomy(version)
        self.keys = frozenset(t.id for t in self.themes)
        self._matcher = PhraseMatcher(
            {
                **{t.id: t.signals for t in self.themes},
                **{f"{t.id}{_IN_CONTEXT}": t.context_signals for t in self.themes},
                _IGNORE: IGNORED_PHRASES,
            }
        )
        self._context = {
            t.id: PhraseMatcher({t.id: t.context}) for t in self.themes if t.context_signals
        }
        self.semantic = semantic
        self.semantic_threshold = semantic_threshold
        docs = {t.id: _terms(f"{t.label} {t.description}") for t in self.themes}
        df: Counter[str] = Counter()
        for terms in docs.values():
            df.update(set(terms))
        n = len(docs)
        self._idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
        self._vectors = {k: self._vector(v) for k, v in docs.items()}

    def _vector(self, terms: list[str]) -> dict[str, float]:
        tf = Counter(terms)
        vec = {w: c * self._idf.get(w, 0.0) for w, c in tf.items() if w in self._idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}

    def semantic_scores(self, text: str) -> dict[str, float]:
        vec = self._vector(_terms(text))
        return {
            k: sum(w * tv.get(t, 0.0) for t, w in vec.items()) for k, tv in self._vectors.items()
        }

    def _hits(self, text: str) -> list[Hit]:
        """Signal hits; a context signal's only where its context is in the same sentence.

        Redaction marks ("[REDACTED]") are not talk of redaction, and are skipped.
        """
        out: list[Hit] = []
        offset = 0
        for sentence, short in _pieces(_REDACTION.sub(" ", text)):
            contexts: dict[str, bool] = {}
            main = _ASIDE.sub(" , ", sentence)
            if _REMEDIED.search(main) and not _ASKED.search(main):
                offset += len(sentence) + 1
                continue
            family_told = _FAMILY_TOLD.search(main) is not None
            failing = short or _FAILING.search(main) is not None
            setting = _SETTING.match(main)
            for h in self._matcher.hits(main):
                if h.key == _IGNORE:
                    continue
                if (
                    setting is not None
                    and h.end <= setting.end()
                    and (" " not in normalise(h.phrase) or _BODY.search(normalise(h.phrase)))
                ):
                    continue
                if not failing and (
                    " " not in normalise(h.phrase)
                    or _BODY.search(normalise(h.phrase))
                    or (_ACT.match(normalise(h.phrase)) and not _SOUGHT.search(main))
                ):
                    continue
                if family_told and h.key == "information_sharing" and h.phrase in _TELLING:
                    continue
                key = h.key
                if key.endswith(_IN_CONTEXT):
                    key = key[: -len(_IN_CONTEXT)]
                    if key not in contexts:
                        found = self._context[key].first_hits(main).get(key)
                        contexts[key] = found is not None
                    if not contexts[key]:
                        continue
                out.append(Hit(key, h.phrase, offset + h.start, offset + h.end))
            offset += len(sentence) + 1
        return out

    def tag(self, text: str) -> list[ThemeTag]:
        """Themes of a piece of text, each with its evidence, in text order."""
        hits = self._hits(text)
        first: dict[str, Hit] = {}
        for h in sorted(hits, key=lambda h: h.start):
            first.setdefault(h.key, h)
        tags = [ThemeTag(k, h.phrase) for k, h in first.items()]
        if self.semantic:
            have = {t.theme for t in tags}
            for key, score in sorted(self.semantic_scores(text).items(), key=lambda x: -x[1]):
                if key not in have and score >= self.semantic_threshold:
                    tags.append(ThemeTag(key, f"score {score:.2f}"))
        return tags

    def count(self, text: str) -> Counter[str]:
        """How many signal hits each theme has in the text."""
        return Counter(h.key for h in self._hits(text))
