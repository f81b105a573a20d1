"""Writes that span several content rows: role groups and their permissions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from audit.services import log_event
from cms.models import SupervisorPage

SERVICE_STAFF = "Service staff"
SUPERVISORS = "Supervisors"

# Model permissions (app_label.codename) each role group holds. Other apps add theirs by
# extending these through ``ensure_role_groups(extra=...)``.
SERVICE_STAFF_PERMISSIONS = [
    "wagtailadmin.access_admin",
    *(
        f"cms.{action}_{model}"
        for model in ("rate", "topic", "signpostroute", "audiencerole", "servicesettings")
        for action in ("add", "change", "delete", "view")
    ),
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
    # Admin → Audit log: search and export the sign-in and activity history.
    "audit.view_auditevent",
]
SUPERVISOR_PERMISSIONS = ["wagtailadmin.access_admin"]


def _permissions(names: list[str]) -> list[Permission]:
    perms = []
    for name in names:
        app_label, codename = name.split(".", 1)
        perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return perms


@transaction.atomic
def ensure_role_groups(*, extra: dict[str, list[str]] | None = None) -> dict[str, Group]:
    """Create or top up the role groups; never removes a permission staff granted by hand."""
    extra = extra or {}
    wanted = {
        SERVICE_STAFF: SERVICE_STAFF_PERMISSIONS + extra.get(SERVICE_STAFF, []),
        SUPERVISORS: SUPERVISOR_PERMISSIONS + extra.get(SUPERVISORS, []),
    }
    groups: dict[str, Group] = {}
    for name, perm_names in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(perm_names))
        groups[name] = group

    staff = groups[SERVICE_STAFF]
    root = Page.get_first_root_node()
    if root is not None:
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
            GroupPagePermission.objects.get_or_create(
                group=staff,
                page=root,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    collection = Collection.get_first_root_node()
    if collection is not None:
        for app_label, codename in (
            ("wagtailimages", "add_image"),
            ("wagtailimages", "change_image"),
            ("wagtailimages", "choose_image"),
            ("wagtaildocs", "add_document"),
            ("wagtaildocs", "change_document"),
            ("wagtaildocs", "choose_document"),
        ):
            GroupCollectionPermission.objects.get_or_create(
                group=staff,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    return groups


class SupervisorAccountError(Exception):
    """A link between an account and a supervisor profile that cannot be made."""


@transaction.atomic
def link_supervisor_account(
    *, supervisor: Any, user: Any | None, actor: Any, request: Any = None
) -> bool:
    """Link ``user`` to the supervisor profile (or unlink with ``None``); audited.

    This is the only writer of ``SupervisorPage.user``: that field decides whose bookings and
    records an account reaches, so it is user administration, never page content. The
    profile's row is locked; linking nothing new changes and logs nothing. Returns whether
    the link changed.
    """
    locked = (
        SupervisorPage.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=supervisor.pk)
    )
    previous = locked.user
    if (previous.pk if previous else None) == (user.pk if user else None):
        return False
    if user is not None:
        other = SupervisorPage.objects.filter(user=user).exclude(pk=locked.pk).first()
        if other is not None:
            raise SupervisorAccountError(
                f"{user.get_username()} is already linked to {other.title}; unlink it there first."
            )
    SupervisorPage.objects.filter(pk=locked.pk).update(user=user)
    log_event(
        action="cms.supervisor.account_linked" if user else "cms.supervisor.account_unlinked",
        actor=actor,
        target=locked,
        request=request,
        data={
            "previous": previous.get_username() if previous else None,
            "account": user.get_username() if user else None,
        },
    )
    return True
