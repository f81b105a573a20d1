"""Writes that span several content rows: role groups and their permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

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
