"""A supervisee downloads everything held about them, as JSON and as PDF, and nothing else."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from records.services import RecordContent, submit_record
from tests.helpers.records import OTHER_SUPERVISEE_EMAIL, SUPERVISEE_EMAIL, make_record
from workflows.services.tokens import issue_token

pytestmark = pytest.mark.django_db


def _shared(records_site, **kw):
    record = make_record(records_site, **kw)
    return submit_record(
        record=record,
        content=RecordContent(
            attendees=["Designated Safeguarding Lead"],
            topics=["Risk management"],
            reflections=f"Reflections on thresholds, booking {kw.get('number', 1)}.",
        ),
        confirmed=set(),
        actor=record.session.supervisor.user,
    )


def test_download_everything_as_json_and_pdf(client, records_site):
    mine = _shared(records_site)
    theirs = _shared(
        records_site,
        email=OTHER_SUPERVISEE_EMAIL,
        number=2,
        supervisor=records_site.service.supervisor_b,
    )
    token = issue_token(email=SUPERVISEE_EMAIL)

    response = client.get(reverse("records:my_data", args=[token, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-supervision-data.json"'
    data = json.loads(response.content)
    assert data["email"] == SUPERVISEE_EMAIL
    assert [b["reference"] for b in data["bookings"]] == [mine.session.booking.reference]
    assert [r["reference"] for r in data["session_records"]] == [mine.reference]
    assert data["session_records"][0]["reflections"] == "Reflections on thresholds, booking 1."
    assert theirs.reference not in response.content.decode()
    assert OTHER_SUPERVISEE_EMAIL not in response.content.decode()

    pdf = client.get(reverse("records:my_data", args=[token, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="records.subject_access.downloaded").count() == 2


def test_download_needs_a_live_link_and_a_known_format(client, records_site):
    _shared(records_site)
    token = issue_token(email=SUPERVISEE_EMAIL)
    assert client.get(reverse("records:my_data", args=["x" * 43, "json"])).status_code == 404
    assert client.get(reverse("records:my_data", args=[token, "xml"])).status_code == 404
    assert not AuditEvent.objects.filter(action="records.subject_access.downloaded").exists()
