"""django-q2 tasks for records. Each delegates to a service and is safe to re-run."""

from __future__ import annotations


def send_overdue_record_reminders() -> int:
    from records.services import send_overdue_reminders

    return send_overdue_reminders()


def apply_record_retention() -> int:
    from records.services import apply_retention

    return apply_retention()


def request_records_for_held_sessions() -> int:
    """Safety net: a record for every held session that has none (e.g. marked held by hand)."""
    from records.services import request_records_for_held_sessions as request

    return len(request())
