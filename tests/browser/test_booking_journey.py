"""A school requests supervision and the supervisee signs the agreement, in a real browser."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect
from wagtail.models import Site

from tests.workflows.conftest import next_weekday
from workflows.enums import Role
from workflows.models import Booking, Case
from workflows.services.engine import apply_transition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_service(service, live_server):
    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=int(live_server.url.rsplit(":", 1)[1])
    )
    return live_server.url


def test_school_requests_and_supervisee_signs(page: Page, live_service: str, service, settings):
    settings.WAGTAILADMIN_BASE_URL = live_service
    page.goto(live_service + service.supervisor_a.url)
    page.get_by_role("link", name="Request supervision with Amira Hussain").click()
    expect(page.get_by_label("Supervisor")).to_have_value(str(service.supervisor_a.pk))

    page.get_by_label("School or setting name").fill("Hillside Primary School")
    page.get_by_label("School URN").fill("12345")  # one digit short
    page.get_by_label("Name of the person who will be supervised").fill("Jo Bloggs")
    page.get_by_label("Their work email address").fill("jo.bloggs@hillside.example.org")
    page.get_by_label("Their role").select_option(label="Designated Safeguarding Lead")
    page.get_by_label("Service").select_option(label="DSL supervision")
    page.get_by_label("Individual").check()
    page.get_by_label("60 minutes").check()
    page.get_by_label("How often").select_option(label="Monthly")
    page.get_by_label("Preferred days and times").fill("Tuesday afternoons")
    page.get_by_label("Preferred location").fill("The school's quiet room")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("alert")).to_contain_text("6-digit Unique Reference Number")
    assert Booking.objects.count() == 0
    page.get_by_label("School URN").fill("123456")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    booking = Booking.objects.get()
    expect(page.locator(".reference")).to_have_text(booking.reference)

    case = Case.objects.get(reference=booking.reference)
    apply_transition(
        case=case,
        transition_key="accept",
        actor=service.staff,
        role=Role.SERVICE_STAFF,
        inputs={
            "sessions": [
                {"start": next_weekday(7), "duration_minutes": 60, "location": "Quiet room"}
            ]
        },
    )
    accepted = [m for m in mail.outbox if "please sign the agreement" in m.subject]
    link = re.search(r"(http://\S+/b/[A-Za-z0-9_\-]+/)", accepted[-1].body).group(1)

    page.goto(link)
    expect(page.get_by_role("heading", name="Your supervision bookings")).to_be_visible()
    page.get_by_role("link", name="Supervision agreement").click()
    page.get_by_label("Type your full name to sign").fill("Jo Bloggs")
    page.get_by_label("I have read the agreement and agree to its terms").check()
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_text("Signed by Jo Bloggs")).to_be_visible()
    assert reverse("workflows:portal", args=["x"]).startswith("/b/")
