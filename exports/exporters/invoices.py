"""Invoices: chargeable sessions per school per month, and a summary of totals per school.

Chargeable means held, or cancelled less than the notice window (Settings → Invoicing) before
the start. With no window set, no cancelled session is charged. The amount is the session's
price snapshot, so totals always equal the sum of the prices that were booked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from wagtail.models import Site

from exports.exporters.base import (
    CHUNK_SIZE,
    SCHOOL_COLUMNS,
    SERVICE_COLUMN,
    SUPERVISOR_COLUMN,
    BaseExporter,
    SheetSpec,
    minutes_between,
    month_start,
    school_paths,
)
from exports.models import InvoiceSettings
from exports.workbook import Column, Kind
from workflows.enums import SessionStatus

MONTH_FORMAT = "mmm yyyy"
CENTS = Decimal("0.01")


def notice_hours() -> int | None:
    """The late-cancellation window from the default site's Invoicing settings."""

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    return InvoiceSettings.for_site(site).cancellation_notice_hours


def chargeable(qs: QuerySet[Any], hours: int | None) -> QuerySet[Any]:
    """Held sessions, plus sessions cancelled inside the notice window."""
    condition = Q(status=SessionStatus.HELD)
    if hours:
        condition |= Q(
            status=SessionStatus.CANCELLED,
            cancelled_at__isnull=False,
            cancelled_at__gt=F("start") - datetime.timedelta(hours=hours),
        )
    return qs.filter(condition)


class InvoicesExporter(BaseExporter):
    identifier = "invoices"
    verbose_name = "Invoices"
    description = (
        "Chargeable sessions per school per month (held, and cancelled inside the notice "
        "window), with a summary sheet of totals per school."
    )
    staff_only = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.notice_hours = notice_hours()

    def filter_labels(self) -> dict[str, Any]:
        labels = super().filter_labels()
        labels["Late-cancellation window"] = (
            f"{self.notice_hours} hours" if self.notice_hours else "none"
        )
        return labels

    def queryset(self) -> QuerySet[Any]:
        qs = self.sessions_in_scope()
        return chargeable(qs, self.notice_hours)

    def sheets(self) -> Iterator[SheetSpec]:
        totals: dict[int, list[Any]] = {}
        lines = [
            *SCHOOL_COLUMNS,
            Column("Month", Kind.DATE, number_format=MONTH_FORMAT),
            Column("Session", Kind.DATETIME),
            Column("Booking", width=14),
            SUPERVISOR_COLUMN,
            SERVICE_COLUMN,
            Column("Charged as", width=26),
            Column("Minutes", Kind.DURATION),
            Column("Rate per hour", Kind.MONEY),
            Column("Amount", Kind.MONEY),
        ]
        yield SheetSpec("Invoice lines", lines, self._lines(totals))
        summary = [
            *SCHOOL_COLUMNS,
            Column("Sessions", Kind.INTEGER),
            Column("Hours", Kind.DECIMAL),
            Column("Total", Kind.MONEY),
        ]
        yield SheetSpec("Summary", summary, self._summary(totals))

    def _lines(self, totals: dict[int, list[Any]]) -> Iterator[tuple[Any, ...]]:
        """Stream the lines, adding each to its school's totals (a few hundred schools at most)."""
        qs = (
            self.queryset()
            .order_by("booking__school__name", "booking__school_id", "start", "pk")
            .values_list(
                "booking__school_id",
                *school_paths("booking__"),
                "start",
                "end",
                "booking__reference",
                "supervisor__title",
                "booking__service__title",
                "status",
                "price",
            )
        )
        for school_id, name, urn, po, start, end, ref, sup, svc, status, price in qs.iterator(
            chunk_size=CHUNK_SIZE
        ):
            minutes = minutes_between(start, end)
            rate = (price * 60 / minutes).quantize(CENTS, ROUND_HALF_UP) if minutes else price
            charged = "Held" if status == SessionStatus.HELD else "Late cancellation"
            total = totals.setdefault(school_id, [name, urn, po, 0, 0, Decimal("0")])
            total[3] += 1
            total[4] += minutes
            total[5] += price
            yield (name, urn, po, month_start(start), start, ref, sup, svc, charged, minutes, rate,
                   price)  # fmt: skip

    @staticmethod
    def _summary(totals: dict[int, list[Any]]) -> Iterator[tuple[Any, ...]]:
        all_sessions, all_minutes, all_amount = 0, 0, Decimal("0")
        for name, urn, po, sessions, minutes, amount in totals.values():
            all_sessions += sessions
            all_minutes += minutes
            all_amount += amount
            yield (name, urn, po, sessions, round(minutes / 60, 2), amount)
        yield ("All schools", None, None, all_sessions, round(all_minutes / 60, 2), all_amount)
