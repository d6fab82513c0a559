"""rapporter/styregruppe.xlsx: one sheet per mart table, safe against formula injection."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

SHEETS = {
    "Overblik": "spor_status",
    "Indsatser": "besparelser",
    "Investeringer": "investeringer",
    "Budgetopfølgning": "budgetopfoelgning",
    "Budgetaftaler": "budgetaftaler",
    "Årsoversigt": "aarsoversigt",
    "Mål": "maal",
    "Leverancer": "leverancer",
}
FORMULA_START = ("=", "+", "-", "@")


def safe_cell(value: object) -> object:
    """Text that Excel would take for a formula is kept as text (DESIGN: never a formula)."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def write_workbook(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, table in SHEETS.items():
        sheet = book.create_sheet(title)
        result = con.execute(f"SELECT * FROM mart.{table}")
        sheet.append([c[0] for c in result.description])
        for row in result.fetchall():
            sheet.append([safe_cell(v) for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                elif isinstance(cell.value, (dt.date, dt.datetime)):
                    cell.number_format = "dd-mm-yyyy"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for i, col in enumerate(result.description, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, len(col[0]) + 2)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return path
