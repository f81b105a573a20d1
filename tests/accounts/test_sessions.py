"""Signed-in sessions end after 30 minutes idle and 12 hours in all, on the server."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from audit.models import AuditEvent
from tests.mfa import verified_login

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def at(minutes: float) -> datetime.datetime:
    return START + datetime.timedelta(minutes=minutes)


def test_idle_session_ends_after_thirty_minutes(client, staff_user):
    with time_machine.travel(at(0), tick=False) as clock:
        verified_login(client, staff_user)
        assert client.get("/admin/").status_code == 200
        clock.move_to(at(29))
        assert client.get("/admin/").status_code == 200
        clock.move_to(at(29 + 30.5))

        response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=%2Fadmin%2Fpages%2F"
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="accounts.session.expired")
    assert (event.actor_label, event.data) == ("coordinator", {"reason": "idle"})


def test_active_session_still_ends_twelve_hours_after_sign_in(client, staff_user):
    with time_machine.travel(at(0), tick=False) as clock:
        verified_login(client, staff_user)
        for minute in range(0, 12 * 60, 20):
            clock.move_to(at(minute))
            assert client.get("/admin/").status_code == 200, minute
        clock.move_to(at(12 * 60 + 1))

        response = client.get("/admin/")

    assert response["Location"] == "/admin/login/?next=%2Fadmin%2F"
    assert AuditEvent.objects.get(action="accounts.session.expired").data == {"reason": "absolute"}


def test_expired_session_outside_the_admin_just_becomes_anonymous(client, staff_user, site_tree):
    with time_machine.travel(at(0), tick=False) as clock:
        verified_login(client, staff_user)
        assert b"wagtail-userbar" in client.get("/").content
        clock.move_to(at(45))
        response = client.get("/")
    assert response.status_code == 200
    assert b"wagtail-userbar" not in response.content


def test_session_cookie_is_httponly_and_samesite(client, staff_user):
    from tests.mfa import sign_in

    response = sign_in(client, "coordinator")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"] or 12 * 3600) <= 12 * 3600
