"""Settings → Supervisor accounts: linking an account to a profile is audited user admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditEvent
from cms.models import SupervisorPage
from tests.factories import UserFactory
from tests.helpers.service import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_admin(service):
    """Staff who also hold the account-linking permission."""
    admin = UserFactory(username="user.admin")
    admin.groups.add(service.staff_group)
    admin.user_permissions.add(
        Permission.objects.get(content_type__app_label="cms", codename="link_supervisor_account")
    )
    return admin


def test_holder_of_the_permission_may_link_an_account_and_it_is_audited(
    client, service, user_admin
):
    newcomer = UserFactory(username="new.supervisor")
    login(client, user_admin)
    url = reverse("cms_supervisor_accounts:edit", args=[service.supervisor_a.pk])

    response = client.post(url, {"user": newcomer.pk})

    assert response.status_code == 302
    assert SupervisorPage.objects.get(pk=service.supervisor_a.pk).user == newcomer
    event = AuditEvent.objects.get(action="cms.supervisor.account_linked")
    assert (event.actor, event.target_id, event.data) == (
        user_admin,
        str(service.supervisor_a.pk),
        {"previous": "amira", "account": "new.supervisor"},
    )
    listing = client.get(reverse("cms_supervisor_accounts:list")).content.decode()
    assert "new.supervisor" in listing


def test_unlinking_is_audited_and_the_account_loses_the_supervisors_records(
    client, service, user_admin
):
    login(client, user_admin)
    response = client.post(
        reverse("cms_supervisor_accounts:edit", args=[service.supervisor_a.pk]), {"user": ""}
    )
    assert response.status_code == 302
    assert SupervisorPage.objects.get(pk=service.supervisor_a.pk).user is None
    assert AuditEvent.objects.filter(action="cms.supervisor.account_unlinked").count() == 1


def test_an_account_already_linked_elsewhere_is_refused_and_nothing_changes(
    client, service, user_admin
):
    login(client, user_admin)
    response = client.post(
        reverse("cms_supervisor_accounts:edit", args=[service.supervisor_a.pk]),
        {"user": service.user_b.pk},
    )
    assert response.status_code == 400
    assert "already linked to Daniel Okafor" in response.content.decode()
    assert SupervisorPage.objects.get(pk=service.supervisor_a.pk).user == service.user_a
    assert not AuditEvent.objects.filter(action__startswith="cms.supervisor.").exists()


@pytest.mark.parametrize("who", ["staff", "user_a"])
def test_staff_and_supervisors_without_the_permission_may_not_link(client, service, who):
    login(client, getattr(service, who))
    edit = reverse("cms_supervisor_accounts:edit", args=[service.supervisor_a.pk])
    for response in (
        client.get(reverse("cms_supervisor_accounts:list")),
        client.get(edit),
        client.post(edit, {"user": getattr(service, who).pk}),
    ):
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    assert SupervisorPage.objects.get(pk=service.supervisor_a.pk).user == service.user_a
    assert "Supervisor accounts" not in client.get(reverse("wagtailadmin_home")).content.decode()
