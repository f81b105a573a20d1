"""The permissions each role group needs for bookings and cases, added to cms's groups."""

from __future__ import annotations

from cms.services import SERVICE_STAFF, SUPERVISORS, ensure_role_groups

_VIEW = [f"workflows.view_{m}" for m in ("case", "booking", "session", "school")]
_EDIT_CONFIG = [
    f"workflows.{action}_{model}"
    for model in ("workflow", "emailtemplate", "agreementwording")
    for action in ("add", "change", "delete", "view")
] + ["workflows.publish_agreementwording"]

WORKFLOW_PERMISSIONS = {
    SERVICE_STAFF: [
        *_VIEW,
        *_EDIT_CONFIG,
        "workflows.act_as_service_staff",
    ],
    SUPERVISORS: _VIEW,
}


def ensure_workflow_permissions() -> None:
    ensure_role_groups(extra=WORKFLOW_PERMISSIONS)
