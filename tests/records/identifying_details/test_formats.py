"""Fixed formats: UPN check letters, NHS Modulus 11, postcodes, phone numbers, e-mail."""

from __future__ import annotations

import pytest

from records.identifying_details import nhs_number_is_valid, scan, upn_check_letter
from tests.helpers.identifying_details import TODAY, found, kinds

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


@pytest.mark.parametrize(
    "number",
    [
        "+447700900333",
        "0044 7700 900 222",
        "0044 20 7946 0999",
        "+44 (0)113 496 0000",
        "00447700900444",
        "0044-161-496-0222",
        "0044 (0) 7700 900555",
    ],
)
def test_international_phones_are_found(number: str) -> None:
    """Issue 18: numbers written with 0044 or +44, with or without the trunk zero."""
    assert ("phone", number) in found(f"Dad gave {number} as his number.")


@pytest.mark.parametrize(
    "text",
    [
        "From abroad the council is on +44 300 123 4567.",
        "The helpline from overseas is 0044 808 800 5000.",
        "Order 00441234 was placed for books.",
        "The 2044 target was discussed.",
    ],
)
def test_international_service_numbers_and_short_runs_are_not_phones(text: str) -> None:
    assert "phone" not in kinds(text), found(text)
