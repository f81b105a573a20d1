"""Reporting periods: a month, an English school term, an academic year or a custom range.

Terms have fixed whole-month boundaries so that figures compare year on year and so that every
breakdown is a sum of whole months (see ``insights.suppression``):

- autumn term: 1 September to 31 December;
- spring term: 1 January to 31 March (Easter falls in late March or April; we do not move the
  boundary with it);
- summer term: 1 April to 31 July.

August belongs to no term, but does belong to the academic year (1 September to 31 August).
A custom range is any run of days up to ``MAX_CUSTOM_DAYS`` long; its topic, signposting and
school breakdowns are widened to the whole months it touches, and said so on the page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

PeriodKind = Literal["month", "term", "year", "custom"]

TERMS = {
    "autumn": ("Autumn term", 9, 12),
    "spring": ("Spring term", 1, 3),
    "summer": ("Summer term", 4, 7),
}
MAX_CUSTOM_DAYS = 3 * 366
#: The trend charts show at least this many months, ending with the period's last month.
MIN_TREND_MONTHS = 6


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return add_months(day, 1) - datetime.timedelta(days=1)


def academic_year_of(day: datetime.date) -> int:
    """The academic year a day falls in, named by the year it starts (2026 for 2026-27)."""
    return day.year if day.month >= 9 else day.year - 1


def term_of(day: datetime.date) -> tuple[int, str] | None:
    """(calendar year the term starts in, term key) for a day, or None in August."""
    for key, (_label, first, last) in TERMS.items():
        if first <= day.month <= last:
            return day.year, key
    return None


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates, with a label and what kind of period it is."""

    kind: PeriodKind
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def whole_months(self) -> tuple[datetime.date, datetime.date]:
        """The first and last months touched (as first days): breakdowns use these."""
        return month_start(self.start), month_start(self.end)

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.end)

    def months(self) -> list[datetime.date]:
        first, last = self.whole_months
        out = [first]
        while out[-1] < last:
            out.append(add_months(out[-1], 1))
        return out

    def trend_months(self) -> list[datetime.date]:
        """The months of the trend charts: the period's, or the last six up to its end."""
        months = self.months()
        if len(months) >= MIN_TREND_MONTHS:
            return months
        last = months[-1]
        return [add_months(last, -i) for i in range(MIN_TREND_MONTHS - 1, -1, -1)]

    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def month_period(first: datetime.date) -> Period:
    first = month_start(first)
    return Period("month", first, month_end(first), f"{first:%B %Y}")


def term_period(year: int, key: str) -> Period:
    label, first, last = TERMS[key]
    start = datetime.date(year, first, 1)
    return Period("term", start, month_end(datetime.date(year, last, 1)), f"{label} {year}")


def year_period(year: int) -> Period:
    return Period(
        "year",
        datetime.date(year, 9, 1),
        datetime.date(year + 1, 8, 31),
        f"Academic year {year}-{str(year + 1)[-2:]}",
    )


def custom_period(start: datetime.date, end: datetime.date) -> Period:
    return Period("custom", start, end, f"{start:%-d %b %Y} to {end:%-d %b %Y}")


def term_choices(today: datetime.date, years_back: int = 4) -> list[tuple[str, str]]:
    """Terms from ``years_back`` academic years ago up to the current one, newest first."""
    current = academic_year_of(today)
    out = []
    for year in range(current, current - years_back - 1, -1):
        for key, cal_year in (("summer", year + 1), ("spring", year + 1), ("autumn", year)):
            period = term_period(cal_year, key)
            if period.start <= today:
                out.append((f"{cal_year}-{key}", period.label))
    return out
