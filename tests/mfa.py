"""Helpers for tests that act as a signed-in admin user with a verified second factor."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from accounts.models import EncryptedTOTPDevice
from tests.factories.accounts import TOTPDeviceFactory


def enrol_totp(user: Any) -> EncryptedTOTPDevice:
    """A confirmed authenticator for ``user`` (reused if they have one)."""
    device = EncryptedTOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDeviceFactory(user=user, name="Test app")


def current_code(device: EncryptedTOTPDevice, *, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def verified_login(client: Client, user: Any) -> Client:
    """Sign ``client`` in as ``user`` with a verified second factor, as django_otp.login does.

    ``force_login`` skips the password; the session then records the user's confirmed device
    exactly as ``django_otp.login`` would after a correct code. Tests of the code check itself
    go through the real pages instead (tests/accounts/test_mfa.py).
    """
    device = enrol_totp(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


PASSWORD = "a-long-test-password-1"  # tests.factories.UserFactory's password


def sign_in(client: Client, username: str, password: str = PASSWORD, **meta: str) -> Any:
    """The password step through Wagtail's real login form (``meta``: request headers)."""
    return client.post("/admin/login/", {"username": username, "password": password}, **meta)


def link_token(message: Any) -> str:
    """The token of the set-up link in an email."""
    import re

    return re.search(r"/account/setup/([A-Za-z0-9_\-]+)/", message.body).group(1)


def set_up_through_link(client: Client, user: Any, password: str = PASSWORD) -> list[str]:
    """Email ``user`` a set-up link and follow it as its owner would; returns recovery codes."""
    import re

    from django.core import mail

    from accounts.invitations import send_setup_link
    from accounts.models import EncryptedTOTPDevice, SetupLink

    with emails_sent_on_commit():
        send_setup_link(user=user, purpose=SetupLink.Purpose.SECOND_FACTOR)
    url = f"/account/setup/{link_token(mail.outbox[-1])}/"
    client.post(url, {"new_password1": password, "new_password2": password})
    device = EncryptedTOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(url, {"stage": "confirm", "code": current_code(device)})
    return re.findall(r"<code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code>", page.content.decode())


def regenerate(client: Client, code: str, password: str = PASSWORD) -> Any:
    """New recovery codes through the page, which asks for the password and a code again."""
    return client.post("/admin/mfa/recovery-codes/", {"password": password, "code": code})


def emails_sent_on_commit() -> Any:
    """Run on-commit callbacks (emails are sent on commit) at the end of the block, as a real
    commit would; tests run inside one transaction that never commits."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
