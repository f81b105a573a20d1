"""Each figure on the Insights page against the hand-counted autumn term (see conftest)."""

from __future__ import annotations

import datetime
import re

import pytest

from insights.periods import custom_period, month_period, term_period
from insights.services import Filters, build_insights
from insights.suppression import Cell
from tests.helpers.insights import AUTUMN
from tests.helpers.service import login
from workflows.models import Booking

pytestmark = pytest.mark.django_db

D = datetime.date


def autumn_insights(**filters):
    return build_insights(period=term_period(2026, "autumn"), filters=Filters(**filters))


def test_sessions_and_hours_held(autumn):
    result = autumn_insights()
    assert (result.sessions_held, result.hours_held) == (5, 5.5)
    assert result.sessions_trend == [
        (D(2026, 7, 1), 0, 0.0),
        (D(2026, 8, 1), 0, 0.0),
        (D(2026, 9, 1), 1, 1.0),
        (D(2026, 10, 1), 2, 2.5),
        (D(2026, 11, 1), 2, 2.0),
        (D(2026, 12, 1), 0, 0.0),
    ]


def test_hours_per_supervisor(autumn):
    assert autumn_insights().hours_by_supervisor == [
        ("Amira Hussain", 3, 3.5),
        ("Daniel Okafor", 2, 2.0),
    ]


def test_cancellations_by_whom_and_how_late(autumn):
    result = autumn_insights()
    assert result.cancellations_total == 4
    assert result.cancellation_rows == [
        ("The supervisee", [1, 0, 1, 0], 2),
        ("Service staff", [0, 1, 0, 0], 1),
        ("Not recorded", [0, 0, 0, 1], 1),
    ]


def test_schools_served_and_new_are_counted_and_suppressed(autumn):
    result = autumn_insights()
    # Served: schools 1, 2 (DSL) and 3 (attendance); new: 2 and 3. All below 5.
    assert result.schools_served == Cell(3, shown=False)
    assert result.new_schools == Cell(2, shown=False)
    assert result.schools_by_service == [
        ("Attendance supervision", Cell(1, False), Cell(1, False)),
        ("DSL supervision", Cell(2, False), Cell(1, False)),
    ]


def test_request_to_first_session_medians(autumn):
    result = autumn_insights()
    assert result.requests == 3
    assert [(m.label, m.count, m.days) for m in result.pipeline] == [
        ("Request to accepted", 2, 4.0),  # 3 and 5 days
        ("Accepted to first session", 2, 11.0),  # 11 and 11 days
        ("Request to first session", 2, 15.0),  # 14 and 16 days
    ]


def test_agreements_signed_and_waiting(autumn):
    result = autumn_insights()
    assert (result.agreements_signed, result.agreements_waiting) == (1, 1)


def test_records_due_on_time_and_overdue(autumn):
    result = autumn_insights()
    assert (
        result.records_due,
        result.records_on_time,
        result.records_late,
        result.records_overdue,
        result.records_pending,
    ) == (5, 2, 1, 1, 1)
    assert result.on_time_percent == "50%"


def test_filters_by_service_and_supervisor(autumn):
    by_service = autumn_insights(service=autumn.attendance)
    assert (by_service.sessions_held, by_service.hours_held, by_service.requests) == (2, 2.0, 1)
    assert by_service.cancellations_total == 3
    by_supervisor = autumn_insights(supervisor=autumn.site.supervisor_a)
    assert (by_supervisor.sessions_held, by_supervisor.hours_held) == (3, 3.5)
    assert (by_supervisor.records_due, by_supervisor.records_on_time) == (3, 1)
    assert (by_supervisor.agreements_signed, by_supervisor.agreements_waiting) == (1, 0)
    assert by_supervisor.topics is None  # never per supervisor


def test_page_shows_the_figures(client, autumn):
    login(client, autumn.site.staff)
    response = client.get("/admin/insights/", AUTUMN)
    assert response.status_code == 200
    html = response.content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Autumn term 2026" in text
    assert "5 sessions held" in text
    assert "5.5 hours of supervision" in text
    assert "4 sessions cancelled" in text
    assert "fewer than 5 schools served" in text
    assert "3 requests received" in text
    assert "50% of records due were written on time" in text
    assert "Amira Hussain 3 3.5" in text
    assert "Request to first session 2 15" in text


def test_bad_period_is_reported_and_falls_back_to_the_current_term(client, autumn):
    login(client, autumn.site.staff)
    response = client.get("/admin/insights/", {"period": "custom", "start": "2026-12-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give both dates of the range." in html
    assert "Autumn term 2026" in html
    response = client.get("/admin/insights/", {"period": "term", "term": "1999-winter"})
    assert "Select a valid choice" in response.content.decode()


def test_months_and_on_time_follow_local_time_in_british_summer_time(autumn):
    """Sessions and submissions near midnight count by the UK date, not the UTC one.

    In October 2026 the UK is on BST (UTC+1) until the 25th: 30 Sep 23:30 UTC is 1 October,
    21 Oct 23:30 UTC is 22 October (a day late for a record due on the 21st), and 23 Oct
    22:30 UTC is still the 23rd (on time for a record due that day).
    """
    maker = autumn.maker
    booking = Booking.objects.get(school__urn="200003")  # Daniel's attendance booking
    midnight = maker.session(booking, datetime.datetime(2026, 9, 30, 23, 30, tzinfo=datetime.UTC))
    maker.record(
        midnight,
        due=D(2026, 10, 21),
        submitted=datetime.datetime(2026, 10, 21, 23, 30, tzinfo=datetime.UTC),
    )
    evening = maker.session(booking, datetime.datetime(2026, 10, 20, 9, 0, tzinfo=datetime.UTC))
    maker.record(
        evening,
        due=D(2026, 10, 23),
        submitted=datetime.datetime(2026, 10, 23, 22, 30, tzinfo=datetime.UTC),
    )

    october = build_insights(period=month_period(D(2026, 10, 1)), filters=Filters())
    # Oct 8 (90 min), Oct 15, and the two above.
    assert (october.sessions_held, october.hours_held) == (4, 4.5)
    assert october.sessions_trend[-2:] == [(D(2026, 9, 1), 1, 1.0), (D(2026, 10, 1), 4, 4.5)]
    # Due in October: Oct 15 (late), Oct 21 (late by local date), Oct 22 (overdue),
    # Oct 23 (on time by local date).
    assert (
        october.records_due,
        october.records_on_time,
        october.records_late,
        october.records_overdue,
    ) == (4, 1, 2, 1)


def test_a_custom_range_cut_mid_month_counts_only_its_own_days(autumn):
    # 10 October to 10 November: held on Oct 15 and Nov 5 (not Oct 8, not Nov 19).
    result = build_insights(
        period=custom_period(D(2026, 10, 10), D(2026, 11, 10)), filters=Filters()
    )
    assert (result.sessions_held, result.hours_held) == (2, 2.0)
    assert result.hours_by_supervisor == [("Amira Hussain", 1, 1.0), ("Daniel Okafor", 1, 1.0)]
    # The trend still shows whole months: October 2 sessions (2.5 h), November 2 (2 h).
    assert result.sessions_trend[-2:] == [(D(2026, 10, 1), 2, 2.5), (D(2026, 11, 1), 2, 2.0)]
    assert result.schools_shown is False
