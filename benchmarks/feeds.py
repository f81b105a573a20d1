"""Calendar feed cost: a 1,000-event feed, cold, cached and conditional, in one process.

Run: ``.venv/bin/python benchmarks/feeds.py``. Builds a throwaway test database with one
supervisor and 1,000 sessions, then prints:

* cold render (empty cache, full request through Django) as a ratio to building the same
  events with bare ``icalendar`` from the same rows, in the same process (goal <= 1.1);
* warm (cached) median response time (goal <= 2 ms);
* 304 median for a conditional request (goal <= 1 ms);
* queries per request for a 1-event and the 1,000-event feed (must be equal);
* for scale, a 404 for an unknown token (the same middleware and one query).
"""

from __future__ import annotations

import datetime
import logging
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

EVENTS = 1000
COLD_ROUNDS = 7
WARM_ROUNDS = 200


def median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def bare_icalendar(feed) -> bytes:
    """The baseline: the same rows, the same properties, built with icalendar alone."""
    from icalendar import Calendar, Event

    from calendar_feed.events import EventBuilder, with_event_columns
    from calendar_feed.feeds import add_timezones
    from calendar_feed.services import feed_sessions

    builder = EventBuilder(audience="staff")
    cal = Calendar()
    for name, value in [
        ("version", "2.0"),
        ("calscale", "GREGORIAN"),
        ("prodid", "-//bench//EN"),
        ("method", "PUBLISH"),
        ("x-wr-calname", "Supervision"),
        ("x-wr-caldesc", "Supervision sessions."),
        ("x-wr-timezone", "Europe/London"),
        ("x-published-ttl", "PT1H"),
    ]:
        cal.add(name, value)
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for session in with_event_columns(feed_sessions(feed)):
        data = builder.build(session)
        event = Event()
        event.add("uid", data.uid)
        event.add("summary", data.summary)
        event.add("description", data.description)
        event.add("dtstart", data.start)
        event.add("dtend", data.end)
        event.add("last-modified", data.stamp)
        event.add("created", data.created)
        event.add("dtstamp", data.stamp)
        event.add("location", data.location)
        event.add("url", data.url)
        event.add("status", data.status)
        event.add("sequence", data.sequence)
        cal.add_component(event)
    add_timezones(cal)
    return cal.to_ical()


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from calendar_feed.enums import FeedKind
        from calendar_feed.models import FeedToken
        from calendar_feed.services import rotate_feed
        from tests.factories import (
            UserFactory,
            make_home,
            make_service,
            make_supervisor,
            make_supervisor_index,
        )
        from workflows.models import Booking, School, Session

        home = make_home()
        service = make_service(home)
        index = make_supervisor_index(home)
        users = [UserFactory(username=f"bench{i}") for i in range(2)]
        supervisors = [
            make_supervisor(index, title=f"Supervisor {i}", user=u) for i, u in enumerate(users)
        ]
        school = School.objects.create(name="Hillside Primary School", urn="123456")
        start = datetime.datetime(2027, 1, 4, 9, tzinfo=datetime.UTC)
        for n, (supervisor, count) in enumerate(zip(supervisors, (EVENTS, 1), strict=True)):
            booking = Booking.objects.create(
                reference=f"SUP-BENCH{n}",
                school=school,
                supervisee_name="Jo Bloggs",
                supervisee_email=f"jo{n}@example.org",
                supervisor=supervisor,
                service=service,
                format="individual",
                duration_minutes=60,
                frequency="weekly",
                price=Decimal("60.00"),
            )
            Session.objects.bulk_create(
                Session(
                    booking=booking,
                    supervisor=supervisor,
                    start=start + datetime.timedelta(hours=3 * i),
                    end=start + datetime.timedelta(hours=3 * i + 1),
                    location="School meeting room",
                    price=Decimal("60.00"),
                    status="confirmed",
                )
                for i in range(count)
            )
        big = rotate_feed(kind=FeedKind.SUPERVISOR, user=users[0])
        small = rotate_feed(kind=FeedKind.SUPERVISOR, user=users[1])
        url, small_url = f"/feeds/{big}.ics", f"/feeds/{small}.ics"
        feed = FeedToken.objects.get(user=users[0])
        client = Client()

        def cold() -> None:
            cache.clear()
            assert client.get(url).status_code == 200

        cold()
        bare_icalendar(feed)
        cold_ms = median_ms(cold, COLD_ROUNDS)
        bare_ms = median_ms(lambda: bare_icalendar(feed), COLD_ROUNDS)

        first = client.get(url)
        assert first.content.count(b"BEGIN:VEVENT") == EVENTS
        warm_ms = median_ms(lambda: client.get(url), WARM_ROUNDS)
        etag = first["ETag"]

        def conditional() -> None:
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

        not_modified_ms = median_ms(conditional, WARM_ROUNDS)
        # The floor on this machine: the same middleware and one token query, nothing else
        # (its "Not Found" log line is silenced so it is not timed).
        logging.getLogger("django.request").setLevel(logging.ERROR)
        unknown_ms = median_ms(lambda: client.get("/feeds/unknown.ics"), WARM_ROUNDS)

        counts = {}
        for label, address in (("1 event", small_url), (f"{EVENTS} events", url)):
            cache.clear()
            client.get(address)  # the hourly "last read" stamp is written once, not measured
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                client.get(address)
            counts[label] = len(ctx.captured_queries)

        print(f"Calendar feed, {EVENTS} events ({connection.vendor}), medians:")
        print(f"  cold render     {cold_ms:8.1f} ms")
        print(f"  bare icalendar  {bare_ms:8.1f} ms")
        print(f"  ratio           {cold_ms / bare_ms:8.2f}   (goal <= 1.1)")
        print(f"  warm (cached)   {warm_ms:8.2f} ms   (goal <= 2 ms)")
        print(f"  304             {not_modified_ms:8.2f} ms   (goal <= 1 ms)")
        print(f"  404 (floor)     {unknown_ms:8.2f} ms   (unknown token: middleware + 1 query)")
        print("  queries per cold request: " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
