"""Who may do what is audited whenever it changes, by whichever screen or command."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.factories.accounts import GroupFactory
from tests.mfa import verified_login

pytestmark = pytest.mark.django_db


def events(action: str) -> list[tuple[str, str, dict]]:
    return [
        (e.actor_label, e.target_label, e.data)
        for e in AuditEvent.objects.filter(action=action).order_by("id")
    ]


def test_adding_and_removing_a_user_from_a_group_is_audited():
    user = UserFactory(username="sam")
    group = GroupFactory(name="Reviewers")
    user.groups.add(group)
    group.user_set.remove(user)
    user.groups.add(group)
    user.groups.clear()
    assert events("accounts.permissions.user_groups_changed") == [
        ("", "sam", {"added": ["Reviewers"]}),
        ("", "sam", {"removed": ["Reviewers"]}),
        ("", "sam", {"added": ["Reviewers"]}),
        ("", "sam", {"cleared": ["Reviewers"]}),
    ]


def test_group_permission_changes_are_audited():
    group = GroupFactory(name="Reviewers")
    perm = Permission.objects.get(codename="view_auditevent")
    group.permissions.add(perm)
    group.permissions.remove(perm)
    assert events("accounts.permissions.group_permissions_changed") == [
        ("", "Reviewers", {"added": ["audit.view_auditevent"]}),
        ("", "Reviewers", {"removed": ["audit.view_auditevent"]}),
    ]


def test_superuser_flag_changes_are_audited():
    user = UserFactory(username="sam")
    user.is_superuser = True
    user.save()
    user.first_name = "Samantha"
    user.save()  # no flag changed: no event
    assert events("accounts.permissions.user_flags_changed") == [
        ("", "sam", {"is_active": [None, True]}),
        ("", "sam", {"is_superuser": [False, True]}),
    ]


def test_wagtail_page_permissions_are_audited():
    group = GroupFactory(name="Reviewers")
    root = Page.get_first_root_node()
    perm = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    gpp = GroupPagePermission.objects.create(group=group, page=root, permission=perm)
    gpp.delete()
    assert [e[2] for e in events("accounts.permissions.group_permissions_changed")] == [
        {"added": ["wagtailcore.publish_page"], "page": "Root"},
        {"removed": ["wagtailcore.publish_page"], "page": "Root"},
    ]


def test_a_change_made_in_the_admin_names_who_made_it(client, admin_user):
    GroupFactory(name="Reviewers")
    target = UserFactory(username="sam", first_name="Sam", last_name="Smith")
    verified_login(client, admin_user)
    group = Group.objects.get(name="Reviewers")
    response = client.post(
        reverse("wagtailusers_users:edit", args=[target.pk]),
        {
            "username": "sam",
            "email": "sam@example.org",
            "first_name": "Sam",
            "last_name": "Smith",
            "is_active": "on",
            "groups": [group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="accounts.permissions.user_groups_changed")
    assert (event.actor_id, event.actor_label, event.target_label, event.data) == (
        admin_user.pk,
        "admin",
        "sam",
        {"added": ["Reviewers"]},
    )
    assert event.ip_address == "127.0.0.1"
