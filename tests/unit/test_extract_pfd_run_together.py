"""Several matters in one paragraph, a request after its concern, and closing lines.

Each test is one rule of `loaders.extract.pfd.split_concerns`, on invented text in the style
of coroners' reports (no sentence is from a real one). The synthetic documents
`evaluation/extraction/docs/*_coroner_pfd.txt` hold the same shapes in whole reports.
"""

from __future__ import annotations

import pytest

from loaders.extract.pfd import split_concerns


def _concerns(text: str) -> list[tuple[str, str]]:
    return [(c.number, c.text) for c in split_concerns(text.split("\n"))]


FIRST = (
    "I am concerned that the night staff on the unit had no way of seeing which young people "
    "had been moved to closer observation during the day."
)


@pytest.mark.parametrize(
    "second",
    [
        "A further concern is that the handover sheet leaves no room to say why observation "
        "levels were changed.",
        "It is also of concern that the handover sheet leaves no room to say why observation "
        "levels were changed.",
        "I am also concerned that the handover sheet leaves no room to say why observation "
        "levels were changed.",
        "Finally, I am concerned that the handover sheet leaves no room to say why "
        "observation levels were changed.",
    ],
)
def test_a_sentence_adding_a_concern_starts_a_second_item(second: str) -> None:
    assert _concerns(f"{FIRST} {second}\n") == [("1", FIRST), ("2", second)]


def test_an_added_concern_keeps_the_evidence_that_led_into_the_first() -> None:
    heard = (
        "At the inquest I heard that the school rang the surgery on the Monday and was told "
        "that a doctor would call back."
    )
    second = "A further concern is that no one recorded the call in the boy's notes."
    got = _concerns(f"{heard}\n\n{FIRST} {second}\n")
    assert got == [("1", f"{heard} {FIRST}"), ("2", second)]


def test_a_short_opening_is_no_matter_of_its_own() -> None:
    # Fewer than 12 words before the added concern: the sentence goes on with it.
    text = "Staff were not told. A further concern is that the plan was never written down.\n"
    assert _concerns(text) == [("1", text.strip())]


def test_a_concern_word_inside_a_sentence_splits_nothing() -> None:
    text = (
        "The family raised a further concern with the ward about the leave plan, and the ward "
        "did not write it down or pass it on to the home treatment team.\n"
    )
    assert _concerns(text) == [("1", text.strip())]


REQUESTS = [
    "Consideration should be given to a written check of every young person's contact details "
    "before leave.",
    "Consideration should be given to telling the school nurse on the day a pupil is discharged.",
    "Consideration should be given to a single number for families to ring out of hours.",
]


def test_a_request_formula_repeated_in_one_paragraph_is_a_list_written_as_prose() -> None:
    assert _concerns(" ".join(REQUESTS) + "\n") == [
        (str(k), r) for k, r in enumerate(REQUESTS, start=1)
    ]


def test_a_sentence_that_repeats_a_plain_opening_splits_nothing() -> None:
    # The same opening words that ask for nothing ("The ward had ...") are no list.
    text = (
        "The ward had no policy on leave for young people under section. The ward had a "
        "policy for adults that staff applied to them instead, without change.\n"
    )
    assert _concerns(text) == [("1", text.strip())]


CONCERN = (
    "The children's ward had no written procedure for telling a young person's school when "
    "the young person was sent home after self-harm."
)


def test_a_request_after_a_concern_is_that_concerns_request() -> None:
    ask = (
        "One wonders whether a single discharge checklist, kept by the ward and shared with "
        "the school nurse, might be introduced."
    )
    assert _concerns(f"{CONCERN}\n\n{ask}\n") == [("1", f"{CONCERN} {ask}")]


def test_requests_after_a_request_stay_items_of_their_own() -> None:
    ask = "I would invite the trust to consider a weekly meeting with the school nurses."
    more = (
        "Consideration should be given to telling families, in writing, whom to ring while "
        "they wait."
    )
    got = _concerns(f"{CONCERN}\n\n{ask}\n\n{more}\n")
    assert got == [("1", f"{CONCERN} {ask}"), ("2", more)]


def test_a_request_that_names_a_failing_is_a_concern_of_its_own() -> None:
    ask = (
        "I would invite the trust to consider why the crisis line was not answered for "
        "forty minutes that night."
    )
    assert _concerns(f"{CONCERN}\n\n{ask}\n") == [("1", CONCERN), ("2", ask)]


def test_a_last_numbered_line_saying_what_is_enclosed_is_no_item() -> None:
    text = (
        "1. The school did not pass its log of online bullying to its safeguarding lead.\n\n"
        "2. The referral was returned and no one told the school that it had been.\n\n"
        "3. Letters from the health board and the academy trust are enclosed.\n"
    )
    assert [n for n, _ in _concerns(text)] == ["1", "2"]


def test_a_closing_paragraph_saying_what_is_enclosed_is_no_item() -> None:
    second = "I am also concerned that leave was granted without a written plan."
    closing = "A copy of the trust's own action plan is enclosed with this report."
    assert _concerns(f"{FIRST}\n\n{second}\n\n{closing}\n") == [("1", FIRST), ("2", second)]


def test_a_long_numbered_item_that_mentions_an_enclosure_is_still_an_item() -> None:
    text = (
        "1. The school did not pass its log of online bullying to its safeguarding lead.\n\n"
        "2. The trust's investigation report, which is attached, found that the referral was "
        "returned for a missing signature and that no one at the school, the surgery or the "
        "family was told, so that the boy waited a further eleven weeks for a first "
        "appointment while his self-harm grew worse and no one reviewed the risk.\n"
    )
    assert [n for n, _ in _concerns(text)] == ["1", "2"]


def test_one_paragraph_standing_where_a_missing_number_would_be_is_that_item() -> None:
    one = "1. The school log of bullying never reached the safeguarding lead."
    two = "2. The referral was returned because a form was incomplete."
    three = (
        "The waiting list for a first appointment was thirty weeks, and no one checked on "
        "children while they waited."
    )
    four = "4. The two services keep separate records and neither can see the other's."
    got = _concerns(f"{one}\n\n{two}\n\n{three}\n\n{four}\n")
    assert got == [("1", one[3:]), ("2", two[3:]), ("3", three), ("4", four[3:])]


def test_a_paragraph_after_an_item_with_no_number_missing_goes_on_with_it() -> None:
    one = "1. The school log of bullying never reached the safeguarding lead."
    more = "The log was kept on paper in the head of year's office."
    two = "2. The referral was returned because a form was incomplete."
    got = _concerns(f"{one}\n\n{more}\n\n{two}\n")
    assert got == [("1", f"{one[3:]} {more}"), ("2", two[3:])]
