"""Dates of birth: found with a cue or when years old; meeting dates are left alone."""

from __future__ import annotations

import datetime as dt

import pytest

from records.identifying_details import scan
from tests.helpers.identifying_details import found, kinds

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


# --- dates written year first (issue 18) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("dob: 2012/03/04, year 9.", "2012/03/04"),
        ("She was born 2015/10/30 in Leeds.", "2015/10/30"),
        ("The younger brother (2018/02/14) is at nursery.", "2018/02/14"),
        ("Date of birth 2011.07.19 on the plan.", "2011.07.19"),
        ("his birthday is 2026/05/03.", "2026/05/03"),
    ],
)
def test_year_first_dates_of_birth_are_found(text: str, date: str) -> None:
    assert ("date_of_birth", date) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "We meet next on 2026/02/10.",
        "The 2024/25 figures show a rise in referrals.",
        "The policy was reviewed 2020/09/01 and is out of date.",
        "The DSL has been in post since 2018/01/08.",
        "The meeting on 2025/10/01 went well.",
        "Plans for 2026/27 were agreed.",
        "Scores 2019/13/45 are not a date at all.",
    ],
)
def test_year_first_event_dates_are_not_dates_of_birth(text: str) -> None:
    assert "date_of_birth" not in kinds(text), found(text)
