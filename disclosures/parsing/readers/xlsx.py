"""Spreadsheet reader: XLSX (openpyxl, read-only, cached values) and XLS (xlrd).

Every worksheet is read. A sheet's non-empty region (regions separated by two or
more blank rows count separately) becomes one :class:`Table` with the sheet name in
``Table.sheet``; the rows with a single non-empty cell above it (the table title,
"单位：万元" lines) become :class:`Paragraph` blocks, as do trailing notes (注：…).

Cells become the text a reader sees, without spreadsheet artefacts: floats in their
shortest exact form rounded to 6 decimals (1454.32, not 1454.3200000000002),
integers without ".0", dates as ISO dates; where an XLSX cell has a plain fixed-decimal
format ("0.00", "#,##0.00", "0%") the number is shown as that format displays it
("259.00", "11,540.71", "95%"), which is what the document says. Formulas give their
cached values (what Excel last displayed); a formula never calculated gives "".
Merged cells keep their value in the top-left cell only, like the other readers.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ParseError
from ..types import Block, Document, Paragraph, Table

__all__ = ["format_number", "read_workbook"]

_NOTE_PREFIXES = ("注", "说明", "备注", "数据来源", "资料来源")


def read_workbook(data: bytes, filename: str = "", fmt: str = "xlsx") -> Document:
    """Read an Excel workbook (``fmt`` "xlsx" or "xls") into blocks, sheet by sheet.

    Raises :class:`ParseError` when the workbook cannot be opened (corrupt,
    encrypted) or holds no cell with content.
    """
    sheets = _xls_sheets(data) if fmt == "xls" else _xlsx_sheets(data)
    blocks: list[Block] = []
    for name, rows in sheets:
        _sheet_blocks(name, rows, blocks)
    if not blocks:
        raise ParseError("empty_workbook")
    return Document(blocks=tuple(blocks), format=fmt)


# ------------------------------------------------------------------ workbooks


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, list[list[str]]]]:
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for broken packages
        raise ParseError("damaged_xlsx") from err
    try:
        for ws in wb.worksheets:
            rows = []
            try:
                for row in ws.iter_rows():
                    rows.append([_xlsx_cell(cell) for cell in row])
            except Exception as err:  # a damaged sheet XML
                raise ParseError("damaged_sheet", sheet=ws.title) from err
            yield ws.title, rows
    finally:
        wb.close()


def _xlsx_cell(cell: Any) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _apply_number_format(value, getattr(cell, "number_format", "") or "")
    return _format_value(value)


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def _apply_number_format(value: float | int, number_format: str) -> str:
    """Show a number the way its cell format displays it when the format is a
    plain fixed-decimal one ("0.00", "#,##0.00", "0%"): the document says "259.00"
    and "11,540.71", and the text, DOCX and PDF versions say so too. Anything else
    (General, dates, scientific, fractions) gets the shortest exact form."""
    section = _QUOTED.sub("", number_format.split(";")[0]).strip()
    if not section or section.lower() == "general" or re.search(r"[a-zA-Z?/]", section):
        return format_number(value)
    if not re.fullmatch(r"[#0,]*(\.[0#]+)?%?", section) or not re.search(r"[0#]", section):
        return format_number(value)
    percent = section.endswith("%")
    shown = value * 100 if percent else value
    decimals = len(section.split(".")[1].rstrip("%")) if "." in section else 0
    grouped = "," in section.split(".")[0]
    text = f"{shown:{',' if grouped else ''}.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "" and text.startswith("-"):
        text = text[1:]  # "-0.00" from a tiny negative rounding residue
    return text + ("%" if percent else "")


def _xls_sheets(data: bytes) -> Iterator[tuple[str, list[list[str]]]]:
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as err:
        message = str(err).lower()
        if "encrypt" in message or "password" in message:
            raise ParseError("encrypted") from err
        raise ParseError("damaged_xls") from err
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            rows = []
            for r in range(sheet.nrows):
                rows.append([_xls_cell(book, sheet.cell(r, c)) for c in range(sheet.ncols)])
            yield sheet.name, rows
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_cell(book: Any, cell: Any) -> str:
    import xlrd

    ctype, value = cell.ctype, cell.value
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return _format_value(xlrd.xldate_as_datetime(value, book.datemode))
        except Exception:  # noqa: BLE001 - an out-of-range date serial: show the number
            return format_number(value)
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    return _format_value(value)


# ----------------------------------------------------------------- formatting


def format_number(value: float | int, percent: bool = False) -> str:
    """A number as a person would write it: 1454.32, 15, 0.9, 95%."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if percent:
        value = value * 100
    if isinstance(value, int):
        text = str(value)
    else:
        # Binary floats carry artefacts (0.1 + 0.2); budgets have at most a few
        # decimals, so rounding to 6 is exact for them and removes the noise.
        rounded = round(value, 6)
        if rounded == int(rounded) and abs(rounded) < 1e15:
            text = str(int(rounded))
        else:
            text = f"{rounded:.6f}".rstrip("0").rstrip(".")
    return text + "%" if percent else text


def _format_value(value: Any, percent: bool = False) -> str:
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, (int, float)):
        return format_number(value, percent)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return _clean_text(str(value))


def _clean_text(text: str) -> str:
    # Line breaks inside a cell (Alt+Enter) are layout: join like wrapped lines.
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    out = ""
    for ln in lines:
        if not ln:
            continue
        if out and not (ord(out[-1]) >= 0x2E80 or ord(ln[0]) >= 0x2E80):
            out += " "
        out += ln
    return out


# -------------------------------------------------------------------- layout


def _regions(rows: list[list[str]]) -> Iterator[list[list[str]]]:
    """Blocks of rows separated by two or more blank rows."""
    current: list[list[str]] = []
    blanks = 0
    for row in rows:
        if any(row):
            if blanks >= 2 and current:
                yield current
                current = []
            current.append(row)
            blanks = 0
        else:
            blanks += 1
    if current:
        yield current


def _trim_columns(rows: list[list[str]]) -> list[list[str]]:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [c for c in range(width) if any(r[c] for r in rows)]
    first, last = used[0], used[-1]
    return [r[first : last + 1] for r in rows]


def _single(row: Iterable[str]) -> str | None:
    cells = [c for c in row if c]
    return cells[0] if len(cells) == 1 else None


def _sheet_blocks(name: str, rows: list[list[str]], blocks: list[Block]) -> None:
    for region in _regions(rows):
        region = _trim_columns(region)
        start = 0
        while start < len(region) and _single(region[start]) is not None:
            blocks.append(Paragraph(text=_single(region[start]) or "", index=len(blocks)))
            start += 1
        end = len(region)
        notes: list[str] = []
        while end > start:
            text = _single(region[end - 1])
            if text is None or not text.startswith(_NOTE_PREFIXES):
                break
            notes.insert(0, text)
            end -= 1
        body = region[start:end]
        if body:
            body = _trim_columns(body)
            blocks.append(Table(rows=tuple(tuple(r) for r in body), index=len(blocks), sheet=name))
        for text in notes:
            blocks.append(Paragraph(text=text, index=len(blocks)))
