"""Bookings and sessions: what staff (all) and supervisors (their own) list and filter."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from exports.exporters.base import (
    CHUNK_SIZE,
    SCHOOL_COLUMNS,
    SERVICE_COLUMN,
    SUPERVISOR_COLUMN,
    BaseExporter,
    SheetSpec,
    minutes_between,
    school_paths,
)
from exports.permissions import bookings_for
from exports.workbook import Column, Kind
from workflows.enums import Frequency, SessionFormat, SessionStatus, WorkflowSubject
from workflows.models import Case, State

SESSION_STATUS = dict(SessionStatus.choices)
SHORT_STATUS = {
    SessionStatus.PROVISIONAL: "Provisional",
    SessionStatus.CONFIRMED: "Confirmed",
    SessionStatus.HELD: "Held",
    SessionStatus.CANCELLED: "Cancelled",
}


class BookingsExporter(BaseExporter):
    identifier = "bookings"
    verbose_name = "Bookings"
    description = "Every booking requested in the date range, with its current state."

    @classmethod
    def state_choices(cls) -> Sequence[tuple[str, str]]:
        """The states of the booking workflows, as staff named them."""
        rows = (
            State.objects.filter(workflow__subject="booking")
            .order_by("sort_order", "key")
            .values_list("key", "label")
        )
        seen: dict[str, str] = {}
        for key, label in rows:
            seen.setdefault(key, label)
        return list(seen.items())

    def queryset(self) -> QuerySet[Any]:
        p = self.params
        qs = self.in_range(bookings_for(self.user), "created_at")
        if p.supervisor_id:
            qs = qs.filter(supervisor_id=p.supervisor_id)
        if p.school_id:
            qs = qs.filter(school_id=p.school_id)
        if p.service_id:
            qs = qs.filter(service_id=p.service_id)
        case = Case.objects.filter(
            workflow__subject=WorkflowSubject.BOOKING, subject_id=OuterRef("pk")
        )
        qs = qs.annotate(
            state_key=Subquery(case.values("state__key")[:1]),
            state_label=Subquery(case.values("state__label")[:1]),
        )
        if p.state:
            qs = qs.filter(state_key=p.state)
        return qs

    def sheets(self) -> Iterator[SheetSpec]:
        columns = [
            Column("Reference", width=14),
            Column("Requested", Kind.DATETIME),
            *SCHOOL_COLUMNS,
            Column("Supervisee", width=22),
            SUPERVISOR_COLUMN,
            SERVICE_COLUMN,
            Column("Format", width=11),
            Column("Attendees", Kind.INTEGER),
            Column("Minutes per session", Kind.DURATION),
            Column("Frequency", width=16),
            Column("Price per session", Kind.MONEY),
            Column("Sessions", Kind.INTEGER),
            Column("Sessions held", Kind.INTEGER),
            Column("State", width=18),
        ]
        qs = (
            self.queryset()
            .annotate(
                n_sessions=Count("sessions"),
                n_held=Count("sessions", filter=Q(sessions__status=SessionStatus.HELD)),
            )
            .order_by("created_at", "pk")
            .values_list(
                "reference",
                "created_at",
                *school_paths(),
                "supervisee_name",
                "supervisor__title",
                "service__title",
                "format",
                "attendees",
                "duration_minutes",
                "frequency",
                "price",
                "n_sessions",
                "n_held",
                "state_label",
            )
        )
        formats, frequencies = dict(SessionFormat.choices), dict(Frequency.choices)

        def rows() -> Iterator[tuple[Any, ...]]:
            for row in qs.iterator(chunk_size=CHUNK_SIZE):
                row = list(row)
                row[8] = formats.get(row[8], row[8])
                row[11] = frequencies.get(row[11], row[11])
                yield row

        yield SheetSpec("Bookings", columns, rows())


class SessionsExporter(BaseExporter):
    identifier = "sessions"
    verbose_name = "Sessions"
    description = "Every session starting in the date range, with its price snapshot and status."
    states = tuple((value, SHORT_STATUS[value]) for value in SessionStatus.values)

    COLUMNS = (
        Column("Booking", width=14),
        *SCHOOL_COLUMNS,
        SUPERVISOR_COLUMN,
        SERVICE_COLUMN,
        Column("Starts", Kind.DATETIME),
        Column("Minutes", Kind.DURATION),
        Column("Status", width=12),
        Column("Price", Kind.MONEY),
        Column("Cancelled at", Kind.DATETIME),
        Column("Invoiced at", Kind.DATETIME),
    )

    def queryset(self) -> QuerySet[Any]:
        p = self.params
        qs = self.sessions_in_scope()
        if p.state:
            qs = qs.filter(status=p.state)
        return qs

    def rows(self) -> Iterator[tuple[Any, ...]]:
        qs = (
            self.queryset()
            .order_by("start", "pk")
            .values_list(
                "booking__reference",
                *school_paths("booking__"),
                "supervisor__title",
                "booking__service__title",
                "start",
                "end",
                "status",
                "price",
                "cancelled_at",
                "invoiced_at",
            )
        )
        status = SHORT_STATUS
        for (
            ref,
            school,
            urn,
            po,
            sup,
            svc,
            start,
            end,
            st,
            price,
            cancelled,
            invoiced,
        ) in qs.iterator(chunk_size=CHUNK_SIZE):
            yield (
                ref,
                school,
                urn,
                po,
                sup,
                svc,
                start,
                minutes_between(start, end),
                status.get(st, st),
                price,
                cancelled,
                invoiced,
            )

    def sheets(self) -> Iterator[SheetSpec]:
        yield SheetSpec("Sessions", self.COLUMNS, self.rows())
