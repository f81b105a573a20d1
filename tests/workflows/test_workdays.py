"""Working days skip weekends and England and Wales bank holidays (workflows/workdays.py)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.helpers.service import booking_post
from workflows.models import Case
from workflows.tasks import send_overdue_case_reminders
from workflows.workdays import add_working_days, is_working_day, working_days_between


def test_easter_bank_holidays_are_not_working_days():
    # Session on Thursday 2 April 2026: Good Friday (3rd) and Easter Monday (6th) are skipped.
    assert add_working_days(datetime.date(2026, 4, 2), 5) == datetime.date(2026, 4, 13)
    assert not is_working_day(datetime.date(2026, 4, 3))
    assert not is_working_day(datetime.date(2026, 4, 6))
    assert is_working_day(datetime.date(2026, 4, 7))


def test_christmas_and_substitute_boxing_day_are_skipped():
    # 2026: Christmas is a Friday, Boxing Day a Saturday, so Monday 28th is the substitute day.
    assert not is_working_day(datetime.date(2026, 12, 28))
    assert working_days_between(datetime.date(2026, 12, 23), datetime.date(2027, 1, 4)) == 5
    assert add_working_days(datetime.date(2026, 12, 23), 5) == datetime.date(2027, 1, 4)


def test_weekends_still_skipped():
    friday = datetime.date(2026, 3, 6)
    assert add_working_days(friday, 1) == datetime.date(2026, 3, 9)
    assert working_days_between(friday, friday) == 0
    assert working_days_between(friday, datetime.date(2026, 3, 9)) == 1


@pytest.mark.django_db
def test_sla_reminder_waits_for_the_office_to_reopen_after_christmas(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    """A request made on 23 December with a 5-working-day target is late only on 5 January."""
    sent = datetime.datetime(2026, 12, 23, 10, tzinfo=datetime.UTC)
    with time_machine.travel(sent, tick=False):
        client.post(service.form_page.url, booking_post(service))
    case = Case.objects.get()
    assert case.state.sla_days == 5
    mailoutbox.clear()
    # Weekdays alone would make it late on 31 December.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 10, tzinfo=datetime.UTC)):
        assert timezone.localdate() == datetime.date(2026, 12, 31)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_overdue_case_reminders() == 0
    reopened = datetime.datetime(2027, 1, 5, 10, tzinfo=datetime.UTC)
    with time_machine.travel(reopened), django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_case_reminders() == 1
    assert [m.to for m in mailoutbox] == [["supervision-team@example.org"]]
