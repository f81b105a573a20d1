"""Staff reconfigure a workflow in the Wagtail admin, in a real browser, and it takes effect."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.helpers.service import booking_post, login
from workflows.models import Case, Workflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, live_url: str, user) -> None:
    """Carry a verified admin session (password + second factor) into the browser."""
    client = login(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_url}]
    )


def test_staff_edit_a_workflow_and_bad_configuration_is_refused(page: Page, live_server, service):
    workflow = Workflow.objects.get(slug="booking-request")
    _sign_in(page, live_server.url, service.staff)
    edit = live_server.url + reverse("wagtailsnippets_workflows_workflow:edit", args=[workflow.pk])
    page.goto(edit)
    expect(page.get_by_role("heading", name="Booking request")).to_be_visible()

    # A button that makes a state unreachable is refused with a message naming it. (States
    # are chosen from a list, so a button can no longer lead to a state that does not exist.)
    decline = page.locator("[data-inline-panel-child]").filter(
        has=page.locator("[data-inline-panel-title]", has_text="Decline (Submitted → Declined)")
    )
    decline.get_by_label("Then the case moves to").select_option(label="Closed")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("cannot be reached from the starting state: declined")).to_be_visible()
    assert Workflow.objects.get(pk=workflow.pk).transitions.get(key="decline").to_state_key == (
        "declined"
    )

    # A valid change is saved and shapes the next case.
    page.goto(edit)
    label = page.locator("input[name$='-label'][value='Submitted']").first
    label.fill("Waiting for the team")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("updated")).to_be_visible()

    public = Client()
    public.post(service.form_page.url, booking_post(service))
    assert Case.objects.get().state.label == "Waiting for the team"
