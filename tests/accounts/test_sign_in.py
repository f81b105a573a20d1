"""Sign-in: one message for every failure, lockout after five, audited, strong passwords."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from tests.mfa import sign_in

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


def message(response) -> str:
    """The error text shown on the page, without tokens that differ per request."""
    found = re.findall(r'<li class="error">(.*?)</li>', response.content.decode(), re.S)
    return " ".join(" ".join(found).split())


def test_unknown_user_and_wrong_password_get_the_same_answer(client, staff_user):
    unknown = sign_in(client, "nobody-here", WRONG)
    wrong = sign_in(client, "coordinator", WRONG)
    assert unknown.status_code == wrong.status_code == 200
    assert message(unknown) == message(wrong) != ""


def test_five_failures_lock_the_username_with_a_message_that_names_no_account(client, staff_user):
    from django.test import Client

    for _ in range(5):
        sign_in(client, "coordinator", WRONG)
    locked = sign_in(client, "coordinator")  # the right password, too late
    other = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(5):
        sign_in(other, "nobody-here", WRONG)
    locked_unknown = sign_in(other, "nobody-here", WRONG)

    assert locked.status_code == locked_unknown.status_code == 429
    assert message(locked) == message(locked_unknown)
    assert "Too many sign-in attempts" in message(locked)
    assert "coordinator" not in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_follows_the_username_to_another_address(client, staff_user):
    from django.test import Client

    for _ in range(5):
        sign_in(client, "coordinator", WRONG)
    elsewhere = Client(REMOTE_ADDR="10.9.9.9")
    assert sign_in(elsewhere, "coordinator").status_code == 429


def test_lock_lifts_after_fifteen_minutes(client, staff_user):
    for _ in range(5):
        sign_in(client, "coordinator", WRONG)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = sign_in(client, "coordinator")
    assert response.status_code == 302


def test_sign_in_and_failures_are_audited_without_the_password(client, staff_user):
    sign_in(client, "coordinator", WRONG)
    sign_in(client, "coordinator")

    logins = AuditEvent.objects.order_by("id").filter(action__startswith="accounts.login")
    failed, succeeded = logins
    assert failed.action == "accounts.login.failed"
    assert failed.data == {"username": "coordinator"}
    assert failed.ip_address == "127.0.0.1"
    assert (succeeded.action, succeeded.actor_id) == ("accounts.login.succeeded", staff_user.pk)
    stored = " ".join(str(v) for v in AuditEvent.objects.values_list("data", flat=True))
    stored += " ".join(str(a.__dict__) for a in AccessAttempt.objects.all())
    assert WRONG not in stored


def test_lockout_is_audited(client, staff_user):
    for _ in range(6):
        sign_in(client, "coordinator", WRONG)
    assert AuditEvent.objects.filter(action="accounts.login.locked_out").exists()


def test_client_address_comes_from_the_trusted_proxy_only(client, staff_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    sign_in(client, "coordinator", WRONG, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert AuditEvent.objects.get(action="accounts.login.failed").ip_address == "203.0.113.7"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("Sh0rt-pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, problem):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert problem in " ".join(caught.value.messages)


def test_a_long_uncommon_password_is_accepted():
    validate_password("kettle-orbit-saffron-7")


def test_a_success_for_one_user_does_not_clear_the_failures_of_another(client, staff_user):
    """4 wrong for one username + 1 right for another, repeated, still locks the first."""
    from django.test import Client

    from tests.factories import UserFactory
    from tests.mfa import current_code, enrol_totp

    other = UserFactory(username="second.user")
    device = enrol_totp(other)
    for round_ in range(2):
        for _ in range(4):
            sign_in(client, "coordinator", WRONG)
        helper = Client()
        sign_in(helper, "second.user")
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=round_)):
            assert (
                helper.post("/admin/mfa/verify/", {"code": current_code(device)}).status_code == 302
            )

    assert sign_in(client, "coordinator").status_code == 429
    assert sign_in(Client(REMOTE_ADDR="10.9.9.9"), "coordinator").status_code == 429


def test_failures_are_cleared_only_once_the_second_factor_has_passed(client, staff_user):
    from tests.mfa import current_code, enrol_totp

    device = enrol_totp(staff_user)
    for _ in range(4):
        sign_in(client, "coordinator", WRONG)
    assert sign_in(client, "coordinator").status_code == 302  # password right, no code yet
    client.post("/admin/logout/")
    assert sign_in(client, "coordinator", WRONG).status_code == 429  # the fifth failure locks

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        sign_in(client, "coordinator")
        client.post("/admin/mfa/verify/", {"code": current_code(device)})
        assert AccessAttempt.objects.filter(username="coordinator").count() == 0
