"""The public booking form: validation, honeypot and rate limit. Bad input writes nothing."""

from __future__ import annotations

import pytest

from tests.factories.workflows import BookingFormFieldFactory
from tests.helpers.service import booking_post
from workflows.models import AccessToken, Booking, Case, OutboundEmail, School

pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert Booking.objects.count() == 0
    assert School.objects.count() == 0
    assert Case.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert AccessToken.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"school_urn": "12345"}, "school_urn", "6-digit Unique Reference Number"),
        ({"school_urn": "ABCDEF"}, "school_urn", "6-digit Unique Reference Number"),
        ({"work_email": "not-an-email"}, "work_email", "valid email address"),
        ({"duration_minutes": "30"}, "duration_minutes", "Select a valid choice"),
        ({"attendees": "3"}, "attendees", "Individual supervision is for one person"),
        ({"format": "group", "attendees": "1"}, "attendees", "two or more people"),
        ({"attendees": "40", "format": "group"}, "attendees", "less than or equal to 12"),
        ({"supervisee_name": ""}, "supervisee_name", "This field is required"),
        ({"preferred_location": "x" * 1001}, "preferred_location", "at most 1000"),
        ({"supervisor": "99999"}, "supervisor", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(
    client, service, overrides, field, message
):
    response = client.post(service.form_page.url, booking_post(service, **overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field]), form.errors
    assert "There is a problem" in response.content.decode()
    _nothing_written()


def test_supervisor_must_offer_the_service(client, service):
    response = client.post(
        service.form_page.url,
        booking_post(service, service=service.tree.attendance_service.pk),
    )
    assert "does not offer this service" in " ".join(response.context["form"].errors["service"])
    _nothing_written()


def test_supervisor_not_accepting_bookings_cannot_be_chosen(client, service):
    service.supervisor_a.accepting_bookings = False
    service.supervisor_a.save_revision().publish()
    response = client.post(service.form_page.url, booking_post(service))
    assert "supervisor" in response.context["form"].errors
    _nothing_written()


def test_honeypot_filled_in_is_refused(client, service):
    response = client.post(service.form_page.url, booking_post(service, website="http://spam"))
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    _nothing_written()


def test_per_address_rate_limit(client, service, settings):
    settings.PUBLIC_FORM_LIMIT_PER_HOUR = 2
    for n in range(2):
        ok = client.post(
            service.form_page.url, booking_post(service, work_email=f"person{n}@example.org")
        )
        assert ok.status_code == 200 and "Request sent" in ok.content.decode()
    blocked = client.post(
        service.form_page.url, booking_post(service, work_email="someone.else@example.org")
    )
    assert blocked.status_code == 429
    assert "several requests in a short time" in blocked.content.decode()
    assert Booking.objects.count() == 2


def test_editor_added_question_is_asked_and_stored_with_the_case(client, service):

    BookingFormFieldFactory(
        page=service.form_page,
        label="How did you hear about us?",
        field_type="dropdown",
        choices="Colleague\nWebsite",
        required=True,
    )
    form_html = client.get(service.form_page.url).content.decode()
    assert "How did you hear about us?" in form_html
    missing = client.post(service.form_page.url, booking_post(service))
    assert "how_did_you_hear_about_us" in missing.context["form"].errors
    _nothing_written()
    client.post(service.form_page.url, booking_post(service, how_did_you_hear_about_us="Colleague"))
    import json

    booking = Booking.objects.get()
    assert json.loads(booking.extra_answers) == {"how_did_you_hear_about_us": "Colleague"}


def test_free_text_is_encrypted_at_rest(client, service):
    from django.db import connection

    client.post(service.form_page.url, booking_post(service))
    with connection.cursor() as cursor:
        cursor.execute("SELECT preferred_location, preferred_times FROM workflows_booking")
        location, times = cursor.fetchone()
    assert location.startswith("enc1:") and "meeting room" not in location
    assert times.startswith("enc1:")
    assert Booking.objects.get().preferred_location == "The school's meeting room"


def test_confirmation_page_and_email_carry_the_reference(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(service.form_page.url, booking_post(service))
    booking = Booking.objects.get()
    assert booking.reference in response.content.decode()
    assert "£60 per 60 minutes" in response.content.decode()
    to_school = [m for m in mailoutbox if m.to == [booking.supervisee_email]]
    assert len(to_school) == 1
    body = to_school[0].body
    assert booking.reference in body and "Amira Hussain" in body
    assert "/b/" in body
    to_team = [m for m in mailoutbox if m.to == ["supervision-team@example.org"]]
    assert (
        to_team[0].subject
        == f"New supervision request {booking.reference} from Hillside Primary School"
    )
    assert "/admin/cases/" in to_team[0].body
