"""Invites in emails: REQUEST on acceptance, CANCEL on cancellation, same UID and SEQUENCE."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from calendar_feed.enums import FeedKind
from tests.helpers.calendar_feed import both_readers, instant
from tests.helpers.service import booking_post, login, next_weekday, session_post
from workflows.models import Booking, Case, Session

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://[^\s]+/b/([A-Za-z0-9_\-]+)/")


def _invites(message) -> dict[str, tuple[str, str]]:
    """filename -> (content type with method, text) for each calendar attachment."""
    found = {}
    for part in message.attachments:
        if hasattr(part, "get_content_type") and part.get_content_type() == "text/calendar":
            text = part.get_payload(decode=True).decode()
            found[part.get_filename()] = (part.get_param("method"), text)
    return found


def test_accept_then_cancel_sends_matching_invites(
    client, service, mailoutbox, django_capture_on_commit_callbacks, feed_for
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    case = Case.objects.get(reference=booking.reference)
    assert all(_invites(m) == {} for m in mailoutbox)  # nothing scheduled yet

    # The supervisor accepts with two sessions: the supervisee's email carries a REQUEST.
    mailoutbox.clear()
    login(client, service.user_a)
    first, second = next_weekday(7), next_weekday(35)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
            session_post([first, second]),
        )
    [accepted] = mailoutbox
    invites = _invites(accepted)
    assert list(invites) == ["invite.ics"]
    method, text = invites["invite.ics"]
    assert method == "REQUEST"
    read = both_readers(text)
    assert read["js"]["method"] == "REQUEST"
    sessions = list(Session.objects.order_by("start"))
    assert {u: (e["start"], e["end"], e["status"]) for u, e in read["events"].items()} == {
        f"supervision-session-{s.pk}@127.0.0.1": (instant(s.start), instant(s.end), "TENTATIVE")
        for s in sessions
    }
    event = next(iter(read["events"].values()))["event"]
    assert str(event["ORGANIZER"]) == "mailto:amira@example.org"
    assert event["ORGANIZER"].params["CN"] == "Amira Hussain"
    assert str(event["ATTENDEE"]) == "mailto:jo.bloggs@hillside.example.org"
    assert event["ATTENDEE"].params["CN"] == "Jo Bloggs"
    assert str(event["SUMMARY"]) == "Supervision with Amira Hussain"
    assert "Tuesday afternoons" not in text  # the booking's free text never travels

    # Same UID and SEQUENCE as the supervisee's feed.
    client.logout()
    feed = both_readers(
        client.get(feed_for(FeedKind.SUPERVISEE, email=booking.supervisee_email)).content
    )
    assert {u: e["sequence"] for u, e in feed["events"].items()} == {
        u: e["sequence"] for u, e in read["events"].items()
    }

    # The supervisee cancels the first session from their link: the supervisor gets a CANCEL
    # for it (SEQUENCE risen) and a REQUEST for the one left; the team inbox gets no invite.
    token = LINK.search(accepted.body).group(1)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workflows:session_change", args=[token, sessions[0].pk]),
            {"action": "cancel", "reason": "Inspection that day"},
        )
    assert response.status_code == 302
    to_supervisor = next(m for m in mailoutbox if m.to == ["amira@example.org"])
    to_team = next(m for m in mailoutbox if m.to == ["supervision-team@example.org"])
    assert _invites(to_team) == {}
    invites = _invites(to_supervisor)
    assert sorted(invites) == ["cancellation.ics", "invite.ics"]
    method, text = invites["cancellation.ics"]
    assert method == "CANCEL"
    cancelled = both_readers(text)
    assert cancelled["js"]["method"] == "CANCEL"
    uid = f"supervision-session-{sessions[0].pk}@127.0.0.1"
    assert list(cancelled["events"]) == [uid]
    assert cancelled["events"][uid]["status"] == "CANCELLED"
    assert cancelled["events"][uid]["sequence"] == read["events"][uid]["sequence"] + 1
    assert str(cancelled["events"][uid]["event"]["SUMMARY"]) == (
        "Supervision: Hillside Primary School"
    )
    assert "Inspection that day" not in text
    kept = both_readers(invites["invite.ics"][1])
    assert list(kept["events"]) == [f"supervision-session-{sessions[1].pk}@127.0.0.1"]


def test_moving_then_cancelling_a_session_updates_the_same_event(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    case = Case.objects.get(reference=booking.reference)
    login(client, service.user_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
            session_post([next_weekday(7)]),
        )
    session = Session.objects.get()
    uid = f"supervision-session-{session.pk}@127.0.0.1"
    first = both_readers(_invites(mailoutbox[-1])["invite.ics"][1])["events"][uid]

    # Moved: both people get a REQUEST for the same UID, a higher SEQUENCE and the new time.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workflows_admin:case_transition", args=[case.pk, "move_session"]),
            {
                "session": session.pk,
                "sessions-TOTAL_FORMS": "1",
                "sessions-INITIAL_FORMS": "0",
                "sessions-0-date": next_weekday(9).date().isoformat(),
                "sessions-0-start_time": "10:30",
                "sessions-0-duration_minutes": "60",
                "sessions-0-location": "The library",
            },
        )
    assert response.status_code == 302
    session.refresh_from_db()
    assert sorted(m.to[0] for m in mailoutbox) == ["amira@example.org", booking.supervisee_email]
    for message in mailoutbox:
        method, text = _invites(message)["invite.ics"]
        moved = both_readers(text)["events"][uid]
        assert method == "REQUEST"
        assert (moved["start"], moved["end"]) == (instant(session.start), instant(session.end))
        assert moved["sequence"] > first["sequence"]
        assert str(moved["event"]["LOCATION"]) == "The library"

    # Cancelled by the supervisor: both get a CANCEL for that UID, SEQUENCE higher again.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workflows_admin:case_transition", args=[case.pk, "cancel_one_session"]),
            {"session": session.pk, "reason": "Supervisor unwell"},
        )
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        invites = _invites(message)
        assert list(invites) == ["cancellation.ics"]
        method, text = invites["cancellation.ics"]
        gone = both_readers(text)["events"][uid]
        assert (method, gone["status"]) == ("CANCEL", "CANCELLED")
        assert gone["sequence"] > moved["sequence"]
        assert "unwell" not in text
