"""Hostile input against the public booking form and the supervisee link endpoints.

Each endpoint gets at least 500 generated inputs: long strings, control characters, odd
Unicode, HTML/JS and SQL fragments. No response may be a server error, nothing may be written
from an invalid submission, and nothing the attacker sent may come back unescaped.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.service import booking_post
from workflows.models import AccessToken, Agreement, Booking, Case, OutboundEmail, School
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE workflows_booking; --",
    "' OR '1'='1",
    "{{ 7*7 }}",
    "${jndi:ldap://x}",
    "\x00\x01\x02",
    "A" * 5000,
    "\U0001f600\u202e\ufeff",
    "../../etc/passwd",
]
hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    # Lone surrogates are left out: no HTTP client can encode them as UTF-8.
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
)
# max_examples comes from the Hypothesis profile (tests/conftest.py): 500 in CI, fewer locally.
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = [
    "school_name",
    "school_urn",
    "supervisee_name",
    "work_email",
    "role",
    "supervisor",
    "service",
    "format",
    "attendees",
    "duration_minutes",
    "frequency",
    "preferred_times",
    "preferred_location",
]


def _counts() -> tuple[int, ...]:
    return (
        Booking.objects.count(),
        School.objects.count(),
        Case.objects.count(),
        OutboundEmail.objects.count(),
        AccessToken.objects.count(),
    )


def _assert_not_reflected_raw(body: str, value: str) -> None:
    for dangerous in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>"):
        if dangerous in value:
            assert dangerous not in body


@FUZZ
@given(field=st.sampled_from(FIELDS), value=hostile_text, honeypot=st.booleans())
def test_booking_form_survives_hostile_input(client, service, field, value, honeypot):
    data = booking_post(service, **{field: value})
    data["school_urn"] = data["school_urn"] if field == "school_urn" else "12345"  # keep invalid
    if honeypot:
        data["website"] = value or "x"
    before = _counts()
    response = client.post(service.form_page.url, data)
    assert response.status_code in (200, 429)
    assert _counts() == before
    _assert_not_reflected_raw(response.content.decode(), value)


@FUZZ
@given(token=hostile_text.filter(lambda t: t.strip("/") != ""))
def test_link_endpoints_survive_hostile_tokens(client, service, token):
    segment = quote(token, safe="")
    for path in (f"/b/{segment}/", f"/b/{segment}/agreement/1/", f"/b/{segment}/session/1/"):
        response = client.get(path)
        assert response.status_code == 404
        _assert_not_reflected_raw(response.content.decode(), token)


@FUZZ
@given(email=hostile_text)
def test_request_link_form_survives_hostile_input(client, service, email):
    before = _counts()
    response = client.post(reverse("workflows:request_link"), {"email": email})
    assert response.status_code in (200, 429)
    assert _counts() == before  # no known address among the generated ones
    _assert_not_reflected_raw(response.content.decode(), email)


@pytest.fixture
def agreement_link(client, service):
    from workflows.services.agreements import create_agreement

    client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    agreement = create_agreement(booking=booking, actor=None)
    return reverse(
        "workflows:agreement", args=[issue_token(email=booking.supervisee_email), agreement.pk]
    )


@FUZZ
@given(name=hostile_text, confirm=st.sampled_from(["", "on", "\x00", "<b>"]))
def test_signing_survives_hostile_names(client, service, agreement_link, name, confirm):
    response = client.post(
        agreement_link, {"action": "sign", "typed_name": name, "confirm": confirm}
    )
    assert response.status_code in (200, 302, 400)
    signed = Agreement.objects.get().supervisee_signed_name
    assert signed in ("", "Jo Bloggs") or signed.casefold() == "jo bloggs"
    _assert_not_reflected_raw(response.content.decode(), name)
