"""Audit receivers: sign-in, sign-out, lockouts and every change to who may do what.

Permission changes are caught at the model layer (``m2m_changed`` on the group and permission
tables, ``pre_save``/``post_save`` on the user's flags, Wagtail's page and collection
permissions) so they are logged whichever screen, command or shell made them. The acting user
and address come from the request being served (``accounts.middleware.current_request``);
changes made outside a request (commands, migrations of data) are logged with no actor.
"""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED, current_request
from audit.services import log_event

User = get_user_model()
WATCHED_USER_FLAGS = ("is_superuser", "is_staff", "is_active")


def _attempted_username(credentials: dict[str, Any]) -> str:
    # Django has already replaced the password with stars; only the name is kept, cut short.
    return str(credentials.get("username") or "")[:150]


@receiver(user_logged_in, dispatch_uid="accounts_audit_login")
def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SESSION_STARTED] = now
        request.session[SESSION_LAST_SEEN] = now
    log_event(action="accounts.login.succeeded", actor=user, target=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts_audit_login_failed")
def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    log_event(
        action="accounts.login.failed",
        request=request,
        actor_label="",
        data={"username": _attempted_username(credentials)},
    )


@receiver(user_locked_out, dispatch_uid="accounts_audit_locked_out")
def _on_locked_out(sender: Any, request: Any, username: str | None, **_: Any) -> None:
    log_event(
        action="accounts.login.locked_out",
        request=request,
        data={"username": str(username or "")[:150]},
    )


@receiver(user_logged_out, dispatch_uid="accounts_audit_logout")
def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        log_event(action="accounts.logout", actor=user, target=user, request=request)


def _permission_labels(pk_set: set[int] | None) -> list[str]:
    perms = Permission.objects.filter(pk__in=pk_set or ()).select_related("content_type")
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in perms)


def _group_names(pk_set: set[int] | None) -> list[str]:
    return sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))


_M2M_ACTIONS = {"post_add": "added", "post_remove": "removed", "pre_clear": "cleared"}


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="accounts_audit_user_groups")
def _on_user_groups(sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **_: Any):
    if action not in _M2M_ACTIONS:
        return
    request = current_request.get()
    verb = _M2M_ACTIONS[action]
    if not reverse:  # user.groups.add(group)
        groups = (
            list(instance.groups.values_list("name", flat=True))
            if action == "pre_clear"
            else _group_names(pk_set)
        )
        if groups:
            log_event(
                action="accounts.permissions.user_groups_changed",
                target=instance,
                request=request,
                data={verb: sorted(groups)},
            )
        return
    # group.user_set.add(user): one event per user, so each user's history is complete.
    users = (
        list(instance.user_set.all())
        if action == "pre_clear"
        else list(User.objects.filter(pk__in=pk_set or ()))
    )
    for user in users:
        log_event(
            action="accounts.permissions.user_groups_changed",
            target=user,
            request=request,
            data={verb: [instance.name]},
        )


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="accounts_audit_group_perms")
def _on_group_permissions(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **_: Any
) -> None:
    if action not in _M2M_ACTIONS:
        return
    request = current_request.get()
    verb = _M2M_ACTIONS[action]
    if reverse:  # permission.group_set.add(group)
        groups = (
            list(instance.group_set.all())
            if action == "pre_clear"
            else list(Group.objects.filter(pk__in=pk_set or ()))
        )
        label = f"{instance.content_type.app_label}.{instance.codename}"
        for group in groups:
            log_event(
                action="accounts.permissions.group_permissions_changed",
                target=group,
                request=request,
                data={verb: [label]},
            )
        return
    labels = (
        _permission_labels(set(instance.permissions.values_list("pk", flat=True)))
        if action == "pre_clear"
        else _permission_labels(pk_set)
    )
    if labels:
        log_event(
            action="accounts.permissions.group_permissions_changed",
            target=instance,
            request=request,
            data={verb: labels},
        )


@receiver(
    m2m_changed, sender=User.user_permissions.through, dispatch_uid="accounts_audit_user_perms"
)
def _on_user_permissions(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **_: Any
) -> None:
    if action not in _M2M_ACTIONS or reverse:
        return
    labels = (
        _permission_labels(set(instance.user_permissions.values_list("pk", flat=True)))
        if action == "pre_clear"
        else _permission_labels(pk_set)
    )
    if labels:
        log_event(
            action="accounts.permissions.user_permissions_changed",
            target=instance,
            request=current_request.get(),
            data={_M2M_ACTIONS[action]: labels},
        )


@receiver(pre_save, sender=User, dispatch_uid="accounts_audit_user_flags_before")
def _remember_user_flags(sender: Any, instance: Any, raw: bool = False, **_: Any) -> None:
    if raw or instance.pk is None:
        instance._accounts_flags_before = None
        return
    before = sender.objects.filter(pk=instance.pk).values(*WATCHED_USER_FLAGS).first()
    instance._accounts_flags_before = before


@receiver(post_save, sender=User, dispatch_uid="accounts_audit_user_flags_after")
def _on_user_flags(sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any):
    if raw:
        return
    before = getattr(instance, "_accounts_flags_before", None)
    after = {flag: getattr(instance, flag) for flag in WATCHED_USER_FLAGS}
    if created:
        changes = {flag: [None, value] for flag, value in after.items() if value}
    elif before is None:
        return
    else:
        changes = {f: [before[f], after[f]] for f in WATCHED_USER_FLAGS if before[f] != after[f]}
    if changes:
        log_event(
            action="accounts.permissions.user_flags_changed",
            target=instance,
            request=current_request.get(),
            data=changes,
        )


def _wagtail_permission_event(instance: Any, change: str, place: str) -> None:
    log_event(
        action="accounts.permissions.group_permissions_changed",
        target=instance.group,
        request=current_request.get(),
        data={
            change: [
                f"{instance.permission.content_type.app_label}.{instance.permission.codename}"
            ],
            place: str(getattr(instance, place)),
        },
    )


@receiver(post_save, sender=GroupPagePermission, dispatch_uid="accounts_audit_gpp_save")
@receiver(post_save, sender=GroupCollectionPermission, dispatch_uid="accounts_audit_gcp_save")
def _on_wagtail_permission_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any
) -> None:
    if created and not raw:  # raw: fixtures being loaded, not a change anybody made
        place = "page" if sender is GroupPagePermission else "collection"
        _wagtail_permission_event(instance, "added", place)


@receiver(post_delete, sender=GroupPagePermission, dispatch_uid="accounts_audit_gpp_delete")
@receiver(post_delete, sender=GroupCollectionPermission, dispatch_uid="accounts_audit_gcp_del")
def _on_wagtail_permission_deleted(sender: Any, instance: Any, **_: Any) -> None:
    place = "page" if sender is GroupPagePermission else "collection"
    _wagtail_permission_event(instance, "removed", place)
