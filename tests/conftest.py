from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import settings as hypothesis_settings

from cms.models import AudienceRole, Rate, ServicePage, SupervisorIndexPage
from tests.factories import (
    AudienceRoleFactory,
    RateFactory,
    make_home,
    make_service,
    make_supervisor_index,
)
from tests.helpers.records import RecordsSite, build_records_site
from tests.helpers.service import ServiceSite, build_service

# Fixtures kept in plain modules: insights' hand-counted term serves tests/insights and the
# browser journey (a conftest's fixtures reach only its own folder).
pytest_plugins = ["tests.helpers.insights"]

# Property-based tests: the "ci" profile runs at full strength (500 examples per public form,
# set by .ci/run); the default "dev" profile is lighter so `make test` stays quick.
hypothesis_settings.register_profile("ci", max_examples=500)
hypothesis_settings.register_profile("dev", max_examples=60)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files and renditions go to a throwaway folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached settings never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class SiteTree:
    home: object
    dsl_service: ServicePage
    attendance_service: ServicePage
    index: SupervisorIndexPage
    dsl: AudienceRole
    attendance: AudienceRole
    welfare: AudienceRole
    rates: list[Rate]


@pytest.fixture
def site_tree(db) -> SiteTree:
    """A small published site: home, two services with £60/60 and £80/90 rates, an index."""
    home = make_home()
    dsl = AudienceRoleFactory(slug="dsl", name="Designated Safeguarding Lead")
    attendance = AudienceRoleFactory(slug="attendance-lead", name="Attendance lead")
    welfare = AudienceRoleFactory(slug="school-welfare-officer", name="School welfare officer")
    dsl_service = make_service(home, title="DSL supervision", roles=[dsl])
    attendance_service = make_service(
        home, title="Attendance supervision", roles=[attendance, welfare]
    )
    rates = [
        RateFactory(service=svc, duration_minutes=minutes, price=Decimal(price))
        for svc in (dsl_service, attendance_service)
        for minutes, price in ((60, "60.00"), (90, "80.00"))
    ]
    index = make_supervisor_index(home)
    return SiteTree(
        home=home,
        dsl_service=dsl_service,
        attendance_service=attendance_service,
        index=index,
        dsl=dsl,
        attendance=attendance,
        welfare=welfare,
        rates=rates,
    )


# --- Signed-in admin users (accounts/: every admin page needs a verified second factor) ------


@pytest.fixture
def mfa_login():
    """``mfa_login(client, user)`` signs in with password and verified second factor."""
    from tests.mfa import verified_login

    return verified_login


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's ``admin_client``, but past the second factor like a real superuser."""
    from django.test import Client

    from tests.mfa import verified_login

    return verified_login(Client(), admin_user)


@pytest.fixture(autouse=True)
def _audit_truncate_guard_off_for_flush(request, django_db_blocker):
    """Let pytest-django empty a PostgreSQL test database after a transactional test.

    ``audit_auditevent`` refuses TRUNCATE (migration audit 0003), and pytest-django's flush
    after a transactional test is one TRUNCATE of every table. After such a test, and only
    then, that one trigger is disabled so the flush can run; the test that checks the trigger
    enables it first (tests/audit/test_append_only.py). UPDATE and DELETE stay refused.
    """
    from django.db import connection

    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    if not transactional or connection.vendor != "postgresql":
        yield
        return
    # Set the database up before this fixture, so its flush runs after this teardown.
    request.getfixturevalue("transactional_db")
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE IF EXISTS audit_auditevent DISABLE TRIGGER audit_auditevent_no_truncate"
        )


# --- The booking service and records, shared by workflow, records, browser and security tests --


@pytest.fixture
def service(site_tree) -> ServiceSite:
    """The whole service: content, default workflows, a booking form, two supervisors, staff."""
    return build_service(site_tree)


@pytest.fixture
def records_site(service) -> RecordsSite:
    """The service plus the record defaults, topics, signposting and a content reader."""
    return build_records_site(service)
