"""The booking form by keyboard alone, and the public pages on a 320 px screen (issue 14, 9)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from wagtail.models import Site

from cms.models import ServiceSettings, StandardPage
from tests.browser.axe import assert_accessible
from workflows.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live(service, live_server):
    port = int(live_server.url.rsplit(":", 1)[1])
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=port)
    home = service.tree.home
    settings = ServiceSettings.load()
    settings.privacy_page = home.add_child(
        instance=StandardPage(title="Privacy notice", slug="privacy", body="<p>How we use it.</p>")
    )
    settings.accessibility_page = home.add_child(
        instance=StandardPage(
            title="Accessibility statement", slug="accessibility", body="<p>What works.</p>"
        )
    )
    settings.save()
    return live_server.url


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus (never clicking)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        assert page.evaluate("() => document.activeElement.name") != "website", (
            "the hidden honeypot field took keyboard focus"
        )
    raise AssertionError(f"Tab never reached {selector}")


def test_booking_form_completed_by_keyboard_alone(page: Page, live: str, service, screenshot):
    page.goto(live + service.form_page.url)
    assert_accessible(page)  # includes aria-hidden-focus on the honeypot
    expect(page.get_by_text("Answer every question unless it says (optional).")).to_be_visible()
    expect(page.locator("#id_preferred_times_helptext")).to_contain_text("Required")

    typed = {
        "#id_school_name": "Hillside Primary School",
        "#id_school_urn": "123456",
        "#id_supervisee_name": "Jo Bloggs",
        "#id_work_email": "jo.bloggs@hillside.example.org",
    }
    for selector, text in typed.items():
        _tab_to(page, selector)
        page.keyboard.type(text)
    for selector, option in (
        ("#id_role", "Designated Safeguarding Lead"),
        ("#id_supervisor", "Amira Hussain"),
        ("#id_service", "DSL supervision"),
    ):
        _tab_to(page, selector)
        # A focused select takes the first letters of an option, as a keyboard user types.
        page.keyboard.type(option[:6])
        assert page.evaluate("s => document.querySelector(s).selectedOptions[0].text", selector)
    _tab_to(page, "input[name=duration_minutes]")
    page.keyboard.press("ArrowDown")  # 60 → 90 minutes, as radio groups move by arrow keys
    _tab_to(page, "#id_frequency")
    page.keyboard.type("Month")
    _tab_to(page, "#id_preferred_times")
    page.keyboard.type("Tuesday afternoons")
    _tab_to(page, "#id_preferred_location")
    page.keyboard.type("The school's quiet room")
    screenshot(page, "form filled by keyboard")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    booking = Booking.objects.get()
    assert (booking.supervisee_name, booking.duration_minutes, booking.frequency) == (
        "Jo Bloggs",
        90,
        "monthly",
    )
    assert booking.supervisor_id == service.supervisor_a.pk


def test_public_pages_fit_320px_and_link_policy_pages(
    browser: Browser, live: str, service, screenshot
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for path in ("/", service.tree.index.url, service.supervisor_a.url, service.form_page.url):
            page.goto(live + path)
            assert page.evaluate("document.documentElement.scrollWidth <= 320"), path
            assert_accessible(page)
        screenshot(page, "booking form at 320px")
        footer = page.locator("footer")
        expect(footer.get_by_role("link", name="Privacy notice")).to_be_visible()
        expect(footer.get_by_role("link", name="Accessibility statement")).to_be_visible()
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert page.request.get(live + icon).ok
        page.goto(live + service.tree.index.url)
        screenshot(page, "supervisor index at 320px")
    finally:
        context.close()
