"""Records become due when sessions are held; overdue ones remind the supervisor once and show on
the staff dashboard. Schedules and defaults install idempotently."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from records.defaults import install_record_defaults
from records.models import RecordQuestion, SessionRecord
from records.tasks import request_records_for_held_sessions, send_overdue_record_reminders
from tests.helpers.records import make_booking, make_record, make_session, submitted_record
from tests.helpers.service import login
from workflows.enums import SessionStatus
from workflows.models import Case, EmailTemplate, Workflow
from workflows.services.scheduling import mark_past_sessions_held
from workflows.workdays import add_working_days

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends():
    friday = datetime.date(2026, 3, 6)
    assert add_working_days(friday, 1) == datetime.date(2026, 3, 9)
    assert add_working_days(friday, 5) == datetime.date(2026, 3, 13)
    assert add_working_days(datetime.date(2026, 3, 7), 1) == datetime.date(2026, 3, 9)


def test_due_date_uses_the_configured_working_days(records_site, settings):
    settings.RECORD_DUE_WORKING_DAYS = 2
    with time_machine.travel(datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC)):
        record = make_record(records_site)
    assert record.due_date == datetime.date(2026, 3, 9)  # Thursday + 2 working days = Monday


def test_marking_sessions_held_requests_one_record_each(records_site):
    booking = make_booking(records_site)
    held = [make_session(booking, days_ago=d, status=SessionStatus.CONFIRMED) for d in (9, 2)]
    future = make_session(booking, days_ago=-7, status=SessionStatus.CONFIRMED)
    assert mark_past_sessions_held(booking=booking) == 2
    records = SessionRecord.objects.order_by("session__start")
    assert [r.session for r in records] == held
    assert all(r.case.state.key == "requested" for r in records)
    assert not SessionRecord.objects.filter(session=future).exists()
    assert mark_past_sessions_held(booking=booking) == 0
    assert SessionRecord.objects.count() == 2


def test_hourly_sweep_catches_held_sessions_without_a_record(records_site):
    booking = make_booking(records_site)
    session = make_session(booking)  # held by hand, no signal
    assert request_records_for_held_sessions() == 1
    assert request_records_for_held_sessions() == 0
    assert SessionRecord.objects.get().session == session


def test_overdue_reminder_goes_once_to_the_supervisor(
    records_site, mailoutbox, django_capture_on_commit_callbacks
):
    record = make_record(records_site)
    done = submitted_record(records_site, number=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_record_reminders() == 0
    mailoutbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=10)):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_overdue_record_reminders() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert send_overdue_record_reminders() == 0
    [email] = mailoutbox
    assert email.to == [records_site.user_a.email]
    assert record.session.booking.reference in email.subject
    assert reverse("records_admin:edit", args=[record.pk]) in email.body
    assert done.reference not in email.body
    record.refresh_from_db()
    assert record.overdue_reminded_at is not None


def test_overdue_records_appear_on_the_staff_dashboard(client, records_site):
    late = make_record(records_site)
    on_time = submitted_record(records_site, number=2)
    SessionRecord.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    login(client, records_site.staff)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Overdue session records" in html
    assert late.reference in html
    assert on_time.reference not in html
    overdue = client.get(reverse("records_admin:list"), {"show": "overdue"}).content.decode()
    assert late.reference in overdue and on_time.reference not in overdue
    assert "Overdue" in overdue


def test_supervisor_dashboard_shows_only_their_own_overdue_records(client, records_site):
    own = make_record(records_site)
    other = make_record(records_site, supervisor=records_site.service.supervisor_b, number=2)
    SessionRecord.objects.update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    login(client, records_site.user_b)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert other.reference in html and own.reference not in html


def test_record_defaults_install_once(records_site):
    install_record_defaults()
    install_record_defaults()
    funcs = sorted(
        Schedule.objects.filter(func__startswith="records.").values_list("func", flat=True)
    )
    assert funcs == [
        "records.tasks.apply_record_retention",
        "records.tasks.request_records_for_held_sessions",
        "records.tasks.send_overdue_record_reminders",
    ]
    assert Workflow.objects.filter(slug="session-record").count() == 1
    assert EmailTemplate.objects.filter(key__startswith="record-").count() == 4
    assert RecordQuestion.objects.count() == 2


def test_installing_again_keeps_what_staff_changed(records_site):
    template = EmailTemplate.objects.get(key="record-shared")
    template.subject = "Your record {{ reference }}"
    template.save()
    RecordQuestion.objects.all().delete()
    install_record_defaults()
    assert EmailTemplate.objects.get(key="record-shared").subject == "Your record {{ reference }}"
    assert not RecordQuestion.objects.exists()


def test_record_workflow_is_valid_and_installed_on_first_use(records_site):
    Case.objects.all().delete()
    Workflow.objects.filter(slug="session-record").delete()
    record = make_record(records_site)
    workflow = Workflow.objects.get(slug="session-record")
    workflow.full_clean()
    assert record.case.workflow == workflow


def test_setup_records_command_reports_what_it_installed(records_site):
    out = io.StringIO()
    call_command("setup_records", stdout=out)
    assert "Session records ready: workflow 'Session record', 2 reflective question(s)." in (
        out.getvalue()
    )
