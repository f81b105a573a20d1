"""The exporter contract, after pretix's ``BaseExporter``/``ListExporter``.

An exporter has a stable ``identifier`` (used in URLs, job rows, audit lines and file names), a
``verbose_name`` for people, and yields its sheets: a title, typed columns and a row generator
that streams from the database (``.iterator(chunk_size=...)``). It never touches openpyxl: the
workbook in ``exports.workbook`` owns typing, style and the formula guard.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone

from cms.models import ServicePage, SupervisorPage
from exports.permissions import exports_everything, may_export, sessions_for
from exports.workbook import Column, ExcelWorkbook, excel_datetime
from workflows.models import School

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ExportParams:
    """The filters of one export, as the form cleaned them (JSON-safe via ``to_json``)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    supervisor_id: int | None = None
    school_id: int | None = None
    service_id: int | None = None
    state: str = ""
    #: Filters only one exporter declares (the audit log's action, who, object type, search).
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("date_from", "date_to"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExportParams:
        values = dict(data)
        for key in ("date_from", "date_to"):
            if values.get(key):
                values[key] = datetime.date.fromisoformat(values[key])
        return cls(**values)


#: The columns that name a school, a supervisor and a service: defined once, so every export
#: that has them heads and sizes them the same way (staff filter across workbooks by them).
SCHOOL_COLUMNS = (
    Column("School", width=32),
    Column("URN", width=9),
    Column("Purchase order", width=16),
)
SUPERVISOR_COLUMN = Column("Supervisor", width=22)
SERVICE_COLUMN = Column("Service", width=26)


def school_paths(via: str = "") -> tuple[str, str, str]:
    """The ``values_list`` paths for :data:`SCHOOL_COLUMNS`, reached through ``via``."""
    return (f"{via}school__name", f"{via}school__urn", f"{via}school__purchase_order")


@dataclass
class SheetSpec:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    #: Keyword arguments for ``Sheet.add_bar_chart``, if the sheet carries a chart.
    chart: dict[str, Any] | None = None


class BaseExporter:
    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    description: ClassVar[str] = ""
    #: Only for people who export everything (staff or "Can export"); supervisors never.
    staff_only: ClassVar[bool] = False
    #: The ``state`` values this export understands: ``[(value, label), ...]``.
    states: ClassVar[Sequence[tuple[str, str]]] = ()
    #: Templates list exporter classes; they must not try to instantiate them.
    do_not_call_in_templates: ClassVar[bool] = True

    def __init__(self, *, user: Any, params: ExportParams) -> None:
        self.user = user
        self.params = params

    # -- what subclasses provide --------------------------------------------------------------

    @classmethod
    def state_choices(cls) -> Sequence[tuple[str, str]]:
        return cls.states

    @classmethod
    def allowed_for(cls, user: Any) -> bool:
        return exports_everything(user) if cls.staff_only else may_export(user)

    def count(self) -> int:
        """Rows the main sheet will hold: decides between download now and a background job.

        One row per item of ``queryset()`` unless an exporter groups rows (utilisation).
        """
        return self.queryset().count()

    def sheets(self) -> Iterator[SheetSpec]:
        raise NotImplementedError

    # -- shared -------------------------------------------------------------------------------

    def filter_labels(self) -> dict[str, Any]:
        """The filters in words, for the title row and the audit line."""
        p = self.params
        labels: dict[str, Any] = {"From": p.date_from, "To": p.date_to}
        if p.supervisor_id:
            labels["Supervisor"] = _title(SupervisorPage, p.supervisor_id)
        if p.school_id:
            labels["School"] = _title(School, p.school_id, attr="name")
        if p.service_id:
            labels["Service"] = _title(ServicePage, p.service_id)
        if p.state:
            labels["State"] = dict(self.state_choices()).get(p.state, p.state)
        labels.update({k.replace("_", " ").capitalize(): v for k, v in p.extra.items() if v})
        return labels

    def sessions_in_scope(self) -> QuerySet[Any]:
        """The user's sessions starting in the range, narrowed by supervisor, school and service:
        the one place the session-based exports (sessions, invoices, registers) apply them."""
        p = self.params
        qs = self.in_range(sessions_for(self.user), "start")
        if p.supervisor_id:
            qs = qs.filter(supervisor_id=p.supervisor_id)
        if p.school_id:
            qs = qs.filter(booking__school_id=p.school_id)
        if p.service_id:
            qs = qs.filter(booking__service_id=p.service_id)
        return qs

    def in_range(self, qs: QuerySet[Any], date_field: str) -> QuerySet[Any]:
        """Rows whose ``date_field`` (a datetime) falls on the dates chosen, in local time."""
        if self.params.date_from:
            qs = qs.filter(**{f"{date_field}__gte": _local_midnight(self.params.date_from)})
        if self.params.date_to:
            next_day = self.params.date_to + datetime.timedelta(days=1)
            qs = qs.filter(**{f"{date_field}__lt": _local_midnight(next_day)})
        return qs

    def write(
        self, workbook: ExcelWorkbook, *, progress: Callable[[int], None] | None = None
    ) -> int:
        """Write every sheet; returns the rows in the first (main) sheet."""
        labels = self.filter_labels()
        main_rows: int | None = None
        for spec in self.sheets():
            sheet = workbook.add_sheet(spec.title, spec.columns, filters=labels)
            written = sheet.write(spec.rows, progress=progress if main_rows is None else None)
            if spec.chart:
                sheet.add_bar_chart(**spec.chart)
            if main_rows is None:
                main_rows = written
        return main_rows or 0


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _title(model: Any, pk: int, attr: str = "title") -> str:
    value = model.objects.filter(pk=pk).values_list(attr, flat=True).first()
    return str(value) if value is not None else f"#{pk}"


def month_start(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = excel_datetime(value).date()
    return value.replace(day=1)


def minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
    return int((end - start).total_seconds() // 60)
