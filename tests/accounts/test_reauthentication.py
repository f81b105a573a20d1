"""Changing how an account signs in asks again for the password and a code, and tells the owner."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from accounts.models import EncryptedTOTPDevice
from audit.models import AuditEvent
from tests.mfa import (
    PASSWORD,
    current_code,
    emails_sent_on_commit,
    enrol_totp,
    regenerate,
    verified_login,
)

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>")
SECRET_RE = re.compile(r'<code id="totp-secret">([A-Z2-7 ]+)</code>')
REFUSED = "Your password or code was not right"


@pytest.fixture
def signed_in(client, staff_user):
    device = enrol_totp(staff_user)
    verified_login(client, staff_user)
    return client, staff_user, device


def later(minutes: int = 1):
    """A later 30-second step, so a code used once is not refused as replayed."""
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes))


def test_new_recovery_codes_need_the_password_and_a_code(signed_in):
    client, user, device = signed_in
    without = client.post("/admin/mfa/recovery-codes/")
    wrong_password = regenerate(client, current_code(device), password="not-my-password-1")
    assert CODE_RE.findall(without.content.decode()) == []
    assert REFUSED in wrong_password.content.decode()
    assert StaticToken.objects.count() == 0

    with later(), emails_sent_on_commit():
        made = regenerate(client, current_code(device))
    assert len(CODE_RE.findall(made.content.decode())) == 10
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([user.email], "Safeguarding Supervision Service: New recovery codes")
    ]


def test_moving_to_a_new_app_asks_again_shows_the_secret_once_and_tells_the_owner(signed_in):
    client, user, old_device = signed_in
    first = client.get("/admin/mfa/enrol/")
    assert "totp-secret" not in first.content.decode()
    assert 'name="password"' in first.content.decode()
    refused = client.post("/admin/mfa/enrol/", {"password": PASSWORD, "code": "000000"})
    assert REFUSED in refused.content.decode() and "totp-secret" not in refused.content.decode()

    with later():  # the sign-in used this step's code; a replay would be refused
        shown = client.post(
            "/admin/mfa/enrol/", {"password": PASSWORD, "code": current_code(old_device)}
        )
    assert len(SECRET_RE.findall(shown.content.decode())) == 1
    new_device = EncryptedTOTPDevice.objects.get(user=user, confirmed=False)
    with emails_sent_on_commit():
        done = client.post(
            "/admin/mfa/enrol/", {"stage": "confirm", "code": current_code(new_device)}
        )

    assert len(CODE_RE.findall(done.content.decode())) == 10
    assert list(EncryptedTOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [
        (new_device.pk, True)
    ]
    assert [m.subject for m in mail.outbox] == [
        "Safeguarding Supervision Service: Two-step sign-in moved to a new app"
    ]


def test_changing_the_email_address_asks_again_and_tells_both_addresses(signed_in):
    client, user, device = signed_in
    refused = client.post(
        "/admin/mfa/email/",
        {"password": "wrong-password-123", "code": "000000", "email": "attacker@example.net"},
    )
    assert REFUSED in refused.content.decode()
    user.refresh_from_db()
    assert user.email == "coordinator@example.org"

    with later(), emails_sent_on_commit():
        changed = client.post(
            "/admin/mfa/email/",
            {"password": PASSWORD, "code": current_code(device), "email": "me@example.net"},
        )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.email == "me@example.net"
    assert [m.to for m in mail.outbox] == [["me@example.net", "coordinator@example.org"]]
    assert AuditEvent.objects.filter(action="accounts.email.changed").count() == 1


def test_changing_the_password_asks_again_and_tells_the_owner(signed_in):
    client, user, device = signed_in
    new = "kettle-orbit-saffron-7"
    refused = client.post(
        "/admin/mfa/password/",
        {"password": PASSWORD, "code": "000000", "new_password1": new, "new_password2": new},
    )
    assert REFUSED in refused.content.decode()
    with later(), emails_sent_on_commit():
        changed = client.post(
            "/admin/mfa/password/",
            {
                "password": PASSWORD,
                "code": current_code(device),
                "new_password1": new,
                "new_password2": new,
            },
        )
    assert changed.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert client.get("/admin/").status_code == 200  # this session stays signed in
    assert [m.subject for m in mail.outbox] == [
        "Safeguarding Supervision Service: Your password was changed"
    ]


def test_wagtail_account_page_no_longer_changes_email_or_password(signed_in):
    client, user, _ = signed_in
    client.post(
        "/admin/account/",
        {
            "name_email-first_name": "X",
            "name_email-last_name": "Y",
            "name_email-email": "attacker@example.net",
            "password-old_password": PASSWORD,
            "password-new_password1": "kettle-orbit-saffron-7",
            "password-new_password2": "kettle-orbit-saffron-7",
        },
    )
    user.refresh_from_db()
    assert user.email == "coordinator@example.org"
    assert user.check_password(PASSWORD)


def test_five_failed_attempts_to_ask_again_end_the_session(signed_in):
    client, _user, _ = signed_in
    for _ in range(5):
        client.post("/admin/mfa/recovery-codes/", {"password": "nope-nope-nope", "code": "1"})
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.reauth.failed").count() == 5
