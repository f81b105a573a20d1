"""The Insights Excel download, written through ``exports.workbook`` (typed, formula-safe).

One sheet per section of the page, from the same ``Insights`` object, so the workbook shows
exactly what the page shows, with the same suppression: a hidden count is an empty number cell
with the words ("fewer than 5", "withheld") in the Note column next to it.
"""

from __future__ import annotations

from typing import Any

from exports.workbook import Column, ExcelWorkbook, Kind
from insights.services import LATENESS, Breakdown, Insights
from insights.suppression import Cell


def _count(cell: Cell | None) -> tuple[int | None, str]:
    if cell is None:
        return None, "not given for custom ranges"
    return (cell.value, "") if cell.shown else (None, str(cell))


def describe(result: Insights) -> dict[str, Any]:
    return {
        "Period": f"{result.period.label} ({result.period.start:%d/%m/%Y} to "
        f"{result.period.end:%d/%m/%Y})",
        "Service": result.filters.service.title if result.filters.service else "All",
        "Supervisor": result.filters.supervisor.title if result.filters.supervisor else "All",
    }


def insights_workbook(result: Insights) -> bytes:
    book = ExcelWorkbook()
    filters = describe(result)
    figure = [Column("Figure", width=48), Column("Value", Kind.DECIMAL), Column("Note", width=30)]

    summary = book.add_sheet("Summary", figure, filters=filters)
    served, served_note = _count(result.schools_served if result.schools_shown else None)
    new, new_note = _count(result.new_schools if result.schools_shown else None)
    share = result.records_on_time_share
    summary.write(
        [
            ("Sessions held", result.sessions_held, ""),
            ("Hours of supervision", result.hours_held, ""),
            ("Sessions cancelled", result.cancellations_total, ""),
            ("Schools served", served, served_note),
            ("New schools", new, new_note),
            ("Requests received", result.requests, ""),
            ("Agreements signed", result.agreements_signed, ""),
            ("Agreements waiting for a signature at the end", result.agreements_waiting, ""),
            ("Records due", result.records_due, ""),
            ("Records written on time", result.records_on_time, ""),
            ("Records written late", result.records_late, ""),
            ("Records overdue, not yet written", result.records_overdue, ""),
            ("Records not yet due", result.records_pending, ""),
            (
                "Share of records written on time",
                round(share, 4) if share is not None else None,
                "" if share is not None else "no records due yet",
            ),
        ]
    )

    months = book.add_sheet(
        "Sessions per month",
        [
            Column("Month", Kind.DATE),
            Column("Sessions", Kind.INTEGER),
            Column("Hours", Kind.DECIMAL),
        ],
        filters=filters,
    )
    months.write(result.sessions_trend)

    supervisors = book.add_sheet(
        "Hours per supervisor",
        [
            Column("Supervisor", width=30),
            Column("Sessions", Kind.INTEGER),
            Column("Hours", Kind.DECIMAL),
        ],
        filters=filters,
    )
    supervisors.write(result.hours_by_supervisor)

    cancellations = book.add_sheet(
        "Cancellations",
        [Column("Cancelled by")]
        + [Column(label, Kind.INTEGER) for _, label in LATENESS]
        + [Column("All", Kind.INTEGER)],
        filters=filters,
    )
    cancellations.write((label, *buckets, n) for label, buckets, n in result.cancellation_rows)

    if result.schools_shown:
        schools = book.add_sheet(
            "Schools by service",
            [
                Column("Service", width=30),
                Column("Schools served", Kind.INTEGER),
                Column("Note"),
                Column("New schools", Kind.INTEGER),
                Column("Note "),
            ],
            filters=filters,
        )
        rows = [
            *result.schools_by_service,
            ("All services", result.schools_served, result.new_schools),
        ]
        schools.write((name, *_count(served), *_count(new)) for name, served, new in rows)

    pipeline = book.add_sheet(
        "Request to first session",
        [
            Column("Step", width=30),
            Column("Requests", Kind.INTEGER),
            Column("Median days", Kind.DECIMAL),
        ],
        filters=filters,
    )
    pipeline.write((m.label, m.count, m.days) for m in result.pipeline)

    for _key, breakdown in result.breakdowns:
        _breakdown_sheets(book, breakdown, result, filters)
    return book.to_bytes()


def _breakdown_sheets(
    book: ExcelWorkbook, breakdown: Breakdown, result: Insights, filters: dict[str, Any]
) -> None:
    total = book.add_sheet(
        breakdown.title,
        [Column(breakdown.title, width=48), Column("Records", Kind.INTEGER), Column("Note")],
        filters=filters,
    )
    total.write((row["label"], *_count(row["total"])) for row in breakdown.rows)
    by_month = book.add_sheet(
        f"{breakdown.title} by month",
        [
            Column(breakdown.title, width=48),
            Column("Month", Kind.DATE),
            Column("Records", Kind.INTEGER),
            Column("Note"),
        ],
        filters=filters,
    )
    by_month.write(
        (row["label"], month, *_count(cell))
        for row in breakdown.rows
        for month, cell in zip(result.months, row["trend"], strict=True)
    )
