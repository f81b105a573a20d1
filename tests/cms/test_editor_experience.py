"""Editors get help text on every field and cannot put pages in the wrong place."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import Page

from cms.models import SupervisorPage
from tests.factories import UserFactory

# Fields Wagtail or Django own; their help is Wagtail's concern, not ours.
INHERITED = {f.name for f in Page._meta.get_fields()} | {"id", "page_ptr", "site", "content_object"}


def test_every_editable_field_of_our_content_models_has_help_text():
    missing = []
    for model in apps.get_app_config("cms").get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not getattr(field, "editable", False):
                continue
            if field.name in INHERITED or field.name == "tag":
                continue
            if not getattr(field, "help_text", ""):
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


@pytest.mark.django_db
def test_admin_refuses_a_supervisor_profile_outside_the_index(client, site_tree, mfa_login):
    admin = UserFactory(username="editor", is_superuser=True, is_staff=True)
    mfa_login(client, admin)
    url = reverse("wagtailadmin_pages:add", args=("cms", "supervisorpage", site_tree.home.id))
    response = client.get(url, follow=True)
    assert response.redirect_chain[0][0] == "/admin/"
    assert "permission" in response.content.decode().lower()
    ok = reverse("wagtailadmin_pages:add", args=("cms", "supervisorpage", site_tree.index.id))
    assert client.get(ok).status_code == 200


@pytest.mark.django_db
def test_editor_can_publish_a_supervisor_profile_through_the_admin(client, site_tree, mfa_login):
    admin = UserFactory(username="editor", is_superuser=True, is_staff=True)
    mfa_login(client, admin)
    url = reverse("wagtailadmin_pages:add", args=("cms", "supervisorpage", site_tree.index.id))
    response = client.post(
        url,
        {
            "title": "New Person",
            "slug": "new-person",
            "job_title": "Liaison officer",
            "biography": '{"blocks":[{"key":"a","type":"unstyled","depth":0,"text":"Hello",'
            '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "roles_supported": [site_tree.dsl.id],
            "services": [site_tree.dsl_service.id],
            "specialisms": "Thresholds, Registers",
            "accepting_bookings": "on",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = SupervisorPage.objects.get(slug="new-person")
    assert page.live
    assert [r.slug for r in page.roles_supported.all()] == ["dsl"]
    assert sorted(t.name for t in page.specialisms.all()) == ["Registers", "Thresholds"]
    assert client.get(page.url).status_code == 200


@pytest.mark.django_db
def test_rate_below_sixty_minutes_is_refused_in_the_admin(client, site_tree, mfa_login):
    from cms.models import Rate

    admin = UserFactory(username="editor", is_superuser=True, is_staff=True)
    mfa_login(client, admin)
    before = Rate.objects.count()
    response = client.post(
        reverse("wagtailsnippets_cms_rate:add"),
        {
            "service": site_tree.dsl_service.id,
            "duration_minutes": 30,
            "price": "30.00",
            "valid_from": "2026-09-01",
        },
    )
    assert response.status_code == 200
    assert "at least 60" in response.content.decode()
    assert Rate.objects.count() == before
