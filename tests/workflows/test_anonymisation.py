"""Tests for the anonymisation checker (pure Python: no database, no Django needed)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from workflows.anonymisation import (
    KINDS,
    Finding,
    nhs_number_is_valid,
    scan,
    upn_check_letter,
)
from workflows.anonymisation_eval import DEFAULT_SET, evaluate, load_labelled

TODAY = dt.date(2025, 12, 1)


def found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text, today=TODAY)]


def kinds(text: str) -> set[str]:
    return {f.kind for f in scan(text, today=TODAY)}


def assert_well_formed(text: str, findings: list[Finding]) -> None:
    previous_end = -1
    for f in findings:
        assert f.kind in KINDS
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end, "findings must be sorted and must not overlap"
        assert f.message
        previous_end = f.end


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


# --- dates of birth ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Her DOB 03/04/2015 is on the form.", "03/04/2015"),
        ("He was born 3 April 2015 in Leeds.", "3 April 2015"),
        ("d.o.b. 2015-04-03, Year 4.", "2015-04-03"),
        ("Date of birth: 14.09.2012 (Year 8).", "14.09.2012"),
        ("His birthday is 22nd June.", "22nd June"),
        ("Born in March 2014, he is young for his year.", "March 2014"),
        ("The form gives DOB: 1/9/13 only.", "1/9/13"),
        ("Dylan, 07/11/2009, is a care leaver.", "07/11/2009"),  # old full date, no cue
    ],
)
def test_dates_of_birth_are_found(text: str, date: str) -> None:
    assert ("date_of_birth", date) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "On 12 March we met to reflect on workload.",
        "Next supervision is booked for 14/05/2025 at 10:30.",
        "The policy was last reviewed on 01.09.2024.",
        "The strategy meeting on 3 February agreed a Section 47.",
        "Scores improved from 10/12 to 11/12.",
        "The 2023/24 data shows a 3.2% improvement.",
        "The DSL asked how to record a child's date of birth on the form.",
    ],
)
def test_meeting_dates_are_not_dates_of_birth(text: str) -> None:
    assert "date_of_birth" not in kinds(text), found(text)


def test_old_full_date_depends_on_today() -> None:
    text = "The chronology starts on 05/06/2019."
    assert "date_of_birth" in {f.kind for f in scan(text, today=dt.date(2025, 1, 1))}
    assert "date_of_birth" not in {f.kind for f in scan(text, today=dt.date(2020, 1, 1))}


# --- UPN ---------------------------------------------------------------------------------


def test_upn_check_letter() -> None:
    assert upn_check_letter("352031317215") == "D"
    assert upn_check_letter("88120231203F") == "R"  # temporary UPN ends with a letter
    assert upn_check_letter("12345") is None


def test_upn_found() -> None:
    assert ("upn", "D352031317215") in found("UPN D352031317215 added to the CME log.")
    assert ("upn", "v209459517117") in found("Pupil number v209459517117 on the form.")
    assert ("upn", "R88120231203F") in found("Temporary UPN R88120231203F was issued.")
    messages = {f.message for f in scan("UPN D352031317215", today=TODAY)}
    assert messages == {"Looks like a unique pupil number (UPN)"}


def test_upn_negatives() -> None:
    assert "upn" not in kinds("Room A12345 and form B1234567890123 (13 digits).")
    # letter + 11 digits + letter with a wrong check letter is not a UPN
    assert "upn" not in kinds("Code A88120231203F is something else.")
    # A permanent-format number with a wrong check letter is still shown, as a reference
    wrong = scan("Reference A352031317215 on the file.", today=TODAY)
    assert [f.kind for f in wrong] == ["upn"]
    assert "reference" in wrong[0].message


# --- NHS number --------------------------------------------------------------------------


def test_nhs_modulus_11() -> None:
    assert nhs_number_is_valid("9434765919")
    assert nhs_number_is_valid("1860913903")
    assert not nhs_number_is_valid("1860913906")
    assert not nhs_number_is_valid("123456789")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("NHS number 943 476 5919 on the plan.", "943 476 5919"),
        ("NHS: 628-194-8211 for the sibling.", "628-194-8211"),
        ("Her NHS no. is 9960308243.", "9960308243"),
    ],
)
def test_nhs_found(text: str, number: str) -> None:
    assert ("nhs_number", number) in found(text)


def test_nhs_wrong_check_digit_not_flagged_as_nhs() -> None:
    assert "nhs_number" not in kinds("NHS number 943 476 5918 on the plan.")
    assert "nhs_number" not in kinds("Ref 186 091 3906 closed.")


# --- postcodes ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["SW1A 1AA", "M1 1AE", "B33 8TH", "CF10 1EP", "ec1a1bb"])
def test_postcodes_found(code: str) -> None:
    assert ("postcode", code) in found(f"The family moved to {code} last week.")


@pytest.mark.parametrize(
    "text",
    [
        "Year 6 and Y11 pupils met in Room 4.",
        "KS2 SATs start on Monday.",
        "She arrived at 2am and left at 10:30.",
        "Mixed-case Sw1a 1aa is treated as text.",
        "QQ1 1AA is not a postcode area.",
    ],
)
def test_postcode_negatives(text: str) -> None:
    assert "postcode" not in kinds(text)


# --- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "+44 7700 900123",
        "0161 496 0000",
        "020 7946 0000",
        "07700900456",
        "(0113) 496 0123",
        "+44 (0)20 7946 0958",
        "0117-496-0321",
    ],
)
def test_phones_found(number: str) -> None:
    assert ("phone", number) in found(f"Mum can be reached on {number} after 5pm.")


@pytest.mark.parametrize(
    "text",
    [
        "The NSPCC helpline is 0808 800 5000.",
        "The council front door is on 0300 123 4567.",
        "There were 3 referrals, 45 minutes, £60 and 10:30.",
        "The policy was reviewed on 01.09.2024.",
    ],
)
def test_phone_negatives(text: str) -> None:
    assert "phone" not in kinds(text)


# --- email -------------------------------------------------------------------------------


def test_email_found() -> None:
    assert ("email", "kayleigh.brown2012@gmail.com") in found(
        "She emailed from kayleigh.brown2012@gmail.com asking for help."
    )
    assert ("email", "19smithj@oakfield.sch.uk") in found("Login 19smithj@oakfield.sch.uk.")


def test_email_negatives() -> None:
    assert "email" not in kinds("Send forms to frontdoor@council.gov.uk or mash@nhs.net.")
    assert "email" not in kinds("We met @ 10:30 in the hall.")


# --- addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("They live at 14 Acacia Avenue now.", "14 Acacia Avenue"),
        ("New address: Flat 3, 22 Mill Lane, Leigh.", "Flat 3, 22 Mill Lane"),
        ("Evicted from 12a Victoria Street.", "12a Victoria Street"),
        ("Her address is 9 The Crescent.", "9 The Crescent"),
        ("Housed at Apartment 12, Riverside Court.", "Apartment 12, Riverside Court"),
        ("Seen hanging around on Gladstone Street.", "Gladstone Street"),
    ],
)
def test_addresses_found(text: str, address: str) -> None:
    assert ("address", address) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "She had 3 Court hearings this year.",
        "The 2023 Green Paper changed things.",
        "Parents queue at the Mill Lane gate.",
        "Victoria Park is used for PE.",
        "Section 47 enquiries rose by 12 this term.",
    ],
)
def test_address_negatives(text: str) -> None:
    assert "address" not in kinds(text)


# --- structure of the result -------------------------------------------------------------


def test_offsets_sorted_and_non_overlapping() -> None:
    text = (
        "Amelia Khan (DOB 03/04/2015, UPN B895777414215) lives at 14 Acacia Avenue, M1 1AE. "
        "Contact mum, Leanne Roberts, on 07700 900321 or leanne.roberts@outlook.com; "
        "NHS 937 865 7974."
    )
    findings = scan(text, today=TODAY)
    assert_well_formed(text, findings)
    assert [f.kind for f in findings] == [
        "name",
        "date_of_birth",
        "upn",
        "address",
        "postcode",
        "name",
        "phone",
        "email",
        "nhs_number",
    ]


def test_overlapping_detectors_resolve_to_one_finding() -> None:
    # The e-mail contains a name; the address contains a first name (Victoria).
    text = "Email amelia.khan@gmail.com or write to 12a Victoria Street."
    assert found(text) == [("email", "amelia.khan@gmail.com"), ("address", "12a Victoria Street")]


def test_empty_and_clean_text() -> None:
    assert scan("") == []
    assert scan("The DSL reflected on workload and the threshold document.") == []


def test_finding_is_frozen() -> None:
    finding = scan("Jayden", today=TODAY)[0]
    with pytest.raises(AttributeError):
        finding.start = 3  # type: ignore[misc]


def test_every_labelled_sentence_is_well_formed() -> None:
    for row in load_labelled(DEFAULT_SET):
        assert_well_formed(row["text"], scan(row["text"], today=TODAY))


# --- the labelled set --------------------------------------------------------------------


def test_labelled_set_shape() -> None:
    lines = DEFAULT_SET.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    assert len(rows) >= 240
    with_ids = [r for r in rows if r["identifiers"]]
    clean = [r for r in rows if not r["identifiers"]]
    assert 0.4 <= len(with_ids) / len(rows) <= 0.6
    assert len(clean) >= 100
    assert {i["kind"] for r in with_ids for i in r["identifiers"]} == set(KINDS)
    assert len({r["text"] for r in rows}) == len(rows), "duplicate sentences"


def test_labelled_set_recall_and_false_alarms() -> None:
    result = evaluate(DEFAULT_SET)
    assert result["recall"] >= 0.95, result["missed"]
    assert result["false_alarm_rate"] <= 0.10, result["false_alarms"]
