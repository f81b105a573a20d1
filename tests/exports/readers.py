"""Open a workbook twice: with openpyxl (types, formats, layout) and python-calamine (values
as an independent reader sees them)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook


def open_openpyxl(content: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(content))


def calamine_rows(content: bytes, sheet: int | str = 0) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    found = (
        book.get_sheet_by_index(sheet) if isinstance(sheet, int) else book.get_sheet_by_name(sheet)
    )
    return found.to_python()


def sheet_names(content: bytes) -> list[str]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).sheet_names
