"""Every URL pattern and every role has an expected answer; a URL without one fails the test.

How to extend: a new URL pattern makes ``test_every_url_pattern_has_an_expectation`` fail and
name it. Add a row to ``EXPLICIT`` keyed by the pattern as printed (Django's
``ResolverMatch.route`` spelling), with ``by_role(...)`` saying what each role gets, and a
``path`` built from the ``World`` when the generated example path (numbers 0, words x) would
not exercise it. Patterns under ``admin/`` are covered by ``ADMIN_RULE`` unless they have a row.

Expectations: an int status, a set of allowed statuses, or "login" (302 to the admin sign-in),
"mfa" (302 to the second-factor page), "home" (302 to the dashboard: Wagtail's
permission-denied), NOT_500 (any answer but a server error).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from audit.services import log_event
from cms.models import ServiceSettings
from cms.services import SERVICE_STAFF, SERVICE_STAFF_PERMISSIONS, SUPERVISORS, ensure_role_groups
from tests.factories import UserFactory, make_supervisor
from tests.factories.accounts import GroupFactory
from tests.mfa import enrol_totp, verified_login
from tests.security.urls import UrlEntry, all_patterns, example_path

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "unverified",  # supervisor A after the password, before the second factor
    "supervisor_a",
    "supervisor_b",
    "staff_limited",  # staff who may edit content but hold no record or audit permission
    "staff",  # the "Service staff" group
    "superuser",
)
NOT_500 = "not-500"
Expectation = int | str | frozenset[int]


def by_role(
    *,
    anonymous: Expectation,
    unverified: Expectation,
    supervisors: Expectation,
    staff_limited: Expectation,
    staff: Expectation,
    superuser: Expectation,
) -> dict[str, Expectation]:
    return {
        "anonymous": anonymous,
        "unverified": unverified,
        "supervisor_a": supervisors,
        "supervisor_b": supervisors,
        "staff_limited": staff_limited,
        "staff": staff,
        "superuser": superuser,
    }


def everyone(expectation: Expectation) -> dict[str, Expectation]:
    return dict.fromkeys(ROLES, expectation)


def admin_page(*, supervisors: Expectation, staff_limited: Expectation, staff: Expectation):
    """An admin page behind sign-in and second factor; superusers always get it."""
    return by_role(
        anonymous="login",
        unverified="mfa",
        supervisors=supervisors,
        staff_limited=staff_limited,
        staff=staff,
        superuser=200,
    )


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    expect: dict[str, Expectation]
    path: Callable[[World], str] | None = None
    only_if_present: bool = False  # patterns that exist only in some settings (DEBUG media)


NO_DATA_FOR_A_BAD_LINK = frozenset({400, 403, 404, 410})
OPEN = {"anonymous": 200, "unverified": 302}  # sign-in pages: a signed-in user moves on

EXPLICIT: dict[str, Row] = {
    # --- public site and API ------------------------------------------------------------------
    r"^((?:[\w\-]+/)*)$": Row(everyone(200)),
    "api/v2/pages/": Row(everyone(200)),
    "api/v2/pages/<int:pk>/": Row(
        everyone(200), path=lambda w: f"/api/v2/pages/{w.objects['home'].pk}/"
    ),
    "api/v2/pages/find/": Row(everyone(404)),
    "api/v2/images/": Row(everyone(200)),
    "api/v2/images/<int:pk>/": Row(everyone(404)),
    "api/v2/images/find/": Row(everyone(404)),
    "api/v2/rates/": Row(everyone(200)),
    "api/v2/rates/<int:pk>/": Row(
        everyone(200), path=lambda w: f"/api/v2/rates/{w.objects['rate'].pk}/"
    ),
    "api/v2/rates/find/": Row(everyone(404)),
    r"documents/(\d+)/(.*)$": Row(everyone(404)),
    "documents/authenticate_with_password/<int:restriction_id>/": Row(everyone(404)),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": Row(
        everyone(404)
    ),
    "_util/login/": Row(everyone(200)),
    "^media/(?P<path>.*)$": Row(everyone(404), only_if_present=True),
    # --- supervisee magic links (workflows, records): a made-up token shows nobody anything ---
    # --- load balancer probes (ops): open, no data beyond up or degraded ---------------------
    "healthz": Row(everyone(200)),
    "livez": Row(everyone(200)),
    "bookings/link/": Row(everyone(200)),
    "b/<str:token>/": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    "b/<str:token>/agreement/<int:agreement_id>/": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    "b/<str:token>/session/<int:session_id>/": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    "b/<str:token>/records/": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    "b/<str:token>/records/<int:record_id>/": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    "b/<str:token>/records/<int:record_id>/pdf/": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    "b/<str:token>/my-data.<str:fmt>": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    # Calendar feeds (calendar_feed): a made-up token is no feed for anyone.
    "feeds/<str:token>.ics": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    "b/<str:token>/calendar/": Row(everyone(NO_DATA_FOR_A_BAD_LINK)),
    # --- the way into the admin ---------------------------------------------------------------
    # Set-up links (accounts.invitations): a made-up token opens nothing for anyone.
    "account/setup/<str:token>/": Row(everyone(404)),
    "account/setup-needed/": Row(everyone(200)),
    "admin/login/": Row(
        by_role(**OPEN, supervisors=302, staff_limited=302, staff=302, superuser=302)
    ),
    "admin/password_reset/": Row(everyone(200) | {"unverified": "mfa"}),
    "admin/password_reset/done/": Row(everyone(200) | {"unverified": "mfa"}),
    "admin/password_reset/confirm/<uidb64>/<token>/": Row(everyone(200) | {"unverified": "mfa"}),
    "admin/password_reset/complete/": Row(everyone(200) | {"unverified": "mfa"}),
    "admin/sprite/": Row(everyone(200)),
    "admin/jsi18n/": Row(everyone(200)),
    "admin/logout/": Row(
        by_role(
            anonymous="login",
            unverified=405,
            supervisors=405,
            staff_limited=405,
            staff=405,
            superuser=405,
        )
    ),
    # Wagtail's deliberate error page, for checking error reporting: it fails for everyone
    # who may reach it, which is nobody before sign-in and second factor.
    "admin/failwhale/": Row(
        admin_page(supervisors=500, staff_limited=500, staff=500) | {"superuser": 500}
    ),
    "admin/mfa/verify/": Row(
        by_role(
            anonymous="login",
            unverified=200,
            supervisors="home",
            staff_limited="home",
            staff="home",
            superuser="home",
        )
    ),
    "admin/mfa/enrol/": Row(admin_page(supervisors=200, staff_limited=200, staff=200)),
    "admin/mfa/recovery-codes/": Row(admin_page(supervisors=200, staff_limited=200, staff=200)),
    "admin/mfa/password/": Row(admin_page(supervisors=200, staff_limited=200, staff=200)),
    "admin/mfa/email/": Row(admin_page(supervisors=200, staff_limited=200, staff=200)),
    # --- admin screens whose audience matters -------------------------------------------------
    "admin/": Row(admin_page(supervisors=200, staff_limited=200, staff=200)),
    "admin/audit-log/": Row(admin_page(supervisors="home", staff_limited="home", staff=200)),
    "admin/audit-log/results/": Row(
        admin_page(supervisors="home", staff_limited="home", staff=200)
    ),
    "admin/audit-log/inspect/<str:pk>/": Row(
        admin_page(supervisors="home", staff_limited="home", staff=200),
        path=lambda w: reverse("audit_log:inspect", args=[w.objects["event"].pk]),
    ),
    "admin/users/": Row(admin_page(supervisors="home", staff_limited="home", staff="home")),
    "admin/groups/": Row(admin_page(supervisors="home", staff_limited="home", staff="home")),
    "admin/pages/": Row(admin_page(supervisors="home", staff_limited=200, staff=200)),
    "admin/pages/<int:parent_page_id>/": Row(
        admin_page(supervisors="home", staff_limited=200, staff=200),
        path=lambda w: f"/admin/pages/{w.objects['home'].pk}/",
    ),
    "admin/pages/<int:page_id>/edit/": Row(
        admin_page(supervisors="home", staff_limited=200, staff=200),
        path=lambda w: reverse("wagtailadmin_pages:edit", args=[w.objects["profile_a"].pk]),
    ),
    "admin/snippets/cms/rate/": Row(admin_page(supervisors="home", staff_limited=200, staff=200)),
    "admin/settings/<slug:app_name>/<slug:model_name>/<int:pk>/": Row(
        admin_page(supervisors="home", staff_limited=200, staff=200),
        path=lambda w: f"/admin/settings/cms/servicesettings/{w.objects['settings'].pk}/",
    ),
}

# Any other admin URL: nothing without sign-in and second factor; past them, never a 500.
ADMIN_RULE = by_role(
    anonymous="login",
    unverified="mfa",
    supervisors=NOT_500,
    staff_limited=NOT_500,
    staff=NOT_500,
    superuser=NOT_500,
)


def expectation_for(entry: UrlEntry) -> dict[str, Expectation] | None:
    if entry.key in EXPLICIT:
        return EXPLICIT[entry.key].expect
    if entry.key.startswith("admin/"):
        return ADMIN_RULE
    return None


@pytest.fixture
def world(site_tree) -> World:
    groups = ensure_role_groups()
    limited = GroupFactory(name="Content editors (no records, no audit)")
    for name in SERVICE_STAFF_PERMISSIONS:
        if not name.startswith("audit."):
            app_label, codename = name.split(".", 1)
            limited.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    GroupPagePermission.objects.create(
        group=limited,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="change_page"),
    )
    users = {
        "supervisor_a": UserFactory(username="supervisor-a"),
        "supervisor_b": UserFactory(username="supervisor-b"),
        "staff_limited": UserFactory(username="editor"),
        "staff": UserFactory(username="coordinator"),
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    users["supervisor_a"].groups.add(groups[SUPERVISORS])
    users["supervisor_b"].groups.add(groups[SUPERVISORS])
    users["staff_limited"].groups.add(limited)
    users["staff"].groups.add(groups[SERVICE_STAFF])
    objects = {
        "home": site_tree.home,
        "rate": site_tree.rates[0],
        "profile_a": make_supervisor(site_tree.index, title="Amira A", user=users["supervisor_a"]),
        "profile_b": make_supervisor(site_tree.index, title="Ben B", user=users["supervisor_b"]),
        "event": log_event(action="accounts.login.succeeded", actor=users["staff"]),
        "settings": ServiceSettings.load(),
    }
    return World(users=users, objects=objects)


def client_for(role: str, world: World) -> Client:
    client = Client(raise_request_exception=False)
    if role == "anonymous":
        return client
    if role == "unverified":
        user = world.users["supervisor_a"]
        enrol_totp(user)
        client.force_login(user)
        return client
    return verified_login(client, world.users[role])


def check(response: Any, expected: Expectation) -> bool:
    location = response.get("Location", "")
    if expected == NOT_500:
        return response.status_code < 500
    if expected == "login":
        return response.status_code == 302 and location.startswith("/admin/login/")
    if expected == "mfa":
        return response.status_code == 302 and location.startswith("/admin/mfa/")
    if expected == "home":
        return response.status_code == 302 and location == "/admin/"
    if isinstance(expected, frozenset):
        return response.status_code in expected
    return response.status_code == expected


def test_every_url_pattern_has_an_expectation():
    missing = [e.key for e in all_patterns() if expectation_for(e) is None]
    assert missing == [], (
        "URL patterns with no row in tests/security/test_permission_matrix.py EXPLICIT: "
        + ", ".join(missing)
    )


def test_every_explicit_row_still_names_a_url_pattern():
    keys = {e.key for e in all_patterns()}
    stale = [k for k, row in EXPLICIT.items() if k not in keys and not row.only_if_present]
    assert stale == []


def test_explicit_rows_hold_for_every_role(world):
    entries = {e.key: e for e in all_patterns()}
    failures = []
    for role in ROLES:
        for key, row in EXPLICIT.items():
            if key not in entries:
                continue
            path = row.path(world) if row.path else example_path(entries[key])
            # A fresh client each time: a GET of Wagtail's logout page drops the cookie.
            response = client_for(role, world).get(path)
            if not check(response, row.expect[role]):
                failures.append(
                    f"{role:14} GET {path} -> {response.status_code} "
                    f"{response.get('Location', '')} (expected {row.expect[role]})"
                )
    assert failures == []


@pytest.mark.parametrize("role", ["anonymous", "unverified"])
def test_no_admin_url_opens_without_sign_in_and_second_factor(world, role):
    """Every admin pattern without its own row, with example arguments, as GET and as POST."""
    client = client_for(role, world)
    wanted = ADMIN_RULE[role]
    failures = []
    for entry in all_patterns():
        if not entry.key.startswith("admin/") or entry.key in EXPLICIT:
            continue
        path = example_path(entry)
        for method in (client.get, client.post):
            response = method(path)
            if not check(response, wanted):
                failures.append(f"{method.__name__.upper()} {path} -> {response.status_code}")
    assert failures == []


@pytest.mark.parametrize("role", ["supervisor_a", "superuser"])
def test_admin_urls_with_made_up_arguments_never_fail_with_a_server_error(world, role):
    client = client_for(role, world)
    failures = []
    for entry in all_patterns():
        if entry.key.startswith("admin/") and entry.key not in EXPLICIT:
            path = example_path(entry)
            response = client.get(path)
            if response.status_code >= 500:
                failures.append(f"GET {path} -> {response.status_code}")
    assert failures == []


def test_supervisor_b_cannot_open_supervisor_a_profile_in_the_editor(world):
    """Object level: a guessed page id of another supervisor's profile is refused."""
    client = client_for("supervisor_b", world)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[world.objects["profile_a"].pk]))
    assert check(response, "home")
