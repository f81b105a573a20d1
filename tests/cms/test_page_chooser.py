"""The page chooser offers pages the user may edit and public pages, never others' drafts or
private pages (issue 13, finding 11)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cms.models import StandardPage
from cms.services import SERVICE_STAFF, SUPERVISORS, ensure_role_groups
from tests.factories import UserFactory
from tests.mfa import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(site_tree):
    home = site_tree.home
    draft = home.add_child(
        instance=StandardPage(title="Unannounced merger plan", body="<p>Draft.</p>", live=False)
    )
    private = home.add_child(instance=StandardPage(title="Private staff rota", body="<p>Rota.</p>"))
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    groups = ensure_role_groups()
    supervisor = UserFactory(username="supervisor")
    supervisor.groups.add(groups[SUPERVISORS])
    staff = UserFactory(username="editor")
    staff.groups.add(groups[SERVICE_STAFF])
    return site_tree, draft, private, supervisor, staff


def search(user, q: str) -> str:
    client = verified_login(Client(), user)
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def browse(user, parent) -> str:
    client = verified_login(Client(), user)
    response = client.get(reverse("wagtailadmin_choose_page_child", args=[parent.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_supervisor_chooser_search_hides_draft_and_private_titles(pages):
    _site_tree, _draft, _private, supervisor, _staff = pages
    assert "Unannounced merger plan" not in search(supervisor, "merger")
    assert "Private staff rota" not in search(supervisor, "rota")
    # Public live pages stay choosable: their titles are on the site for everyone.
    assert "DSL supervision" in search(supervisor, "DSL supervision")


def test_supervisor_chooser_browsing_hides_draft_and_private_pages(pages):
    site_tree, _draft, _private, supervisor, _staff = pages
    body = browse(supervisor, site_tree.home)
    assert "Unannounced merger plan" not in body and "Private staff rota" not in body
    assert "DSL supervision" in body


def test_editor_chooser_offers_the_draft_and_private_pages_they_may_edit(pages):
    site_tree, _draft, _private, _supervisor, staff = pages
    assert "Unannounced merger plan" in search(staff, "merger")
    assert "Private staff rota" in search(staff, "rota")
    body = browse(staff, site_tree.home)
    assert "Unannounced merger plan" in body and "Private staff rota" in body
