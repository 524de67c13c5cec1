"""Theme tagging, the taxonomy's integrity, and the agency gazetteer."""

from __future__ import annotations

import json

import pytest

from graph_schema import SECTORS, THEME_CATEGORIES, THEME_KINDS
from loaders.extract import AgencyDetector, ThemeTagger, load_gazetteer, load_taxonomy
from loaders.extract.matching import PhraseMatcher, normalise
from loaders.taxonomy import taxonomy_path


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger(1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Agencies should improve INFORMATION-SHARING.", {"information_sharing"}),
        ("Practitioners should show professional curiosity.", {"professional_curiosity"}),
        ("The child's voice must be heard.", {"voice_of_child"}),
        ("Bruising in non-mobile babies.", {"young_babies_under_five"}),
        ("Deliver multi-agency training.", {"multi_agency_training"}),
        ("Neglected children; neglectful homes.", {"neglect"}),
        ("The supervisor's role.", {"supervision"}),
    ],
)
def test_signals_match_whole_words(tagger: ThemeTagger, text: str, expected: set[str]) -> None:
    assert {t.theme for t in tagger.tag(text)} == expected


def test_no_partial_words(tagger: ThemeTagger) -> None:
    # "neglect" must not fire inside "neglectable"; "risk" words need whole phrases.
    assert "neglect" not in {t.theme for t in tagger.tag("a neglectable matter")}


def test_evidence_is_the_phrase(tagger: ThemeTagger) -> None:
    tags = tagger.tag("Police should share information with schools.")
    assert [(t.theme, t.evidence) for t in tags] == [("information_sharing", "share information")]


def test_semantic_pass_only_adds_scored_tags() -> None:
    sem = ThemeTagger(1, semantic=True, semantic_threshold=0.3)
    tags = sem.tag("Fathers and male carers are hidden from professionals in the household.")
    assert "hidden_man" in {t.theme for t in tags}
    assert all(t.evidence.startswith("score ") or " " in t.evidence or t.evidence for t in tags)


def test_longest_phrase_wins() -> None:
    m = PhraseMatcher({"a": ["multi agency"], "b": ["multi-agency training"]})
    assert set(m.first_hits("Provide multi-agency training")) == {"b"}
    assert normalise("Child’s  VOICE!") == "childs voice"


def test_taxonomy_file_is_well_formed() -> None:
    themes = load_taxonomy(1)
    ids = [t.id for t in themes]
    assert len(ids) == len(set(ids)) == 85
    lines = taxonomy_path(1).read_text(encoding="utf-8").splitlines()
    assert all(set(json.loads(x)) >= {"id", "label", "category", "kind"} for x in lines)
    for t in themes:
        assert t.category in THEME_CATEGORIES and t.kind in THEME_KINDS
        assert t.label and t.label != t.id and len(t.label) <= 60
        assert t.description.endswith(".")
        assert t.signals, f"{t.id} has no signals"
        assert len(set(map(normalise, t.signals))) == len(t.signals), t.id
    parents = {t.id: t.parent for t in themes}
    for start in parents:  # no cycles, parents exist
        seen = {start}
        node = parents[start]
        while node is not None:
            assert node in parents and node not in seen, f"cycle or unknown parent at {start}"
            seen.add(node)
            node = parents[node]


def test_gazetteer_maps_roles_to_schema_sectors() -> None:
    gaz = load_gazetteer()
    assert {s for s, _ in gaz.agencies.values()} <= set(SECTORS)
    det = AgencyDetector(gaz)
    found = {
        (a.name, a.sector)
        for a in det.detect(
            "GPs, health visitors, midwives, the police, schools, the designated teacher, "
            "children's social care, CAMHS, the youth offending team, probation, the PVI "
            "sector, the ambulance service, the hospital trust, housing and adult services."
        )
    }
    sectors = {s for _, s in found}
    assert sectors >= {
        "health",
        "police",
        "education",
        "childrens_social_care",
        "probation_youth_justice",
        "early_years_pvi",
        "housing",
        "adult_services",
    }
    assert ("Designated teacher and safeguarding lead", "education") in found
    assert ("School nursing service", "health") in {
        (a.name, a.sector) for a in det.detect("The school nurse")
    }
