"""The public-form limit counts the real client, with and without trusted proxies in front."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LIMITED = "several requests in a short time"


def ask_for_link(client: Client, n: int, **meta: str):
    return client.post("/bookings/link/", {"email": f"person{n}@example.org"}, **meta)


def test_behind_a_proxy_each_client_has_its_own_allowance(settings):
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")  # every request arrives from the proxy's address
    for n in range(5):
        answer = ask_for_link(proxy, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
        assert answer.status_code == 200, n

    ask_for_link(proxy, 10, HTTP_X_FORWARDED_FOR="198.51.100.7")
    ask_for_link(proxy, 11, HTTP_X_FORWARDED_FOR="198.51.100.7")
    third = ask_for_link(proxy, 12, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert third.status_code == 429 and LIMITED in third.content.decode()


def test_behind_a_proxy_a_client_cannot_escape_by_writing_the_header_itself(settings):
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    # The client writes a different first entry each time; the proxy appends the real one.
    answers = [
        ask_for_link(proxy, n, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.7").status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client(REMOTE_ADDR="198.51.100.9")
    answers = [
        ask_for_link(client, n, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)
    ]
    assert answers == [200, 200, 429]
    assert ask_for_link(Client(REMOTE_ADDR="198.51.100.10"), 9).status_code == 200
