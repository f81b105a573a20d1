"""Every admin page needs a second factor: enrol with a QR code, verify, recovery codes."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from accounts.invitations import send_setup_link
from accounts.models import EncryptedTOTPDevice, SetupLink
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.mfa import (
    current_code,
    emails_sent_on_commit,
    enrol_totp,
    link_token,
    regenerate,
    set_up_through_link,
    sign_in,
    verified_login,
)

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>")


def actions(user=None) -> list[str]:
    qs = AuditEvent.objects.order_by("id")
    if user is not None:
        qs = qs.filter(actor_label=user.username)
    return list(qs.values_list("action", flat=True))


def test_password_alone_of_an_account_without_an_app_emails_a_link_and_signs_out(
    client, staff_user
):
    with emails_sent_on_commit():
        response = sign_in(client, "coordinator")
        assert response.status_code == 302
        response = client.get("/admin/pages/")

    assert response["Location"] == "/account/setup-needed/"
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mail.outbox] == [[staff_user.email]]
    assert "/account/setup/" in mail.outbox[0].body
    assert EncryptedTOTPDevice.objects.filter(user=staff_user).count() == 0


def test_a_password_only_session_never_sees_a_pending_secret(client, staff_user):
    """The attack of issue 13: enrol first with a known password, hold a working code."""
    with emails_sent_on_commit():
        for url in ("/admin/mfa/enrol/", "/admin/mfa/verify/", "/admin/mfa/recovery-codes/"):
            sign_in(client, "coordinator")
            page = client.get(url)
            assert page.status_code == 302, url
            assert "totp-secret" not in page.content.decode()
    assert EncryptedTOTPDevice.objects.filter(user=staff_user).count() == 0
    assert len(mail.outbox) == 1  # one link, however often the password is tried


def test_enrolled_user_must_verify_and_a_correct_code_opens_the_admin(client, staff_user):
    device = enrol_totp(staff_user)
    sign_in(client, "coordinator")
    assert client.get("/admin/")["Location"] == "/admin/mfa/verify/?next=%2Fadmin%2F"
    key_before = client.session.session_key

    response = client.post(
        "/admin/mfa/verify/", {"code": current_code(device), "next": "/admin/pages/"}
    )

    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.session.session_key != key_before  # cycled once fully trusted
    assert client.get("/admin/pages/").status_code == 200
    assert actions(staff_user)[-1] == "accounts.mfa.verified"


def test_an_enrolled_user_cannot_replace_the_app_without_verifying_first(client, staff_user):
    enrol_totp(staff_user)
    sign_in(client, "coordinator")
    response = client.get("/admin/mfa/enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/mfa/verify/")


def test_a_code_is_accepted_only_once(client, staff_user):
    from django.test import Client

    device = enrol_totp(staff_user)
    code = current_code(device)
    sign_in(client, "coordinator")
    assert client.post("/admin/mfa/verify/", {"code": code}).status_code == 302

    other = Client()
    sign_in(other, "coordinator")
    response = other.post("/admin/mfa/verify/", {"code": code})

    assert response.status_code == 200
    assert other.get("/admin/").status_code == 302


def test_wrong_codes_are_throttled_then_allowed_again(client, staff_user):
    device = enrol_totp(staff_user)
    with time_machine.travel("2026-11-02 09:00:00Z", tick=False) as clock:
        sign_in(client, "coordinator")
        wrong = f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"
        client.post("/admin/mfa/verify/", {"code": wrong})
        client.post("/admin/mfa/verify/", {"code": wrong})

        refused = client.post("/admin/mfa/verify/", {"code": current_code(device)})
        assert "Too many wrong codes" in refused.content.decode()

        clock.shift(30)
        accepted = client.post("/admin/mfa/verify/", {"code": current_code(device)})
        assert accepted.status_code == 302


def test_recovery_code_signs_in_once_and_is_stored_only_as_a_hash(client, staff_user):
    codes = set_up_through_link(client, staff_user)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {c.replace("-", "") for c in codes}
    client.post("/admin/logout/")

    sign_in(client, "coordinator")
    used = client.post("/admin/mfa/verify/", {"code": codes[0].upper().replace("-", " ")})
    assert used.status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")

    sign_in(client, "coordinator")
    again = client.post("/admin/mfa/verify/", {"code": codes[0]})
    assert again.status_code == 200
    assert StaticToken.objects.count() == 9


def test_regenerating_recovery_codes_retires_the_old_ones(client, staff_user):
    verified_login(client, staff_user)
    device = enrol_totp(staff_user)
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=2)):
        first = CODE_RE.findall(regenerate(client, current_code(device)).content.decode())
    second = CODE_RE.findall(regenerate(client, current_code(device)).content.decode())
    assert len(first) == len(second) == 10 and not set(first) & set(second)
    status = client.get("/admin/mfa/recovery-codes/").content.decode()
    assert "<strong>10</strong> unused recovery codes" in status

    client.post("/admin/logout/")
    sign_in(client, "coordinator")
    assert client.post("/admin/mfa/verify/", {"code": first[0]}).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5)):
        # Past the one-second throttle the wrong code earned.
        assert client.post("/admin/mfa/verify/", {"code": second[0]}).status_code == 302
    assert StaticToken.objects.count() == 9


def test_authenticator_secret_is_encrypted_at_rest(staff_user):
    device = enrol_totp(staff_user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_encryptedtotpdevice WHERE id = %s", [device.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("enc1:")
    assert device.key not in raw
    assert EncryptedTOTPDevice.objects.get(pk=device.pk).key == device.key


def test_verify_refuses_to_redirect_off_site(client, staff_user):
    device = enrol_totp(staff_user)
    sign_in(client, "coordinator")
    response = client.post(
        "/admin/mfa/verify/", {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailadmin_login",
        "accounts_mfa_verify",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
    ],
)
def test_way_through_pages_are_reachable_before_the_second_factor(client, staff_user, url_name):
    from django.urls import reverse

    enrol_totp(staff_user)
    sign_in(client, "coordinator")
    response = client.get(reverse(url_name))
    if url_name == "wagtailadmin_login":
        # Wagtail sends a signed-in user on to the dashboard, which then asks for the code.
        assert response["Location"] == "/admin/"
    else:
        assert response.status_code == 200


def test_sign_out_works_before_the_second_factor(client, staff_user):
    enrol_totp(staff_user)
    sign_in(client, "coordinator")
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert actions(staff_user)[-1] == "accounts.logout"


def test_outside_the_admin_a_password_only_session_counts_as_anonymous(
    client, staff_user, site_tree
):
    enrol_totp(staff_user)
    sign_in(client, "coordinator")
    assert b"wagtail-userbar" not in client.get("/").content

    verified_login(client, staff_user)
    assert b"wagtail-userbar" in client.get("/").content


def test_demo_devices_and_demo_totp_sign_a_demo_account_in(client, staff_user):
    from io import StringIO

    from django.core.management import CommandError, call_command

    invited = UserFactory(username="invited")
    invited.set_unusable_password()
    invited.save()
    out = StringIO()
    call_command("demo_devices", stdout=out)
    assert out.getvalue() == "Authenticator enrolled for: coordinator\n"
    with pytest.raises(CommandError, match="no authenticator yet"):
        call_command("demo_totp", "invited")

    out = StringIO()
    call_command("demo_totp", "coordinator", stdout=out)
    code = re.search(r"Code: (\d{6})", out.getvalue()).group(1)
    sign_in(client, "coordinator")
    assert client.post("/admin/mfa/verify/", {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_demo_totp_is_refused_in_production(settings, staff_user):
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="local demos only"):
        call_command("demo_totp", "coordinator")


def test_reset_mfa_emails_a_new_set_up_link_and_is_audited(client, staff_user):
    from django.core.management import call_command

    enrol_totp(staff_user)
    old = send_setup_link(user=staff_user, purpose=SetupLink.Purpose.INVITATION)
    with emails_sent_on_commit():
        call_command("reset_mfa", "coordinator")

    assert EncryptedTOTPDevice.objects.filter(user=staff_user).count() == 0
    old.refresh_from_db()
    assert old.used_at is not None  # the older link stopped working
    token = link_token(mail.outbox[-1])
    assert client.get(f"/account/setup/{token}/").status_code == 200
    events = AuditEvent.objects.filter(target_id=str(staff_user.pk)).order_by("id")
    assert [(e.action, e.actor_label) for e in events if e.action != "accounts.setup_link.sent"][
        -1
    ] == ("accounts.mfa.reset", "manage.py reset_mfa")
    assert events.last().action == "accounts.setup_link.sent"
