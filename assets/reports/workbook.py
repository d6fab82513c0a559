"""rapporter/styregruppe.xlsx: the overview, one sheet per level, and native charts.

Amounts are stored in kroner and shown in 1.000 kr. by the number format ``#,##0,``,
so every figure can be read back exactly. Text from the extracts is always written as
text: a value starting with = + - @ never becomes a formula.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assets.reports.content import COLUMNS, Content

FORMATS = {
    "kr": "#,##0,;-#,##0,",
    "pct": "0%",
    "heltal": "0",
    "antal": "#,##0",
    "tal": "#,##0.0#",
    "dato": "dd-mm-yyyy",
}
FILLS = {
    name: PatternFill("solid", start_color=color)
    for name, color in {"grøn": "C6EFCE", "gul": "FFEB9C", "rød": "FFC7CE"}.items()
}
FORMULA_START = ("=", "+", "-", "@")
HEADER_ROW = 4


def _value(value: object) -> object:
    if value is None or (not isinstance(value, (list, str)) and pd.isna(value)):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _table(sheet: Worksheet, content: Content, title: str, frame: pd.DataFrame) -> None:
    """Title, price level and 'opgjort til' above a table with frozen header and filters."""
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"Prisniveau: {content.level_text} · Opgjort til: {content.as_of_text} · Beløb i 1.000 kr."
    )
    for i, column in enumerate(frame.columns, start=1):
        header, kind = COLUMNS.get(column, (column, "tekst"))
        cell = sheet.cell(HEADER_ROW, i, header + (" (1.000 kr.)" if kind == "kr" else ""))
        cell.font = Font(bold=True)
        width = max(len(cell.value) + 2, 10)
        for r, value in enumerate(frame[column], start=HEADER_ROW + 1):
            cell = sheet.cell(r, i, _value(value))
            if isinstance(cell.value, str):
                if cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                width = max(width, min(len(cell.value) + 2, 60))
                if column == "status" and cell.value in FILLS:
                    cell.fill = FILLS[cell.value]
            elif kind in FORMATS:
                cell.number_format = FORMATS[kind]
            elif isinstance(cell.value, (dt.date, dt.datetime)):
                cell.number_format = FORMATS["dato"]
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    last = get_column_letter(max(len(frame.columns), 1))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(frame), 1)}"


def _savings_chart(sheet: Worksheet, content: Content, anchor_row: int) -> None:
    """Budgeted against realised savings per track and year, under the newest agreement."""
    data = content.track_years
    if data.empty:
        return
    newest = data["budgetaftale"].max()
    data = data[data["budgetaftale"] == newest]
    sheet.cell(anchor_row, 1, f"Diagramdata: besparelser pr. spor og år, aftale {newest}")
    sheet.cell(anchor_row + 1, 1, "Spor og år")
    sheet.cell(anchor_row + 1, 2, "Budgetteret")
    sheet.cell(anchor_row + 1, 3, "Realiseret")
    for r, row in enumerate(data.itertuples(), start=anchor_row + 2):
        sheet.cell(r, 1, f"Spor {row.spor} {row.aar}")
        for c, value in ((2, row.budgetteret_besparelse), (3, row.realiseret_besparelse)):
            sheet.cell(r, c, _value(value)).number_format = FORMATS["kr"]
    last = anchor_row + 1 + len(data)
    chart = BarChart()
    chart.title = f"Budgetteret og realiseret besparelse pr. spor og år ({newest})"
    chart.y_axis.title = "1.000 kr."
    chart.y_axis.numFmt = FORMATS["kr"]
    chart.add_data(
        Reference(sheet, min_col=2, max_col=3, min_row=anchor_row + 1, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=anchor_row + 2, max_row=last))
    chart.width, chart.height = 24, 10
    sheet.add_chart(chart, f"E{anchor_row}")


def _spending_chart(sheet: Worksheet, content: Content) -> None:
    """Net spending per område over the years, beside the annual overview."""
    data = content.area_years
    if data.empty:
        return
    start = len(content.sheets["Årsoversigt"][1].columns) + 3
    sheet.cell(HEADER_ROW - 1, start, "Diagramdata: nettoforbrug i faste priser")
    for c, column in enumerate(data.columns, start=start):
        sheet.cell(HEADER_ROW, c, "År" if column == "aar" else column)
        for r, value in enumerate(data[column], start=HEADER_ROW + 1):
            cell = sheet.cell(r, c, _value(value))
            if column != "aar":
                cell.number_format = FORMATS["kr"]
    chart = LineChart()
    chart.title = f"Nettoforbrug pr. område ({content.level_text})"
    chart.y_axis.title = "1.000 kr."
    chart.y_axis.numFmt = FORMATS["kr"]
    last = HEADER_ROW + len(data)
    chart.add_data(
        Reference(
            sheet,
            min_col=start + 1,
            max_col=start + len(data.columns) - 1,
            min_row=HEADER_ROW,
            max_row=last,
        ),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=start, min_row=HEADER_ROW + 1, max_row=last))
    chart.width, chart.height = 24, 10
    sheet.add_chart(chart, f"{get_column_letter(start)}{last + 3}")


def write_workbook(content: Content, path: Path) -> Path:
    book = Workbook()
    overview = book.active
    overview.title = "Overblik"
    _table(
        overview, content, "Forebyggelsesstrategien – overblik for styregruppen", content.overview
    )
    _savings_chart(overview, content, HEADER_ROW + len(content.overview) + 3)
    for name, (title, frame) in content.sheets.items():
        sheet = book.create_sheet(name)
        _table(sheet, content, title, frame)
        if name == "Årsoversigt":
            _spending_chart(sheet, content)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
    return path
