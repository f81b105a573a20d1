"""Who counts as service staff: the one definition every scoping rule uses."""

from __future__ import annotations

from typing import Any


def is_service_staff(user: Any) -> bool:
    """Superusers and anyone holding ``workflows.act_as_service_staff`` (the staff group)."""
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or user.has_perm("workflows.act_as_service_staff"))
    )
