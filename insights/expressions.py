"""Database expressions that keep Insights' arithmetic inside the database engine itself.

Why not Django's own: on SQLite, Django computes ``end - start``, ``start - timedelta`` and
``submitted_at__date`` (in the local time zone) by calling back into Python once per row
(``django_timestamp_diff``, ``django_format_dtdelta``, ``django_datetime_cast_date``). Over a
hundred thousand sessions those callbacks were most of the page's time. The expressions here
compile to SQLite's own C functions (``julianday``, ``date``) and to plain PostgreSQL, so both
engines stay in native code.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, DateField, Expression, F, FloatField, Func, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone


class SecondsBetween(Func):
    """Whole seconds from the first datetime to the second (may be negative)."""

    output_field = FloatField()
    arity = 2
    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "

    def __init__(self, first: Any, second: Any, **extra: Any) -> None:
        # EXTRACT wants the later minus the earlier: second - first.
        super().__init__(second, first, **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        # julianday() is in days; rounding to whole seconds makes sums exact integers.
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _offset_changes(
    first: datetime.datetime, last: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.timedelta]]:
    """The local time zone's UTC offset at ``first`` and at each change up to ``last``.

    Scans day by day and bisects to the second inside a day where the offset changed (time
    zones change at most a few times a year), so a three-year window costs ~1,100 look-ups.
    """
    tz = timezone.get_current_timezone()
    utc = datetime.UTC

    def offset(at: datetime.datetime) -> datetime.timedelta:
        return at.astimezone(tz).utcoffset() or datetime.timedelta()

    day = datetime.timedelta(days=1)
    out = [(first, offset(first))]
    cursor = first
    while cursor < last:
        step = min(cursor + day, last)
        if offset(step) != out[-1][1]:
            low, high = cursor, step  # offset(low) == current, offset(high) differs
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == out[-1][1]:
                    low = middle
                else:
                    high = middle
            high = high.astimezone(utc).replace(microsecond=0)
            out.append((high, offset(high)))
        cursor = step
    return out


def local_date(field: str, *, around: tuple[datetime.datetime, datetime.datetime]) -> Expression:
    """The local-time-zone date of a datetime column, natively on SQLite and PostgreSQL.

    On SQLite the offset is a CASE over the zone's changes within ``around`` (computed here
    from zoneinfo); values outside that window fall back to Django's ``TruncDate``, which is
    always right but calls Python per row. Choose ``around`` to hold nearly every value.
    PostgreSQL converts time zones itself, so it gets ``TruncDate`` directly.
    """
    first, last = around
    changes = _offset_changes(first, last)
    whens = []
    for index, (since, offset) in enumerate(changes):
        until = changes[index + 1][0] if index + 1 < len(changes) else last
        modifier = f"{int(offset.total_seconds()):+d} seconds"
        whens.append(
            When(
                **{f"{field}__gte": since, f"{field}__lt": until},
                then=Func(F(field), Value(modifier), function="date", output_field=DateField()),
            )
        )
    return _ByVendor(
        TruncDate(field), sqlite=Case(*whens, default=TruncDate(field), output_field=DateField())
    )


class _ByVendor(Expression):
    """One expression for PostgreSQL (and others), another for SQLite."""

    def __init__(self, default: Expression, *, sqlite: Expression) -> None:
        super().__init__(output_field=DateField())
        self.default, self.sqlite = default, sqlite

    def get_source_expressions(self) -> list[Expression]:
        return [self.default, self.sqlite]

    def set_source_expressions(self, exprs: list[Expression]) -> None:
        self.default, self.sqlite = exprs

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return compiler.compile(self.default)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return compiler.compile(self.sqlite)


class EpochSeconds(Func):
    """Seconds since 1970-01-01 UTC of a datetime (NULL stays NULL).

    For figures that subtract several datetimes per row: the database reads each value once
    and the differences are taken in Python on plain numbers.
    """

    output_field = FloatField()
    arity = 1
    template = "EXTRACT(EPOCH FROM %(expressions)s)"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return self.as_sql(
            compiler,
            connection,
            template="ROUND((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra,
        )
