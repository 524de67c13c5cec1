"""Numbered items that only lead in to their sub-items (`loaders.extract.pfd._lead_ins`).

Invented text in the style of the reports (no sentence is from a real one).
"""

from __future__ import annotations

from loaders.extract.pfd import split_concerns


def _concerns(text: str) -> list[tuple[str, str]]:
    return [(c.number, c.text) for c in split_concerns(text.split("\n"))]


FACT_1 = "On a Tuesday in March the patient moved from Larkfield ward to the Heronsgate unit."
FACT_2 = "The Heronsgate unit keeps no nurse on site between midnight and six in the morning."
WORRY_1 = "There is no list, held in one place, of what each unit can offer an unwell patient."
WORRY_2 = "Staff moving a patient between units are given no written handover form to complete."


def test_the_sub_items_of_a_lead_in_to_the_concerns_are_the_items() -> None:
    text = (
        "1. At the hearing the evidence showed that:\n\n"
        f"i. {FACT_1}\n\nii. {FACT_2}\n\n"
        "2. My concerns are these:\n\n"
        f"i. {WORRY_1}\n\nii. {WORRY_2}\n"
    )
    assert _concerns(text) == [("1", WORRY_1), ("2", WORRY_2)]


def test_a_lead_in_item_gives_way_to_its_letters_beside_an_item_of_its_own() -> None:
    third = "The unit has no written rule on when a relative must be rung about leave."
    text = (
        "The MATTERS OF CONCERN are as follows:\n\n"
        "1. I have concerns about the following matters at the Heronsgate unit:\n\n"
        f"a) {WORRY_1}\n\nb) {WORRY_2}\n\n"
        f"2. {third}\n"
    )
    assert _concerns(text) == [("1", WORRY_1), ("2", WORRY_2), ("3", third)]


def test_an_item_with_a_matter_of_its_own_keeps_its_sub_items() -> None:
    head = "1. The decision to move the patient to the Heronsgate unit was taken:"
    text = f"{head}\n\na) {FACT_1}\n\nb) {FACT_2}\n\n2. {WORRY_1}\n"
    got = _concerns(text)
    assert [n for n, _ in got] == ["1", "2"]
    assert got[1] == ("2", WORRY_1)


def test_an_evidence_lead_in_alone_stays_an_item() -> None:
    text = f"1. At the hearing the evidence showed that:\n\na) {FACT_1}\n\nb) {FACT_2}\n\n2. {WORRY_1}\n"
    got = _concerns(text)
    assert [n for n, _ in got] == ["1", "2"]
    assert got[0][1].startswith("At the hearing the evidence showed that:")


def test_paragraphs_numbered_within_the_section_are_items_and_a_summing_one_is_not() -> None:
    a = "The Heronsgate unit had no one in charge of the patient's plan on any shift."
    b = "Nobody rang the patient's brother back after he called the unit twice that week."
    text = (
        f"5.1 {a}\n\n5.2 {b}\n\n"
        "5.3 In summary, therefore, it appeared to me that a failure to act could lead to "
        "further deaths:\n\n"
        "• No one in charge of the plan\n\n• Calls not returned\n"
    )
    assert _concerns(text) == [("1", a), ("2", b)]


def test_a_stated_lead_in_inside_an_item_keeps_its_sub_items_with_it() -> None:
    text = (
        f"(1) {WORRY_1}\n\n(2) {WORRY_2}\n\nI am concerned that:\n\n(i) {FACT_1}\n\n(ii) {FACT_2}\n"
    )
    got = _concerns(text)
    assert [n for n, _ in got] == ["1", "2"]
    assert got[1][1] == f"{WORRY_2} I am concerned that: (i) {FACT_1} (ii) {FACT_2}"


def test_a_paragraph_about_the_failings_set_out_above_is_no_items() -> None:
    closing = (
        "Witnesses for the unit told me that the failings set out above came from one "
        "busy week and that its written rules were sound."
    )
    text = f"(1) {WORRY_1}\n\n(2) {WORRY_2}\n\n{closing}\n"
    assert _concerns(text) == [("1", WORRY_1), ("2", WORRY_2)]


def test_an_inline_list_after_a_colon_may_open_each_item_in_lower_case() -> None:
    text = (
        "The matters of concern are: 1. the lack of a written plan for moving patients "
        "between the two units; 2. no induction for bank nurses on the night rota; "
        "3. no rule on ringing a relative before leave."
    )
    got = _concerns(text)
    assert [n for n, _ in got] == ["1", "2", "3"]
    assert got[1][1] == "no induction for bank nurses on the night rota;"


def test_a_lettered_list_run_on_as_one_sentence_leads_in_to_the_numbered_items() -> None:
    text = (
        "Bearing in mind\n"
        "a) the wait for a first appointment with the Heronsgate team and\n"
        "b) the private counselling the family paid for in the meantime and\n"
        "c) the leaflets the practice could have handed out, then:\n"
        f"(1) {WORRY_1}\n(2) {WORRY_2}\n"
    )
    assert _concerns(text) == [("1", WORRY_1), ("2", WORRY_2)]


def test_short_headed_items_before_their_sub_items_stay_items() -> None:
    text = (
        "1. Staff training at the Heronsgate unit\n\n"
        "2. Record keeping on the night shift, in particular:\n\n"
        f"a) {FACT_1}\n\nb) {FACT_2}\n"
    )
    assert [n for n, _ in _concerns(text)] == ["1", "2"]
