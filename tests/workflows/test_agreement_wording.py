"""The agreement's wording is content: editors change it (with a preview) in the admin, new
agreements are filled in from the published wording, and each agreement keeps its own text."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.helpers.service import booking_post, login, next_weekday
from workflows.defaults import install_defaults
from workflows.models import Agreement, AgreementWording, Booking, Case
from workflows.services.wording import DEFAULT_WORDING

pytestmark = pytest.mark.django_db


def _url(name: str, *args: Any) -> str:
    return reverse(f"wagtailsnippets_workflows_agreementwording:{name}", args=args)


def _accept(client: Any, service: Any, days: int = 7, **booking: Any) -> Agreement:
    """A school requests supervision and the supervisor accepts it with one session."""
    client.post(service.form_page.url, booking_post(service, **booking))
    booked = Booking.objects.latest("created_at")
    case = Case.objects.get(reference=booked.reference)
    login(client, service.user_a)
    response = client.post(
        reverse("workflows_admin:case_transition", args=[case.pk, "accept"]),
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-MIN_NUM_FORMS": "0",
            "sessions-MAX_NUM_FORMS": "1000",
            "sessions-0-date": next_weekday(days).date().isoformat(),
            "sessions-0-start_time": "14:00",
            "sessions-0-duration_minutes": "60",
            "sessions-0-location": "Library office",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Agreement.objects.get(booking=booked)


@pytest.fixture
def wording(service) -> AgreementWording:
    return AgreementWording.objects.get()


@pytest.fixture
def staff_client(client, service):
    return login(client, service.staff)


def test_setup_seeds_the_default_wording_once_and_keeps_staff_changes(service, wording):
    assert (wording.live, wording.body) == (True, DEFAULT_WORDING)
    assert wording.live_revision is not None
    wording.body = "Our own words for {{ school }}."
    wording.save()

    install_defaults()

    assert list(AgreementWording.objects.values_list("body", flat=True)) == [
        "Our own words for {{ school }}."
    ]


def test_agreement_is_filled_in_from_the_published_wording_with_the_chosen_location(
    client, service, wording
):
    agreement = _accept(client, service, preferred_location="The head's office, upstairs")

    lines = agreement.terms.splitlines()
    assert lines[:8] == [
        f"Reference: {agreement.booking.reference}",
        "Supervisee: Jo Bloggs, Hillside Primary School (URN 123456)",
        f"Supervisor: Amira Hussain, {agreement.booking.supervisor.job_title}",
        f"Service: {agreement.booking.service.title}",
        "Format: Individual",
        f"Session length and price: {agreement.booking.price_label}",
        "Frequency: Monthly, as decided by the school",
        "Location: The head's office, upstairs (a confidential setting, free of interruption)",
    ]
    assert lines[8] == "Sessions booked:"
    assert lines[9].endswith("for 60 minutes at Library office (provisional)")
    assert lines[10] == f"Review date: {agreement.review_date:%d %B %Y}"
    assert "{{" not in agreement.terms
    assert agreement.wording_revision == wording.live_revision


def _edit_post(wording: AgreementWording, body: str, *, publish: bool) -> dict[str, str]:
    data = {"name": wording.name, "body": body}
    if publish:
        data["action-publish"] = "action-publish"
    return data


def test_published_change_shapes_new_agreements_and_old_ones_keep_their_text(
    client, service, wording
):
    first = _accept(client, service)
    issued = first.terms
    login(client, service.staff)

    response = client.post(
        _url("edit", wording.pk),
        _edit_post(wording, "We agree with {{ school }}; we meet at {{ location }}.", publish=True),
    )

    assert response.status_code == 302
    client.logout()
    second = _accept(client, service, 8, school_urn="654321", school_name="Valley School")
    assert second.terms == "We agree with Valley School; we meet at The school's meeting room."
    first.refresh_from_db()
    assert first.terms == issued
    wording.refresh_from_db()
    assert second.wording_revision == wording.live_revision != first.wording_revision


def test_a_saved_draft_changes_no_new_agreement(client, service, wording, staff_client):
    response = staff_client.post(
        _url("edit", wording.pk), _edit_post(wording, "Draft words only.", publish=False)
    )

    assert response.status_code == 302
    wording.refresh_from_db()
    assert wording.has_unpublished_changes
    staff_client.logout()
    assert _accept(client, service).terms.startswith("Reference: ")


def test_unknown_placeholder_is_refused_and_nothing_changes(staff_client, wording):
    response = staff_client.post(
        _url("edit", wording.pk), _edit_post(wording, "Dear {{ head_teacher }}", publish=True)
    )

    assert response.status_code == 200
    assert "Unknown placeholder(s): head_teacher." in response.content.decode()
    wording.refresh_from_db()
    assert wording.body == DEFAULT_WORDING
    assert not wording.has_unpublished_changes


def test_preview_fills_the_edited_wording_with_an_example_booking(staff_client, wording):
    url = _url("preview_on_edit", wording.pk)

    checked = staff_client.post(
        url,
        _edit_post(
            wording, "{{ supervisee }} meets {{ supervisor }} at {{ location }}.", publish=False
        ),
    )
    preview = staff_client.get(url)

    assert checked.json()["is_valid"] is True
    html = preview.content.decode()
    assert "Sam Example meets Alex Example at The school&#x27;s quiet room." in html
    wording.refresh_from_db()
    assert wording.body == DEFAULT_WORDING  # previewing saves nothing


def test_editor_lists_every_placeholder(staff_client, wording):
    html = staff_client.get(_url("edit", wording.pk)).content.decode()

    for name in ("school", "supervisee", "supervisor", "sessions", "location", "frequency"):
        assert "{{ " + name + " }}" in html
    assert "{{ review_date }}" in html


def test_supervisor_may_not_edit_the_wording(client, service, wording):
    login(client, service.user_a)

    response = client.post(
        _url("edit", wording.pk), _edit_post(wording, "Changed by a supervisor", publish=True)
    )

    assert response.status_code in (302, 403)
    wording.refresh_from_db()
    assert wording.body == DEFAULT_WORDING
