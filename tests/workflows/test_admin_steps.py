"""The admin's workflow steps as a supervisor uses them: accept, move/cancel one session, sign.

Each test posts what the browser posts (all rows of the sessions formset, with the length
select's value in every row), so a regression in how empty rows count would show here.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import supervisee_link
from tests.factories.workflows import SessionFactory
from tests.helpers.service import booking_post, login, next_weekday
from workflows.enums import SessionStatus
from workflows.models import Booking, Case, Session

pytestmark = pytest.mark.django_db


def _browser_rows(rows: list[dict[str, str]], total: int = 3) -> dict[str, str]:
    """The formset as a browser sends it: every row, untouched ones with their defaults."""
    data = {
        "sessions-TOTAL_FORMS": str(total),
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for i in range(total):
        row = rows[i] if i < len(rows) else {}
        data[f"sessions-{i}-date"] = row.get("date", "")
        data[f"sessions-{i}-start_time"] = row.get("start_time", "")
        data[f"sessions-{i}-duration_minutes"] = row.get("duration_minutes", "90")
        data[f"sessions-{i}-location"] = row.get("location", "The school's quiet room")
    return data


@pytest.fixture
def requested(client, service):
    client.post(
        service.form_page.url,
        booking_post(service, duration_minutes="90", preferred_location="The school's quiet room"),
    )
    booking = Booking.objects.get()
    login(client, service.user_a)
    return booking, Case.objects.get(reference=booking.reference)


def test_accept_form_starts_with_requested_length_and_location(client, requested):
    _booking, case = requested
    page = client.get(reverse("workflows_admin:case_transition", args=[case.pk, "accept"]))
    html = page.content.decode()
    assert html.count('<option value="90" selected>') == 3
    assert html.count('value="The school&#x27;s quiet room"') == 3


def test_accept_with_one_session_ignores_untouched_rows(client, requested):
    booking, case = requested
    start = next_weekday(7)
    response = client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        _browser_rows([{"date": start.date().isoformat(), "start_time": "14:00"}]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    [session] = Session.objects.filter(booking=booking)
    assert (session.start, session.duration_minutes, session.location) == (
        start,
        90,
        "The school's quiet room",
    )


def test_accept_with_no_session_shows_one_error_summary(client, requested):
    _booking, case = requested
    response = client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]), _browser_rows([])
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("There is a problem") == 1
    assert 'href="#id_sessions-0-date"' in html
    assert html.count("This field is required") == 4  # date and start of row 1: summary + field
    assert Session.objects.count() == 0


def _accepted(client, booking, case) -> Session:
    client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        _browser_rows(
            [{"date": next_weekday(7).date().isoformat(), "start_time": "14:00"}], total=1
        ),
    )
    return Session.objects.get(booking=booking)


def test_supervisor_moves_a_session_after_rearrangement_asked(
    client, service, requested, mailoutbox, django_capture_on_commit_callbacks
):
    booking, case = requested
    session = _accepted(client, booking, case)
    Session.objects.filter(pk=session.pk).update(reschedule_requested_at=timezone.now())
    detail = client.get(reverse("workflows_admin:case", args=[case.pk])).content.decode()
    move_url = reverse("workflows_admin:case_transition", args=[case.pk, "move_session"])
    assert f'href="{move_url}?session={session.pk}"' in detail
    assert "(rearrangement asked)" in detail

    form = client.get(move_url, {"session": session.pk}).content.decode()
    assert f'value="{timezone.localtime(session.start).date().isoformat()}"' in form
    new_day = next_weekday(9).date()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            move_url,
            {
                "session": session.pk,
                "sessions-TOTAL_FORMS": "1",
                "sessions-INITIAL_FORMS": "0",
                "sessions-0-date": new_day.isoformat(),
                "sessions-0-start_time": "10:30",
                "sessions-0-duration_minutes": "90",
                "sessions-0-location": "The library",
                "comment": "Moved as asked.",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert timezone.localtime(session.start).date() == new_day
    assert (timezone.localtime(session.start).time(), session.location) == (
        datetime.time(10, 30),
        "The library",
    )
    assert session.reschedule_requested_at is None
    assert sorted(m.to[0] for m in mailoutbox) == ["amira@example.org", booking.supervisee_email]
    assert all("has moved" in m.subject for m in mailoutbox)
    assert all("at The library" in m.body for m in mailoutbox)


def test_supervisor_cancels_one_session_and_both_are_told(
    client, requested, mailoutbox, django_capture_on_commit_callbacks
):
    booking, case = requested
    session = _accepted(client, booking, case)
    url = reverse("workflows_admin:case_transition", args=[case.pk, "cancel_one_session"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"session": session.pk, "reason": "Supervisor unwell"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancellation_reason) == (
        SessionStatus.CANCELLED,
        "Supervisor unwell",
    )
    assert sorted(m.to[0] for m in mailoutbox) == ["amira@example.org", booking.supervisee_email]


def test_move_refuses_another_bookings_session(client, service, requested):
    booking, case = requested
    _accepted(client, booking, case)
    other = SessionFactory(
        booking=booking,
        start=next_weekday(20),
        end=next_weekday(20) + datetime.timedelta(hours=1),
        price=60,
        status=SessionStatus.HELD,
    )
    url = reverse("workflows_admin:case_transition", args=[case.pk, "move_session"])
    assert client.get(url, {"session": other.pk}).status_code == 404
    assert client.get(url, {"session": "999999"}).status_code == 404


def test_supervisor_reads_agreement_on_the_booking_case_the_email_links_to(
    client, service, requested, mailoutbox, django_capture_on_commit_callbacks
):
    from workflows.models import Agreement
    from workflows.services.agreements import sign_as_supervisee

    booking, case = requested
    _accepted(client, booking, case)
    agreement = Agreement.objects.get(booking=booking)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_as_supervisee(
            agreement=agreement,
            typed_name="Jo Bloggs",
            link=supervisee_link(booking.supervisee_email),
        )
    [email] = mailoutbox
    link = reverse("workflows_admin:case", args=[case.pk])
    assert re.search(re.escape(link) + r"\s", email.body), email.body

    html = client.get(link).content.decode()
    assert "Read the agreement" in html
    assert "Session length and price: £80 per 90 minutes" in html
    assert 'href="/supervision-policy/"' in html or "Read the Supervision policy" in html
    agreement_case = Case.objects.get(reference=f"{booking.reference}-A")
    sign_url = reverse(
        "workflows_admin:case_transition", args=[agreement_case.pk, "supervisor_signs"]
    )
    assert f'href="{sign_url}"' in html
    sign_page = client.get(sign_url).content.decode()
    assert "The agreement you are signing" in sign_page
    assert agreement.terms.splitlines()[0] in sign_page


def test_agreement_text_has_no_repeated_heading_or_policy_summary(client, service, requested):
    from workflows.models import Agreement

    booking, case = requested
    _accepted(client, booking, case)
    terms = Agreement.objects.get(booking=booking).terms
    assert not terms.startswith("Supervision agreement")
    assert "How supervision works." not in terms  # the policy's summary, out of context
