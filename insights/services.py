"""What Insights shows, computed with database aggregates in a fixed number of queries.

``build_insights`` is the one entry point: the same figures feed the page, the Excel download
and the termly PDF, so they always agree. Each figure says where it comes from:

- sessions held and hours: ``Session`` with status *held*, by its start time;
- cancellations: ``Session`` with status *cancelled*, by its start time, with ``cancelled_by``
  (a role) and ``cancelled_at`` (how long before the start);
- schools: distinct schools of held sessions; *new* means the school's first held session
  (within the chosen service and supervisor) falls in the period;
- requests → accepted → first session: bookings made in the period; *accepted* is when its
  first sessions were booked (accepting a request schedules them), *first session* the start of
  its first held session;
- agreements: fully signed in the period (both signatures, the later one in the period), and
  waiting for a signature at the period's end;
- records: ``SessionRecord`` by due date; *on time* means submitted on or before the due date;
- topics and signposting: the monthly tallies in ``insights.models`` (never the encrypted text).

Small numbers in topics, signposting and schools are suppressed (``insights.suppression``).
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Sum, Value
from django.utils import timezone

from cms.models import ServicePage, SupervisorPage
from insights.expressions import EpochSeconds, SecondsBetween, local_date
from insights.models import TalliedRecord, TallyKind, TopicTally
from insights.periods import Period, add_months, month_start
from insights.suppression import Cell, suppress_table
from records.models import SessionRecord
from workflows.enums import Role, SessionStatus
from workflows.models import Agreement, Booking, Session

ALL = "all"
TOTAL = "total"

CANCELLED_BY = {
    Role.SUPERVISEE: "The supervisee",
    Role.SUPERVISOR: "The supervisor",
    Role.SERVICE_STAFF: "Service staff",
    Role.SYSTEM: "The system",
    "": "Not recorded",
}
LATENESS = [
    ("late", "Less than 24 hours before"),
    ("week", "1 to 7 days before"),
    ("early", "More than 7 days before"),
    ("unknown", "Not recorded"),
]


# --- tallies ----------------------------------------------------------------------------------


def tally_record(*, record: SessionRecord) -> bool:
    """Add a submitted record's ticked topics and signposting to the monthly tallies, once.

    Runs in the caller's transaction (the submission's); returns False if the record was
    already counted or has no content left. ``get_or_create`` copes with two submissions
    creating the same tally row at once.
    """
    if record.submitted_at is None or record.content_removed_at is not None:
        return False
    with transaction.atomic():
        _, created = TalliedRecord.objects.get_or_create(record_id=record.pk)
        if not created:
            return False
        session = Session.objects.select_related("booking").get(pk=record.session_id)
        month = month_start(timezone.localtime(session.start).date())
        for kind, labels in (
            (TallyKind.TOPIC, record.topic_list),
            (TallyKind.SIGNPOSTING, record.signposting_list),
        ):
            for label in sorted(set(labels)):
                tally, _ = TopicTally.objects.get_or_create(
                    month=month, service_id=session.booking.service_id, kind=kind, label=label
                )
                TopicTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
    return True


def tally_untallied_records() -> int:
    """Count every submitted record not yet counted (for data from before Insights existed)."""
    done = 0
    records = SessionRecord.objects.filter(
        submitted_at__isnull=False, content_removed_at__isnull=True
    ).exclude(pk__in=TalliedRecord.objects.values("record_id"))
    for record in records.iterator():
        done += tally_record(record=record)
    return done


# --- results ----------------------------------------------------------------------------------


@dataclass
class Filters:
    service: ServicePage | None = None
    supervisor: SupervisorPage | None = None


@dataclass
class Median:
    label: str
    count: int
    days: float | None


@dataclass
class Breakdown:
    """Labels with a period count and a monthly trend, every count already suppressed."""

    title: str
    labels: list[str]
    totals: dict[str, Cell]
    trend: dict[str, list[Cell]]

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [
            {"label": label, "total": self.totals[label], "trend": self.trend[label]}
            for label in self.labels
        ]


@dataclass
class Insights:
    period: Period
    filters: Filters
    months: list[datetime.date]
    sessions_held: int = 0
    hours_held: float = 0.0
    sessions_trend: list[tuple[datetime.date, int, float]] = field(default_factory=list)
    hours_by_supervisor: list[tuple[str, int, float]] = field(default_factory=list)
    cancellations: list[tuple[str, dict[str, int], int]] = field(default_factory=list)
    cancellations_total: int = 0
    schools_shown: bool = False
    schools_served: Cell | None = None
    new_schools: Cell | None = None
    schools_by_service: list[tuple[str, Cell, Cell]] = field(default_factory=list)
    requests: int = 0
    pipeline: list[Median] = field(default_factory=list)
    agreements_signed: int = 0
    agreements_waiting: int = 0
    records_due: int = 0
    records_on_time: int = 0
    records_late: int = 0
    records_overdue: int = 0
    records_pending: int = 0
    topics: Breakdown | None = None
    signposting: Breakdown | None = None
    breakdowns_note: str = ""

    @property
    def records_on_time_share(self) -> float | None:
        finished = self.records_on_time + self.records_late + self.records_overdue
        return self.records_on_time / finished if finished else None

    @property
    def on_time_percent(self) -> str:
        share = self.records_on_time_share
        return "no records due yet" if share is None else f"{share:.0%}"

    @property
    def cancellation_rows(self) -> list[tuple[str, list[int], int]]:
        return [
            (label, [buckets[key] for key, _ in LATENESS], n)
            for label, buckets, n in self.cancellations
        ]

    @property
    def breakdowns(self) -> list[tuple[str, Breakdown]]:
        return [
            (key, value)
            for key, value in (("topics", self.topics), ("signposting", self.signposting))
            if value is not None
        ]


# --- computing --------------------------------------------------------------------------------


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """Aware datetimes for [start 00:00, the day after end 00:00) in the local time zone."""
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return first, after


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _session_filter(filters: Filters, prefix: str = "") -> Q:
    q = Q()
    if filters.service is not None:
        q &= Q(**{f"{prefix}booking__service": filters.service})
    if filters.supervisor is not None:
        q &= Q(**{f"{prefix}supervisor": filters.supervisor})
    return q


def _hours(seconds: float | None) -> float:
    return round((seconds or 0) / 3600, 2)


#: A session's length in seconds, computed by the database (see ``insights.expressions``).
SECONDS = SecondsBetween("start", "end")


@dataclass(frozen=True)
class Segment:
    """A slice of time that lies in one month and wholly inside or outside the period."""

    start: datetime.datetime
    after: datetime.datetime
    month: datetime.date
    in_period: bool


def _segments(
    result: Insights, start: datetime.datetime, after: datetime.datetime
) -> list[Segment]:
    """The trend window cut at every month boundary and at the period's own ends.

    Each session falls in exactly one segment, so one query can count every segment and the
    trend months and the period are both sums of segments: nothing is counted twice, and a
    custom range that starts mid-month still gets exact period figures.
    """
    months = result.months
    cuts = {_midnight(m) for m in months} | {_midnight(add_months(months[-1], 1))}
    cuts |= {start, after}
    ordered = sorted(cuts)
    first, last = _midnight(months[0]), _midnight(add_months(months[-1], 1))
    out = []
    for lo, hi in itertools.pairwise(ordered):
        if lo < first or hi > last:
            continue
        out.append(Segment(lo, hi, _month_key(lo), start <= lo and hi <= after))
    return out


def _per_segment(
    queryset: Any, segments: list[Segment], group: str, **aggregates: Any
) -> list[dict]:
    """One query: ``aggregates`` by ``group`` over the sessions of each segment (UNION ALL).

    Each part is a range scan of the ``(status, start, end, supervisor)`` index; grouping one
    big scan by a computed month instead makes the database compute and sort a key for every
    row, which at 100,000 sessions cost several times more (see docs/insights.md).
    """
    parts = [
        queryset.filter(start__gte=segment.start, start__lt=segment.after)
        .values(group)
        .annotate(segment=Value(index), **aggregates)
        .values("segment", group, *aggregates)
        .order_by()
        for index, segment in enumerate(segments)
    ]
    return list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])


def _month_key(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return month_start(value)


def build_insights(
    *, period: Period, filters: Filters, today: datetime.date | None = None
) -> Insights:
    """Every figure for one period and filter, in a fixed number of queries (one per section).

    Eight queries (seven with a supervisor chosen, which has no topic breakdown, or for a
    custom range, which has no school counts), whatever the amount of data or the length of
    the period; each is an aggregate over index ranges (see docs/insights.md, "Speed").
    """
    today = today or timezone.localdate()
    result = Insights(period=period, filters=filters, months=period.trend_months())
    start, after = _bounds(period.start, period.end)
    in_period = Q(start__gte=start, start__lt=after)
    sessions = Session.objects.filter(_session_filter(filters))
    held = sessions.filter(status=SessionStatus.HELD)

    _sessions(result, held, start, after)
    _cancellations(result, sessions, in_period)
    _schools(result, filters, start, after)
    _pipeline(result, filters, start, after)
    _agreements(result, filters, start, after)
    _records(result, filters, period, today)
    _breakdowns(result, filters)
    return result


def _sessions(
    result: Insights, held: Any, start: datetime.datetime, after: datetime.datetime
) -> None:
    # 1 query: held sessions and their seconds per segment (months of the trend, cut at the
    # period's ends) and supervisor; the trend, the period's figures and the hours per
    # supervisor are all sums of these rows (at most segments x supervisors of them).
    segments = _segments(result, start, after)
    rows = _per_segment(held, segments, "supervisor_id", n=Count("pk"), seconds=Sum(SECONDS))
    by_month: dict[datetime.date, list[float]] = defaultdict(lambda: [0, 0.0])
    by_supervisor: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for row in rows:
        segment = segments[row["segment"]]
        by_month[segment.month][0] += row["n"]
        by_month[segment.month][1] += row["seconds"] or 0
        if segment.in_period:
            by_supervisor[row["supervisor_id"]][0] += row["n"]
            by_supervisor[row["supervisor_id"]][1] += row["seconds"] or 0
    result.sessions_held = sum(n for n, _ in by_supervisor.values())
    result.hours_held = _hours(sum(seconds for _, seconds in by_supervisor.values()))
    result.sessions_trend = [
        (m, by_month[m][0], _hours(by_month[m][1])) if m in by_month else (m, 0, 0.0)
        for m in result.months
    ]
    # 1 query: supervisors' names (staff; not suppressed). The supervisor table is small, and
    # reading it whole keeps the count of queries the same whatever was found.
    names = dict(SupervisorPage.objects.values_list("pk", "title"))
    result.hours_by_supervisor = sorted(
        (names.get(pk, ""), n, _hours(seconds)) for pk, (n, seconds) in by_supervisor.items()
    )


def _cancellations(result: Insights, sessions: Any, in_period: Q) -> None:
    # 1 query: cancelled sessions by who cancelled and how long before the start.
    day, week = 24 * 3600, 7 * 24 * 3600
    rows = (
        sessions.filter(in_period, status=SessionStatus.CANCELLED)
        .alias(notice=SecondsBetween("cancelled_at", "start"))
        .values("cancelled_by")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(notice__lt=day)),
            week=Count("pk", filter=Q(notice__gte=day, notice__lt=week)),
            early=Count("pk", filter=Q(notice__gte=week)),
            unknown=Count("pk", filter=Q(cancelled_at__isnull=True)),
        )
        .order_by()
    )
    found = {row["cancelled_by"] or "": row for row in rows}
    for role, label in CANCELLED_BY.items():
        row = found.get(str(role))
        if row is None:
            continue
        result.cancellations.append((label, {k: row[k] for k, _ in LATENESS}, row["n"]))
        result.cancellations_total += row["n"]


def _schools(
    result: Insights, filters: Filters, start: datetime.datetime, after: datetime.datetime
) -> None:
    # Distinct counts cannot be differenced safely over arbitrary ranges: fixed periods only.
    if result.period.kind == "custom":
        result.schools_shown = False
        return
    result.schools_shown = True
    # 1 query: per (school, service), whether any of its bookings had a held session in the
    # period, and whether any had one before it (within the supervisor filter). Each booking
    # is two index look-ups on (booking, status, start), so the cost follows the number of
    # bookings, never the number of sessions; at most schools x services rows come back.
    held = Session.objects.filter(booking=OuterRef("pk"), status=SessionStatus.HELD)
    bookings = Booking.objects.filter(created_at__lt=after)
    if filters.supervisor is not None:
        held = held.filter(supervisor=filters.supervisor)
        # Only the bookings this supervisor has sessions in (one pass of their sessions).
        bookings = bookings.filter(
            pk__in=Session.objects.filter(supervisor=filters.supervisor).values("booking_id")
        )
    if filters.service is not None:
        bookings = bookings.filter(service=filters.service)
    rows = (
        bookings.alias(
            held_in_period=Exists(held.filter(start__gte=start, start__lt=after)),
            held_before=Exists(held.filter(start__lt=start)),
        )
        .values("school_id", "service_id")
        .annotate(
            active=Count("pk", filter=Q(held_in_period=True)),
            before=Count("pk", filter=Q(held_before=True)),
            service_title=Min("service__title"),
        )
        .order_by()
    )
    served: dict[Any, set[int]] = defaultdict(set)
    new: dict[Any, set[int]] = defaultdict(set)
    seen_before: set[int] = set()
    titles: dict[int, str] = {}
    for row in rows:
        school, service = row["school_id"], row["service_id"]
        if row["before"]:
            seen_before.add(school)
        if not row["active"]:
            continue
        titles[service] = row["service_title"]
        served[service].add(school)
        served[TOTAL].add(school)
        if not row["before"]:
            new[service].add(school)
    new[TOTAL] = served[TOTAL] - seen_before
    order = sorted(titles, key=lambda s: titles[s])
    cells: dict[str, dict[Any, Cell]] = {}
    for column, counts in (("served", served), ("new", new)):
        values = {(row, column): len(counts.get(row, ())) for row in [*order, TOTAL]}
        hidden = suppress_table(values, [*order, TOTAL], [column], total_row=TOTAL)
        cells[column] = {
            row: Cell(values[(row, column)], (row, column) not in hidden) for row in [*order, TOTAL]
        }
    result.schools_served = cells["served"][TOTAL]
    result.new_schools = cells["new"][TOTAL]
    result.schools_by_service = [(titles[s], cells["served"][s], cells["new"][s]) for s in order]


#: Over the requests' own query (``{requests}``, compiled by the ORM): the number of requests,
#: then for each step its count and its median - the middle row(s) by ROW_NUMBER, averaged.
#: Window functions and CTEs work alike on SQLite (3.25+) and PostgreSQL, which share no
#: MEDIAN aggregate.
PIPELINE_SQL = (
    "WITH requests AS ({requests}), steps AS ("
    " SELECT accepted - requested AS to_accept, first_held - accepted AS to_first,"
    " first_held - requested AS whole FROM requests)"
    " SELECT (SELECT COUNT(*) FROM requests),"
    " (SELECT COUNT(to_accept) FROM steps),"
    " (SELECT AVG(v) FROM (SELECT to_accept AS v, ROW_NUMBER() OVER (ORDER BY to_accept) AS rn,"
    " COUNT(*) OVER () AS n FROM steps WHERE to_accept IS NOT NULL) AS ranked"
    " WHERE rn BETWEEN (n + 1) / 2 AND (n + 2) / 2),"
    " (SELECT COUNT(to_first) FROM steps),"
    " (SELECT AVG(v) FROM (SELECT to_first AS v, ROW_NUMBER() OVER (ORDER BY to_first) AS rn,"
    " COUNT(*) OVER () AS n FROM steps WHERE to_first IS NOT NULL) AS ranked"
    " WHERE rn BETWEEN (n + 1) / 2 AND (n + 2) / 2),"
    " (SELECT COUNT(whole) FROM steps),"
    " (SELECT AVG(v) FROM (SELECT whole AS v, ROW_NUMBER() OVER (ORDER BY whole) AS rn,"
    " COUNT(*) OVER () AS n FROM steps WHERE whole IS NOT NULL) AS ranked"
    " WHERE rn BETWEEN (n + 1) / 2 AND (n + 2) / 2)"
)


#: PostgreSQL has a median aggregate (``percentile_cont``): one pass instead of three sorts.
#: MATERIALIZED: else the planner inlines the CTE and runs the look-ups once per expression.
PIPELINE_SQL_POSTGRESQL = (
    "WITH requests AS MATERIALIZED ({requests})"
    " SELECT COUNT(*),"
    " COUNT(accepted - requested),"
    " percentile_cont(0.5) WITHIN GROUP (ORDER BY accepted - requested),"
    " COUNT(first_held - accepted),"
    " percentile_cont(0.5) WITHIN GROUP (ORDER BY first_held - accepted),"
    " COUNT(first_held - requested),"
    " percentile_cont(0.5) WITHIN GROUP (ORDER BY first_held - requested)"
    " FROM requests"
)


def _days(seconds: Any) -> float | None:
    return None if seconds is None else round(float(seconds) / 86400, 1)


def _pipeline(
    result: Insights, filters: Filters, start: datetime.datetime, after: datetime.datetime
) -> None:
    # 1 query: for the bookings requested in the period, the seconds from request to its
    # first booked session and to its first held one (one index look-up each), and the count
    # and median of each step, all in the database: one row comes back.
    bookings = Booking.objects.filter(created_at__gte=start, created_at__lt=after)
    if filters.service is not None:
        bookings = bookings.filter(service=filters.service)
    if filters.supervisor is not None:
        bookings = bookings.filter(supervisor=filters.supervisor)
    sessions = Session.objects.filter(booking=OuterRef("pk"))
    requests = (
        bookings.annotate(
            accepted_at=Subquery(
                sessions.values("booking").annotate(first=Min("created_at")).values("first")
            ),
            first_held_at=Subquery(
                sessions.filter(status=SessionStatus.HELD).order_by("start").values("start")[:1]
            ),
        )
        .values(
            requested=EpochSeconds("created_at"),
            accepted=EpochSeconds("accepted_at"),
            first_held=EpochSeconds("first_held_at"),
        )
        .order_by()
    )
    inner, params = requests.query.get_compiler(using=requests.db).as_sql()
    connection = connections[requests.db]
    sql = PIPELINE_SQL_POSTGRESQL if connection.vendor == "postgresql" else PIPELINE_SQL
    with connection.cursor() as cursor:
        # Only the ORM's own compiled SQL and the constant text above; values are parameters.
        cursor.execute(sql.format(requests=inner), params)  # nosec B608
        total, *steps = cursor.fetchone()
    result.requests = total
    labels = ["Request to accepted", "Accepted to first session", "Request to first session"]
    result.pipeline = [
        Median(label, count, _days(median))
        for label, count, median in zip(labels, steps[::2], steps[1::2], strict=True)
    ]


def _agreements(
    result: Insights, filters: Filters, start: datetime.datetime, after: datetime.datetime
) -> None:
    # 1 query: signed in the period (the later signature in it) and waiting at its end.
    agreements = Agreement.objects.filter(created_at__lt=after)
    if filters.service is not None:
        agreements = agreements.filter(booking__service=filters.service)
    if filters.supervisor is not None:
        agreements = agreements.filter(booking__supervisor=filters.supervisor)
    both_by_end = Q(supervisee_signed_at__lt=after, supervisor_signed_at__lt=after)
    figures = agreements.aggregate(
        signed=Count(
            "pk",
            filter=both_by_end
            & (Q(supervisee_signed_at__gte=start) | Q(supervisor_signed_at__gte=start)),
        ),
        waiting=Count("pk", filter=~both_by_end),
    )
    result.agreements_signed = figures["signed"]
    result.agreements_waiting = figures["waiting"]


def _records(result: Insights, filters: Filters, period: Period, today: datetime.date) -> None:
    # 1 query: records due in the period; on time, late, overdue (unwritten) and not yet due.
    records = SessionRecord.objects.filter(due_date__gte=period.start, due_date__lte=period.end)
    records = records.filter(_session_filter(filters, "session__"))
    # Submissions almost always fall between a few months before the period and today; the
    # local date of any outside that window is still right, just slower on SQLite.
    window = (_midnight(period.start - datetime.timedelta(days=120)), timezone.now())
    figures = records.alias(submitted_on=local_date("submitted_at", around=window)).aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(submitted_on__lte=F("due_date"))),
        submitted=Count("submitted_at"),
        overdue=Count("pk", filter=Q(submitted_at__isnull=True, due_date__lt=today)),
        pending=Count("pk", filter=Q(submitted_at__isnull=True, due_date__gte=today)),
    )
    result.records_due = figures["due"]
    result.records_on_time = figures["on_time"]
    # Every submitted record has a local date, so late is the rest (one CASE per row, not two).
    result.records_late = figures["submitted"] - figures["on_time"]
    result.records_overdue = figures["overdue"]
    result.records_pending = figures["pending"]


def _breakdowns(result: Insights, filters: Filters) -> None:
    if filters.supervisor is not None:
        result.breakdowns_note = (
            "Topics and signposting are not shown for one supervisor: a supervisor sees few "
            "people, so the counts could point to someone."
        )
        return
    if not result.period.is_whole_months:
        result.breakdowns_note = (
            "Topics and signposting are counted by whole months, so these cover "
            f"{result.period.months()[0]:%B %Y} to {result.period.months()[-1]:%B %Y}."
        )
    # 1 query: every service's tallies over the trend window (and the period's months).
    months = sorted(set(result.months) | set(result.period.months()))
    rows = (
        TopicTally.objects.filter(month__gte=months[0], month__lte=months[-1])
        .values("month", "service_id", "kind", "label")
        .annotate(n=Sum("count"))
    )
    cube: dict[str, dict[datetime.date, dict[tuple[Any, str], int]]] = {
        kind: defaultdict(lambda: defaultdict(int)) for kind in TallyKind.values
    }
    services: set[int] = set()
    labels: dict[str, set[str]] = {kind: set() for kind in TallyKind.values}
    for row in rows:
        month_cells = cube[row["kind"]][row["month"]]
        month_cells[(row["service_id"], row["label"])] += row["n"]
        month_cells[(ALL, row["label"])] += row["n"]
        services.add(row["service_id"])
        labels[row["kind"]].add(row["label"])
    scope = filters.service.pk if filters.service is not None else ALL
    for kind, title, attr in (
        (TallyKind.TOPIC, "Topics discussed", "topics"),
        (TallyKind.SIGNPOSTING, "Signposting given", "signposting"),
    ):
        kind_labels = sorted(labels[kind])
        shown: dict[datetime.date, dict[str, Cell]] = {}
        for month in months:
            values = cube[kind].get(month, {})
            hidden = suppress_table(
                dict(values), [ALL, *sorted(services)], kind_labels, total_row=ALL
            )
            shown[month] = {
                label: Cell(values.get((scope, label), 0), (scope, label) not in hidden)
                for label in kind_labels
            }
        totals = {}
        for label in kind_labels:
            cells = [shown[m][label] for m in result.period.months()]
            totals[label] = Cell(sum(c.value for c in cells), all(c.shown for c in cells))
        used = [
            label
            for label in kind_labels
            if totals[label].value or any(shown[m][label].value for m in result.months)
        ]
        used.sort(key=lambda label: (-totals[label].value if totals[label].shown else 0, label))
        setattr(
            result,
            attr,
            Breakdown(
                title=title,
                labels=used,
                totals={label: totals[label] for label in used},
                trend={label: [shown[m][label] for m in result.months] for label in used},
            ),
        )
