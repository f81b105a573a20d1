"""Working days in England: Monday to Friday, less England and Wales bank holidays.

One module for every "N working days" rule in the service (record due dates, the target
days of a workflow state, overdue reminders), so that a session before Easter or Christmas
does not make a record overdue while the office is closed. Bank holidays come from the
``holidays`` package (subdivision ENG), which follows the published UK calendar including
substitute days; a leaf module so that any app may import it.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    """True from Monday to Friday unless the day is an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts)."""
    current, added = start, 0
    while added < days:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            added += 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    days, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days
