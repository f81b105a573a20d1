"""Guessing ids: supervisor B and supervisee B reach nothing of A's, whatever the URL.

Every object URL of A's booking, agreement, sessions and record is tried by B with A's real
ids. Each answer is 404 (or, for the read-only admin listings' edit/delete, a refusal), and
nothing changes.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.records.conftest import OTHER_SUPERVISEE_EMAIL, SUPERVISEE_EMAIL
from tests.workflows.conftest import login
from workflows.models import Agreement, Case
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db


def test_supervisor_b_guessing_supervisor_as_ids_gets_404(client, a_and_b):
    site, record, booking, agreement = a_and_b
    login(client, site.user_b)
    booking_case = Case.objects.get(reference=booking.reference)
    agreement_case = Case.objects.for_subject(agreement).get()
    for url in (
        reverse("workflows_admin:case", args=[booking_case.pk]),
        reverse("workflows_admin:case", args=[agreement_case.pk]),
        reverse("workflows_admin:case", args=[record.case_id]),
        reverse("workflows_admin:case_transition", args=[booking_case.pk, "cancel"]),
        reverse("workflows_admin:case_transition", args=[agreement_case.pk, "supervisor_signs"]),
        reverse("records_admin:detail", args=[record.pk]),
        reverse("records_admin:edit", args=[record.pk]),
        reverse("records_admin:addendum", args=[record.pk]),
        reverse("records_admin:pdf", args=[record.pk]),
        reverse("records_admin:start", args=[record.session_id]),
    ):
        post_only = "/start/" in url  # a GET there is 405 Method Not Allowed, no data
        assert client.get(url).status_code == (405 if post_only else 404), url
        assert client.post(url, {"reason": "x", "text": "x"}).status_code == 404, url
    for action in ("edit", "delete"):
        url = reverse(f"workflows_booking_modeladmin_{action}", args=[booking.pk])
        assert client.post(url, {}).status_code == 404, url
    listing = client.get(reverse("workflows_booking_modeladmin_index")).content.decode()
    assert booking.reference not in listing
    agreement.refresh_from_db()
    assert agreement.supervisor_signed_at is None
    assert Case.objects.get(pk=booking_case.pk).state.key == booking_case.state.key


def test_supervisee_b_guessing_supervisee_as_ids_gets_404(client, a_and_b):
    _site, record, booking, agreement = a_and_b
    token_b = issue_token(email=OTHER_SUPERVISEE_EMAIL)
    session = record.session
    for url in (
        reverse("workflows:agreement", args=[token_b, agreement.pk]),
        reverse("workflows:session_change", args=[token_b, session.pk]),
        reverse("records:detail", args=[token_b, record.pk]),
        reverse("records:pdf", args=[token_b, record.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"typed_name": "Jo Bloggs", "confirm": "on"}).status_code == 404
    portal = client.get(reverse("workflows:portal", args=[token_b])).content.decode()
    assert booking.reference not in portal
    records_page = client.get(reverse("records:list", args=[token_b])).content.decode()
    assert record.reference not in records_page
    assert Agreement.objects.get(pk=agreement.pk).supervisee_signed_at is None
    # A's own link does reach A's record: the 404s above are about ownership, not breakage.
    token_a = issue_token(email=SUPERVISEE_EMAIL)
    assert client.get(reverse("records:detail", args=[token_a, record.pk])).status_code == 200
