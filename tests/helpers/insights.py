"""Hand-counted fixtures for Insights: the autumn term 2026, seen on 20 December 2026.

A plain module, registered as a pytest plugin by tests/conftest.py (``pytest_plugins``), so the
``frozen`` and ``autumn`` fixtures serve tests/insights and the browser journey alike and the
constants (``AUTUMN``, ``at``) are imported from here, never from a conftest.

Every figure the tests expect is counted by hand from the rows made here (see each comment).
Times are UTC; in the autumn the UK is on GMT after 25 October, and every time chosen is
at 09:00 or later so that the local date is the UTC date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from insights.defaults import install_insights_defaults
from records.defaults import install_record_defaults
from records.models import SessionRecord
from tests.helpers.service import ServiceSite
from workflows.enums import Role, SessionStatus
from workflows.models import Agreement, Booking, School, Session

UTC = datetime.UTC
TODAY = datetime.datetime(2026, 12, 20, 10, 0, tzinfo=UTC)
AUTUMN = {"period": "term", "term": "2026-autumn"}


def at(month: int, day: int, hour: int = 9, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@dataclass
class Maker:
    """Makes schools, bookings, sessions and records with exactly the times a test gives."""

    site: ServiceSite
    schools: dict[int, School] = field(default_factory=dict)
    counter: int = 0

    def school(self, number: int) -> School:
        if number not in self.schools:
            self.schools[number] = School.objects.create(
                name=f"School {number}", urn=f"{200000 + number}"
            )
        return self.schools[number]

    def booking(
        self, *, school: int, service_page: Any, supervisor: Any, created: datetime.datetime
    ) -> Booking:
        self.counter += 1
        return Booking.objects.create(
            reference=f"SUP-I{self.counter:05d}",
            school=self.school(school),
            supervisee_name="A Supervisee",
            supervisee_email=f"person{self.counter}@school.example.org",
            supervisor=supervisor,
            service=service_page,
            format="individual",
            duration_minutes=60,
            frequency="monthly",
            price=Decimal("60.00"),
            created_at=created,
        )

    def session(
        self,
        booking: Booking,
        start: datetime.datetime,
        *,
        minutes: int = 60,
        status: str = SessionStatus.HELD,
        created: datetime.datetime | None = None,
        **extra: Any,
    ) -> Session:
        return Session.objects.create(
            booking=booking,
            supervisor=booking.supervisor,
            start=start,
            end=start + datetime.timedelta(minutes=minutes),
            status=status,
            price=booking.price,
            created_at=created or booking.created_at,
            **extra,
        )

    def record(
        self,
        session: Session,
        *,
        due: datetime.date,
        submitted: datetime.datetime | None = None,
        topics: list[str] = (),
        signposting: list[str] = (),
    ) -> SessionRecord:
        self.counter += 1
        return SessionRecord.objects.create(
            session=session,
            reference=f"{session.booking.reference}-R{self.counter}",
            requested_at=session.end,
            due_date=due,
            attendees="Designated Safeguarding Lead",
            topics="\n".join(topics),
            signposting="\n".join(signposting),
            reflections="Reflections." if submitted else "",
            submitted_at=submitted,
        )


@dataclass
class Autumn:
    site: ServiceSite
    maker: Maker
    dsl: Any
    attendance: Any


@pytest.fixture
def autumn(service, frozen) -> Autumn:
    """The hand-counted autumn term 2026.

    Held in the term (5 sessions, 5.5 hours): Amira (DSL) Sep 10 60 min and Oct 8 90 min at
    school 1, Oct 15 60 min at school 2; Daniel (attendance) Nov 5 and Nov 19, 60 min each, at
    school 3. School 1 was also seen in June (so it is not new); schools 2 and 3 are new.
    Cancelled in the term (4): Nov 26 by the supervisee 5 hours before, Dec 3 by staff 3 days
    before, Dec 10 by the supervisee 39 days before, Oct 1 with no time or role recorded.
    Requests in the term (3): school 2 on Oct 1 (sessions booked Oct 4, first held Oct 15),
    school 3 on Oct 20 (booked Oct 25, first held Nov 5), school 4 on Dec 1 (not accepted).
    Agreements: school 2's signed by both in October; school 3's waiting for the supervisor.
    Records due in the term (5): on time (Sep 17, submitted Sep 16), late (due Oct 15,
    submitted Oct 20), overdue (due Oct 22, none), on time on the day (due Nov 12, submitted
    Nov 12 at 23:30), not yet due (due Dec 29).
    """
    install_record_defaults()
    install_insights_defaults()
    site = service
    dsl, attendance = site.tree.dsl_service, site.tree.attendance_service
    amira, daniel = site.supervisor_a, site.supervisor_b
    m = Maker(site)

    b1 = m.booking(school=1, service_page=dsl, supervisor=amira, created=at(5, 1))
    june = m.session(b1, at(6, 10), created=at(5, 5))
    m.record(june, due=datetime.date(2026, 6, 17), submitted=at(6, 12))
    Agreement.objects.create(
        booking=b1,
        policy_version="2026.1",
        terms="Terms.",
        review_date=datetime.date(2027, 6, 1),
        created_at=at(5, 5),
        supervisee_signed_name="A Supervisee",
        supervisee_signed_at=at(5, 6),
        supervisor_signed_at=at(5, 7),
    )
    s_sep = m.session(b1, at(9, 10), created=at(5, 5))
    s_oct8 = m.session(b1, at(10, 8), minutes=90, created=at(5, 5))

    b2 = m.booking(school=2, service_page=dsl, supervisor=amira, created=at(10, 1))
    s_oct15 = m.session(b2, at(10, 15), created=at(10, 4))
    m.session(b2, at(1, 14, year=2027), status=SessionStatus.PROVISIONAL, created=at(10, 4))
    Agreement.objects.create(
        booking=b2,
        policy_version="2026.1",
        terms="Terms.",
        review_date=datetime.date(2027, 10, 1),
        created_at=at(10, 4),
        supervisee_signed_name="A Supervisee",
        supervisee_signed_at=at(10, 6),
        supervisor_signed_at=at(10, 7),
    )

    b3 = m.booking(school=3, service_page=attendance, supervisor=daniel, created=at(10, 20))
    s_nov5 = m.session(b3, at(11, 5), created=at(10, 25))
    s_nov19 = m.session(b3, at(11, 19), created=at(10, 25))
    Agreement.objects.create(
        booking=b3,
        policy_version="2026.1",
        terms="Terms.",
        review_date=datetime.date(2027, 10, 1),
        created_at=at(10, 25),
        supervisee_signed_name="A Supervisee",
        supervisee_signed_at=at(10, 26),
    )
    m.booking(school=4, service_page=dsl, supervisor=amira, created=at(12, 1))

    cancelled = {"status": SessionStatus.CANCELLED, "created": at(10, 26)}
    m.session(
        b3, at(11, 26, 14), cancelled_by=Role.SUPERVISEE, cancelled_at=at(11, 26), **cancelled
    )
    m.session(b3, at(12, 3), cancelled_by=Role.SERVICE_STAFF, cancelled_at=at(11, 30), **cancelled)
    m.session(b3, at(12, 10), cancelled_by=Role.SUPERVISEE, cancelled_at=at(11, 1), **cancelled)
    m.session(b1, at(10, 1), **cancelled)

    m.record(s_sep, due=datetime.date(2026, 9, 17), submitted=at(9, 16))
    m.record(s_oct8, due=datetime.date(2026, 10, 15), submitted=at(10, 20))
    m.record(s_oct15, due=datetime.date(2026, 10, 22))
    m.record(s_nov5, due=datetime.date(2026, 11, 12), submitted=at(11, 12, 23))
    m.record(s_nov19, due=datetime.date(2026, 12, 29))
    return Autumn(site=site, maker=m, dsl=dsl, attendance=attendance)
