"""Writing to the audit log. Every layer calls ``log_event``; nothing else writes the table."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models

from audit.models import AuditEvent


def client_ip(request: Any) -> str | None:
    """The client's address: the socket's, or with ``TRUSTED_PROXY_COUNT`` proxies in front,
    the entry those proxies appended to ``X-Forwarded-For`` (never one the client wrote).

    django-axes uses this too (``AXES_CLIENT_IP_CALLABLE``), so a lockout by address counts
    the real client rather than the proxy everybody shares.
    """
    if request is None:
        return None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR") or "")


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def log_event(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    request: Any = None,
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction so it rolls back with it."""
    request_user = getattr(request, "user", None)
    if actor is None and request_user is not None and request_user.is_authenticated:
        actor = request_user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    label = actor_label or (actor.get_username() if actor is not None else "")
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=label[:255],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:255],
        ip_address=client_ip(request),
        data=data or {},
    )
