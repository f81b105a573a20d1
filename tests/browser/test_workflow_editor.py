"""Staff change a workflow and the agreement's wording in the admin, in Chromium.

The journey a coordinator takes (issue 17, points 3, 4 and 6): open the booking workflow,
read its diagram and what a button does, send the button to another state by choosing it
from a list, save and see the diagram and the summary change; then open the agreement
wording, change it, watch the live preview fill it in for an example booking, and publish it.
Every screen runs under the admin's strict CSP (nothing refused) and passes axe-core, but for
the Wagtail-owned rules listed in ``WAGTAIL_OWN``.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from wagtail.models import Site

from tests.browser.admin import WAGTAIL_OWN, sign_in, watch_console
from tests.browser.axe import assert_accessible
from workflows.models import AgreementWording, Workflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_admin(page: Page, service, live_server) -> str:
    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=int(live_server.url.rsplit(":", 1)[1])
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(30_000)  # the machine is shared; admin screens are heavy
    sign_in(page, live_server.url, service.staff)
    return live_server.url


# Wagtail's side minimap lists every panel and StreamField block; on the booking workflow
# (16 buttons with their steps) its list scrolls, and Wagtail does not make it focusable
# (axe: scrollable-region-focusable). It is Wagtail's markup and was so before this editor
# (State 1…/Transition 1… made the same list), so only it is left out of the check.
WAGTAIL_MINIMAP = ".w-minimap"


def _check(page: Page, problems: list[str]) -> None:
    assert problems == [], "\n".join(problems)
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null)))"""
    )
    assert_accessible(page, allow=WAGTAIL_OWN, exclude=[WAGTAIL_MINIMAP])


def test_staff_send_a_button_elsewhere_and_see_diagram_and_summary(
    page: Page, staff_admin: str, screenshot
):
    problems = watch_console(page)
    page.goto(staff_admin + reverse("wagtailsnippets_workflows_workflow:list"))
    page.get_by_role("link", name="Booking request").first.click()

    diagram = page.locator("svg[data-workflow-diagram]")
    expect(diagram).to_be_visible()
    expect(page.get_by_role("img", name="Diagram of “Booking request”")).to_be_visible()
    page.get_by_text("Every button in words").click()
    expect(page.locator("[data-diagram-text]")).to_contain_text(
        "Decline: from Submitted to Declined (staff, supervisor)."
    )
    decline = page.locator("[data-inline-panel-child]").filter(
        has=page.locator("[data-inline-panel-title]", has_text="Decline (Submitted → Declined)")
    )
    expect(decline.locator("[data-what-happens]")).to_contain_text(
        "Emails “Request declined” to the supervisee."
    )
    _check(page, problems)
    screenshot(page, "workflow editor with diagram")

    # "Information received" now closes the request instead of sending it back to the team.
    received = page.locator("[data-inline-panel-child]").filter(
        has=page.locator(
            "[data-inline-panel-title]",
            has_text="Information received (More information needed → Submitted)",
        )
    )
    target = received.get_by_label("Then the case moves to")
    assert target.evaluate("e => e.tagName") == "SELECT"
    target.select_option(label="Declined")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages .success").first).to_contain_text("updated", timeout=30_000)

    page.goto(
        staff_admin
        + reverse(
            "wagtailsnippets_workflows_workflow:edit",
            args=[Workflow.objects.get(slug="booking-request").pk],
        )
    )
    expect(
        page.locator(
            "svg[data-workflow-diagram] path[data-edge='more_information_needed:declined']"
        )
    ).to_have_count(1)
    moved = page.locator("[data-inline-panel-child]").filter(
        has=page.locator(
            "[data-inline-panel-title]",
            has_text="Information received (More information needed → Declined)",
        )
    )
    expect(moved.locator("[data-what-happens]")).to_contain_text(
        "The case then moves to “Declined”."
    )
    _check(page, problems)
    screenshot(page, "button sent to another state")


def test_staff_edit_the_agreement_wording_with_a_preview(page: Page, staff_admin: str, screenshot):
    problems = watch_console(page)
    page.goto(staff_admin + reverse("wagtailsnippets_workflows_agreementwording:list"))
    page.get_by_role("link", name="Supervision agreement").first.click()
    wording = page.get_by_role("textbox", name="Wording")
    expect(wording).to_have_value(re.compile(re.escape("Location: {{ location }}")))
    _check(page, problems)

    wording.fill("{{ supervisee }} of {{ school }} meets {{ supervisor }} at {{ location }}.")
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("iframe#w-preview-iframe")
    expect(preview.locator("[data-wording-preview]")).to_have_text(
        "Sam Example of Example Primary School meets Alex Example at The school's quiet room.",
        timeout=30_000,
    )
    _check(page, problems)
    screenshot(page, "agreement wording with preview")

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages .success").first).to_be_visible()
    assert AgreementWording.objects.get().body.startswith("{{ supervisee }} of {{ school }}")
    _check(page, problems)
