from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from cms.models import (
    HomePage,
    PolicyPage,
    Rate,
    ServicePage,
    SignpostRoute,
    StandardPage,
    SupervisorPage,
    Topic,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "rates": Rate.objects.count(),
        "topics": Topic.objects.count(),
        "routes": SignpostRoute.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_seed_demo_builds_the_site_from_the_seed_documents(client):
    call_command("seed_demo", stdout=io.StringIO())

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.id
    assert ServicePage.objects.live().count() == 2
    assert PolicyPage.objects.live().count() == 1
    assert set(StandardPage.objects.values_list("slug", flat=True)) == {
        "privacy",
        "accessibility",
        "consultation-hub",
    }
    assert Topic.objects.count() == 13
    assert SignpostRoute.objects.count() == 5
    assert SignpostRoute.objects.filter(
        destination="The Child Protection Consultation Hub"
    ).exists()
    assert sorted((r.duration_minutes, str(r.price)) for r in Rate.objects.in_force()) == [
        (60, "60.00"),
        (60, "60.00"),
        (90, "80.00"),
        (90, "80.00"),
    ]
    supervisors = SupervisorPage.objects.live()
    assert supervisors.count() >= 6
    assert all(s.user is not None for s in supervisors)
    assert supervisors.filter(accepting_bookings=False).exists()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo-supervision-2026")
    for url in ("/", "/supervisors/", "/dsl-supervision/", "/supervision-policy/", "/privacy/"):
        assert client.get(url).status_code == 200, url


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=io.StringIO())
    before = _counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


def test_seed_demo_if_empty_leaves_existing_site_alone(site_tree):
    before = _counts()
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    assert _counts() == before
