"""The one place that writes Excel workbooks: typing, style and the formula-injection guard.

Every export (and any other app that wants a table as a download, e.g. insights) writes
through this module, so every workbook looks and behaves the same:

- row 1 is a title: what the table is, the filters used and when it was exported;
- row 2 is the header, bold, frozen, with an auto-filter over the whole table;
- columns are typed (:class:`Kind`): dates are Excel dates, money is a number in a £ currency
  format, durations and counts are numbers, and column widths come from the kind and header;
- text is always written as a string cell (never a formula), and text that starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return also carries Excel's "quote prefix", so it
  stays text even when someone edits the cell (the same guard as pretix's ``safe_openpyxl``).

Workbooks are written with openpyxl in write-only mode: rows go to a temporary file as they
arrive, so memory stays flat however many rows a streaming queryset yields.

The small public API, for other apps::

    from exports.workbook import Column, Kind, write_table, xlsx_response

    content = write_table(
        title="Sessions per school",
        filters={"From": date_from, "To": date_to},
        columns=[Column("School"), Column("Sessions", Kind.INTEGER)],
        rows=[("Hillside", 3), ...],           # any iterable, consumed once
    )
    return xlsx_response(content, filename=export_filename("sessions-per-school"))
"""

from __future__ import annotations

import csv
import datetime
import enum
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet reads a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit on the characters in one cell.
MAX_CELL_CHARS = 32_767

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
INTEGER_FORMAT = "0"
DECIMAL_FORMAT = "0.00"


class Kind(enum.Enum):
    """What a column holds; decides the cell type, number format and default width."""

    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"
    INTEGER = "integer"
    DECIMAL = "decimal"
    #: A length of time as a number (say minutes or hours); the header names the unit.
    DURATION = "duration"


_FORMATS = {
    Kind.TEXT: None,
    Kind.DATE: DATE_FORMAT,
    Kind.DATETIME: DATETIME_FORMAT,
    Kind.MONEY: MONEY_FORMAT,
    Kind.INTEGER: INTEGER_FORMAT,
    Kind.DECIMAL: DECIMAL_FORMAT,
    Kind.DURATION: INTEGER_FORMAT,
}
_WIDTHS = {
    Kind.TEXT: 24,
    Kind.DATE: 12,
    Kind.DATETIME: 17,
    Kind.MONEY: 12,
    Kind.INTEGER: 10,
    Kind.DECIMAL: 10,
    Kind.DURATION: 10,
}


@dataclass(frozen=True)
class Column:
    """One column: its header, its kind and, if the default does not suit, its width."""

    header: str
    kind: Kind = Kind.TEXT
    width: float | None = None
    #: Overrides the kind's number format (e.g. ``"0.00"`` for hours in a DURATION column).
    number_format: str | None = None

    @property
    def display_width(self) -> float:
        if self.width is not None:
            return self.width
        return max(_WIDTHS[self.kind], min(len(self.header) + 2, 40))


def safe_text(value: Any) -> str:
    """Text as it goes into a cell: a string, without characters XML forbids, within Excel's
    cell limit. Whether it also needs the quote prefix is :func:`looks_like_formula`."""
    text = value if isinstance(value, str) else str(value)
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:MAX_CELL_CHARS]


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def neutralise_for_csv(value: Any) -> Any:
    """For CSV, which has no cell types: prefix formula-like text with an apostrophe."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def excel_datetime(value: datetime.datetime) -> datetime.datetime:
    """Excel has no time zones: aware datetimes are shown in the site's local time."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def export_filename(identifier: str, *, on: datetime.date | None = None, ext: str = "xlsx") -> str:
    """``sessions-2026-11-29.xlsx``: the export type and the date it was made."""
    day = on or timezone.localdate()
    return f"{slugify(identifier)}-{day:%Y-%m-%d}.{ext}"


def describe_filters(filters: Mapping[str, Any] | None) -> str:
    """``From: 01/11/2026; Supervisor: Amira Hussain`` for the title row (empty values skipped)."""
    parts = []
    for label, value in (filters or {}).items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, datetime.datetime):
            value = f"{excel_datetime(value):%d/%m/%Y %H:%M}"
        elif isinstance(value, datetime.date):
            value = f"{value:%d/%m/%Y}"
        parts.append(f"{label}: {value}")
    return "; ".join(parts) or "no filters"


class _TypedSheet(WriteOnlyWorksheet):
    """A write-only worksheet whose data rows are typed by column.

    openpyxl's own ``append`` guesses each value's type (and reads text starting with ``=`` as
    a formula) and makes a new cell for every styled value. Here each column has one reusable
    cell (and a quote-prefixed twin for formula-like text) with its number format set once; a
    row only sets values. openpyxl writes a row's cells before the next row is appended, so
    reusing them is safe. Title and header rows take openpyxl's ordinary path.
    """

    _converters: list[Callable[[Any, int], WriteOnlyCell]] | None = None

    def _values_to_row(self, values: Iterable[Any], row_idx: int) -> Iterator[Any]:
        converters = self._converters
        if converters is None:
            yield from super()._values_to_row(values, row_idx)
            return
        for convert, value in zip(converters, values, strict=True):
            if value is not None:
                yield convert(value, row_idx)


def _cell_factory(sheet: _TypedSheet, col_idx: int, column: Column) -> Callable[[Any, int], Any]:
    """A function ``(value, row) -> cell`` for one column, reusing prepared cells."""
    number_format = column.number_format or _FORMATS[column.kind]
    plain = WriteOnlyCell(sheet)
    plain.column = col_idx
    if number_format:
        plain.number_format = number_format

    if column.kind is Kind.TEXT:
        quoted = WriteOnlyCell(sheet)
        quoted.column = col_idx
        quoted.quotePrefix = True

        def text(value: Any, row: int) -> Any:
            value = safe_text(value)
            cell = quoted if value.startswith(FORMULA_START) else plain
            cell._value = value
            cell.data_type = "s"
            cell.row = row
            return cell

        return text

    if column.kind in (Kind.DATE, Kind.DATETIME):

        def when(value: Any, row: int) -> Any:
            if isinstance(value, datetime.datetime):
                value = excel_datetime(value)
                if column.kind is Kind.DATE:
                    value = value.date()
            elif not isinstance(value, datetime.date):
                raise TypeError(f"{column.header}: expected a date, got {value!r}")
            plain._value = value
            plain.data_type = "d"
            plain.row = row
            return plain

        return when

    def number(value: Any, row: int) -> Any:
        if isinstance(value, datetime.timedelta):
            value = value.total_seconds() / 60
        elif not isinstance(value, int | float | Decimal) or isinstance(value, bool):
            raise TypeError(f"{column.header}: expected a number, got {value!r}")
        plain._value = value
        plain.data_type = "n"
        plain.row = row
        return plain

    return number


_TITLE_FONT = Font(bold=True, size=12)
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")


class Sheet:
    """One worksheet being written. Rows are appended once, in order; then :meth:`close`."""

    def __init__(
        self,
        workbook: ExcelWorkbook,
        *,
        title: str,
        columns: Sequence[Column],
        heading: str,
    ) -> None:
        self.columns = list(columns)
        ws = _TypedSheet(parent=workbook._wb, title=_sheet_title(title))
        # openpyxl's ``create_sheet`` would make a plain WriteOnlyWorksheet; this is how it
        # adds one, with our subclass instead.
        workbook._wb._add_sheet(ws)
        self._ws = ws
        # Everything about layout must be set before the first row is written.
        for idx, column in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(idx)].width = column.display_width
        ws.freeze_panes = "A3"
        title_cell = WriteOnlyCell(ws, value=safe_text(heading))
        title_cell.font = _TITLE_FONT
        ws.append([title_cell])
        headers = []
        for column in self.columns:
            cell = WriteOnlyCell(ws, value=safe_text(column.header))
            cell.data_type = "s"
            cell.font = _HEADER_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
            headers.append(cell)
        ws.append(headers)
        ws._converters = [_cell_factory(ws, i, c) for i, c in enumerate(self.columns, 1)]
        self.rows_written = 0
        self._closed = False

    @property
    def last_column(self) -> str:
        return get_column_letter(len(self.columns))

    def append(self, row: Sequence[Any]) -> None:
        self._ws.append(row)
        self.rows_written += 1

    def write(
        self,
        rows: Iterable[Sequence[Any]],
        *,
        progress: Callable[[int], None] | None = None,
        every: int = 1000,
    ) -> int:
        """Append every row; call ``progress(rows_so_far)`` each ``every`` rows. Returns the
        number of rows this call wrote."""
        append = self._ws.append
        start = self.rows_written
        count = 0
        for row in rows:
            append(row)
            count += 1
            if progress is not None and count % every == 0:
                progress(start + count)
        self.rows_written = start + count
        return count

    def add_bar_chart(
        self,
        *,
        title: str,
        categories_column: int,
        value_columns: Sequence[int],
        y_axis_title: str = "",
        anchor: str | None = None,
    ) -> None:
        """A native Excel clustered bar chart over written rows (openpyxl.chart.BarChart).

        openpyxl supports charts on write-only sheets; it writes them when the sheet closes,
        so the data they refer to can be appended first. Columns are 1-based.
        """
        if self.rows_written == 0:
            return
        first, last = 3, 2 + self.rows_written
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = title
        chart.y_axis.title = y_axis_title
        chart.width, chart.height = 24, 12
        for col in value_columns:
            data = Reference(self._ws, min_col=col, min_row=2, max_row=last)
            chart.add_data(data, titles_from_data=True)
        chart.set_categories(
            Reference(self._ws, min_col=categories_column, min_row=first, max_row=last)
        )
        self._ws.add_chart(chart, anchor or f"{get_column_letter(len(self.columns) + 2)}3")

    def close(self) -> None:
        """Set the auto-filter over the header and every data row; nothing more may be added."""
        if self._closed:
            return
        self._ws.auto_filter.ref = f"A2:{self.last_column}{2 + self.rows_written}"
        self._closed = True


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in safe_text(title))
    return cleaned[:31] or "Sheet"


class ExcelWorkbook:
    """A write-only workbook of typed :class:`Sheet` objects.

    ``exported_at`` is stamped on every title row so all sheets of one export agree.
    """

    def __init__(self, *, exported_at: datetime.datetime | None = None) -> None:
        self._wb = Workbook(write_only=True)
        self.exported_at = exported_at or timezone.now()
        self.sheets: list[Sheet] = []

    def heading(self, title: str, filters: Mapping[str, Any] | None) -> str:
        stamp = f"{excel_datetime(self.exported_at):%d/%m/%Y %H:%M}"
        return f"{title}. Filters: {describe_filters(filters)}. Exported {stamp}."

    def add_sheet(
        self,
        title: str,
        columns: Sequence[Column],
        *,
        filters: Mapping[str, Any] | None = None,
        heading: str | None = None,
    ) -> Sheet:
        """Start a sheet. Only the newest sheet may take rows (write-only mode)."""
        if self.sheets:
            self.sheets[-1].close()
        sheet = Sheet(
            self,
            title=title,
            columns=columns,
            heading=heading or self.heading(title, filters),
        )
        self.sheets.append(sheet)
        return sheet

    def save(self, target: str | IO[bytes]) -> None:
        """Write the file (a path or a binary file object). The workbook is spent afterwards."""
        for sheet in self.sheets:
            sheet.close()
        if not self.sheets:
            self.add_sheet("Empty", [Column("No rows")]).close()
        self._wb.save(target)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)
        return buffer.getvalue()


def write_table(
    title: str,
    filters: Mapping[str, Any] | None,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
) -> bytes:
    """One typed, titled, filtered sheet as ``.xlsx`` bytes: the API for other apps' tables."""
    workbook = ExcelWorkbook()
    workbook.add_sheet(title, columns, filters=filters).write(rows)
    return workbook.to_bytes()


def xlsx_response(content: bytes, *, filename: str) -> HttpResponse:
    """An attachment download of ``content``; ``filename`` from :func:`export_filename`."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_lines(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The same table as CSV lines (for tools that want CSV): a header, then rows. Dates are
    ``YYYY-MM-DD HH:MM`` in local time, and formula-like text gets an apostrophe."""

    class _Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Echo())
    yield writer.writerow([c.header for c in columns])
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, datetime.datetime):
                value = f"{excel_datetime(value):%Y-%m-%d %H:%M}"
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, str):
                value = neutralise_for_csv(safe_text(value))
            out.append("" if value is None else value)
        yield writer.writerow(out)
