"""The shared browser helpers themselves: axe-core finds what it should, screenshots are saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.axe import assert_accessible, run_axe

pytestmark = pytest.mark.browser

BAD = """<!doctype html><html><head><title>t</title></head><body><main>
<h1>Form</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">
</main></body></html>"""
GOOD = """<!doctype html><html lang="en"><head><title>t</title></head><body><main>
<h1>Form</h1><label for="x">Name</label><input id="x" type="text"></main></body></html>"""


def test_axe_reports_violations_and_allows_only_the_listed_rules(page: Page):
    page.set_content(BAD)
    rules = {violation.rule for violation in run_axe(page)}
    assert {"image-alt", "label", "html-has-lang"} <= rules
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
    allowed = assert_accessible(page, allow=dict.fromkeys(rules, "example"))
    assert {violation.rule for violation in allowed} == rules

    page.set_content(GOOD)
    assert assert_accessible(page) == []


def test_screenshots_are_numbered_per_test(page: Page, screenshot):
    page.set_content(GOOD)
    first = screenshot(page, "A form")
    second = screenshot(page, "Same form, again!")
    assert [first.name, second.name] == ["01-a-form.png", "02-same-form-again.png"]
    assert first.parent.name.endswith("test-screenshots-are-numbered-per-test")
    assert first.stat().st_size > 0
