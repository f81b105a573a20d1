"""Excel export cost: our typed writer against bare openpyxl write-only, and memory as rows grow.

Run: ``.venv/bin/python benchmarks/exports.py`` (``--rows 100000`` by default; ``--rounds``
repeats the timing pair). Builds a throwaway test database with that many sessions, then:

1. times the Sessions export (streaming query, typed cells, title, header, filter, guard) and,
   in the same process, bare openpyxl write-only appending the same rows from the same query
   (values made naive, which openpyxl needs), and prints the ratio (goal <= 1.1) and rows/s;
2. measures peak Python memory (tracemalloc) of the export at 10,000 rows and at the full
   count (goal: the large peak within 1.2x the small one, i.e. memory stays flat).

Both variants write to a temporary file, as background exports do.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SMALL = 10_000


def build(rows: int) -> tuple[object, datetime.date]:
    """``rows`` sessions over 6 supervisors, 40 schools and 400 bookings, in bulk."""
    from tests.factories import (
        AudienceRoleFactory,
        UserFactory,
        make_home,
        make_service,
        make_supervisor,
        make_supervisor_index,
    )
    from workflows.models import Booking, School, Session

    home = make_home()
    role = AudienceRoleFactory(slug="dsl", name="DSL")
    service = make_service(home, roles=[role])
    index = make_supervisor_index(home)
    supervisors = [
        make_supervisor(index, title=f"Supervisor {n}", roles=[role], services=[service])
        for n in range(6)
    ]
    schools = School.objects.bulk_create(
        School(name=f"School {n}", urn=f"{100000 + n}") for n in range(40)
    )
    bookings = Booking.objects.bulk_create(
        Booking(
            reference=f"SUP-B{n:05d}",
            school=schools[n % len(schools)],
            supervisee_name=f"Person {n}",
            supervisee_email=f"person{n}@example.org",
            supervisor=supervisors[n % len(supervisors)],
            service=service,
            format="individual",
            duration_minutes=60,
            frequency="monthly",
            price=Decimal("60.00"),
        )
        for n in range(400)
    )
    # UTC: adding hours to a London time would walk into the spring-forward gap.
    first = datetime.datetime(2024, 1, 1, 9, 0, tzinfo=datetime.UTC)
    batch: list[Session] = []
    for n in range(rows):
        booking = bookings[n % len(bookings)]
        # Each supervisor's sessions follow each other hour by hour: never overlapping.
        start = first + datetime.timedelta(hours=n)
        batch.append(
            Session(
                booking=booking,
                supervisor_id=booking.supervisor_id,
                start=start,
                end=start + datetime.timedelta(minutes=60),
                status="held" if n % 5 else "cancelled",
                price=Decimal("60.00"),
            )
        )
        if len(batch) == 5000:
            Session.objects.bulk_create(batch)
            batch = []
    Session.objects.bulk_create(batch)
    staff = UserFactory(username="bench", is_superuser=True, is_staff=True)
    last = (first + datetime.timedelta(hours=rows)).date()
    return staff, last


def exporter_for(staff: object, date_to: datetime.date) -> object:
    from exports.exporters import EXPORTERS, ExportParams

    params = ExportParams(date_from=datetime.date(2024, 1, 1), date_to=date_to)
    return EXPORTERS["sessions"](user=staff, params=params)


def ours(staff: object, date_to: datetime.date, path: str) -> int:
    from exports.workbook import ExcelWorkbook

    workbook = ExcelWorkbook()
    rows = exporter_for(staff, date_to).write(workbook)
    workbook.save(path)
    return rows


def bare(staff: object, date_to: datetime.date, path: str) -> int:
    from openpyxl import Workbook

    exporter = exporter_for(staff, date_to)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sessions")
    sheet.append(["Sessions"])
    sheet.append([c.header for c in exporter.COLUMNS])
    count = 0
    for row in exporter.rows():
        sheet.append(
            [
                timezone.localtime(v).replace(tzinfo=None)
                if isinstance(v, datetime.datetime)
                else v
                for v in row
            ]
        )
        count += 1
    workbook.save(path)
    return count


def timed(fn: object, *args: object) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    rows = fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start, rows


def peak(staff: object, date_to: datetime.date, path: str) -> tuple[int, int]:
    gc.collect()
    tracemalloc.start()
    rows = ours(staff, date_to, path)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, top


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        staff, last = build(args.rows)
        print(f"database: {connection.vendor}; built {args.rows:,} sessions in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "export.xlsx")
            ours_times, bare_times = [], []
            for _ in range(args.rounds):
                t, n = timed(bare, staff, last, path)
                bare_times.append(t)
                t, m = timed(ours, staff, last, path)
                ours_times.append(t)
                assert n == m == args.rows, (n, m)
            best_ours, best_bare = min(ours_times), min(bare_times)
            size = Path(path).stat().st_size
            print(
                f"bare openpyxl write-only: {best_bare:.2f} s ({args.rows / best_bare:,.0f} rows/s)"
            )
            rate = args.rows / best_ours
            print(f"exports (typed, guarded): {best_ours:.2f} s ({rate:,.0f} rows/s), "
                  f"file {size / 1e6:.1f} MB")  # fmt: skip
            print(f"time ratio exports / bare: {best_ours / best_bare:.3f} (goal <= 1.1)")
            small_date = (datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)
                          + datetime.timedelta(hours=SMALL - 1)).date()  # fmt: skip
            rows_small, peak_small = peak(staff, small_date, path)
            rows_large, peak_large = peak(staff, last, path)
            print(f"peak memory at {rows_small:,} rows: {peak_small / 1e6:.2f} MB")
            print(f"peak memory at {rows_large:,} rows: {peak_large / 1e6:.2f} MB")
            print(f"memory ratio: {peak_large / peak_small:.3f} (goal <= 1.2)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
