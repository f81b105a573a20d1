"""Public pages: creation rules, rendering, prices from rates, the supervisor filter."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Page

from cms.models import (
    HomePage,
    PolicyPage,
    ServicePage,
    StandardPage,
    SupervisorIndexPage,
    SupervisorPage,
    format_price,
)
from tests.factories import RateFactory, make_policy, make_supervisor

pytestmark = pytest.mark.django_db


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (HomePage, Page, True),
        (ServicePage, HomePage, True),
        (SupervisorIndexPage, HomePage, True),
        (PolicyPage, HomePage, True),
        (StandardPage, HomePage, True),
        (SupervisorPage, SupervisorIndexPage, True),
        (SupervisorPage, HomePage, False),
        (SupervisorPage, ServicePage, False),
        (ServicePage, SupervisorIndexPage, False),
        (ServicePage, ServicePage, False),
        (PolicyPage, SupervisorIndexPage, False),
        (HomePage, HomePage, False),
    ],
)
def test_page_type_may_only_live_under_its_parents(child, parent, allowed):
    assert (child in parent.allowed_subpage_models()) is allowed
    assert (parent in child.allowed_parent_page_models()) is allowed


def test_home_and_index_are_singletons(site_tree):
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert not SupervisorIndexPage.can_create_at(site_tree.home)


def test_format_price_reads_like_the_rate_card():
    assert format_price(Decimal("60.00"), 60) == "£60 per 60 minutes"
    assert format_price(Decimal("80"), 90) == "£80 per 90 minutes"
    assert format_price(Decimal("62.50"), 60) == "£62.50 per 60 minutes"


def test_service_page_shows_prices_from_rates(client, site_tree):
    response = client.get(site_tree.dsl_service.url)
    prices = [li.get_text(strip=True) for li in _soup(response).select(".prices li")]
    assert prices == ["£60 per 60 minutes", "£80 per 90 minutes"]


def test_rate_change_shows_on_service_and_profile_pages(client, site_tree):
    supervisor = make_supervisor(site_tree.index, services=[site_tree.dsl_service])
    RateFactory(
        service=site_tree.dsl_service,
        duration_minutes=60,
        price=Decimal("65.00"),
        valid_from=datetime.date.today(),
    )
    # A future price is not shown until its day comes.
    RateFactory(
        service=site_tree.dsl_service,
        duration_minutes=90,
        price=Decimal("99.00"),
        valid_from=datetime.date.today() + datetime.timedelta(days=1),
    )
    for url in (site_tree.dsl_service.url, supervisor.url):
        prices = [li.get_text(strip=True) for li in _soup(client.get(url)).select(".prices li")]
        assert prices == ["£65 per 60 minutes", "£80 per 90 minutes"], url


def test_supervisor_profile_shows_who_they_support_and_booking_status(client, site_tree):
    open_page = make_supervisor(
        site_tree.index,
        title="Amira Hussain",
        roles=[site_tree.dsl, site_tree.attendance],
        services=[site_tree.dsl_service],
        specialisms=["Primary schools", "Well-being"],
    )
    closed_page = make_supervisor(site_tree.index, title="Gareth Evans", accepting_bookings=False)

    soup = _soup(client.get(open_page.url))
    text = soup.get_text(" ", strip=True)
    assert "Designated Safeguarding Lead" in text
    assert "Attendance lead" in text
    assert [li.get_text() for li in soup.select(".tags li")] == ["Primary schools", "Well-being"]
    assert soup.select_one(".status--open").get_text(strip=True) == "Accepting bookings"

    closed = _soup(client.get(closed_page.url))
    assert closed.select_one(".status--closed") is not None
    assert closed.select_one(".status--open") is None


def test_index_filters_by_role_and_service(client, site_tree):
    make_supervisor(
        site_tree.index, title="Dee Dsl", roles=[site_tree.dsl], services=[site_tree.dsl_service]
    )
    make_supervisor(
        site_tree.index,
        title="Ada Attendance",
        roles=[site_tree.attendance],
        services=[site_tree.attendance_service],
    )
    make_supervisor(
        site_tree.index,
        title="Both Roles",
        roles=[site_tree.dsl, site_tree.welfare],
        services=[site_tree.dsl_service, site_tree.attendance_service],
    )

    def names(query: str) -> list[str]:
        soup = _soup(client.get(site_tree.index.url + query))
        return [a.get_text() for a in soup.select(".cards h3 a")]

    assert names("") == ["Ada Attendance", "Both Roles", "Dee Dsl"]
    assert names("?role=dsl") == ["Both Roles", "Dee Dsl"]
    assert names("?role=school-welfare-officer") == ["Both Roles"]
    assert names(f"?service={site_tree.attendance_service.id}") == ["Ada Attendance", "Both Roles"]
    assert names(f"?role=dsl&service={site_tree.attendance_service.id}") == ["Both Roles"]
    # Unknown filter values are ignored rather than erroring or emptying the list.
    assert names("?role=nonsense&service=99999") == ["Ada Attendance", "Both Roles", "Dee Dsl"]
    assert names("?service=%3Cscript%3E") == ["Ada Attendance", "Both Roles", "Dee Dsl"]


def test_index_filter_keeps_the_choice_selected(client, site_tree):
    soup = _soup(client.get(site_tree.index.url + "?role=dsl"))
    assert soup.select_one("#filter-role option[selected]")["value"] == "dsl"
    assert soup.select_one("label[for=filter-role]") is not None
    assert soup.select_one("label[for=filter-service]") is not None


def test_unpublished_supervisor_is_not_listed(client, site_tree):
    page = make_supervisor(site_tree.index, title="Draft Person")
    page.unpublish()
    assert "Draft Person" not in client.get(site_tree.index.url).content.decode()
    assert client.get(page.url or "/supervisors/draft-person/").status_code == 404


def test_policy_review_date_must_follow_start(site_tree):
    policy = make_policy(site_tree.home)
    policy.review_by = policy.effective_from - datetime.timedelta(days=1)
    with pytest.raises(Exception, match="review date must be after"):
        policy.full_clean()


def test_every_page_has_skip_link_landmarks_and_one_h1(client, site_tree):
    supervisor = make_supervisor(site_tree.index, services=[site_tree.dsl_service])
    policy = make_policy(site_tree.home)
    for page in (site_tree.home, site_tree.dsl_service, site_tree.index, supervisor, policy):
        soup = _soup(client.get(page.url))
        skip = soup.select_one("a.skip-link")
        assert skip is not None and skip["href"] == "#main-content", page.url
        assert soup.select_one("main#main-content") is not None
        assert soup.html["lang"] == "en-GB"
        assert len(soup.find_all("h1")) == 1
        assert soup.select_one('meta[name="viewport"]') is not None


def test_index_ignores_odd_numbers_in_filters(client, site_tree):
    make_supervisor(site_tree.index, title="Dee Dsl", roles=[site_tree.dsl])
    for value in ("\u00b2", "9" * 40, "-1", "1e3", "\u0661"):
        response = client.get(site_tree.index.url, {"service": value})
        assert response.status_code == 200, value
        assert "Dee Dsl" in response.content.decode()
