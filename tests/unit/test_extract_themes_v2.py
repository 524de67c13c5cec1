"""Taxonomy version 2: the themes real reports raise, context signals, and evidence.

Invented text only.
"""

from __future__ import annotations

import pytest

from loaders.extract import ThemeTagger, load_taxonomy
from loaders.taxonomy import CURRENT_TAXONOMY_VERSION


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger(2)


def test_version_2_keeps_every_key_of_version_1_and_is_current() -> None:
    v1 = [t.id for t in load_taxonomy(1)]
    v2 = [t.id for t in load_taxonomy(2)]
    assert v2[: len(v1)] == v1
    assert set(v2) - set(v1) == {
        "self_harm_suicide",
        "online_harm",
        "mental_health_service_access",
        "school_safeguarding",
        "criminal_exploitation",
        "family_carer_involvement_in_care",
        "discharge_follow_up",
        "custody_prison_safety",
        "medication_prescribing",
        "emergency_response",
        "inpatient_observation_leave",
    }
    assert CURRENT_TAXONOMY_VERSION == 2
    assert ThemeTagger().keys == frozenset(v2)


@pytest.mark.parametrize(
    ("text", "theme", "evidence"),
    [
        ("The young person had self-harmed twice that month.", "self_harm_suicide", "self harmed"),
        ("She was bullied on social media for a year.", "online_harm", "social media"),
        (
            "He waited nine months on the CAMHS waiting list.",
            "mental_health_service_access",
            "camhs",
        ),
        ("Schools should tell the designated safeguarding lead.", "school_safeguarding", "schools"),
        ("He was drawn into county lines drug running.", "criminal_exploitation", "county lines"),
        (
            "Plan the transition to adult services from 16.",
            "camhs_transitions",
            "transition to adult services",
        ),
        (
            "No follow-up appointment was made after discharge.",
            "discharge_follow_up",
            "follow up appointment",
        ),
        (
            "Deaths in custody are reviewed by the ombudsman.",
            "custody_prison_safety",
            "deaths in custody",
        ),
        (
            "Repeat prescriptions of antidepressants were not reviewed.",
            "medication_prescribing",
            "repeat prescription",
        ),
        ("The 999 call handler did not send an ambulance.", "emergency_response", "999 call"),
        ("He absconded while on unescorted leave.", "inpatient_observation_leave", "absconded"),
    ],
)
def test_new_themes_tag_with_their_evidence(
    tagger: ThemeTagger, text: str, theme: str, evidence: str
) -> None:
    tags = {t.theme: t.evidence for t in tagger.tag(text)}
    assert tags.get(theme) == evidence


def test_criminal_exploitation_is_no_longer_sexual_exploitation(tagger: ThemeTagger) -> None:
    keys = [t.theme for t in tagger.tag("Training on criminal exploitation for all staff.")]
    assert "criminal_exploitation" in keys
    assert "sexual_abuse_exploitation" not in keys


def test_a_context_signal_needs_its_context_in_the_same_sentence(tagger: ThemeTagger) -> None:
    # "mental health" is parental mental health only where a parent is named with it.
    assert "parental_mental_health" in [
        t.theme for t in tagger.tag("Ask both parents about their mental health.")
    ]
    assert "parental_mental_health" not in [
        t.theme for t in tagger.tag("His mental health got worse. His mother rang the surgery.")
    ]
    # A family member is a theme of its own only where the sentence is about involving them.
    involved = "The family were not consulted before he was sent home."
    assert "family_carer_involvement_in_care" in [t.theme for t in tagger.tag(involved)]
    mention = "His family found him at home. Nobody was consulted."
    assert "family_carer_involvement_in_care" not in [t.theme for t in tagger.tag(mention)]


def test_insufficient_training_needs_a_word_of_lack(tagger: ThemeTagger) -> None:
    assert "insufficient_training" in [
        t.theme for t in tagger.tag("Call handlers had no training on mental health crises.")
    ]
    assert "insufficient_training" not in [
        t.theme for t in tagger.tag("The trust should provide training on mental health crises.")
    ]


@pytest.mark.parametrize(
    ("text", "not_theme"),
    [
        ("[REDACTED] told the court that [REDACTED] was at home.", "publication_in_full"),
        ("The Wexcombe University Health Board reviewed the case.", "school_safeguarding"),
        ("This is a report to prevent future deaths.", "early_intervention"),
        (
            "The factors were not brought to the attention of the assessor.",
            "missed_contact_non_access",
        ),
        ("He was assessed as having mental capacity.", "workload_resource_pressure"),
    ],
)
def test_phrases_that_hold_a_signal_word_without_its_sense(
    tagger: ThemeTagger, text: str, not_theme: str
) -> None:
    assert not_theme not in [t.theme for t in tagger.tag(text)]


def test_counts_follow_the_same_rules(tagger: ThemeTagger) -> None:
    text = "Ask both parents about their mental health. His mental health got worse."
    assert tagger.count(text)["parental_mental_health"] == 1


def test_medication_counts_only_where_the_sentence_is_about_managing_it(
    tagger: ThemeTagger,
) -> None:
    changed = "His medication was changed twice in a month without a review."
    assert "medication_prescribing" in [t.theme for t in tagger.tag(changed)]
    passing = "He was on prescribed medication and lived with his sister."
    assert "medication_prescribing" not in [t.theme for t in tagger.tag(passing)]


def test_communication_is_inter_agency_only_between_agencies(tagger: ThemeTagger) -> None:
    between = "Communication between the police and the ambulance service was poor."
    assert "interagency_communication" in [t.theme for t in tagger.tag(between)]
    family = "His wife found the communication confusing."
    assert "interagency_communication" not in [t.theme for t in tagger.tag(family)]


def test_documents_load_with_the_readers_taxonomy() -> None:
    """`scrgraph load FILE` writes the taxonomy the reader tags with, context signals kept."""
    from pathlib import Path

    from loaders.extract.themes import load_taxonomy
    from loaders.taxonomy import CURRENT_TAXONOMY_VERSION
    from loaders.validate import taxonomy_corpus

    corpus = taxonomy_corpus(Path("review.txt"))
    assert corpus.taxonomy_version == CURRENT_TAXONOMY_VERSION
    rows = {r.values["id"]: r.values for r in corpus.records["themes"]}
    assert set(rows) == {t.id for t in load_taxonomy()}
    with_context = [t for t in load_taxonomy() if t.context_signals]
    assert with_context, "taxonomy v2 has context signals"
    t = with_context[0]
    assert list(rows[t.id]["context_signals"]) == list(t.context_signals)
    assert list(rows[t.id]["context"]) == list(t.context)


def test_a_one_word_signal_in_plain_narrative_is_the_setting_not_the_theme(
    tagger: ThemeTagger,
) -> None:
    # A long sentence that only tells what happened: "policy" and "discharged" are its
    # setting. The same words in a sentence about a failing or a need name the theme.
    story = (
        "On the Tuesday morning Mr Quenby was discharged home by the ward under the usual policy."
    )
    keys = {t.theme for t in tagger.tag(story)}
    assert "discharge_follow_up" not in keys
    assert "clear_guidelines_standards" not in keys
    failing = "On the Tuesday morning Mr Quenby was discharged home without any plan for his care."
    assert "discharge_follow_up" in {t.theme for t in tagger.tag(failing)}
    # A phrase of two words or more is specific enough in any sentence.
    phrase = "On the Tuesday morning Mr Quenby had his discharge planning meeting on the ward."
    assert "discharge_follow_up" in {t.theme for t in tagger.tag(phrase)}
    # A short line (a heading, a fragment) keeps its one-word signals.
    assert {t.theme for t in tagger.tag("Discharge.")} == {"discharge_follow_up"}


def test_a_long_aside_in_brackets_is_not_the_theme(tagger: ThemeTagger) -> None:
    aside = (
        "The ward did not tell the police that he was missing (whatever the written policy"
        " said about timescales at that point)."
    )
    assert "clear_guidelines_standards" not in {t.theme for t in tagger.tag(aside)}
    plain = (
        "The ward did not tell the police that he was missing, whatever the written policy"
        " said about timescales at that point."
    )
    assert "clear_guidelines_standards" in {t.theme for t in tagger.tag(plain)}
    # A short bracket (an initialism) is part of the sentence.
    assert "mental_health_service_access" in {
        t.theme for t in tagger.tag("He was not seen by the local team (CAMHS).")
    }


def test_a_step_already_taken_is_not_the_matter(tagger: ThemeTagger) -> None:
    done = (
        "Since the death of Ms Arbery the hospital says that new procedures have been put in place."
    )
    assert "clear_guidelines_standards" not in {t.theme for t in tagger.tag(done)}
    promised = (
        "The hospital agreed with the findings and said a plan of action will be put in place."
    )
    assert "follow_up_corrective_actions" not in {t.theme for t in tagger.tag(promised)}
    # Asking whether any step was taken is still about the matter.
    asked = "The hospital could not show me whether new procedures were put in place."
    assert "clear_guidelines_standards" in {t.theme for t in tagger.tag(asked)}


def test_telling_the_family_is_not_sharing_information_between_agencies(
    tagger: ThemeTagger,
) -> None:
    family = "The family of Mr Tolley was not informed of the decision to close the referral."
    keys = {t.theme for t in tagger.tag(family)}
    assert "information_sharing" not in keys
    assert "family_carer_involvement_in_care" in keys
    agencies = "The GP was not informed of the decision to close the referral."
    assert "information_sharing" in {t.theme for t in tagger.tag(agencies)}


def test_citing_a_document_is_not_a_referral(tagger: ThemeTagger) -> None:
    cited = "I refer to the attached note written by the ward sister in the spring."
    assert "information_sharing" not in {t.theme for t in tagger.tag(cited)}
    referral = "Nurses should refer to the crisis team when a patient is unwell."
    assert "information_sharing" in {t.theme for t in tagger.tag(referral)}


def test_escalation_is_professional_challenge_only_of_a_concern_or_decision(
    tagger: ThemeTagger,
) -> None:
    search = "There was no missing person plan with steps of escalation for the search."
    assert "professional_challenge" not in {t.theme for t in tagger.tag(search)}
    concern = "Staff did not know how to escalate their concerns about the decision."
    assert "professional_challenge" in {t.theme for t in tagger.tag(concern)}


def test_a_delay_is_not_drift_unless_the_case_drifts(tagger: ThemeTagger) -> None:
    delay = "There was a delay in moving Mr Ashdown to the hospital ward that evening."
    assert "drift" not in {t.theme for t in tagger.tag(delay)}
    drift = "The plan for the family was allowed to drift for months."
    assert "drift" in {t.theme for t in tagger.tag(drift)}


def test_a_service_named_in_plain_narrative_is_the_actor_not_the_theme(
    tagger: ThemeTagger,
) -> None:
    story = "Later that evening his sister rang the crisis team to ask if she might come along."
    assert "mental_health_service_access" not in {t.theme for t in tagger.tag(story)}
    failing = "Later that evening his sister rang the crisis team but nobody answered and no call came back."
    assert "mental_health_service_access" in {t.theme for t in tagger.tag(failing)}
    # An act of getting help is not a name: it counts in any sentence.
    referral = (
        "Later that evening his sister asked for a referral to mental health services for him."
    )
    assert "mental_health_service_access" in {t.theme for t in tagger.tag(referral)}


def test_questioning_a_thing_or_its_adequacy_raises_it(tagger: ThemeTagger) -> None:
    # Coroners raise a matter by doubting it as well as by naming a failing.
    unclear = "It remained unclear to the court whether the team would ever audit such decisions."
    assert "audit_impact_embedding" in {t.theme for t in tagger.tag(unclear)}
    adequacy = (
        "I ask the trust to look at the adequacy of the supervision given to its night staff."
    )
    assert "supervision" in {t.theme for t in tagger.tag(adequacy)}


def test_risk_assessed_as_a_verb_is_risk_assessment(tagger: ThemeTagger) -> None:
    text = "Staff had risk assessed Mr Pellow as low on the morning he walked out of the unit."
    assert "risk_assessment" in {t.theme for t in tagger.tag(text)}


def test_a_one_word_signal_in_an_opening_time_clause_is_the_setting(
    tagger: ThemeTagger,
) -> None:
    # "Following an assessment, ..." says when; the failing is in the main clause.
    setting = (
        "Following an assessment, the ward sent Mr Quillan home without telling anyone "
        "at his lodgings that he was on his way."
    )
    assert "risk_assessment" not in {t.theme for t in tagger.tag(setting)}
    # The same word in the main clause is still the matter.
    main = (
        "On the Friday, the ward did not complete any assessment of Mr Quillan before "
        "it let him walk out alone."
    )
    assert "risk_assessment" in {t.theme for t in tagger.tag(main)}


def test_a_referral_told_as_an_event_is_not_the_theme(tagger: ThemeTagger) -> None:
    made = (
        "Some weeks after the accident at the quarry he took an overdose, and so his family "
        "doctor wrote a referral to mental health services that same afternoon."
    )
    assert "mental_health_service_access" not in {t.theme for t in tagger.tag(made)}
    refused = (
        "Some weeks after the accident at the quarry a referral to mental health services "
        "was made but was not acted on by anyone."
    )
    assert "mental_health_service_access" in {t.theme for t in tagger.tag(refused)}


def test_a_short_sentence_inside_a_longer_concern_is_held_to_the_narrative_rule(
    tagger: ThemeTagger,
) -> None:
    # Invented text. A short line alone (a heading, a fragment) is all matter; a short
    # sentence of plain narrative inside a longer concern is the setting, like a long one.
    assert "discharge_follow_up" in {t.theme for t in tagger.tag("Discharge arrangements.")}
    told = (
        "I am concerned that the crisis plan did not say who would visit her at home after "
        "the weekend. She went home on the Friday. She was discharged on the Monday."
    )
    assert "discharge_follow_up" not in {t.theme for t in tagger.tag(told)}
    stated = (
        "I am concerned that the crisis plan did not say who would visit her at home after "
        "the weekend. She was discharged without a plan."
    )
    assert "discharge_follow_up" in {t.theme for t in tagger.tag(stated)}
    # A short line of its own, or a run-in heading opening a line, is still the matter.
    listed = (
        "I am concerned that the crisis plan did not say who would visit her at home after "
        "the weekend.\nDischarge arrangements."
    )
    assert "discharge_follow_up" in {t.theme for t in tagger.tag(listed)}
    run_in = (
        "Discharge. The ward held a meeting with her sister and the community team on the "
        "Friday before she went home for the weekend."
    )
    assert "discharge_follow_up" in {t.theme for t in tagger.tag(run_in)}
