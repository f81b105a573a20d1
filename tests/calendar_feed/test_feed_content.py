"""What a feed says: events read identically by two parsers, on both sides of clock changes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from calendar_feed.enums import FeedKind
from tests.factories.records import SessionRecordFactory
from tests.helpers.calendar_feed import (
    add_booking,
    add_session,
    both_readers,
    instant,
    london,
)
from workflows.enums import SessionStatus

pytestmark = pytest.mark.django_db

# UK clocks go back at 02:00 BST on Sunday 25 October 2026 and forward at 01:00 GMT on
# Sunday 28 March 2027.
CLOCK_CHANGE_STARTS = [
    london(2026, 10, 23, 14),  # Friday, BST (UTC+1)
    london(2026, 10, 25, 0, 30),  # Sunday, 00:30 BST, ends 01:30 BST, before the repeat hour
    london(2026, 10, 25, 10),  # Sunday, after the change: GMT
    london(2026, 10, 26, 9),  # Monday, GMT
    london(2027, 3, 26, 14),  # Friday, GMT
    london(2027, 3, 28, 10),  # Sunday, after the change: BST
    london(2027, 3, 29, 9),  # Monday, BST
]


@time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_instants_agree_in_both_readers_and_database_across_clock_changes(
    client, service, feed_for
):
    booking = add_booking(service)
    sessions = [add_session(booking, start) for start in CLOCK_CHANGE_STARTS]
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    read = both_readers(response.content)
    assert read["js"]["timezones"] == ["Europe/London"]
    expected = {
        f"supervision-session-{s.pk}@127.0.0.1": (instant(s.start), instant(s.end))
        for s in sessions
    }
    assert {u: (e["start"], e["end"]) for u, e in read["events"].items()} == expected
    # The wall-clock times people typed stay the wall-clock times they see.
    assert [e["event"].DTSTART.strftime("%d %H:%M") for e in read["events"].values()] == [
        "23 14:00",
        "25 00:30",
        "25 10:00",
        "26 09:00",
        "26 14:00",
        "28 10:00",
        "29 09:00",
    ]
    assert {e["event"]["DTSTART"].params["TZID"] for e in read["events"].values()} == {
        "Europe/London"
    }
    # Spot-check the offsets themselves, not just agreement.
    assert instant(london(2026, 10, 23, 14)) == "2026-10-23T13:00:00.000Z"
    assert instant(london(2026, 10, 26, 9)) == "2026-10-26T09:00:00.000Z"
    assert instant(london(2027, 3, 29, 9)) == "2027-03-29T08:00:00.000Z"


@time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_supervisor_event_has_exactly_the_listed_properties(client, service, feed_for):
    booking = add_booking(service)
    session = add_session(booking, london(2026, 10, 23, 14), minutes=90)
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)

    read = both_readers(client.get(url).content)

    cal = read["calendar"]
    assert {k for k in cal} == {
        "VERSION",
        "CALSCALE",
        "PRODID",
        "METHOD",
        "X-WR-CALNAME",
        "X-WR-CALDESC",
        "X-WR-TIMEZONE",
        "X-PUBLISHED-TTL",
        "REFRESH-INTERVAL",
    }
    assert str(cal["X-WR-CALNAME"]) == "Supervision: Amira Hussain"
    assert cal["REFRESH-INTERVAL"].to_ical() == b"PT1H"
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    assert str(cal["METHOD"]) == "PUBLISH"
    [event] = [e["event"] for e in read["events"].values()]
    assert {k for k in event} == {
        "UID",
        "SUMMARY",
        "DESCRIPTION",
        "DTSTART",
        "DTEND",
        "DTSTAMP",
        "CREATED",
        "LAST-MODIFIED",
        "LOCATION",
        "URL",
        "STATUS",
        "SEQUENCE",
    }
    from workflows.models import Case

    assert str(event["SUMMARY"]) == "Supervision: Hillside Primary School"
    assert str(event["LOCATION"]) == "School meeting room"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["UID"]) == f"supervision-session-{session.pk}@127.0.0.1"
    assert not Case.objects.exists()  # no case: the link goes to the admin dashboard
    assert str(event["DESCRIPTION"]) == (
        "Service: DSL supervision\nFormat: Individual\nLength: 90 minutes\n"
        "Booking reference: SUP-AAAAAA\nDetails: http://127.0.0.1:8000/admin/"
    )


@time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_supervisee_sees_supervisor_name_and_a_link_to_ask_for_their_portal(
    client, service, feed_for
):
    booking = add_booking(service)
    add_session(booking, london(2026, 10, 23, 14))
    url = feed_for(FeedKind.SUPERVISEE, email=booking.supervisee_email)

    read = both_readers(client.get(url).content)

    [event] = [e["event"] for e in read["events"].values()]
    assert str(event["SUMMARY"]) == "Supervision with Amira Hussain"
    assert str(event["URL"]) == "http://127.0.0.1:8000/bookings/link/"
    assert str(read["calendar"]["X-WR-CALNAME"]) == "Supervision: my sessions"


@time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_provisional_is_tentative_and_held_is_confirmed(client, service, feed_for):
    booking = add_booking(service)
    provisional = add_session(booking, london(2026, 10, 23, 14), status=SessionStatus.PROVISIONAL)
    held = add_session(booking, london(2026, 9, 23, 14), status=SessionStatus.HELD)
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)

    events = both_readers(client.get(url).content)["events"]

    assert events[f"supervision-session-{provisional.pk}@127.0.0.1"]["status"] == "TENTATIVE"
    assert events[f"supervision-session-{held.pk}@127.0.0.1"]["status"] == "CONFIRMED"


def test_cancelled_stays_30_days_as_cancelled_then_leaves(client, service, feed_for):
    with time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)):
        booking = add_booking(service)
        session = add_session(booking, london(2027, 1, 12, 14))
        url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)
        session.status = SessionStatus.CANCELLED
        session.save()
        events = both_readers(client.get(url).content)["events"]
        [event] = events.values()
        assert (event["status"], event["sequence"]) == ("CANCELLED", 1)
    with time_machine.travel(datetime.datetime(2026, 10, 30, 9, tzinfo=datetime.UTC)):
        assert len(both_readers(client.get(url).content)["events"]) == 1
    with time_machine.travel(datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)):
        assert both_readers(client.get(url).content)["events"] == {}


@time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_window_is_the_last_90_days_and_everything_ahead(client, service, feed_for):
    booking = add_booking(service)
    old = add_session(booking, london(2026, 7, 2, 10), status=SessionStatus.HELD)  # 91 days
    recent = add_session(booking, london(2026, 7, 4, 10), status=SessionStatus.HELD)
    far = add_session(booking, london(2028, 6, 1, 10))
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)

    events = both_readers(client.get(url).content)["events"]

    assert set(events) == {
        f"supervision-session-{recent.pk}@127.0.0.1",
        f"supervision-session-{far.pk}@127.0.0.1",
    }
    assert f"supervision-session-{old.pk}@127.0.0.1" not in events


@time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_each_feed_holds_only_its_owners_sessions(client, service, feed_for):
    mine = add_booking(service)
    theirs = add_booking(
        service,
        supervisor=service.supervisor_b,
        email="sam@other.example.org",
        school="Other School",
        urn="654321",
        reference="SUP-BBBBBB",
    )
    a = add_session(mine, london(2026, 10, 23, 14))
    b = add_session(theirs, london(2026, 10, 23, 16))

    own = feed_for(FeedKind.SUPERVISOR, user=service.user_a)
    supervisor = both_readers(client.get(own).content)
    supervisee = both_readers(
        client.get(feed_for(FeedKind.SUPERVISEE, email="sam@other.example.org")).content
    )
    team = both_readers(client.get(feed_for(FeedKind.TEAM, user=service.staff)).content)

    uid = "supervision-session-{}@127.0.0.1".format
    assert set(supervisor["events"]) == {uid(a.pk)}
    assert set(supervisee["events"]) == {uid(b.pk)}
    assert set(team["events"]) == {uid(a.pk), uid(b.pk)}


@time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False)
def test_record_text_and_free_text_never_appear(client, service, feed_for):
    booking = add_booking(service)
    session = add_session(booking, london(2026, 9, 20, 10), status=SessionStatus.HELD)
    SessionRecordFactory(
        session=session,
        reference="SUP-AAAAAA-R1",
        due_date=timezone.localdate(),
        reflections="SECRET-REFLECTION about Tommy Smith, DOB 01/02/2015",
        topics="SECRET-TOPIC",
        attendees="SECRET-ATTENDEES",
    )
    urls = [
        feed_for(FeedKind.SUPERVISOR, user=service.user_a),
        feed_for(FeedKind.SUPERVISEE, email=booking.supervisee_email),
        feed_for(FeedKind.TEAM, user=service.staff),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert len(both_readers(body)["events"]) == 1
        assert "SECRET" not in body
        assert "Tommy" not in body
        assert "2015" not in body
        assert "jo.bloggs" not in body
