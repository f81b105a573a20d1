"""Security headers on the public site and the admin, and Wagtail's preview in its iframe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.mfa import verified_login

pytestmark = pytest.mark.django_db

PUBLIC_CSP = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
}


def directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


def test_public_pages_get_the_strict_policy_and_the_other_headers(client, site_tree):
    response = client.get(site_tree.index.url)
    assert response.status_code == 200
    assert directives(response) == PUBLIC_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_api_and_login_page_are_covered_too(client, site_tree):
    for url in ("/api/v2/pages/", "/admin/login/"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in directives(response), url
        assert response["X-Frame-Options"] == "DENY"


def test_admin_allows_inline_styles_but_never_inline_scripts(client, admin_user, site_tree):
    verified_login(client, admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[site_tree.home.pk]))
    assert response.status_code == 200
    found = directives(response)
    assert "style-src 'self' 'unsafe-inline'" in found
    assert "script-src 'self'" in found
    assert found - {"style-src 'self' 'unsafe-inline'"} == PUBLIC_CSP - {"style-src 'self'"}


def test_wagtail_preview_may_be_framed_by_the_admin_only(client, admin_user, site_tree):
    verified_login(client, admin_user)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[site_tree.home.pk])
    form = {"title": "Safeguarding supervision", "slug": "home"}
    assert client.post(url, form).json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in directives(response)
