"""Helpers for browser tests of the Wagtail admin: sign in, watch the console, use choosers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from tests.mfa import verified_login

# axe-core rules that fail on Wagtail's own admin markup (not our templates), with the reason.
# Listed in the README ("Accessibility"); an admin screen may fail only these.
WAGTAIL_OWN: dict[str, str] = {
    "aria-input-field-name": "Wagtail: the Draftail rich text editor's role=textbox area is "
    "named only by its placeholder (aria-describedby), not a label",
    "label": "Wagtail: the tag field's autocomplete input (jQuery UI tag-it) has no label",
}


def sign_in(page: Page, live_url: str, user: Any) -> None:
    """Carry a verified admin session (password + second factor) into the browser.

    The sign-in and second-factor pages themselves are walked in tests/browser/test_admin_csp.py.
    """
    client = verified_login(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_url}]
    )


def watch_console(page: Page) -> list[str]:
    """A list that fills with every CSP refusal and uncaught script error on ``page``."""
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text or "csp-init" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


def choose_first(page: Page, chooser: Locator) -> str:
    """Open ``chooser``'s dialog, pick the first thing offered, return the chosen id.

    Works for the page, image, document and snippet choosers: the page chooser is walked down
    the tree until a page of the wanted type is offered.
    """
    field_id = chooser.get_attribute("id").removesuffix("-chooser")
    if "blank" in (chooser.get_attribute("class") or ""):
        chooser.locator(".unchosen [data-chooser-action-choose]").click()
    else:
        chooser.get_by_role("button", name="Actions").click()  # a dropdown outside the chooser
        page.locator("[data-tippy-root] [data-chooser-action-choose]:visible").click()
    modal = page.locator(".modal.in").last
    expect(modal, f"{page.url} {field_id}: the chooser dialog did not open").to_be_visible(
        timeout=20_000
    )
    choice = modal.locator("a.choose-page, [data-chooser-modal-choice]")
    for _ in range(4):
        modal.locator(
            "a.choose-page, [data-chooser-modal-choice], a.navigate-pages"
        ).first.wait_for()
        if choice.count():
            break
        modal.locator("a.navigate-pages").first.click()
        page.wait_for_timeout(300)
    choice.first.click()
    expect(modal).to_be_hidden(timeout=20_000)
    expect(page.locator(f"#{field_id}-chooser")).not_to_have_class("blank")
    value = page.locator(f"input#{field_id}").input_value()
    assert value, f"{field_id}: the chooser closed without a value"
    return value
