"""The booking service every workflow, records, export and browser test starts from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from cms.services import SERVICE_STAFF, SUPERVISORS
from tests.factories import UserFactory, make_policy, make_supervisor
from tests.factories.accounts import TOTPDeviceFactory
from workflows.defaults import install_defaults
from workflows.models import BookingFormPage


@dataclass
class ServiceSite:
    tree: Any
    form_page: BookingFormPage
    supervisor_a: Any
    supervisor_b: Any
    user_a: Any
    user_b: Any
    staff: Any
    staff_group: Group
    supervisor_group: Group


def build_service(site_tree: Any) -> ServiceSite:
    """The whole service: content, default workflows, a booking form, two supervisors, staff.

    The ``service`` fixture (tests/conftest.py) calls this; tests import the rest of this
    module (login, booking_post, session_post, next_weekday) directly.
    """
    make_policy(site_tree.home)
    result = install_defaults()
    staff_group = Group.objects.get(name=SERVICE_STAFF)
    supervisor_group = Group.objects.get(name=SUPERVISORS)
    user_a = UserFactory(username="amira", first_name="Amira", last_name="Hussain")
    user_b = UserFactory(username="daniel", first_name="Daniel", last_name="Okafor")
    for user in (user_a, user_b):
        user.groups.add(supervisor_group)
    staff = UserFactory(username="coordinator", first_name="Cora", last_name="Ordinator")
    staff.groups.add(staff_group)
    supervisor_a = make_supervisor(
        site_tree.index,
        title="Amira Hussain",
        roles=[site_tree.dsl],
        services=[site_tree.dsl_service],
        user=user_a,
    )
    supervisor_b = make_supervisor(
        site_tree.index,
        title="Daniel Okafor",
        roles=[site_tree.dsl],
        services=[site_tree.dsl_service],
        user=user_b,
    )
    return ServiceSite(
        tree=site_tree,
        form_page=result["form"],
        supervisor_a=supervisor_a,
        supervisor_b=supervisor_b,
        user_a=user_a,
        user_b=user_b,
        staff=staff,
        staff_group=staff_group,
        supervisor_group=supervisor_group,
    )


def booking_post(site: ServiceSite, **overrides: Any) -> dict[str, Any]:
    data = {
        "school_name": "Hillside Primary School",
        "school_urn": "123456",
        "supervisee_name": "Jo Bloggs",
        "work_email": "jo.bloggs@hillside.example.org",
        "role": site.tree.dsl.pk,
        "supervisor": site.supervisor_a.pk,
        "service": site.tree.dsl_service.pk,
        "format": "individual",
        "attendees": "1",
        "duration_minutes": "60",
        "frequency": "monthly",
        "preferred_times": "Tuesday afternoons",
        "preferred_location": "The school's meeting room",
        "website": "",
    }
    data.update(overrides)
    return data


def next_weekday(days: int = 7, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def session_post(
    starts: list[datetime.datetime], minutes: int = 60, **extra: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "sessions-TOTAL_FORMS": str(len(starts)),
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for i, start in enumerate(starts):
        local = timezone.localtime(start)
        data[f"sessions-{i}-date"] = local.date().isoformat()
        data[f"sessions-{i}-start_time"] = local.strftime("%H:%M")
        data[f"sessions-{i}-duration_minutes"] = str(minutes)
        data[f"sessions-{i}-location"] = "School meeting room"
    data.update(extra)
    return data


def login(client: Any, user: Any) -> Any:
    """Sign a staff user in to the admin with a verified second factor in the session.

    The MFA flow itself is tested in tests/accounts; here the session is set up as that flow
    leaves it (a confirmed authenticator, its id stored by django-otp).
    """
    client.force_login(user)
    device = TOTPDeviceFactory(user=user, name="Authenticator app")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
