"""Service staff change the site through the admin, in Chromium, and see each change on it.

Every step goes through the admin screens a member of staff uses (signed in with a second
factor), with no service calls in between: a price added through Add price and its page
chooser, a supervisor's photo changed through the image chooser, a booking-form question added
and published, and a workflow's button renamed. Each journey ends on the page that shows the
change (the public site, or the case screen for the workflow), and each admin screen it touches
is checked with axe-core: Wagtail's own markup may fail only the rules in ``WAGTAIL_OWN``.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect
from wagtail.models import Collection, Site

from cms.services import ensure_role_groups
from tests.browser.admin import WAGTAIL_OWN, sign_in, watch_console
from tests.browser.axe import assert_accessible
from tests.factories import make_image
from tests.helpers.service import booking_post
from workflows.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_admin(page: Page, service, live_server):
    """The service site on the live server, and a member of staff signed in to the admin."""
    # A migrated site has the root collection (a transactional test's flush removed it), and
    # staff's image permissions are granted on it, as `install_defaults` does on a real site.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    ensure_role_groups()
    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=int(live_server.url.rsplit(":", 1)[1])
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(30_000)  # the machine is shared; admin screens are heavy
    sign_in(page, live_server.url, service.staff)
    return live_server.url


def _choose_in_modal(page: Page, title: str) -> None:
    """In the open chooser dialog, walk down the tree (pages) until ``title`` is offered."""
    modal = page.locator(".modal.in").last
    expect(modal).to_be_visible(timeout=20_000)
    offered = "a.choose-page, [data-chooser-modal-choice]"
    choice = modal.locator(offered).filter(has_text=title)
    for _ in range(4):
        modal.locator(f"{offered}, a.navigate-pages").first.wait_for()
        if choice.count():
            break
        modal.locator("a.navigate-pages").first.click()
        page.wait_for_timeout(300)
    choice.first.click()
    expect(modal).to_be_hidden(timeout=20_000)


def _publish(page: Page) -> None:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages .success").first).to_be_visible()


def _check(page: Page, problems: list[str]) -> None:
    """The admin screen now shown: nothing refused by the policy, and axe-clean but Wagtail's."""
    assert problems == [], "\n".join(problems)
    # Colours are measured at rest: wait for finite animations (the success message fading in).
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
            .map(a => a.finished.catch(() => null)))"""
    )
    assert_accessible(page, allow=WAGTAIL_OWN)


def test_staff_add_a_price_with_the_page_chooser(page: Page, staff_admin, service, screenshot):
    url = staff_admin
    problems = watch_console(page)
    page.goto(url + reverse("wagtailsnippets_cms_rate:list"))
    page.get_by_role("link", name=re.compile(r"^Add price$")).first.click()
    expect(page).to_have_url(re.compile(r"/add/$"))
    _check(page, problems)

    chooser = page.locator("#id_service-chooser")
    chooser.get_by_role("button", name="Choose a page").click()
    _choose_in_modal(page, "DSL supervision")
    expect(chooser).to_contain_text("DSL supervision")
    page.get_by_label("Duration minutes").fill("120")
    page.get_by_label("Price").fill("123.50")
    screenshot(page, "add price filled")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages .success").first).to_contain_text("created")
    _check(page, problems)

    page.goto(url + service.tree.dsl_service.url)
    expect(page.get_by_text("£123.50 per 120 minutes")).to_be_visible()
    screenshot(page, "price on the service page")


def test_staff_change_a_supervisor_photo_with_the_image_chooser(
    page: Page, staff_admin, service, screenshot
):
    url = staff_admin
    make_image("Amira at her desk", colour=(200, 40, 40))
    portrait = make_image("Amira Hussain portrait", colour=(40, 160, 90))
    problems = watch_console(page)
    page.goto(url + reverse("wagtailadmin_pages:edit", args=[service.supervisor_a.pk]))
    _check(page, problems)

    chooser = page.locator("#id_photo-chooser")
    chooser.locator("[data-chooser-action-choose]").first.click()
    modal = page.locator(".modal.in").last
    expect(modal).to_be_visible(timeout=20_000)
    screenshot(page, "image chooser")
    modal.locator("[data-chooser-modal-choice]", has_text="Amira Hussain portrait").click()
    expect(modal).to_be_hidden(timeout=20_000)
    expect(chooser).to_contain_text("Amira Hussain portrait")
    screenshot(page, "photo chosen")
    _publish(page)
    _check(page, problems)

    page.goto(url + service.supervisor_a.url)
    photo = page.locator("img.profile-photo")
    expect(photo).to_have_attribute("src", portrait.get_rendition("fill-240x240").url)
    screenshot(page, "new photo on the profile")


def test_staff_add_a_booking_form_question(page: Page, staff_admin, service, screenshot):
    url = staff_admin
    problems = watch_console(page)
    page.goto(url + reverse("wagtailadmin_pages:edit", args=[service.form_page.pk]))
    _check(page, problems)

    page.locator("#id_form_fields-ADD").click()
    index = int(page.locator("#id_form_fields-TOTAL_FORMS").input_value()) - 1
    question = page.locator(f"#id_form_fields-{index}-label")
    question.fill("Does the supervisee need any adjustments for sessions?")
    page.locator(f"#id_form_fields-{index}-field_type").select_option("multiline")
    screenshot(page, "question added")
    _publish(page)
    _check(page, problems)

    page.goto(url + service.form_page.url)
    asked = page.get_by_label("Does the supervisee need any adjustments for sessions?")
    expect(asked).to_be_visible()
    screenshot(page, "question on the public form")


def test_staff_rename_a_workflow_button_and_see_it_on_a_case(
    page: Page, staff_admin, service, screenshot
):
    url = staff_admin
    Client().post(service.form_page.url, booking_post(service))  # a school's request
    case = Case.objects.get()
    problems = watch_console(page)
    page.goto(url + reverse("wagtailsnippets_workflows_workflow:list"))
    page.get_by_role("link", name="Booking request").first.click()
    _check(page, problems)

    label: Locator = page.locator("input[name$='-label'][value='Decline']").first
    label.fill("Decline this request")
    screenshot(page, "button renamed")
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages .success").first).to_contain_text("updated")

    page.goto(url + reverse("workflows_admin:case", args=[case.pk]))
    expect(page.get_by_role("link", name="Decline this request")).to_be_visible()
    _check(page, problems)
    screenshot(page, "new label on the case")
