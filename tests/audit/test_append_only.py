"""The audit log cannot be edited: by the ORM anywhere, and on PostgreSQL by any SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.services import log_event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db) -> AuditEvent:
    return log_event(action="accounts.login.succeeded", actor_label="sam", data={"n": 1})


def test_the_orm_refuses_to_change_or_delete_events(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "accounts.login.succeeded"


def _raw(sql: str, params: list | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_raw_update_delete_and_truncate_on_postgresql(event):
    """On PostgreSQL a trigger refuses the SQL itself; SQLite relies on the ORM guard above."""
    if connection.vendor == "postgresql":
        # pytest-django's flush after a transactional test switches the TRUNCATE trigger
        # off (tests/conftest.py); make sure this test sees the migration's state.
        _raw("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_truncate")
        for sql in (
            "UPDATE audit_auditevent SET action = 'tampered'",
            "DELETE FROM audit_auditevent",
            "TRUNCATE audit_auditevent",
        ):
            with pytest.raises(DatabaseError, match="append-only"):
                _raw(sql)
    else:
        assert connection.vendor == "sqlite"
        with pytest.raises(PermissionError):
            AuditEvent.objects.all().update(action="tampered")
        with pytest.raises(PermissionError):
            AuditEvent.objects.all().delete()
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["accounts.login.succeeded"]


def test_deleting_a_user_keeps_their_history(db):
    user = UserFactory(username="leaver")
    user_id = user.pk
    log_event(action="accounts.login.succeeded", actor=user)
    user.delete()
    event = AuditEvent.objects.get(action="accounts.login.succeeded")
    assert (event.actor_id, event.actor_label) == (user_id, "leaver")
