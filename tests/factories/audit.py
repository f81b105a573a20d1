"""factory_boy factory for audit lines (append-only: made, never changed)."""

from __future__ import annotations

import factory

from audit.models import AuditEvent


class AuditEventFactory(factory.django.DjangoModelFactory):
    """An audit line written directly; code under test writes them with ``log_event``."""

    class Meta:
        model = AuditEvent

    action = "tests.event.made"
