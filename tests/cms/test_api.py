"""The headless API exposes the content a front end or partner site needs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.factories import RateFactory, make_policy, make_supervisor

pytestmark = pytest.mark.django_db


def test_pages_api_returns_profile_fields(client, site_tree):
    make_supervisor(
        site_tree.index,
        title="Amira Hussain",
        roles=[site_tree.dsl],
        services=[site_tree.dsl_service],
        specialisms=["Well-being"],
    )
    response = client.get("/api/v2/pages/", {"type": "cms.SupervisorPage", "fields": "*"})
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["title"] == "Amira Hussain"
    assert item["job_title"] == "Child Protection School Liaison Officer"
    assert item["roles_supported_names"] == ["Designated Safeguarding Lead"]
    assert item["service_titles"] == ["DSL supervision"]
    assert item["specialism_names"] == ["Well-being"]
    assert item["accepting_bookings"] is True
    assert "<p>" in item["biography"]


def test_pages_api_returns_service_and_policy_fields(client, site_tree):
    make_policy(site_tree.home, version="2026.2")
    service = client.get(f"/api/v2/pages/{site_tree.dsl_service.id}/").json()
    assert service["summary"] == "About DSL supervision."
    assert service["roles_supported_names"] == ["Designated Safeguarding Lead"]
    assert [r["label"] for r in service["current_rates"]] == [
        "£60 per 60 minutes",
        "£80 per 90 minutes",
    ]
    policies = client.get("/api/v2/pages/", {"type": "cms.PolicyPage", "fields": "*"}).json()
    assert policies["items"][0]["version"] == "2026.2"
    assert policies["items"][0]["effective_from"] == "2026-01-01"


def test_rates_endpoint_lists_only_prices_in_force(client, site_tree):
    RateFactory(
        service=site_tree.dsl_service,
        duration_minutes=60,
        price=Decimal("70.00"),
        valid_from=datetime.date.today() + datetime.timedelta(days=30),
    )
    items = client.get("/api/v2/rates/").json()["items"]
    assert sorted((i["service_id"], i["duration_minutes"], i["price"]) for i in items) == sorted(
        [
            (site_tree.dsl_service.id, 60, "60.00"),
            (site_tree.dsl_service.id, 90, "80.00"),
            (site_tree.attendance_service.id, 60, "60.00"),
            (site_tree.attendance_service.id, 90, "80.00"),
        ]
    )


def test_rates_endpoint_is_read_only(client, site_tree):
    response = client.post("/api/v2/rates/", {"price": "1.00"})
    assert response.status_code == 405


def test_images_endpoint_is_exposed(client, site_tree):
    assert client.get("/api/v2/images/").status_code == 200
