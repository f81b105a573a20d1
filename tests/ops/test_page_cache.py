"""Public pages come from the cache, and the next request after an edit shows the edit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from ops.page_cache import HIT_HEADER
from tests.factories import RateFactory, make_supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("page", ["home", "dsl_service", "index", "profile"])
def test_public_pages_are_served_from_the_cache_the_second_time(client, site_tree, page):
    profile = make_supervisor(site_tree.index, title="Amira Hussain", roles=[site_tree.dsl])
    url = {
        "home": site_tree.home.url,
        "dsl_service": site_tree.dsl_service.url,
        "index": site_tree.index.url,
        "profile": profile.url,
    }[page]
    _get(client, url)  # creates the site settings row on first sight, which purges once
    first = _get(client, url)
    second = _get(client, url)
    assert (first[HIT_HEADER], second[HIT_HEADER]) == ("miss", "hit")
    assert second.content == first.content
    # Headers added outside the cache are fresh on a hit, not stored.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_publishing_a_profile_change_shows_on_the_next_request(client, site_tree):
    profile = make_supervisor(site_tree.index, title="Amira Hussain", roles=[site_tree.dsl])
    _get(client, profile.url)
    _get(client, profile.url)
    _get(client, site_tree.index.url)
    assert _get(client, profile.url)[HIT_HEADER] == "hit"

    profile.job_title = "Designated Safeguarding Lead trainer"
    profile.save_revision().publish()

    fresh = _get(client, profile.url)
    assert fresh[HIT_HEADER] == "miss"
    assert "Designated Safeguarding Lead trainer" in fresh.content.decode()
    assert (
        "Designated Safeguarding Lead trainer" in _get(client, site_tree.index.url).content.decode()
    )


def test_unpublishing_a_profile_removes_it_from_the_index_and_its_url(client, site_tree):
    profile = make_supervisor(site_tree.index, title="Amira Hussain", roles=[site_tree.dsl])
    for _ in range(2):
        _get(client, site_tree.index.url)
        _get(client, profile.url)

    profile.unpublish()

    assert client.get(profile.url).status_code == 404
    assert "Amira Hussain" not in _get(client, site_tree.index.url).content.decode()


def test_moving_a_page_serves_it_at_its_new_address(client, site_tree):
    profile = make_supervisor(site_tree.index, title="Amira Hussain", roles=[site_tree.dsl])
    old_url = profile.url
    for _ in range(2):
        _get(client, old_url)
        _get(client, site_tree.home.url)

    profile.move(site_tree.home, pos="last-child")
    profile.refresh_from_db()

    assert profile.url != old_url
    old = client.get(old_url)  # Wagtail's automatic redirect, not the cached old page
    assert (old.status_code, old["Location"]) == (301, profile.url)
    assert _get(client, profile.url)[HIT_HEADER] == "miss"


def test_a_new_price_shows_on_the_service_page_at_once(client, site_tree):
    url = site_tree.dsl_service.url
    for _ in range(2):
        _get(client, url)
    assert "£95" not in _get(client, url).content.decode()

    RateFactory(
        service=site_tree.dsl_service,
        duration_minutes=60,
        price=Decimal("95.00"),
        valid_from=datetime.date(2026, 2, 1),
    )

    fresh = _get(client, url)
    assert fresh[HIT_HEADER] == "miss"
    assert "£95" in fresh.content.decode()


def test_signed_in_people_and_filtered_forms_are_never_served_a_shared_copy(
    client, admin_client, site_tree
):
    url = site_tree.index.url
    for _ in range(2):
        _get(client, url)
    assert _get(client, url)[HIT_HEADER] == "hit"
    assert HIT_HEADER not in _get(admin_client, url)  # has a session cookie: always fresh
    filtered = _get(client, url + "?role=dsl")
    assert filtered[HIT_HEADER] == "miss"  # a query string is its own entry


def test_the_booking_form_is_never_cached(client, service):
    url = service.form_page.url
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert HIT_HEADER not in response  # it holds a CSRF token
