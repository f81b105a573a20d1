"""Insights at scale: 100,000 sessions and 30,000 records, each view under 300 ms.

Run: ``.venv/bin/python benchmarks/insights.py`` (SQLite), and with
``DATABASE_URL=postgres://...`` for PostgreSQL. Builds a throwaway test database, measures
every Insights view at a small baseline (1,000 sessions, 300 records), tops the data up to
100,000 sessions and 30,000 records with ``bulk_create``, and measures again. Prints, per
view, the median time of a full admin request (rendering included), the query count and the
ratio to the baseline. Flat query counts mean the views aggregate in the database; the
target is under 300 ms per view at full scale.
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ROUNDS = 7
# Smaller runs for a quick check: BENCH_SESSIONS=5000 BENCH_RECORDS=1500.
SESSIONS = int(os.environ.get("BENCH_SESSIONS", "100000"))
RECORDS = int(os.environ.get("BENCH_RECORDS", "30000"))
BASE_SESSIONS, BASE_RECORDS = 1_000, 300
SUPERVISORS, SCHOOLS = 20, 600
FIRST_DAY = datetime.date(2023, 9, 1)
TOPICS = [f"Topic {i}" for i in range(12)]
ROUTES = [f"Route {i}" for i in range(6)]
UTC = datetime.UTC


class Builder:
    """Generates the data in slots that never overlap (one supervisor, one slot, one session)."""

    def __init__(self, services: list, supervisors: list) -> None:
        from workflows.models import School

        self.rng = random.Random(20)
        self.services = services
        self.supervisors = supervisors
        School.objects.bulk_create(
            School(name=f"School {i}", urn=f"{300000 + i}") for i in range(SCHOOLS)
        )
        self.schools = list(School.objects.values_list("pk", flat=True))
        self.bookings: dict[int, list] = {s.pk: [] for s in supervisors}
        self.slot = {s.pk: 0 for s in supervisors}
        self.sessions = 0
        self.records = 0
        self.tallies: Counter = Counter()

    def _bookings(self, count: int) -> None:
        from workflows.models import Agreement, Booking

        made = []
        for i in range(count):
            supervisor = self.supervisors[i % len(self.supervisors)]
            created = datetime.datetime.combine(
                FIRST_DAY + datetime.timedelta(days=self.rng.randrange(1000)),
                datetime.time(9),
                tzinfo=UTC,
            )
            made.append(
                Booking(
                    reference=f"SUP-B{len(made) + sum(map(len, self.bookings.values())):06d}",
                    school_id=self.rng.choice(self.schools),
                    supervisee_name="A Supervisee",
                    supervisee_email=f"p{i}@school.example.org",
                    supervisor=supervisor,
                    service=self.rng.choice(self.services),
                    format="individual",
                    duration_minutes=60,
                    frequency="monthly",
                    price=Decimal("60.00"),
                    created_at=created,
                )
            )
        Booking.objects.bulk_create(made, batch_size=2000)
        for booking in made:
            self.bookings[booking.supervisor_id].append(booking)
        Agreement.objects.bulk_create(
            (
                Agreement(
                    booking=b,
                    policy_version="2026.1",
                    terms="Terms.",
                    review_date=datetime.date(2027, 9, 1),
                    created_at=b.created_at + datetime.timedelta(days=3),
                    supervisee_signed_at=b.created_at + datetime.timedelta(days=5),
                    supervisor_signed_at=(
                        b.created_at + datetime.timedelta(days=6)
                        if self.rng.random() < 0.8
                        else None
                    ),
                )
                for b in made
            ),
            batch_size=2000,
        )

    def grow(self, sessions: int, records: int) -> None:
        from insights.models import TopicTally
        from records.models import SessionRecord
        from workflows.enums import Role, SessionStatus
        from workflows.models import Session

        self._bookings(max(sessions // 10, 1))
        new_sessions = []
        for i in range(sessions):
            supervisor = self.supervisors[i % len(self.supervisors)]
            slot = self.slot[supervisor.pk]
            self.slot[supervisor.pk] += 1
            day = FIRST_DAY + datetime.timedelta(days=slot // 5)
            start = datetime.datetime.combine(day, datetime.time(8 + 2 * (slot % 5)), tzinfo=UTC)
            booking = self.rng.choice(self.bookings[supervisor.pk])
            roll = self.rng.random()
            status = (
                SessionStatus.HELD
                if roll < 0.85
                else SessionStatus.CANCELLED
                if roll < 0.95
                else SessionStatus.CONFIRMED
            )
            cancelled = status == SessionStatus.CANCELLED
            new_sessions.append(
                Session(
                    booking=booking,
                    supervisor=supervisor,
                    start=start,
                    end=start + datetime.timedelta(minutes=self.rng.choice((60, 90))),
                    status=status,
                    price=Decimal("60.00"),
                    created_at=booking.created_at + datetime.timedelta(days=2),
                    cancelled_at=start - datetime.timedelta(hours=self.rng.randrange(1, 400))
                    if cancelled
                    else None,
                    cancelled_by=self.rng.choice([Role.SUPERVISEE, Role.SERVICE_STAFF])
                    if cancelled
                    else "",
                )
            )
        Session.objects.bulk_create(new_sessions, batch_size=2000)
        held = [s for s in new_sessions if s.status == SessionStatus.HELD][:records]
        new_records = []
        for session in held:
            due = (session.start + datetime.timedelta(days=7)).date()
            late = self.rng.random() < 0.2
            submitted = session.start + datetime.timedelta(days=9 if late else 3)
            self.records += 1
            new_records.append(
                SessionRecord(
                    session=session,
                    reference=f"REC-{self.records:06d}",
                    requested_at=session.end,
                    due_date=due,
                    submitted_at=submitted if self.rng.random() < 0.95 else None,
                )
            )
            month = session.start.date().replace(day=1)
            service = session.booking.service_id
            for label in self.rng.sample(TOPICS, 2):
                self.tallies[(month, service, "topic", label)] += 1
            if self.rng.random() < 0.4:
                self.tallies[(month, service, "signposting", self.rng.choice(ROUTES))] += 1
        SessionRecord.objects.bulk_create(new_records, batch_size=2000)
        TopicTally.objects.all().delete()
        TopicTally.objects.bulk_create(
            TopicTally(month=m, service_id=s, kind=k, label=label, count=n)
            for (m, s, k, label), n in self.tallies.items()
        )
        self.sessions += sessions


VIEWS = [
    ("month", "/admin/insights/?period=month&month=2025-10"),
    ("term", "/admin/insights/?period=term&term=2025-autumn"),
    ("year", "/admin/insights/?period=year&year=2024"),
    ("custom, 3 years", "/admin/insights/?period=custom&start=2023-09-01&end=2026-08-31"),
    ("term, one service", "/admin/insights/?period=term&term=2025-autumn&service={service}"),
    ("term, one supervisor", "/admin/insights/?period=term&term=2025-autumn&supervisor={sup}"),
    ("Excel, year", "/admin/insights/download.xlsx?period=year&year=2024"),
    ("PDF summary, term", "/admin/insights/summary.pdf?period=term&term=2025-autumn"),
]


def measure(client: Client, url: str) -> tuple[float, float, float, int]:
    """Median ms of the full request (wall and this process's CPU), of ``build_insights``
    alone (wall), and the request's query count.

    The CPU column shows what the request costs when the machine is shared: on SQLite it
    includes the database's work (same process); on PostgreSQL the server's is not in it.
    """
    from django.http import QueryDict

    from insights.forms import InsightsFilterForm
    from insights.services import Filters, build_insights

    client.get(url)
    times, cpu = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, (url, response.status_code)
    form = InsightsFilterForm(QueryDict(url.partition("?")[2]))
    assert form.is_valid(), form.errors
    filters = Filters(form.cleaned_data["service"], form.cleaned_data["supervisor"])
    computing = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        build_insights(period=form.cleaned_data["resolved"], filters=filters)
        computing.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    ms = 1000
    return (
        statistics.median(times) * ms,
        statistics.median(cpu) * ms,
        statistics.median(computing) * ms,
        len(ctx.captured_queries),
    )


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # PDF font subsetting chatter
    from insights.defaults import install_insights_defaults
    from tests.factories import (
        UserFactory,
        make_home,
        make_service,
        make_supervisor,
        make_supervisor_index,
    )
    from tests.mfa import verified_login
    from workflows.defaults import install_defaults

    home = make_home()
    services = [make_service(home, title="DSL supervision")]
    services.append(make_service(home, title="Attendance supervision"))
    index = make_supervisor_index(home)
    supervisors = [
        make_supervisor(index, title=f"Supervisor {i:02d}", services=services)
        for i in range(SUPERVISORS)
    ]
    install_defaults()
    install_insights_defaults()
    from django.contrib.auth.models import Group

    staff = UserFactory(username="bench.staff")
    staff.groups.add(Group.objects.get(name="Service staff"))
    client = verified_login(Client(), staff)
    builder = Builder(services, supervisors)
    views = [
        (name, url.format(service=services[0].pk, sup=supervisors[0].pk)) for name, url in VIEWS
    ]

    builder.grow(BASE_SESSIONS, BASE_RECORDS)
    baseline = {name: measure(client, url) for name, url in views}
    started = time.perf_counter()
    builder.grow(SESSIONS - BASE_SESSIONS, RECORDS - BASE_RECORDS)
    grown = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does soon after a bulk load: statistics for the planner, and
            # the visibility map that lets index-only scans skip the table.
            cursor.execute("VACUUM ANALYZE")
    full = {name: measure(client, url) for name, url in views}

    db = connection.vendor
    print(f"Insights benchmark on {db}: median of {ROUNDS} full admin requests per view")
    print(
        f"rows: {builder.sessions:,} sessions, {builder.records:,} records "
        f"(bulk-created in {grown:.0f} s); load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    print("request = the whole admin request (wall clock); cpu = this process's CPU for it;")
    print("figures = build_insights alone; queries = the request's, at 1k and at full size")
    print(
        f"{'view':<22}{'request 1k':>12}{'request full':>14}{'ratio':>7}{'cpu full':>11}"
        f"{'figures full':>14}{'queries':>9}"
    )
    for name, _url in views:
        (r0, _p0, _c0, q0), (r1, p1, c1, q1) = baseline[name], full[name]
        print(
            f"{name:<22}{r0:>9.1f} ms{r1:>11.1f} ms{r1 / r0:>7.2f}{p1:>8.1f} ms"
            f"{c1:>11.1f} ms{f'{q0}/{q1}':>9}"
        )


if __name__ == "__main__":
    main()
