"""A member of staff opens Insights in Chromium, changes the period and filters, and reads it.

The journey goes the way a person does: the admin menu's Insights item, then the filter form's
selects and its Show button (no URLs typed). Each screen it reaches is checked with axe-core at
WCAG 2.2 AA with no exceptions (Insights is our own template inside the admin), and the page
is read again on a 320 px wide screen: the charts are drawn, fit, and the page itself does not
scroll sideways (wide tables scroll inside their own focusable region instead).
"""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect
from wagtail.models import Site

from tests.browser.admin import sign_in, watch_console
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = [
    "Sessions held per month",
    "Hours held per supervisor",
    "Cancelled sessions by who cancelled",
    "Topics discussed in the period",
    "Signposting given in the period",
]


@pytest.fixture
def frozen():
    """The hand-counted autumn term, at the real date: the live server and Chromium keep
    running clocks (a frozen clock would stop the browser's timers and session expiry)."""
    return None


@pytest.fixture
def insights_admin(page: Page, autumn, live_server):
    """The autumn term plus 6 October records ticking a topic and a (long) signposting route,
    so the breakdown charts have bars; the site on the live server; staff signed in."""
    maker = autumn.maker
    booking = maker.booking(
        school=9,
        service_page=autumn.dsl,
        supervisor=autumn.site.supervisor_b,
        created=datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC),
    )
    for day in range(6):
        start = datetime.datetime(2026, 10, 2 + day, 9, tzinfo=datetime.UTC)
        maker.record(
            maker.session(booking, start),
            due=start.date() + datetime.timedelta(days=7),
            submitted=start + datetime.timedelta(hours=3),
            topics=["Thresholds and referrals"],
            signposting=["Employee assistance programme and occupational health"],
        )
    Site.objects.filter(is_default_site=True).update(
        hostname="localhost", port=int(live_server.url.rsplit(":", 1)[1])
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(30_000)  # the machine is shared; admin screens are heavy
    sign_in(page, live_server.url, autumn.site.staff)
    return live_server.url


def _figures(page: Page) -> str:
    return re.sub(r"\s+", " ", page.get_by_role("list", name="Figures for the period").inner_text())


def _show(page: Page) -> None:
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("load")


def test_staff_change_period_and_filters_and_every_screen_is_accessible(
    page: Page,
    insights_admin,
    autumn,
    screenshot,
):
    problems = watch_console(page)
    page.goto(f"{insights_admin}/admin/")
    page.get_by_role("link", name="Insights", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/insights/$"))
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()
    assert_accessible(page)

    # The autumn term 2026, all services.
    page.get_by_label("Period", exact=True).select_option(label="A term")
    page.get_by_label("Term", exact=True).select_option(label="Autumn term 2026")
    _show(page)
    expect(page.get_by_role("heading", name="Autumn term 2026", level=2)).to_be_visible()
    figures = _figures(page)
    assert "11 sessions held" in figures  # 5 hand-counted, and the 6 with topics
    assert "11.5 hours of supervision" in figures
    assert "4 sessions cancelled" in figures
    assert "fewer than 5 schools served" in figures
    assert page.locator("svg.insights-chart > title").all_text_contents() == CHARTS
    screenshot(page, "autumn term")
    assert_accessible(page)

    # One service: the attendance service held 2 of the 5 sessions.
    page.get_by_label("Service", exact=True).select_option(label="Attendance supervision")
    _show(page)
    expect(
        page.get_by_role("heading", name="Autumn term 2026, Attendance supervision", level=2)
    ).to_be_visible()
    assert "2 sessions held" in _figures(page)
    assert_accessible(page)

    # One supervisor, one month: topics and signposting are not broken down per supervisor.
    page.get_by_label("Service", exact=True).select_option(label="All services")
    page.get_by_label("Supervisor", exact=True).select_option(label="Amira Hussain")
    page.get_by_label("Period", exact=True).select_option(label="A month")
    page.get_by_label("Month", exact=True).fill("2026-10")
    _show(page)
    expect(page.get_by_role("heading", name="October 2026, Amira Hussain", level=2)).to_be_visible()
    assert "2 sessions held" in _figures(page)  # 8 Oct (90 min) and 15 Oct
    expect(
        page.get_by_text("Topics and signposting are not shown for one supervisor")
    ).to_be_visible()
    assert_accessible(page)

    # Dates chosen by hand, given wrongly: the page says so and shows the current term.
    page.get_by_label("Supervisor", exact=True).select_option(label="All supervisors")
    page.get_by_label("Period", exact=True).select_option(label="Dates I choose")
    page.get_by_label("From", exact=True).fill("2026-11-30")
    page.get_by_label("To", exact=True).fill("2026-10-01")
    _show(page)
    expect(page.get_by_role("alert")).to_contain_text("The end date is before the start date.")
    screenshot(page, "bad range")
    assert_accessible(page)
    assert problems == [], "\n".join(problems)


def test_charts_render_at_320px_without_the_page_scrolling_sideways(
    page: Page, insights_admin, screenshot
):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{insights_admin}/admin/")
    # On a narrow screen Wagtail folds the menu away: open it as a person would.
    page.get_by_role("button", name="Toggle sidebar").click()
    page.get_by_role("link", name="Insights", exact=True).click()
    page.get_by_label("Period", exact=True).select_option(label="A term")
    page.get_by_label("Term", exact=True).select_option(label="Autumn term 2026")
    _show(page)
    expect(page.get_by_role("heading", name="Autumn term 2026", level=2)).to_be_visible()

    charts = page.locator("svg.insights-chart")
    expect(charts).to_have_count(len(CHARTS))
    # Each breakdown chart has its bar: 6 records ticked the topic and the route.
    for key in ("topics", "signposting"):
        expect(page.locator(f"#chart-{key}-desc")).to_contain_text(": ")
        assert page.locator(f"svg[aria-labelledby^='chart-{key}'] rect").count() == 1
    for index in range(len(CHARTS)):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 20, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320 + 0.5, (CHARTS[index], box)
        # Drawn: bars and labels are laid out (a failed SVG has no geometry).
        assert chart.evaluate("svg => svg.getBBox().width") > 0
    overflow = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert overflow[0] <= overflow[1], f"the page scrolls sideways: {overflow}"
    screenshot(page, "320px")
    assert_accessible(page)
