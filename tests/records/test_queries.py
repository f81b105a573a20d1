"""Record listings cost exactly the same number of queries for 1 record as for 3."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import SessionRecord
from tests.helpers.records import make_record, submitted_record
from tests.helpers.service import login
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db

ADMIN_LIST_QUERIES = 17
PORTAL_LIST_QUERIES = 7
DASHBOARD_QUERIES = 26


def _records(site, count: int) -> list:
    return [submitted_record(site, number=n) for n in range(1, count + 1)]


@pytest.mark.parametrize("count", [1, 3])
def test_admin_listing_queries(client, records_site, django_assert_num_queries, count):
    records = _records(records_site, count)
    login(client, records_site.staff)
    client.get(reverse("records_admin:list"))  # warm caches (site, settings, permissions)
    with django_assert_num_queries(ADMIN_LIST_QUERIES):
        html = client.get(reverse("records_admin:list")).content.decode()
    assert all(r.reference in html for r in records)


@pytest.mark.parametrize("count", [1, 3])
def test_portal_listing_queries(client, records_site, django_assert_num_queries, count):
    records = _records(records_site, count)
    token = issue_token(email=records[0].session.booking.supervisee_email)
    client.get(reverse("records:list", args=[token]))
    with django_assert_num_queries(PORTAL_LIST_QUERIES):
        html = client.get(reverse("records:list", args=[token])).content.decode()
    assert all(r.reference in html for r in records)


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_panel_queries(client, records_site, django_assert_num_queries, count):
    for number in range(1, count + 1):
        make_record(records_site, number=number)
    SessionRecord.objects.update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    login(client, records_site.staff)
    client.get(reverse("wagtailadmin_home"))
    with django_assert_num_queries(DASHBOARD_QUERIES):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert html.count('href="/admin/records/') >= count
