"""How coroners write concerns as prose, and what around a list is not an item.

Each test is one rule of `loaders.extract.pfd.split_concerns`, on invented text in the
style of the reports (no sentence is from a real one).
"""

from __future__ import annotations

from loaders.extract.pfd import split_concerns


def _concerns(text: str) -> list[tuple[str, str]]:
    return [(c.number, c.text) for c in split_concerns(text.split("\n"))]


EVIDENCE_1 = (
    "At the inquest I heard that the ward manager had rung the family twice on the evening "
    "before the discharge, but the calls went to a number that had been out of use for a year."
)
EVIDENCE_2 = (
    "The discharge letter reached the practice nine days later and named a care coordinator "
    "who had left the team in the spring."
)
STATED = (
    "I am concerned that the ward has no check that a family's contact details are current "
    "before a patient is sent home."
)


def test_evidence_paragraphs_lead_into_the_concern_a_coroner_states() -> None:
    text = f"{EVIDENCE_1}\n\n{EVIDENCE_2}\n\n{STATED}\n"
    assert _concerns(text) == [("1", f"{EVIDENCE_1} {EVIDENCE_2} {STATED}")]


def test_paragraphs_that_each_state_a_concern_stay_apart() -> None:
    second = (
        "I am also concerned that the practice was not told that the care coordinator had "
        "left, so that no one followed the patient up."
    )
    assert _concerns(f"{STATED}\n\n{second}\n") == [("1", STATED), ("2", second)]


def test_a_closing_paragraph_belongs_to_a_lone_concern() -> None:
    closing = (
        "I invited the trust to tell me what had changed since the death, and in my view "
        "these matters need the trust's further attention."
    )
    assert _concerns(f"{EVIDENCE_1}\n\n{STATED}\n\n{closing}\n") == [
        ("1", f"{EVIDENCE_1} {STATED} {closing}")
    ]


def test_a_closing_sum_up_after_several_concerns_is_no_item() -> None:
    second = "I was also concerned that leave was granted without a written plan for the weekend."
    notice = "I have sent a copy of this report to the regional commissioner for information."
    got = _concerns(f"{STATED}\n\n{second}\n\n{notice}\n")
    assert got == [("1", STATED), ("2", second)]


def test_a_paragraph_that_points_back_goes_on_with_the_one_before() -> None:
    first = (
        "The young person rang the leaving-care team four times in a fortnight and each time "
        "the phone of the named adviser was switched off, with no message giving another number."
    )
    back = "This arrangement does not seem adequate for a young person leaving care."
    assert _concerns(f"{first}\n\n{back}\n") == [("1", f"{first} {back}")]


def test_the_coroners_account_of_evidence_leads_into_the_next_paragraph() -> None:
    heard = (
        "The inquest heard that the surgery moved every review to the telephone after the "
        "first visit, even when the patient said his mood was no better."
    )
    point = (
        "There is no local guidance on when a telephone review should give way to seeing "
        "the patient in person."
    )
    assert _concerns(f"{heard}\n\n{point}\n") == [("1", f"{heard} {point}")]


def test_plain_paragraphs_without_stated_concerns_are_each_an_item() -> None:
    a = (
        "The crisis team works only in the daytime, and calls after six in the evening go "
        "to a regional line with no access to the notes."
    )
    b = "The practice received the discharge summary three weeks after the patient went home."
    assert _concerns(f"{a}\n\n{b}\n") == [("1", a), ("2", b)]


def test_a_lead_in_that_counts_the_concerns_keeps_each_paragraph_an_item() -> None:
    lead = "I said that I would report on the following three areas:"
    paras = [
        "How the views of carers are taken into account when a safety plan is written.",
        "I am concerned that there is no guidance on how staff should use video footage.",
        "What support is offered to carers who look after a patient at home.",
    ]
    got = _concerns("\n\n".join([lead, *paras]) + "\n")
    assert got == [("1", paras[0]), ("2", paras[1]), ("3", paras[2])]


def test_it_is_a_matter_of_concern_is_a_concern_not_the_preamble() -> None:
    text = (
        f"{EVIDENCE_2}\n\nIt is a matter of concern that the trust still thinks no change "
        "is needed.\n"
    )
    assert len(_concerns(text)) == 1
    assert _concerns(text)[0][1].endswith("thinks no change is needed.")


def test_a_redacted_item_is_no_item() -> None:
    text = (
        "(1) The ward did not invite the community team to the discharge meeting.\n\n"
        "(2) ---------------------\n(3) ---------------------\n"
    )
    assert _concerns(text) == [
        ("1", "The ward did not invite the community team to the discharge meeting.")
    ]


def test_a_paragraph_summing_up_the_list_belongs_to_no_item() -> None:
    text = (
        "1. Families are not asked about risk before leave.\n\n"
        "2. The leave policy is not followed.\n\n"
        "I am not reassured that the actions needed to address these serious issues are in "
        "place.\n"
    )
    assert _concerns(text) == [
        ("1", "Families are not asked about risk before leave."),
        ("2", "The leave policy is not followed."),
    ]


def test_a_paragraph_going_on_from_an_item_still_belongs_to_it() -> None:
    text = (
        "1. Families are not asked about risk before leave.\n\n"
        "2. The leave policy is not followed.\n\n"
        "Staff told me that the policy was written for another ward.\n"
    )
    assert _concerns(text)[1] == (
        "2",
        "The leave policy is not followed. Staff told me that the policy was written for "
        "another ward.",
    )


def test_a_short_list_quoted_from_guidance_is_part_of_the_prose_concern() -> None:
    text = (
        "I was referred to a national study that identified key factors services should "
        "adopt, including:\n\n"
        "• A plan for involving the family.\n"
        "• Crisis support at any hour.\n\n"
        "Neither of these was in place for the patient.\n\n"
        "I was not persuaded that the health board has made these part of its practice.\n"
    )
    got = _concerns(text)
    assert len(got) == 1
    assert got[0][1].startswith("I was referred to a national study")
    assert got[0][1].endswith("part of its practice.")


def test_a_list_announced_as_concerns_is_still_a_list() -> None:
    text = (
        "The trust's own review identified the following concerns:\n\n"
        "- No care coordinator was appointed;\n"
        "- The waiting list for therapy was a year long;\n\n"
        "Staffing is a long-standing problem in the area.\n"
    )
    assert [n for n, _ in _concerns(text)] == ["1", "2"]


def test_a_paragraph_standing_where_a_skipped_number_would_be_is_that_item() -> None:
    text = (
        "i) Brief notes.\n\n"
        "The note of the review was brief and gave no reason for sending the patient home.\n\n"
        "At the time one consultant was covering for two, which I was told is a national "
        "shortage; I would be grateful to know the position.\n\n"
        "iii) Carers were not involved in the discharge.\n\n"
        "The trust's own policy states:\n\n"
        "Carers must be involved in every discharge plan.\n\n"
        "The husband was not involved.\n"
    )
    got = _concerns(text)
    assert [n for n, _ in got] == ["i", "ii", "iii"]
    assert got[1][1].startswith("At the time one consultant")
    # A quotation's lead-in ("... states:") is not a heading: what follows stays in item iii.
    assert got[2][1].endswith("The husband was not involved.")


def test_numbers_with_no_stop_after_them_are_items_in_order() -> None:
    text = (
        "1 That the patient was asked to refer himself rather than being referred.\n\n"
        "2 That no follow-up appointment is recorded in the notes.\n\n"
        "3 That the advice on starting an antidepressant was not considered.\n"
    )
    got = _concerns(text)
    assert [n for n, _ in got] == ["1", "2", "3"]
    assert got[1][1] == "That no follow-up appointment is recorded in the notes."
    # Hard-wrapped, as PDF text comes, with no blank lines: still three.
    wrapped = text.replace("\n\n", "\n").replace(" rather than", "\nrather than")
    assert [n for n, _ in _concerns(wrapped)] == ["1", "2", "3"]


def test_a_number_starting_a_line_out_of_order_is_not_an_item() -> None:
    text = (
        "The patient waited for a bed for\n"
        "12 Hours in the corridor of the unit before anyone saw him, and I am concerned "
        "that this is common.\n"
    )
    assert len(_concerns(text)) == 1


def test_a_paragraph_that_opens_by_naming_its_concern_states_one() -> None:
    context = (
        "I recognise that the trust has already learnt lessons from this death and set them "
        "out in its action plan."
    )
    first = (
        "In relation to the first concern, the patient kept carrier bags in his room although "
        "they were on the list of restricted items."
    )
    related = "A related concern was that the daily searches of rooms were not being carried out."
    second = "The second area of concern is how the ward keeps in touch with families."
    text = "\n\n".join(
        [
            "The matters of concern are in relation to restricted items and, secondly, "
            "contact with families.",
            context,
            first,
            related,
            second,
        ]
    )
    assert _concerns(text + "\n") == [
        ("1", f"{context} {first}"),
        ("2", related),
        ("3", second),
    ]


def test_a_stated_concern_naming_the_risk_of_future_deaths_is_not_the_preamble() -> None:
    evidence = "I heard that the criteria for aftercare were applied without any discretion."
    stated = (
        "I am concerned that this rigidity gives rise to a risk of future deaths in cases that "
        "do not meet the threshold."
    )
    assert _concerns(f"{evidence}\n\n{stated}\n") == [("1", f"{evidence} {stated}")]


def test_the_same_number_again_on_a_new_paragraph_is_a_slip_not_a_continuation() -> None:
    text = (
        "(4) The risk assessment was not updated after the meeting.\n"
        "(5) Staff did not respond to the patient's absence until late evening.\n"
        "(5) The search for the patient did not follow the missing patients procedure.\n"
        "(6) The police were told only at midnight.\n"
    )
    assert [n for n, _ in _concerns(text)] == ["4", "5", "5", "6"]


def test_a_quotation_lead_in_without_a_colon_is_not_a_heading() -> None:
    text = (
        "1. No report was made under the detention rules.\n\n"
        "Rule 35 states\n\n"
        "The doctor shall report any detained person thought to be at risk.\n\n"
        "2. Visits by family were not supported.\n"
    )
    got = _concerns(text)
    assert [n for n, _ in got] == ["1", "2"]
    assert got[0][1].endswith("thought to be at risk.")


def test_a_narrative_paragraph_with_no_word_of_failing_leads_into_the_next() -> None:
    story = "On the Sunday Mr Ambrose walked to the harbour and then rang his brother from a kiosk."
    gap = "The harbour unit kept no record of the call and did not pass it to his care team."
    other = "His brother was never told which ward Mr Ambrose had been moved to after the call."
    assert _concerns(f"{story}\n\n{gap}\n\n{other}\n") == [("1", f"{story} {gap}"), ("2", other)]


def test_a_paragraph_going_on_in_time_or_asking_for_the_response_joins_the_one_before() -> None:
    first = "The unit sent Mr Ambrose home with no date fixed for the community team to see him."
    meantime = "In the meantime, nobody thought to give him the number of the night support line."
    second = "His brother was never told which ward Mr Ambrose had been moved to after the call."
    ask = (
        "When you respond to this report, I would welcome word of what the unit now does "
        "to keep relatives informed."
    )
    got = _concerns(f"{first}\n\n{meantime}\n\n{second}\n\n{ask}\n")
    assert got == [("1", f"{first} {meantime}"), ("2", f"{second} {ask}")]


def test_a_stated_concern_opening_with_however_stays_its_own_item() -> None:
    however = (
        "However, I am concerned that leave was granted without a written plan for the weekend."
    )
    assert _concerns(f"{STATED}\n\n{however}\n") == [("1", STATED), ("2", however)]
