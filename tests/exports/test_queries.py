"""Each export runs the same, literal number of queries for 1 and for 3 sessions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.helpers.exports import EXPORTS, add_sessions, book_through_form
from workflows.enums import SessionStatus
from workflows.models import Session

pytestmark = pytest.mark.django_db

# Sign-in checks, the site setting, the export's own streamed query (one per sheet) and the
# audit line: none of them grow with the number of rows.
EXPECTED = {
    "bookings": 12,
    "sessions": 12,
    "invoices": 19,  # lines and summary sheets, plus the notice-window setting
    "utilisation": 12,
}


def _queries_for(client, service, export: str, sessions: int) -> int:
    from django.test import Client

    booking = book_through_form(
        Client(),
        service,
        school_name=f"School {sessions}",
        school_urn="111111",
        supervisee_name="Ann Smith",
        work_email=f"ann{sessions}@example.org",
    )
    made = add_sessions(booking, [7 + 7 * i for i in range(sessions)], 60)
    Session.objects.filter(pk__in=[s.pk for s in made]).update(status=SessionStatus.HELD)
    today = timezone.localdate()
    data = {
        "export": export,
        "date_from": today.isoformat(),
        "date_to": (today + datetime.timedelta(days=40)).isoformat(),
        "supervisor": "",
        "school": "",
        "service": "",
        "state": "",
    }
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(EXPORTS, data)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("sessions", [1, 3])
@pytest.mark.parametrize("export", sorted(EXPECTED))
def test_export_query_count_is_the_same_for_one_and_three_sessions(
    staff_client, service, export, sessions
):
    count = _queries_for(staff_client, service, export, sessions)
    assert count == EXPECTED[export]
