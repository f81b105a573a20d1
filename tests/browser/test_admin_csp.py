"""The admin works under the Content-Security-Policy: in Chromium, follow the emailed set-up
link (password, QR code, recovery codes), open the page editor and its live preview, and the
console shows no policy violation."""

from __future__ import annotations

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.factories import UserFactory
from tests.mfa import link_token

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def live_admin(site_tree, live_server):
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=int(live_server.url.rsplit(":", 1)[1])
    )
    UserFactory(username="editor", is_superuser=True, is_staff=True)
    return live_server.url, site_tree


def collect_violations(page: Page) -> list[str]:
    found: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


def code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def test_editor_and_preview_run_without_csp_violations(page: Page, live_admin):
    url, site_tree = live_admin
    page.set_viewport_size({"width": 1400, "height": 900})
    violations = collect_violations(page)

    page.goto(url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # No authenticator yet: the password alone opens nothing; a set-up link is emailed.
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(url + "/account/setup/" + link_token(mail.outbox[-1]) + "/")
    expect(page.get_by_role("heading", name="Step 1 of 2: choose a password")).to_be_visible()
    page.locator("#id_new_password1").fill("kettle-orbit-saffron-7")
    page.locator("#id_new_password2").fill("kettle-orbit-saffron-7")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("figure.mfa-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_role("textbox", name="Code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my codes: continue").click()
    expect(page.locator("#main")).to_be_visible()

    page.goto(f"{url}/admin/pages/{site_tree.index.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value("Our supervisors")
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator("iframe#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text("Our supervisors")

    # Widgets Wagtail starts with inline scripts run through accounts/static/.../csp-init.js.
    page.goto(f"{url}/admin/audit-log/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("audit", re.I))
    expect(page.locator("table.listing")).to_contain_text("accounts.mfa.enrolled")
    attached = "id => !!window.jQuery('#' + id).data('xdsoft_datetimepicker')"
    assert page.evaluate(attached, "id_timestamp_0"), "the date chooser was not started"

    # An InlinePanel (here the lead's workflow states) still adds a child form.
    page.goto(f"{url}/admin/snippets/workflows/workflow/add/")
    children = (
        "() => [...document.querySelectorAll('[id]')]"
        ".filter(e => /^inline_child_states-\\d+$/.test(e.id)).length"
    )
    before = page.evaluate(children)
    page.get_by_role("button", name="Add State").first.click()
    page.wait_for_function(f"({children})() === {before + 1}")
    page.goto(url + "/our-supervisors/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our supervisors")

    assert violations == [], "\n".join(violations)
