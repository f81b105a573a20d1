"""Supervisees' magic links: scoped to their address, expiring, never revealing who is known."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.helpers.service import booking_post, login, next_weekday, session_post
from workflows.enums import SessionStatus
from workflows.models import AccessToken, Agreement, Booking, Case, CaseEvent, Session
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db


def _accepted(client, service, email="jo.bloggs@hillside.example.org") -> Booking:
    client.post(service.form_page.url, booking_post(service, work_email=email))
    booking = Booking.objects.get(supervisee_email=email)
    case = Case.objects.get(reference=booking.reference)
    login(client, service.staff)
    offset = 7 if email.startswith("jo") else 9
    client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        session_post([next_weekday(offset), next_weekday(offset + 28)]),
    )
    client.logout()
    return booking


def test_tampered_or_unknown_token_shows_a_clear_page_and_no_data(client, service):
    _accepted(client, service)
    token = issue_token(email="jo.bloggs@hillside.example.org")
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 43, "a" * 150):
        response = client.get(reverse("workflows:portal", args=[bad]))
        assert response.status_code == 404
        body = response.content.decode()
        assert "This link has expired or is not valid" in body
        assert "Hillside" not in body


def test_expired_link_is_refused(client, service, settings):
    _accepted(client, service)
    token = issue_token(email="jo.bloggs@hillside.example.org")
    assert client.get(reverse("workflows:portal", args=[token])).status_code == 200
    with time_machine.travel(
        timezone.now() + datetime.timedelta(days=settings.MAGIC_LINK_DAYS, minutes=1)
    ):
        response = client.get(reverse("workflows:portal", args=[token]))
    assert response.status_code == 404
    assert "expired" in response.content.decode()


def test_revoked_link_is_refused(client, service):
    from workflows.services.tokens import revoke_tokens

    _accepted(client, service)
    token = issue_token(email="jo.bloggs@hillside.example.org")
    assert revoke_tokens(email="jo.bloggs@hillside.example.org") >= 1
    assert client.get(reverse("workflows:portal", args=[token])).status_code == 404


def test_tokens_are_stored_only_as_hashes(client, service):
    _accepted(client, service)
    token = issue_token(email="jo.bloggs@hillside.example.org")
    assert not AccessToken.objects.filter(token_hash=token).exists()
    assert len(token) >= 43


def test_one_supervisee_cannot_reach_anothers_agreement_or_session(client, service):
    mine = _accepted(client, service)
    theirs = _accepted(client, service, email="someone.else@other.example.org")
    token = issue_token(email=mine.supervisee_email)
    other_agreement = Agreement.objects.get(booking=theirs)
    other_session = theirs.sessions.first()
    assert (
        client.get(reverse("workflows:agreement", args=[token, other_agreement.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("workflows:agreement", args=[token, other_agreement.pk]),
            {"typed_name": "Someone Else", "confirm": "on"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("workflows:session_change", args=[token, other_session.pk]),
            {"action": "cancel", "reason": "x"},
        ).status_code
        == 404
    )
    page = client.get(reverse("workflows:portal", args=[token])).content.decode()
    assert theirs.reference not in page and mine.reference in page
    other_agreement.refresh_from_db()
    assert other_agreement.supervisee_signed_at is None


def test_signing_needs_the_name_on_the_booking_and_the_confirmation(client, service):
    booking = _accepted(client, service)
    token = issue_token(email=booking.supervisee_email)
    agreement = Agreement.objects.get(booking=booking)
    url = reverse("workflows:agreement", args=[token, agreement.pk])
    wrong = client.post(url, {"action": "sign", "typed_name": "Somebody", "confirm": "on"})
    assert wrong.status_code == 400 and "Type your name as it appears" in wrong.content.decode()
    unticked = client.post(url, {"action": "sign", "typed_name": "Jo Bloggs"})
    assert "Tick the box" in unticked.content.decode()
    agreement.refresh_from_db()
    assert agreement.supervisee_signed_at is None
    assert (
        client.post(
            url, {"action": "sign", "typed_name": " jo  bloggs ", "confirm": "on"}
        ).status_code
        == 302
    )
    again = client.post(url, {"action": "sign", "typed_name": "Jo Bloggs", "confirm": "on"})
    assert again.status_code == 400 and "already signed" in again.content.decode()


def test_asking_for_a_link_never_reveals_whether_an_address_is_known(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    _accepted(client, service)
    mailoutbox.clear()
    url = reverse("workflows:request_link")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "JO.BLOGGS@hillside.example.org"})
        unknown = client.post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m.to for m in mailoutbox] == [["jo.bloggs@hillside.example.org"]]
    token = re.search(r"/b/([A-Za-z0-9_\-]+)/", mailoutbox[0].body).group(1)
    assert client.get(reverse("workflows:portal", args=[token])).status_code == 200


def test_supervisee_cancels_a_session_with_a_reason_recorded_as_a_transition(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    booking = _accepted(client, service)
    token = issue_token(email=booking.supervisee_email)
    session = booking.sessions.order_by("start").first()
    url = reverse("workflows:session_change", args=[token, session.pk])
    empty = client.post(url, {"action": "cancel", "reason": ""})
    assert empty.status_code == 400
    session.refresh_from_db()
    assert session.status == SessionStatus.PROVISIONAL
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "cancel", "reason": "Ofsted inspection that day"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.cancellation_reason == "Ofsted inspection that day"
    event = CaseEvent.objects.filter(transition_key="supervisee_cancels_session").get()
    assert event.comment == "Ofsted inspection that day" and event.actor_role == "supervisee"
    # For service insights: who cancelled (a role, never a name) and when (the same step).
    assert session.cancelled_by == "supervisee"
    assert abs((session.cancelled_at - event.timestamp).total_seconds()) < 5
    assert sorted(m.to[0] for m in mailoutbox) == [
        "amira@example.org",
        "supervision-team@example.org",
    ]
    # A cancelled session can no longer be changed.
    assert client.get(url).status_code == 404


def test_supervisee_asks_to_rearrange_a_session(client, service):
    booking = _accepted(client, service)
    token = issue_token(email=booking.supervisee_email)
    session = booking.sessions.order_by("start").first()
    url = reverse("workflows:session_change", args=[token, session.pk])
    assert (
        client.post(
            url, {"action": "reschedule", "reason": "Clash with a CP conference"}
        ).status_code
        == 302
    )
    session.refresh_from_db()
    assert session.reschedule_requested_at is not None
    assert session.status == SessionStatus.PROVISIONAL
    assert Session.objects.filter(status=SessionStatus.CANCELLED).count() == 0
