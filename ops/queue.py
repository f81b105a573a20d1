"""Putting a task on the queue without letting a lost broker break the request.

Every task this site queues is backed by a database row that says what is left to do (an
unsent ``OutboundEmail``, a queued ``ExportJob``), and a schedule sweeps those rows. So when
Redis is down the right thing is to log, answer the person, and let the sweep do the work
once the broker is back: the task waits in the database, it does not vanish.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

BROKER_ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError)


def enqueue(func: str, *args: Any, task_name: str, **kwargs: Any) -> str | None:
    """``async_task`` that returns ``None`` instead of raising when the broker is unreachable.

    In sync mode (tests, ``Q_SYNC``) the task runs inline and its own errors propagate.
    """
    from django_q.tasks import async_task

    if settings.Q_CLUSTER.get("sync"):
        return async_task(func, *args, task_name=task_name, **kwargs)
    try:
        return async_task(func, *args, task_name=task_name, **kwargs)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Task queue unavailable (%s); %s waits in the database for the sweep.",
            type(exc).__name__,
            task_name,
            extra={"task": task_name},
        )
        return None
