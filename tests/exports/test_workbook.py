"""exports.workbook: typed cells, layout and the formula-injection guard, read by two readers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from exports.workbook import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    Column,
    ExcelWorkbook,
    Kind,
    export_filename,
    write_table,
    xlsx_response,
)
from tests.exports.readers import calamine_rows, open_openpyxl

COLUMNS = [
    Column("Name"),
    Column("Starts", Kind.DATETIME),
    Column("Day", Kind.DATE),
    Column("Price", Kind.MONEY),
    Column("Minutes", Kind.DURATION),
    Column("Count", Kind.INTEGER),
]
FORMULAS = ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tHYPERLINK", "\r=cmd"]
# XML readers normalise a carriage return to a line feed; the cell is still quote-prefixed text.
READ_BACK = [text.replace("\r", "\n") for text in FORMULAS]


@pytest.fixture
def table() -> bytes:
    start = timezone.make_aware(datetime.datetime(2026, 6, 3, 14, 30))  # 13:30 UTC in BST
    rows = [
        ("Hillside", start, datetime.date(2026, 6, 3), Decimal("60.00"), 60, 1),
        *[(text, None, None, None, None, None) for text in FORMULAS],
    ]
    with time_machine.travel(datetime.datetime(2026, 6, 30, 9, 15, tzinfo=datetime.UTC)):
        return write_table("Sessions", {"From": datetime.date(2026, 6, 1), "To": ""}, COLUMNS, rows)


def test_write_table_types_formats_and_layout(table):
    ws = open_openpyxl(table).active
    assert ws.title == "Sessions"
    assert ws["A1"].value == "Sessions. Filters: From: 01/06/2026. Exported 30/06/2026 10:15."
    assert [c.value for c in ws[2]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:F9"
    assert ws.column_dimensions["A"].width == 24
    row = ws[3]
    assert row[0].value == "Hillside" and row[0].data_type == "s"
    assert row[1].value == datetime.datetime(2026, 6, 3, 14, 30)
    assert row[1].number_format == DATETIME_FORMAT
    assert row[2].value == datetime.datetime(2026, 6, 3) and row[2].number_format == DATE_FORMAT
    assert row[3].value == 60 and row[3].number_format == MONEY_FORMAT
    assert row[4].value == 60 and row[4].data_type == "n"
    assert row[5].value == 1 and row[5].data_type == "n"


def test_write_table_reads_the_same_in_calamine(table):
    rows = calamine_rows(table)
    assert rows[1] == ["Name", "Starts", "Day", "Price", "Minutes", "Count"]
    assert rows[2] == [
        "Hillside",
        datetime.datetime(2026, 6, 3, 14, 30),
        datetime.date(2026, 6, 3),
        60.0,
        60.0,
        1.0,
    ]


def test_formula_like_text_is_plain_text_with_quote_prefix(table):
    ws = open_openpyxl(table).active
    cells = [ws.cell(row=4 + i, column=1) for i in range(len(FORMULAS))]
    assert [c.value for c in cells] == READ_BACK
    assert {c.data_type for c in cells} == {"s"}  # a string, never "f" (formula)
    assert all(c.quotePrefix for c in cells)
    assert not ws["A3"].quotePrefix
    # calamine sees the same literal text, not a formula result.
    assert [r[0] for r in calamine_rows(table)[3:]] == READ_BACK


def test_control_characters_are_dropped_and_long_text_is_cut():
    content = write_table("T", None, [Column("Text")], [("a\x00b\x1fc",), ("x" * 40_000,)])
    ws = open_openpyxl(content).active
    assert ws["A3"].value == "abc"
    assert len(ws["A4"].value) == 32_767


def test_wrong_type_in_a_typed_column_is_refused():
    with pytest.raises(TypeError, match="Price: expected a number"):
        write_table("T", None, [Column("Price", Kind.MONEY)], [("sixty",)])


def test_several_sheets_and_a_bar_chart():
    workbook = ExcelWorkbook()
    first = workbook.add_sheet("By month", [Column("Month"), Column("Hours", Kind.DECIMAL)])
    first.write([("2026-05", 3.5), ("2026-06", 1.0)])
    first.add_bar_chart(title="Hours", categories_column=1, value_columns=[2])
    workbook.add_sheet("Summary", [Column("Total", Kind.DECIMAL)]).write([(4.5,)])
    book = open_openpyxl(workbook.to_bytes())
    assert book.sheetnames == ["By month", "Summary"]
    assert book["By month"].auto_filter.ref == "A2:B4"
    assert book["Summary"]["A3"].value == 4.5


def test_filename_and_response():
    assert export_filename("Supervisor utilisation", on=datetime.date(2026, 6, 30)) == (
        "supervisor-utilisation-2026-06-30.xlsx"
    )
    response = xlsx_response(b"x", filename="sessions-2026-06-30.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="sessions-2026-06-30.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
