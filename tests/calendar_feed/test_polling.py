"""Polling is cheap: ETag/Last-Modified, 304 before rendering, a cached render, fixed queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendar_feed.enums import FeedKind
from tests.helpers.calendar_feed import add_booking, add_session, both_readers, london
from workflows.enums import SessionStatus

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)


def _reads_events(queries) -> bool:
    return any("workflows_school" in q["sql"] for q in queries)


@time_machine.travel(NOW, tick=False)
def test_headers_then_304_without_rendering_then_new_etag_after_a_change(client, service, feed_for):
    booking = add_booking(service)
    session = add_session(booking, london(2026, 10, 23, 14), status=SessionStatus.PROVISIONAL)
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)

    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, max-age=900"
    assert first["Last-Modified"] == "Thu, 01 Oct 2026 09:00:00 GMT"
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) == 34

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "private, max-age=900"
    assert not _reads_events(queries.captured_queries)
    assert len(queries) == 2  # the token, the fingerprint

    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    # A change to the session: new ETag, a fresh render with the new SEQUENCE and STATUS.
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        session.status = SessionStatus.CONFIRMED
        session.save(update_fields=["status"])
        changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed["Last-Modified"] == "Thu, 01 Oct 2026 09:05:00 GMT"
    [event] = both_readers(changed.content)["events"].values()
    assert (event["status"], event["sequence"]) == ("CONFIRMED", 1)


@time_machine.travel(NOW, tick=False)
def test_bulk_changes_also_move_the_etag_and_sequence(client, service, feed_for):
    from workflows.services.scheduling import confirm_sessions

    booking = add_booking(service)
    add_session(booking, london(2026, 10, 23, 14), status=SessionStatus.PROVISIONAL)
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)
    etag = client.get(url)["ETag"]

    with time_machine.travel(NOW + datetime.timedelta(seconds=1), tick=False):
        confirm_sessions(booking=booking)  # a queryset .update(), as workflow actions do
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    [event] = both_readers(response.content)["events"].values()
    assert (event["status"], event["sequence"]) == ("CONFIRMED", 1)


@time_machine.travel(NOW, tick=False)
def test_second_request_is_served_from_the_cache(client, service, feed_for):
    booking = add_booking(service)
    add_session(booking, london(2026, 10, 23, 14))
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content
    assert not _reads_events(queries.captured_queries)


@pytest.mark.parametrize("count", [1, 3])
@time_machine.travel(NOW, tick=False)
def test_feed_query_count_is_the_same_for_1_and_3_events(
    client, service, feed_for, django_assert_num_queries, count
):
    booking = add_booking(service)
    for day in range(count):
        add_session(booking, london(2026, 10, 20 + day, 14))
    url = feed_for(FeedKind.SUPERVISOR, user=service.user_a)

    # token, fingerprint, events (one query, with the case link), "last read" stamp
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(both_readers(response.content)["events"]) == count


@pytest.mark.parametrize("count", [1, 3])
@time_machine.travel(NOW, tick=False)
def test_team_feed_query_count_is_the_same_for_1_and_3_events(
    client, service, feed_for, django_assert_num_queries, count
):
    booking = add_booking(service)
    for day in range(count):
        add_session(booking, london(2026, 10, 20 + day, 14))
    url = feed_for(FeedKind.TEAM, user=service.staff)

    # token, the owner's permissions (user, group), fingerprint, events, "last read" stamp
    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(both_readers(response.content)["events"]) == count
