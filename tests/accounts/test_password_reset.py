"""Password reset is throttled per client address and per email address."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from audit.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

THROTTLED = "Too many password reset requests"


def ask(client: Client, email: str):
    return client.post("/admin/password_reset/", {"email": email})


def test_one_address_may_ask_only_so_often(settings):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 2
    users = [UserFactory(username=f"reset{n}") for n in range(3)]
    client = Client(REMOTE_ADDR="198.51.100.4")

    answers = [ask(client, user.email) for user in users]

    assert [a.status_code for a in answers] == [302, 302, 429]
    assert THROTTLED in answers[2].content.decode()
    assert [m.to for m in mail.outbox] == [["reset0@example.org"], ["reset1@example.org"]]
    assert AuditEvent.objects.filter(action="accounts.password_reset.throttled").count() == 1
    assert ask(Client(REMOTE_ADDR="198.51.100.5"), users[2].email).status_code == 302


def test_one_email_address_gets_only_so_many_links_from_anywhere(settings):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 2
    user = UserFactory(username="target")
    answers = [ask(Client(REMOTE_ADDR=f"203.0.113.{n}"), user.email) for n in range(1, 4)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_unknown_addresses_are_counted_like_known_ones(settings):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 1
    client = Client(REMOTE_ADDR="198.51.100.6")
    assert ask(client, "nobody@example.org").status_code == 302
    assert ask(client, "nobody-else@example.org").status_code == 429
    assert mail.outbox == []


def test_behind_a_proxy_the_real_client_is_counted(settings):
    settings.PASSWORD_RESET_LIMIT_PER_HOUR = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    first = proxy.post(
        "/admin/password_reset/", {"email": "a@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.1"
    )
    second = proxy.post(
        "/admin/password_reset/", {"email": "b@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.2"
    )
    assert (first.status_code, second.status_code) == (302, 302)
