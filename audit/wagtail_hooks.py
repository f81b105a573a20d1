"""Admin → Audit log, for staff holding ``audit.view_auditevent`` (Service staff)."""

from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from audit.models import AuditEvent
from audit.views import AuditEventViewSet, AuditLogPermissionPolicy

register_permission_policy(AuditEvent, AuditLogPermissionPolicy(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_log_viewset() -> AuditEventViewSet:
    return AuditEventViewSet("audit_log")
