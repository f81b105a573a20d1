"""Reactions to the booking domain's signals (connected in ``RecordsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from records.services import RecordError, request_records_for_held_sessions
from workflows.errors import ActionError
from workflows.signals import sessions_held


@receiver(sessions_held, dispatch_uid="records.request_records_when_sessions_held")
def request_records_when_sessions_held(
    sender: Any, *, session_ids: list[int], actor: Any = None, **kwargs: Any
) -> None:
    """Each session just marked held gets its record request, in the same transaction.

    A refusal becomes an ``ActionError``, which the workflow engine shows to the person who
    pressed "Mark past sessions held" and rolls the whole step back.
    """
    try:
        request_records_for_held_sessions(session_ids=session_ids, actor=actor)
    except RecordError as exc:
        raise ActionError(str(exc)) from exc
