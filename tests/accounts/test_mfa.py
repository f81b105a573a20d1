"""Every admin page needs a second factor: enrol with a QR code, verify, recovery codes."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from accounts.models import EncryptedTOTPDevice
from audit.models import AuditEvent
from tests.mfa import current_code, enrol_totp, sign_in, verified_login

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})</code>")


def actions(user=None) -> list[str]:
    qs = AuditEvent.objects.order_by("id")
    if user is not None:
        qs = qs.filter(actor_label=user.username)
    return list(qs.values_list("action", flat=True))


def test_password_alone_sends_a_new_user_to_enrolment(client, staff_user):
    response = sign_in(client, "coordinator")
    assert response.status_code == 302
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/mfa/enrol/?next=%2Fadmin%2Fpages%2F"


def test_enrolment_shows_a_qr_code_then_a_real_code_turns_it_on(client, staff_user):
    sign_in(client, "coordinator")
    page = client.get("/admin/mfa/enrol/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<script>" not in html.split("<body")[1].split("</noscript>")[1]
    assert 'id="totp-secret"' in html
    assert "no-store" in page["Cache-Control"]
    device = EncryptedTOTPDevice.objects.get(user=staff_user, confirmed=False)

    response = client.post("/admin/mfa/enrol/", {"code": current_code(device), "next": "/admin/"})

    codes = CODE_RE.findall(response.content.decode())
    assert response.status_code == 200
    assert len(codes) == 10 and len(set(codes)) == 10
    assert EncryptedTOTPDevice.objects.get(user=staff_user).confirmed
    assert client.get("/admin/").status_code == 200
    assert actions(staff_user) == [
        "accounts.login.succeeded",
        "accounts.mfa.enrolled",
        "accounts.mfa.recovery_codes_issued",
    ]


def test_wrong_enrolment_code_is_refused_audited_and_changes_nothing(client, staff_user):
    sign_in(client, "coordinator")
    client.get("/admin/mfa/enrol/")
    device = EncryptedTOTPDevice.objects.get(user=staff_user)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"

    response = client.post("/admin/mfa/enrol/", {"code": wrong})

    assert "That code did not work" in response.content.decode()
    assert not EncryptedTOTPDevice.objects.get(pk=device.pk).confirmed
    assert StaticToken.objects.count() == 0
    assert client.get("/admin/").status_code == 302
    assert actions(staff_user)[-1] == "accounts.mfa.failed"


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
    sign_in(client, "coordinator")
    client.get("/admin/mfa/enrol/")
    device = EncryptedTOTPDevice.objects.get(user=staff_user)
    page = client.post("/admin/mfa/enrol/", {"code": current_code(device)})
    codes = CODE_RE.findall(page.content.decode())
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
    first = CODE_RE.findall(client.post("/admin/mfa/recovery-codes/").content.decode())
    second = CODE_RE.findall(client.post("/admin/mfa/recovery-codes/").content.decode())
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


def test_demo_totp_prints_the_code_that_completes_enrolment(client, staff_user):
    from io import StringIO

    from django.core.management import call_command

    sign_in(client, "coordinator")
    client.get("/admin/mfa/enrol/")
    out = StringIO()
    call_command("demo_totp", "coordinator", stdout=out)
    code = re.search(r"Code: (\d{6})", out.getvalue()).group(1)

    response = client.post("/admin/mfa/enrol/", {"code": code})

    assert len(CODE_RE.findall(response.content.decode())) == 10


def test_demo_totp_is_refused_in_production(settings, staff_user):
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="local demos only"):
        call_command("demo_totp", "coordinator")


def test_reset_mfa_makes_the_user_enrol_again_and_is_audited(client, staff_user):
    from django.core.management import call_command

    verified_login(client, staff_user)
    client.post("/admin/mfa/recovery-codes/")
    call_command("reset_mfa", "coordinator")
    client.post("/admin/logout/")

    sign_in(client, "coordinator")
    assert client.get("/admin/")["Location"].startswith("/admin/mfa/enrol/")
    event = AuditEvent.objects.filter(action="accounts.mfa.reset").get()
    assert (event.target_id, event.actor_label) == (str(staff_user.pk), "manage.py reset_mfa")
