"""Listings filter only by what they declare: an undeclared query-string parameter changes nothing.

Issue 13, finding 1: wagtail-modeladmin applied any query-string lookup as a filter after the
"own rows only" scope, so supervisor B read A's supervisee's email a character at a time
(``…supervisee_email__startswith=j`` lists B's rows, ``=z`` none) and asked yes/no questions
about password hashes. The fix is ``workflows.modeladmin.DeclaredFiltersIndexView``.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers.service import login

pytestmark = pytest.mark.django_db

ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
# "3 minutes ago" turns into "4 minutes ago" between two requests of a slow walk.
RELATIVE_TIME = re.compile(r"\b(?:\d+|an?)\s+\w+\s+ago\b|\bjust now\b", re.I)
TAG = re.compile(r"<[^>]+>")


def rows(html: str) -> list[str]:
    """The text of each body row of the page's tables (links and their query strings dropped)."""
    bodies = re.findall(r"<tbody\b[^>]*>(.*?)</tbody>", html, re.S)
    return [
        " ".join(RELATIVE_TIME.sub("", unescape(TAG.sub(" ", row))).split())
        for body in bodies
        for row in ROW.findall(body)
    ]


def references(found: list[str]) -> list[str]:
    """The booking references in the listed rows (the page's other tables list none)."""
    return [ref for row in found for ref in re.findall(r"SUP-\d{6}(?!-)", row)]


def listed(client, url: str, params: dict[str, str] | None = None) -> list[str]:
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, params, response.status_code)
    return rows(response.content.decode())


def test_booking_listing_is_no_oracle_on_another_supervisors_supervisee(client, a_and_b):
    """The exact attack: B guesses A's supervisee's email by prefix, and learns nothing."""
    login(client, a_and_b.site.user_b)
    url = reverse("workflows_booking_modeladmin_index")
    own = listed(client, url)
    assert references(own) == ["SUP-000002"]
    lookup = "supervisor__services__supervisors__bookings__supervisee_email__startswith"
    for guess in ("jo", "zzz"):  # A's supervisee is jo.bloggs@…
        assert listed(client, url, {lookup: guess}) == own, guess


def test_case_listing_is_no_oracle_on_password_hashes(client, a_and_b):
    login(client, a_and_b.site.user_b)
    url = reverse("workflows_case_modeladmin_index")
    own = listed(client, url)
    assert set(references(own)) == {"SUP-000002"}
    for prefix in ("pbkdf2_sha256", "zzz"):
        params = {
            "subject_type__permission__group__user__username": "coordinator",
            "subject_type__permission__group__user__password__startswith": prefix,
        }
        assert listed(client, url, params) == own, prefix


def test_staff_listings_ignore_undeclared_lookups_too(client, a_and_b):
    login(client, a_and_b.site.staff)
    for model in ("booking", "session", "school", "case"):
        url = reverse(f"workflows_{model}_modeladmin_index")
        everything = listed(client, url)
        assert len(references(everything) or [r for r in everything if "School" in r]) >= 2
        for params in (
            {"supervisor__user__password__startswith": "zzz"},
            {"booking__supervisee_email__startswith": "zzz"},
            {"no_such_field": "1"},
        ):
            assert listed(client, url, params) == everything, (model, params)


def test_declared_filters_still_filter(client, a_and_b):
    login(client, a_and_b.site.staff)
    url = reverse("workflows_booking_modeladmin_index")
    only_b = listed(
        client, url, {"supervisor__page_ptr__exact": str(a_and_b.site.service.supervisor_b.pk)}
    )
    assert references(only_b) == ["SUP-000002"]
    searched = listed(client, url, {"q": "100001"})  # A's school URN
    assert references(searched) == ["SUP-000001"]


def test_a_malformed_declared_filter_value_is_refused_with_400(client, a_and_b):
    login(client, a_and_b.site.staff)
    url = reverse("workflows_booking_modeladmin_index")
    response = client.get(url, {"supervisor__page_ptr__exact": "not-a-number"})
    assert response.status_code == 400


# --- Every listing of the URL conf, as supervisor B and as staff ------------------------------

# Forms, not listings: a create form's page differs by the query string it posts back to.
FORMS = re.compile(r"/(create|add|new)/")
# Listings among the patterns that take an id (history, usage, explorer, form submissions, …).
LISTING = re.compile(r"history|usage|results|explore|submissions|revisions|choose|list|index")
ATTACKS = [
    {"supervisor__services__supervisors__bookings__supervisee_email__startswith": "zzz"},
    {"subject_type__permission__group__user__password__startswith": "pbkdf2"},
    {"user__password__startswith": "pbkdf2", "owner__password__startswith": "zzz"},
]


def answer(response) -> tuple[int, str, object]:
    """What a listing tells: its status, where it redirects, and its rows (or JSON body)."""
    content_type = response.get("Content-Type", "")
    if response.status_code != 200:
        body: object = None
    elif "json" in content_type:
        data = json.loads(response.content)
        # A chooser's modal answers with its page as "html": compare that page's rows.
        body = rows(data["html"]) if isinstance(data, dict) and "html" in data else data
    else:
        body = rows(response.content.decode(errors="replace"))
    return response.status_code, response.get("Location", ""), body


@pytest.mark.parametrize("role", ["supervisor_b", "staff"])
def test_every_admin_listing_ignores_undeclared_relation_lookups(client, a_and_b, role):
    """Walks every admin URL without an id, and each listing with A's ids, from the URL conf.

    The answer with a relation-traversing lookup is the answer without it, or a 400 refusal.
    """
    from tests.security.objects import AObjects, admin_object_paths, admin_paths_without_ids

    paths = {k: p for k, p in admin_paths_without_ids().items() if not FORMS.search(k)}
    with_ids, _unfilled = admin_object_paths(AObjects.create(a_and_b))
    paths.update({key: path for key, path in with_ids.items() if LISTING.search(key)})
    user = a_and_b.site.user_b if role == "supervisor_b" else a_and_b.site.staff
    # A server error is an answer too, compared like any other.
    client = Client(raise_request_exception=False)
    login(client, user)
    failures = []
    for key, path in sorted(paths.items()):
        plain = answer(client.get(path))
        for attack in ATTACKS:
            attacked = answer(client.get(path, attack))
            if attacked != plain and attacked[0] != 400:
                failures.append(f"{key}: {plain[:2]} -> {attacked[:2]} with {sorted(attack)}")
    assert failures == [], "\n".join(failures)
    assert len(paths) > 100  # the walk really covered the admin
