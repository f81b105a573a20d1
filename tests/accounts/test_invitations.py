"""Accounts are set up by emailed, one-time links: choose a password, enrol an app, one flow."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import send_setup_link
from accounts.models import EncryptedTOTPDevice, SetupLink
from audit.models import AuditEvent
from tests.mfa import current_code, emails_sent_on_commit, link_token, verified_login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kettle-orbit-saffron-7"
CODE_RE = re.compile(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>")
SECRET_RE = re.compile(r'<code id="totp-secret">([A-Z2-7 ]+)</code>')


@pytest.fixture
def invited(staff_user):
    from cms.services import SUPERVISORS, ensure_role_groups

    user = get_user_model().objects.create_user(username="new.person", email="new@example.org")
    user.groups.add(ensure_role_groups()[SUPERVISORS])
    with emails_sent_on_commit():
        send_setup_link(user=user, purpose=SetupLink.Purpose.INVITATION)
    return user, f"/account/setup/{link_token(mail.outbox[-1])}/"


def choose_password(client: Client, url: str, password: str = NEW_PASSWORD):
    return client.post(url, {"new_password1": password, "new_password2": password})


def pending(user) -> EncryptedTOTPDevice:
    return EncryptedTOTPDevice.objects.get(user=user, confirmed=False)


def test_staff_create_a_user_without_a_password_and_the_owner_gets_a_link(client, admin_user):
    verified_login(client, admin_user)
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="password1"' not in form
    with emails_sent_on_commit():
        response = client.post(
            reverse("wagtailusers_users:add"),
            {
                "username": "newperson",
                "email": "new@example.org",
                "first_name": "New",
                "last_name": "Person",
            },
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="newperson")
    assert not user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    token = link_token(mail.outbox[0])
    link = SetupLink.objects.get(user=user)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(SetupLink.objects.values().get())
    assert (link.purpose, link.used_at) == ("invitation", None)
    assert link.expires_at - link.created_at == datetime.timedelta(hours=72)
    event = AuditEvent.objects.get(action="accounts.setup_link.sent")
    assert (event.actor_id, event.target_id) == (admin_user.pk, str(user.pk))


def test_the_link_sets_password_and_app_in_one_flow_then_works_no_more(client, invited):
    user, url = invited
    first = client.get(url)
    assert first.status_code == 200 and "Step 1 of 2" in first.content.decode()
    assert "totp-secret" not in first.content.decode()

    step2 = choose_password(client, url)
    assert len(SECRET_RE.findall(step2.content.decode())) == 1
    done = client.post(url, {"stage": "confirm", "code": current_code(pending(user))})

    codes = CODE_RE.findall(done.content.decode())
    assert len(codes) == 10
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert EncryptedTOTPDevice.objects.get(user=user).confirmed
    assert client.get("/admin/").status_code == 200  # signed in with both factors
    assert SetupLink.objects.get(user=user).used_at is not None
    assert Client().get(url).status_code == 404
    assert list(
        AuditEvent.objects.filter(actor=user).order_by("id").values_list("action", flat=True)
    ) == [
        "accounts.login.succeeded",
        "accounts.setup.completed",
        "accounts.mfa.enrolled",
        "accounts.mfa.recovery_codes_issued",
    ]


def test_a_weak_password_is_refused_and_nothing_changes(client, invited):
    user, url = invited
    response = choose_password(client, url, "password1234")
    assert "too common" in response.content.decode()
    assert "totp-secret" not in response.content.decode()
    assert not EncryptedTOTPDevice.objects.filter(user=user).exists()


def test_a_pending_secret_is_shown_once_and_a_wrong_code_does_not_show_it_again(client, invited):
    user, url = invited
    step2 = choose_password(client, url)
    shown = SECRET_RE.search(step2.content.decode()).group(1)
    device = pending(user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    again = client.post(url, {"stage": "confirm", "code": wrong})

    assert "That code did not work" in again.content.decode()
    assert shown not in again.content.decode() and "totp-secret" not in again.content.decode()
    assert client.get(url).status_code == 200  # reload: back to step 1, nothing re-shown
    restarted = choose_password(client, url)
    assert SECRET_RE.search(restarted.content.decode()).group(1) != shown
    assert not EncryptedTOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_pending_secret_belongs_to_the_session_that_made_it(client, invited):
    user, url = invited
    choose_password(client, url)
    victim_device = pending(user)

    other = Client()  # someone else holding the same link, without the first session
    response = other.post(url, {"stage": "confirm", "code": current_code(victim_device)})

    assert "expired" in response.content.decode()
    assert not EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert "_auth_user_id" not in other.session


def test_an_expired_link_opens_nothing(invited):
    _, url = invited
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=73)):
        response = Client().get(url)
    assert response.status_code == 404
    assert "does not work" in response.content.decode()


def test_a_new_link_retires_the_old_one(invited):
    user, url = invited
    with emails_sent_on_commit():
        send_setup_link(user=user, purpose=SetupLink.Purpose.INVITATION)
    assert Client().get(url).status_code == 404
    assert Client().get(f"/account/setup/{link_token(mail.outbox[-1])}/").status_code == 200


def test_a_set_up_link_in_a_log_line_is_redacted(invited):
    from accounts.logging import redact

    _, url = invited
    assert redact(f"GET {url} 200") == "GET /account/setup/[redacted]/ 200"
