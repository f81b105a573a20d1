"""django-q2 tasks for records. Each delegates to a service and is safe to re-run.

Each is a ``system_task``: the steps it takes (e.g. "remove content") run as the system.
"""

from __future__ import annotations

from records.services import apply_retention, send_overdue_reminders
from records.services import request_records_for_held_sessions as request_records
from workflows.services.engine import system_task


@system_task
def send_overdue_record_reminders() -> int:
    return send_overdue_reminders()


@system_task
def apply_record_retention() -> int:
    return apply_retention()


@system_task
def request_records_for_held_sessions() -> int:
    """Safety net: a record for every held session that has none (e.g. marked held by hand)."""
    return len(request_records())
