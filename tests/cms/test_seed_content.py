"""Content from the seed documents reaches new and existing demo sites, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cms.models import AudienceRole, HomePage, ServicePage, ServiceSettings, StandardPage

pytestmark = pytest.mark.django_db

SEED_PHRASES = {
    "home": ["Recommendation 45 of Lord Laming", "Serious Case Reviews"],
    "dsl-supervision": [
        "occupationally competent supervisor",
        "ensure legislation, policies and procedures are understood and followed",
        "offer advice and guidance on complex cases",
        'href="/consultation-hub/"',
    ],
    "attendance-supervision": ["occupationally competent supervisor", "Where the price comes from"],
}


def _html(client, url: str) -> str:
    return client.get(url).content.decode()


def test_seed_demo_publishes_the_seed_content(client):
    call_command("seed_demo", stdout=io.StringIO())
    assert all(p in _html(client, "/") for p in SEED_PHRASES["home"])
    for slug in ("dsl-supervision", "attendance-supervision"):
        html = _html(client, ServicePage.objects.get(slug=slug).url)
        assert [p for p in SEED_PHRASES[slug] if p not in html] == []
    hub = _html(client, "/consultation-hub/")
    assert "How to reach the Consultation Hub" in hub
    assert "separate from supervision" in hub
    role = AudienceRole.objects.get(slug="school-attendance-officer")
    assert role.name == "School attendance officer"
    assert role in ServicePage.objects.get(slug="attendance-supervision").roles_supported.all()
    settings = ServiceSettings.load()
    assert (settings.privacy_page.slug, settings.accessibility_page.slug) == (
        "privacy",
        "accessibility",
    )


def test_seed_demo_tops_up_an_existing_site_once(client):
    call_command("seed_demo", stdout=io.StringIO())
    home = HomePage.objects.get()
    home.body = home.body.split("<h2>Why supervision matters</h2>")[0]  # a site from before
    home.save_revision().publish()
    AudienceRole.objects.filter(slug="school-attendance-officer").delete()
    StandardPage.objects.filter(slug="consultation-hub").delete()

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    assert HomePage.objects.get().body.count("Recommendation 45") == 1
    dsl = ServicePage.objects.get(slug="dsl-supervision")
    assert dsl.purpose.count("offer advice and guidance on complex cases") == 1
    assert AudienceRole.objects.filter(slug="school-attendance-officer").count() == 1
    assert StandardPage.objects.filter(slug="consultation-hub").count() == 1
