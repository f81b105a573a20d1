"""The small-number rule: primary, secondary, and differencing across periods and services."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest

from insights.periods import custom_period, month_period, term_period
from insights.services import Filters, build_insights
from insights.suppression import FEWER_THAN, WITHHELD, Cell, suppress_table
from tests.helpers.insights import at
from tests.helpers.service import login

D = datetime.date


def test_counts_below_five_are_hidden_and_zero_is_shown():
    values = {("all", "a"): 4, ("all", "b"): 0, ("all", "c"): 9, ("all", "d"): 5}
    hidden = suppress_table(values, ["all"], ["a", "b", "c", "d"])
    # 4 is hidden; the lone hidden cell takes the next-smallest non-zero one (5) with it.
    assert hidden == {("all", "a"), ("all", "d")}
    assert [str(Cell(4, False)), str(Cell(5, False)), str(Cell(0))] == [
        FEWER_THAN,
        WITHHELD,
        "0",
    ]


def test_no_secondary_suppression_when_two_cells_are_already_hidden():
    values = {("all", "a"): 1, ("all", "b"): 2, ("all", "c"): 9}
    assert suppress_table(values, ["all"], ["a", "b", "c"]) == {("all", "a"), ("all", "b")}


def test_a_lone_hidden_part_of_a_total_takes_the_next_smallest_part_with_it():
    # Topic "x": all services 20 = A 3 + B 8 + C 9. Showing 20, 8 and 9 would give A = 3.
    values = {("all", "x"): 20, ("A", "x"): 3, ("B", "x"): 8, ("C", "x"): 9}
    hidden = suppress_table(values, ["all", "A", "B", "C"], ["x"], total_row="all")
    assert hidden == {("A", "x"), ("B", "x")}


def test_the_total_is_hidden_when_no_other_part_can_be():
    # "x": all 7 = A 7 (secondary from its row) + B 0. Showing all = 7 would give A.
    values = {("all", "x"): 7, ("A", "x"): 7, ("A", "y"): 2, ("all", "y"): 2, ("B", "x"): 0}
    hidden = suppress_table(values, ["all", "A", "B"], ["x", "y"], total_row="all")
    assert ("all", "x") in hidden and ("A", "x") in hidden


# --- through the database and across periods ---------------------------------------------------

#: (month, service key, label) -> number of records ticking it. Hand-worked outcome:
#: October: all services show Well-being 8 and Thresholds 15; every per-service cell is hidden
#: (attendance's Well-being 2 is small; its Thresholds 8 goes with it across the row; each
#: column then has one hidden part, so DSL's go too).
#: November: attendance's Thresholds 3 is small, and with it everything else that month.
CUBE = {
    (10, "dsl", "Well-being"): 6,
    (10, "dsl", "Thresholds"): 7,
    (10, "att", "Well-being"): 2,
    (10, "att", "Thresholds"): 8,
    (11, "dsl", "Well-being"): 5,
    (11, "att", "Well-being"): 5,
    (11, "att", "Thresholds"): 3,
}


@pytest.fixture
def topic_cube(autumn):
    maker = autumn.maker
    services = {"dsl": autumn.dsl, "att": autumn.attendance}
    bookings = {
        key: maker.booking(
            school=10 + i,
            service_page=service,
            supervisor=autumn.site.supervisor_b,
            created=at(8, 1),
        )
        for i, (key, service) in enumerate(services.items())
    }
    hour = 0
    for (month, key, label), count in CUBE.items():
        for _ in range(count):
            hour += 2
            start = datetime.datetime(2026, month, 2, tzinfo=datetime.UTC) + datetime.timedelta(
                hours=hour
            )
            session = maker.session(bookings[key], start)
            maker.record(
                session,
                due=start.date() + datetime.timedelta(days=7),
                submitted=start + datetime.timedelta(hours=1),
                topics=[label],
                signposting=["Employee assistance programme"],
            )
    return autumn


def _totals(period, service=None):
    result = build_insights(period=period, filters=Filters(service=service))
    return result, {label: result.topics.totals[label] for label in result.topics.labels}


@pytest.mark.django_db
def test_topics_are_counted_from_submitted_records_and_suppressed(topic_cube):
    _, october = _totals(month_period(D(2026, 10, 1)))
    assert october == {"Thresholds": Cell(15), "Well-being": Cell(8)}
    _, november = _totals(month_period(D(2026, 11, 1)))
    assert november == {"Well-being": Cell(10, False), "Thresholds": Cell(3, False)}
    _, dsl_october = _totals(month_period(D(2026, 10, 1)), topic_cube.dsl)
    assert dsl_october == {"Thresholds": Cell(7, False), "Well-being": Cell(6, False)}


@pytest.mark.django_db
def test_two_adjacent_periods_cannot_be_subtracted(topic_cube):
    # October shows Thresholds = 15. If October-November showed 18, 18 - 15 would reveal
    # November's 3, so the longer period withholds it.
    _, both = _totals(custom_period(D(2026, 10, 1), D(2026, 11, 30)))
    assert both["Thresholds"] == Cell(18, False)
    assert str(both["Thresholds"]) == WITHHELD
    _, term = _totals(term_period(2026, "autumn"))
    assert not term["Thresholds"].shown

    # The general property: any figure shown, for any period and service, is the sum of
    # monthly figures that are themselves shown, so no difference of two shown figures can
    # be a hidden number.
    periods = [
        month_period(D(2026, 10, 1)),
        month_period(D(2026, 11, 1)),
        custom_period(D(2026, 10, 1), D(2026, 11, 30)),
        custom_period(D(2026, 10, 15), D(2026, 11, 3)),
        term_period(2026, "autumn"),
    ]
    for period, service in itertools.product(
        periods, [None, topic_cube.dsl, topic_cube.attendance]
    ):
        result, totals = _totals(period, service)
        for label, total in totals.items():
            months = [
                cell
                for month, cell in zip(result.months, result.topics.trend[label], strict=True)
                if month in period.months()
            ]
            if total.shown:
                assert all(cell.shown for cell in months), (period, service, label)
                assert total.value == sum(cell.value for cell in months)


@pytest.mark.django_db
def test_page_shows_words_for_hidden_counts(client, topic_cube):
    login(client, topic_cube.site.staff)
    html = client.get("/admin/insights/", {"period": "month", "month": "2026-11"}).content
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))
    assert "Well-being withheld" in text
    assert "Thresholds fewer than 5" in text
    # Employee assistance programme: 36 in total, shown per month (October 23, November 13).
    assert "Employee assistance programme 13" in text
