"""Records register, supervisor utilisation and the audit log: metadata-only registers."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audit.models import AuditEvent
from exports.exporters.base import CHUNK_SIZE, BaseExporter, SheetSpec, month_start
from exports.exporters.invoices import MONTH_FORMAT
from exports.permissions import sessions_for
from exports.workbook import Column, Kind
from records.models import SessionRecord
from workflows.enums import SessionStatus


class RecordsRegisterExporter(BaseExporter):
    """Which records are due, submitted, acknowledged or overdue. Never a word of content:
    only metadata columns are selected, so no encrypted field is even read."""

    identifier = "records-register"
    verbose_name = "Records register"
    description = "Session records' dates and state (never their content)."
    staff_only = True
    states = (
        ("awaiting", "Not yet submitted"),
        ("overdue", "Overdue"),
        ("submitted", "Submitted"),
        ("acknowledged", "Acknowledged"),
    )

    def queryset(self) -> QuerySet[Any]:
        p = self.params
        qs = self.in_range(
            SessionRecord.objects.filter(session__in=sessions_for(self.user)), "session__start"
        )
        if p.supervisor_id:
            qs = qs.filter(session__supervisor_id=p.supervisor_id)
        if p.school_id:
            qs = qs.filter(session__booking__school_id=p.school_id)
        if p.service_id:
            qs = qs.filter(session__booking__service_id=p.service_id)
        today = timezone.localdate()
        if p.state == "awaiting":
            qs = qs.filter(submitted_at__isnull=True)
        elif p.state == "overdue":
            qs = qs.overdue(today)
        elif p.state == "submitted":
            qs = qs.filter(submitted_at__isnull=False)
        elif p.state == "acknowledged":
            qs = qs.filter(acknowledged_at__isnull=False)
        return qs

    def sheets(self) -> Iterator[SheetSpec]:
        columns = [
            Column("Record", width=20),
            Column("Session", Kind.DATETIME),
            Column("School", width=32),
            Column("Supervisor", width=22),
            Column("Due", Kind.DATE),
            Column("Submitted", Kind.DATETIME),
            Column("Shared", Kind.DATETIME),
            Column("Acknowledged", Kind.DATETIME),
            Column("Overdue", width=9),
            Column("Days overdue", Kind.INTEGER),
            Column("State", width=16),
        ]
        qs = (
            self.queryset()
            .order_by("session__start", "pk")
            .values_list(
                "reference",
                "session__start",
                "session__booking__school__name",
                "session__supervisor__title",
                "due_date",
                "submitted_at",
                "shared_at",
                "acknowledged_at",
                "content_removed_at",
                "case__state__label",
            )
        )
        today = timezone.localdate()

        def rows() -> Iterator[tuple[Any, ...]]:
            for ref, start, school, sup, due, sub, shared, ack, anon, state in qs.iterator(
                chunk_size=CHUNK_SIZE
            ):
                overdue = sub is None and anon is None and due < today
                days = (today - due).days if overdue else None
                yield (ref, start, school, sup, due, sub, shared, ack,
                       "Yes" if overdue else "No", days, state)  # fmt: skip

        yield SheetSpec("Records register", columns, rows())


class UtilisationExporter(BaseExporter):
    """Sessions and hours per supervisor per month, with a native Excel bar chart.

    Cancelled sessions are left out unless that state is chosen. The chart sits on a second
    sheet that pivots hours into months (rows) by supervisors (series)."""

    identifier = "utilisation"
    verbose_name = "Supervisor utilisation"
    description = "Sessions and hours per supervisor per month, with a bar chart."
    states: ClassVar = tuple(
        (value, label.split(" (")[0]) for value, label in SessionStatus.choices
    )

    def queryset(self) -> QuerySet[Any]:
        p = self.params
        qs = self.sessions_in_scope()
        return qs.filter(status=p.state) if p.state else qs.exclude(status="cancelled")

    def _grouped(self) -> list[tuple[str, datetime.date, int, Decimal]]:
        length = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
        rows = (
            self.queryset()
            .annotate(month=TruncMonth("start"))
            .values("supervisor__title", "month")
            .annotate(n=Count("pk"), held=Sum(length))
            .order_by("supervisor__title", "month")
        )
        return [
            (
                r["supervisor__title"],
                month_start(r["month"]),
                r["n"],
                round(Decimal(r["held"].total_seconds()) / 3600, 2),
            )
            for r in rows
        ]

    def count(self) -> int:
        return len(self._grouped())

    def sheets(self) -> Iterator[SheetSpec]:
        grouped = self._grouped()
        month = Column("Month", Kind.DATE, number_format=MONTH_FORMAT)
        yield SheetSpec(
            "Utilisation",
            [
                Column("Supervisor", width=26),
                month,
                Column("Sessions", Kind.INTEGER),
                Column("Hours", Kind.DECIMAL),
            ],
            grouped,
        )
        supervisors = sorted({r[0] for r in grouped})
        months = sorted({r[1] for r in grouped})
        hours = {(r[0], r[1]): r[3] for r in grouped}
        pivot = [(m, *[hours.get((s, m), Decimal("0")) for s in supervisors]) for m in months]
        yield SheetSpec(
            "Hours by month",
            [month, *[Column(s, Kind.DECIMAL, width=14) for s in supervisors]],
            pivot,
            chart={
                "title": "Hours of supervision per month",
                "categories_column": 1,
                "value_columns": list(range(2, 2 + len(supervisors))),
                "y_axis_title": "Hours",
            },
        )


class AuditLogExporter(BaseExporter):
    """The audit log's metadata columns (what the Audit log screen lists), for its staff."""

    identifier = "audit-log"
    verbose_name = "Audit log"
    description = "Sign-ins, views, downloads, exports and every workflow step."
    staff_only = True
    #: The audit listing's own filters, passed through from its download button.
    EXTRA_FILTERS = ("action", "actor_label", "target_type", "q")

    @classmethod
    def allowed_for(cls, user: Any) -> bool:
        return bool(
            user is not None
            and user.is_authenticated
            and (user.is_superuser or user.has_perm("audit.view_auditevent"))
        )

    def queryset(self) -> QuerySet[Any]:
        qs = self.in_range(AuditEvent.objects.all(), "timestamp")
        extra = self.params.extra
        if extra.get("action"):
            qs = qs.filter(action__istartswith=extra["action"])
        if extra.get("actor_label"):
            qs = qs.filter(actor_label__icontains=extra["actor_label"])
        if extra.get("target_type"):
            qs = qs.filter(target_type__iexact=extra["target_type"])
        if extra.get("q"):
            q = extra["q"]
            qs = qs.filter(
                Q(action__icontains=q)
                | Q(actor_label__icontains=q)
                | Q(target_label__icontains=q)
                | Q(target_id__icontains=q)
            )
        return qs

    COLUMNS = (
        Column("When", Kind.DATETIME),
        Column("Action", width=34),
        Column("Who", width=20),
        Column("Object type", width=22),
        Column("Object id", width=10),
        Column("Object", width=36),
        Column("IP address", width=16),
    )

    def rows(self) -> Iterator[tuple[Any, ...]]:
        qs = (
            self.queryset()
            .order_by("-timestamp", "-id")
            .values_list(
                "timestamp",
                "action",
                "actor_label",
                "target_type",
                "target_id",
                "target_label",
                "ip_address",
            )
        )
        return qs.iterator(chunk_size=CHUNK_SIZE)

    def sheets(self) -> Iterator[SheetSpec]:
        yield SheetSpec("Audit log", self.COLUMNS, self.rows())
