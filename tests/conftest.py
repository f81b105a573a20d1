from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from cms.models import AudienceRole, Rate, ServicePage, SupervisorIndexPage
from tests.factories import (
    AudienceRoleFactory,
    RateFactory,
    make_home,
    make_service,
    make_supervisor_index,
)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded files and renditions go to a throwaway folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


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
        RateFactory(service=service, duration_minutes=minutes, price=Decimal(price))
        for service in (dsl_service, attendance_service)
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
