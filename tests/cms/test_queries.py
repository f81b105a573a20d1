"""Public pages issue a constant number of queries, whatever the amount of content."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_image, make_policy, make_supervisor

pytestmark = pytest.mark.django_db

# Exact queries per page, the same for 1 and 3 supervisors; measured, then fixed here so any
# change (up or down) is seen and explained. The index page's ceiling is PAGE_QUERY_BUDGET.
PAGE_QUERY_BUDGET = 20
PAGE_QUERIES = {
    "home": 11,
    "service": 16,
    "supervisor index": 19,
    "index by role": 19,
    "profile": 18,
    "policy": 10,
}


def _populate(site_tree, count: int) -> None:
    for n in range(count):
        make_supervisor(
            site_tree.index,
            title=f"Supervisor {n:03d}",
            roles=[site_tree.dsl, site_tree.attendance],
            services=[site_tree.dsl_service, site_tree.attendance_service],
            specialisms=[f"Specialism {n}", "Thresholds"],
            photo=make_image(f"Photo {n}"),
        )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_supervisor_index_queries_do_not_grow_with_supervisors(client, site_tree):
    _populate(site_tree, 5)
    client.get(site_tree.index.url)  # warm the renditions, as a live site has them
    few = _count(client, site_tree.index.url)
    for n in range(45):
        make_supervisor(
            site_tree.index,
            title=f"Extra {n:03d}",
            roles=[site_tree.welfare],
            services=[site_tree.attendance_service],
            specialisms=[f"Extra specialism {n}"],
            photo=make_image(f"Extra photo {n}"),
        )
    client.get(site_tree.index.url)
    many = _count(client, site_tree.index.url)
    assert many == few
    assert many <= PAGE_QUERY_BUDGET


@pytest.mark.parametrize("supervisors", [1, 3])
def test_public_pages_cost_an_exact_number_of_queries(client, site_tree, supervisors):
    _populate(site_tree, supervisors)
    policy = make_policy(site_tree.home)
    profile = site_tree.index.get_children().live().first().specific
    urls = {
        "home": site_tree.home.url,
        "service": site_tree.dsl_service.url,
        "supervisor index": site_tree.index.url,
        "index by role": site_tree.index.url + "?role=dsl",
        "profile": profile.url,
        "policy": policy.url,
    }
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm the renditions, as a live site has them
        counts[name] = _count(client, url)
    assert counts == PAGE_QUERIES
