"""Past the retention period a record's content is removed, its metadata kept, with an audit line;
nothing is deleted."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from records.models import Addendum, RecordAction, SessionRecord
from records.services import add_addendum
from records.tasks import apply_record_retention
from tests.helpers.records import make_record, submitted_record
from tests.helpers.service import login
from workflows.models import Session

pytestmark = pytest.mark.django_db


def _age(record: SessionRecord, days: int) -> None:
    start = timezone.now() - datetime.timedelta(days=days)
    Session.objects.filter(pk=record.session_id).update(
        start=start, end=start + datetime.timedelta(hours=1)
    )


def _raw(record: SessionRecord, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM records_sessionrecord WHERE id = %s", [record.pk])  # noqa: S608 - column names are literals in this file
        return cursor.fetchone()[0]


def test_content_is_encrypted_at_rest(records_site):
    record = submitted_record(records_site)
    assert _raw(record, "reflections").startswith("enc1:")
    assert "thresholds" not in _raw(record, "reflections")
    assert "Risk management" not in _raw(record, "topics")


def test_retention_removes_content_keeps_metadata_and_audits(client, records_site, settings):
    settings.RECORD_RETENTION_DAYS = 30
    old = submitted_record(records_site)
    add_addendum(record=old, text="A later correction.", confirmed=set(), actor=records_site.user_a)
    recent = submitted_record(records_site, number=2)
    never_written = make_record(records_site, number=3)
    _age(old, 31)
    _age(never_written, 40)
    submitted_at = SessionRecord.objects.get(pk=old.pk).submitted_at

    assert apply_record_retention() == 2
    assert apply_record_retention() == 0

    old = SessionRecord.objects.get(pk=old.pk)
    assert old.content_removed_at is not None
    assert (old.reflections, old.topics, old.attendees, old.signposting, old.answers) == (
        "",
        "",
        "",
        "",
        "",
    )
    assert old.next_session_date is None
    assert old.submitted_at == submitted_at and old.due_date and old.session_id
    assert old.case.state.key == "content_removed"
    assert list(RecordAction.objects.filter(record=old).values_list("description", flat=True)) == [
        ""
    ]
    assert list(Addendum.objects.filter(record=old).values_list("text", flat=True)) == [""]
    recent = SessionRecord.objects.get(pk=recent.pk)
    assert recent.content_removed_at is None and recent.reflections
    assert SessionRecord.objects.count() == 3  # nothing deleted

    lines = AuditEvent.objects.filter(action="records.record.anonymised").order_by("id")
    assert [(e.target_id, e.data["retention_days"]) for e in lines] == [
        (str(old.pk), 30),
        (str(never_written.pk), 30),
    ]
    assert lines[0].data["actions_blanked"] == 1 and lines[0].data["addenda_blanked"] == 1

    login(client, records_site.user_a)
    html = client.get(reverse("records_admin:detail", args=[old.pk])).content.decode()
    assert "content of this record was removed" in html
    assert client.get(reverse("records_admin:pdf", args=[old.pk])).status_code == 404
