"""Default set-up for Insights: who may see it, and counting records submitted before it."""

from __future__ import annotations

from django.db import transaction

from cms.services import SERVICE_STAFF, ensure_role_groups
from insights.services import tally_untallied_records

#: Service staff see Insights; supervisors do not (grant it to named people by hand if needed).
INSIGHTS_PERMISSIONS = {SERVICE_STAFF: ["insights.view_insights"]}


@transaction.atomic
def install_insights_defaults() -> int:
    """Grant the permission to Service staff and tally records not yet counted. Idempotent."""
    ensure_role_groups(extra=INSIGHTS_PERMISSIONS)
    return tally_untallied_records()
