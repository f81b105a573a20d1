"""Admin menus say what they hold: no empty Forms entry, no two kinds of "Workflows"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers.service import booking_post
from tests.mfa import verified_login
from workflows.models import Case

pytestmark = pytest.mark.django_db


def test_menus_show_booking_processes_and_hide_what_is_not_used(service):
    Client().post(service.form_page.url, booking_post(service))
    assert Case.objects.count() == 1
    superuser = verified_login(Client(), UserFactory(is_superuser=True, is_staff=True))

    dashboard = superuser.get(reverse("wagtailadmin_home")).content.decode()
    assert "Booking processes" in dashboard
    # Wagtail's page-moderation workflows (Settings and Reports) are switched off.
    for hidden in ("wagtailadmin_workflows:index", "wagtailadmin_workflows:task_index"):
        assert reverse(hidden) not in dashboard
    assert "/admin/reports/workflow/" not in dashboard
    # The booking form's requests are cases, so it is not offered under Forms (nor is Forms).
    assert reverse("wagtailforms:index") not in dashboard
    forms = superuser.get(reverse("wagtailforms:index")).content.decode()
    assert service.form_page.title not in forms
    editor = superuser.get(reverse("wagtailadmin_pages:edit", args=[service.form_page.pk]))
    assert "submissions" not in editor.content.decode().lower()
