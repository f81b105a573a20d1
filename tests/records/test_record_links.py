"""Issue 13, finding 8: a link emailed for one record opens that record (and its PDF) only:
never the portal, the record list, other records or the data downloads. Its page offers a
way to ask for a portal link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers.records import LINK, submitted_record

pytestmark = pytest.mark.django_db


def test_a_record_link_opens_only_that_record(
    client, records_site, mailoutbox, django_capture_on_commit_callbacks
):
    earlier = submitted_record(records_site, number=2)
    with django_capture_on_commit_callbacks(execute=True):
        record = submitted_record(records_site)
    token, record_id = LINK.search(mailoutbox[-1].body).groups()
    assert int(record_id) == record.pk

    page = client.get(reverse("records:detail", args=[token, record.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("workflows:request_link") in body
    assert "ask for a link to your bookings" in body
    assert f'href="{reverse("workflows:portal", args=[token])}"' not in body
    assert f'href="{reverse("records:list", args=[token])}"' not in body
    assert client.get(reverse("records:pdf", args=[token, record.pk])).status_code == 200

    for url in (
        reverse("workflows:portal", args=[token]),
        reverse("records:list", args=[token]),
        reverse("records:detail", args=[token, earlier.pk]),
        reverse("records:pdf", args=[token, earlier.pk]),
        reverse("records:my_data", args=[token, "json"]),
        reverse("records:my_data", args=[token, "pdf"]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Jo Bloggs" not in response.content.decode()
