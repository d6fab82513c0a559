"""The one way a cell, a sheet or a list gets into a workbook we write.

Text from the extracts (names, områder, file names, reasons) is written as text, always:
a value starting with = + - @ (or a tab or CR before one) never becomes a formula, and
characters a workbook cannot hold are dropped. Every workbook forebyg writes goes
through ``put``; nothing assigns ``cell.value`` directly.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def value_of(value: object) -> object:
    """A Python value a cell can hold: text stays text, numbers become floats or ints."""
    if value is None or (not isinstance(value, (list, str)) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN or infinity is no figure (and no valid cell)
    if isinstance(value, (int, float, dt.date, dt.datetime)):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def put(sheet: Worksheet, row: int, column: int, value: object, number_format: str = "") -> Cell:
    """Write one cell; a text value is stored as a string, never as a formula."""
    cell = sheet.cell(row, column)
    cell.value = value_of(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def put_row(sheet: Worksheet, row: int, values: list) -> list[Cell]:
    return [put(sheet, row, c, v) for c, v in enumerate(values, start=1)]


def new_sheet(book: Workbook, title: str) -> Worksheet:
    """A sheet whose name is safe: no characters Excel forbids, at most 31 of them."""
    name = ILLEGAL_CHARACTERS_RE.sub("", title).translate(SHEET_NAME_FORBIDDEN).strip("' ")
    return book.create_sheet(name[:31] or "Ark")
