"""A member of staff opens Insights from the admin menu, chooses a term, and reads it.

Checked with axe-core (WCAG 2.2 AA, zero violations) and at a 320 px wide screen, where the
charts scale to the column and the tables scroll inside their own focusable region.
"""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.insights.conftest import TODAY, autumn  # noqa: F401 - fixture
from tests.workflows.conftest import login, service  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def frozen():
    """The autumn fixture's date, with the clock running (the browser waits on real time)."""
    with time_machine.travel(TODAY, tick=True):
        yield TODAY


def _sign_in(page: Page, live_url: str, user) -> None:
    """Carry a verified admin session (password + second factor) into the browser."""
    client = login(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_url}]
    )


def test_staff_read_insights_for_a_term_with_no_accessibility_violations(
    page: Page,
    live_server,
    autumn,  # noqa: F811 - the imported fixture
):
    _sign_in(page, live_server.url, autumn.site.staff)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Insights").click()
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()

    page.get_by_label("Period").select_option("term")
    page.get_by_label("Term").select_option(label="Autumn term 2026")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Autumn term 2026")).to_be_visible()
    figures = page.get_by_role("list", name="Figures for the period")
    expect(figures).to_contain_text("5 sessions held")
    expect(figures).to_contain_text("fewer than 5 schools served")
    expect(page.get_by_role("img", name="Hours held per supervisor")).to_be_visible()
    expect(
        page.get_by_role("table", name="Sessions and hours held per supervisor in the period")
    ).to_be_visible()
    assert_accessible(page)

    # A phone-sized screen: charts fit the column; wide tables scroll inside their region.
    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    chart = page.get_by_role("img", name="Sessions held per month")
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 320, overflow
    assert_accessible(page)

    # The Excel download is offered for the same period.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Excel").click()
    assert download.value.suggested_filename.startswith("insights-20260901-20261231")
