"""A supervisee adds their sessions to a calendar: from the emailed link's page, make the feed
address and copy it with the Copy button, under the site's CSP, in Chromium."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_admin_csp import collect_violations
from tests.helpers.calendar_feed import add_booking, add_session, both_readers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisee_makes_and_copies_a_feed_address(page: Page, service, live_server):
    from wagtail.models import Site

    from workflows.services.tokens import issue_token

    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=int(live_server.url.rsplit(":", 1)[1])
    )
    booking = add_booking(service)
    add_session(booking, timezone.now() + datetime.timedelta(days=10))
    token = issue_token(email=booking.supervisee_email)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    violations = collect_violations(page)

    page.goto(f"{live_server.url}/b/{token}/")
    page.get_by_role("link", name="See your sessions in your own calendar").click()
    expect(page.get_by_role("heading", name="Your sessions in your calendar")).to_be_visible()
    page.get_by_role("button", name="Make my calendar address").click()

    https = page.get_by_label("Web address (Google Calendar, Outlook on the web)")
    address = https.input_value()
    assert address.startswith("http://127.0.0.1:8000/feeds/") and address.endswith(".ics")
    page.get_by_role("button", name="Copy the web address").click()
    expect(page.locator("#supervisee-https-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == address

    page.get_by_role("button", name="Copy the subscribe link").click()
    expect(page.locator("#supervisee-webcal-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()").startswith("webcal://")

    # The copied address is a working feed (fetched from the live server).
    path = address.removeprefix("http://127.0.0.1:8000")
    body = page.request.get(live_server.url + path).body()
    assert len(both_readers(body)["events"]) == 1
    assert violations == []
