"""Names the identifying-details check finds, and professional prose it leaves alone."""

from __future__ import annotations

import pytest

from tests.helpers.identifying_details import found, kinds

# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jayden has been missing the first lesson.", "Jayden"),
        ("Concerns about Amelia Khan were raised.", "Amelia Khan"),
        ("J. Smith was seen leaving the site.", "J. Smith"),
        ("Mrs Patel rang the office.", "Mrs Patel"),
        ("Mr and Mrs Okafor came in.", "Mr and Mrs Okafor"),
        ("We discussed the pupil, Oluwaseun, again.", "Oluwaseun"),
        ("Her brother Kyle is known to YJS.", "Kyle"),
        ("A girl called Maisie disclosed at PE.", "Maisie"),
        ("Student Harpreet Kaur has a place at the PRU.", "Harpreet Kaur"),
        ("Sibling Precious is in Year 2.", "Precious"),
        ("The Kowalski family did not attend.", "Kowalski"),
        ("Summer's attendance has dropped.", "Summer"),
        ("Grace said she was scared to go home.", "Grace"),
        ("We agreed a referral for Ruby-Mae.", "Ruby-Mae"),
        ("jayden's mum came in upset.", "jayden"),
        ("Chen Wei's mother asked us to stop calling.", "Chen Wei"),
        ("Mid-sentence, Thandiwe has stopped eating lunch.", "Thandiwe"),
    ],
)
def test_names_are_found(text: str, name: str) -> None:
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "We discussed the Year 6 pupil and the threshold for a Section 47 enquiry.",
        "The DSL rang the Child Protection Consultation Hub after the HSCP training.",
        "Ofsted, CAMHS, the MASH and Early Help were all mentioned.",
        "The sibling is known to Early Help; the child's mother has not engaged.",
        "We met on Monday 12 March and again in May.",
        "After the May half term the DSL will review Children Missing Education cases.",
        "Summer term priorities include transition planning.",
        "Will the new threshold document change how referrals are made?",
        "Faith groups in the area were invited to the forum.",
        "Amber-rated cases are reviewed fortnightly.",
        "St Joseph's Catholic Primary asked for group supervision.",
        "Victoria Park is used for PE.",
        "Child A and Child B share a social worker.",
        "The school uses the Anna Freud Centre's framework.",
        "Staff said the new form is quicker.",
    ],
)
def test_professional_prose_has_no_names(text: str) -> None:
    assert "name" not in kinds(text), found(text)


# --- names typed in lower case (issue 18) ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("we spoke about kacey and the missed appointments.", "kacey"),
        ("oluwaseun has been absent for nine days.", "oluwaseun"),
        ("the dsl rang about callum's bruising.", "callum"),
        ("lily-grace told her teacher about the party.", "lily-grace"),
        ("amelia-rose's mum came in.", "amelia-rose"),
        ("freddie t was seen near the station.", "freddie t"),
        ("mrs patel rang the office.", "mrs patel"),
        ("mr and mrs okafor came to the meeting.", "mr and mrs okafor"),
        ("a.j. has not been in since the visit.", "a.j."),
    ],
)
def test_lower_case_listed_names_are_found(text: str, name: str) -> None:
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("hope said she is scared of her stepdad.", "hope"),
        ("staff saw holly crying in the toilets.", "holly"),
        ("we are worried about willow, who is 6.", "willow"),
        ("the little girl (daisy) said daddy hurt mummy.", "daisy"),
        ("jack and his brother walk home alone.", "jack"),
        ("ivy's stepmum has not been in touch.", "ivy"),
    ],
)
def test_lower_case_word_like_names_are_found_in_person_context(text: str, name: str) -> None:
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("nikolai said his dad keeps a knife under his pillow.", "nikolai"),
        ("kenzo's absences are getting worse.", "kenzo"),
    ],
)
def test_lower_case_unlisted_names_are_found_with_speech_or_family(text: str, name: str) -> None:
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    ("text", "nickname"),
    [
        ("he is known as 'tt' on the estate.", "tt"),
        ("his friends call him \u2018dj\u2019 at the youth club.", "dj"),
        ("the older lads calls her pickle, the dsl said.", "pickle"),
        ("Known as Gizmo to his mates, he was found with a blade.", "Gizmo"),
    ],
)
def test_nicknames_after_a_cue_are_found(text: str, nickname: str) -> None:
    assert ("name", nickname) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "we hope the plan will help.",
        "the dsl will review it and may call the social worker.",
        "she handled the meeting with grace.",
        "holly and ivy decorations went up in the hall.",
        "the report said the threshold was met.",
        "the school's summer fete raised money for the pta.",
        "a rose bush was planted by the gate.",
        "attendance rose sharply in march.",
        "she called him back later that day.",
        "staff call her by her surname in class.",
        "the mark scheme was changed this year.",
        "faith leaders were invited to the forum.",
        "the anna freud centre's framework is used in pshe.",
        "paul hamlyn foundation funding supports the scheme.",
        "st mary's primary asked for a session.",
        "victoria park is used for pe.",
        "we discussed the jack-knife incident and the knife crime talk.",
        "rose-tinted views were gently challenged.",
        "the dsl felt real joy when the family engaged.",
        "he was called names at the bus stop.",
    ],
)
def test_lower_case_professional_prose_has_no_names(text: str) -> None:
    assert "name" not in kinds(text), found(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("we talked about june, who is 7 and in reception.", "june"),
        ("amber, aged 9, has moved to her dad's.", "amber"),
        ("april's nan collects her most days.", "april"),
    ],
)
def test_lower_case_names_that_are_also_months_or_colours(text: str, name: str) -> None:
    """Word-like names listed only as ambiguous (not in first_names.txt) count in lower case."""
    assert ("name", name) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "in may, 3 years after the review, the case closed.",
        "by june, 12 referrals had been made.",
        "the amber rating stays until april.",
    ],
)
def test_lower_case_months_stay_months(text: str) -> None:
    assert "name" not in kinds(text), found(text)
