"""A school finds a supervisor on a phone-sized screen, by keyboard and by pointer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import make_image, make_supervisor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_site(site_tree, live_server):
    make_supervisor(
        site_tree.index,
        title="Amira Hussain",
        roles=[site_tree.dsl],
        services=[site_tree.dsl_service],
        specialisms=["Well-being"],
        photo=make_image("Amira"),
    )
    make_supervisor(
        site_tree.index,
        title="Siobhan Murphy",
        roles=[site_tree.attendance],
        services=[site_tree.attendance_service],
    )
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=int(live_server.url.rsplit(":", 1)[1])
    )
    return live_server.url


def test_school_filters_supervisors_and_reads_a_profile(page: Page, live_site: str):
    page.goto(live_site + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding supervision")

    page.goto(live_site + "/our-supervisors/")
    expect(page.get_by_role("heading", name="2 supervisors")).to_be_visible()
    page.get_by_label("Role supported").select_option(label="Attendance lead")
    page.get_by_role("button", name="Show supervisors").click()
    expect(page.get_by_role("heading", name="1 supervisor matching your choices")).to_be_visible()
    expect(page.locator(".cards h3")).to_have_text(["Siobhan Murphy"])

    page.get_by_label("Role supported").select_option(label="Designated Safeguarding Lead")
    page.get_by_role("button", name="Show supervisors").click()
    page.get_by_role("link", name="Amira Hussain").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amira Hussain")
    expect(page.locator(".prices li")).to_have_text(["£60 per 60 minutes", "£80 per 90 minutes"])
    expect(page.get_by_text("Accepting bookings")).to_be_visible()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_skip_link_is_first_and_visible_on_focus(page: Page, live_site: str):
    page.goto(live_site + "/our-supervisors/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0, "the skip link must move on screen when focused"
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
