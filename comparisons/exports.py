"""Exports that cannot run code: the one place every CSV and XLSX cell passes through.

A cell starting with = + - @ (or a tab / carriage return) is read as a formula by Excel
and LibreOffice ("CSV injection"). Text like that can come from any uploaded document
(an item name), so every export neutralises it: in CSV the text gets a leading
apostrophe; in XLSX the cell is written as a string, never a formula.
"""

from __future__ import annotations

import io
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

__all__ = ["FORMULA_START", "csv_cell", "xlsx_without_formulas"]


def csv_cell(value: Any) -> Any:
    """A CSV cell value that a spreadsheet shows as text, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def xlsx_without_formulas(data: bytes) -> bytes:
    """The workbook with every formula cell turned into the string it was written as."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    changed = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    changed = True
    if not changed:
        return data
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
