"""rapporter/styregruppe.xlsx: the overview, one sheet per table, and native charts.

Amounts are stored in kroner and shown in mio. kr. by the number format ``#,##0.0,,``,
so every figure can be read back exactly. Every cell goes through ``assets.xlsx.put``:
text from the extracts never becomes a formula. Each sheet prints on A4 landscape, fitted
to the page width, with its header row repeated; chart data sit on a hidden sheet.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.drawing.text import CharacterProperties, ParagraphProperties
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assets.reports import comparison, effect, formats
from assets.reports.content import APPENDIX_NOTE, SERIES_COLOURS, TREND, UNIT, Content, Table
from assets.reports.content import column as content_column
from assets.reports.html import totals
from assets.xlsx import new_sheet, put

FORMATS = {kind: u.excel for kind, u in formats.UNITS.items() if u.excel}
FILLS = {
    name: PatternFill("solid", start_color=color)
    for name, color in {"grøn": "C6EFCE", "gul": "FFEB9C", "rød": "FFC7CE"}.items()
}
# text columns that wrap, and their width in characters; other text columns are at most 24
WRAPPED = {
    "forklaring": 40,
    "begrundelse": 50,
    "indsats": 28,
    "spornavn": 24,
    "filnavn": 30,
    "opgjorte_aar": 16,
    "perioder": 20,
    "advarsel": 70,
    "kommentar": 36,
}
# the width of a figure's column by its unit: room for the figure and a gap before the
# next column, so a right-aligned number never runs into the text beside it
WIDTHS = {"kr": 11, "kroner": 10, "pct": 9, "procent": 9, "tal": 10, "antal": 9, "heltal": 7}
WIDTHS["dato"] = 11
LEFT = Alignment(vertical="top", horizontal="left", indent=1)  # text a little off the figure
WRAP = Alignment(wrap_text=True, vertical="top", indent=1)
TOP = Alignment(vertical="top")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")  # a header, banner or note
BOLD = Font(bold=True)
CHART_DATA = "Diagramdata"
ONE_PAGE = 50


def _subtitle(content: Content, table_level: str | None) -> str:
    parts = [f"Prisniveau: {table_level}"] if table_level else []
    parts.append(f"Opgjort til: {content.as_of_text}")
    if table_level:
        parts.append(f"Beløb i {UNIT}")
    return " · ".join(parts)


def _header(column: str) -> tuple[str, str]:
    header, kind = content_column(column)
    return formats.header(header, kind), kind


class _CellStyles:
    """A table's cell styles, each combination set once and copied to the next cell that
    takes it: openpyxl looks a style up by hashing it field by field on every assignment,
    which was a third of the workbooks' time. The copy is openpyxl's own way to give one
    cell another's style (its ``_style``); it works within one workbook, as here."""

    def __init__(self):
        self.made: dict[tuple, StyleArray] = {}

    def put(self, cell: Cell, alignment: Alignment, bold: bool, fill: str = "", fmt: str = ""):
        key = (id(alignment), bold, fill, fmt)
        if key in self.made:
            cell._style = copy(self.made[key])
            return
        cell.alignment = alignment
        if bold:
            cell.font = BOLD
        if fill:
            cell.fill = FILLS[fill]
        if fmt:
            cell.number_format = fmt
        self.made[key] = copy(cell._style)


def _grid(sheet: Worksheet, top: int, frame: pd.DataFrame, bold_rows: set[int] = frozenset()):
    """The table with its header in row ``top``; returns the last row."""
    lines = [1] * len(frame)
    styles = _CellStyles()
    for i, column in enumerate(frame.columns, start=1):
        header, kind = _header(column)
        styles.put(put(sheet, top, i, header), WRAP_TOP, bold=True)
        width = WRAPPED.get(column) or WIDTHS.get(kind) or min(len(header) + 3, 16)
        for r, value in enumerate(frame[column], start=top + 1):
            cell = put(sheet, r, i, value)
            bold = r - top - 1 in bold_rows
            if isinstance(cell.value, str):
                fill = cell.value if column == "status" and cell.value in FILLS else ""
                if column in WRAPPED:
                    styles.put(cell, WRAP, bold, fill)
                    lines[r - top - 1] = max(lines[r - top - 1], -(-len(cell.value) // (width - 6)))
                else:
                    styles.put(cell, LEFT, bold, fill)
                    width = max(width, min(len(cell.value) + 2, 24))
            elif kind in FORMATS:
                styles.put(cell, TOP, bold, fmt=FORMATS[kind])
            elif isinstance(cell.value, (dt.date, dt.datetime)):
                styles.put(cell, TOP, bold, fmt=FORMATS["dato"])
            else:
                styles.put(cell, TOP, bold)
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.row_dimensions[top].height = 54  # four lines of a wrapped header
    for n, count in enumerate(lines, start=top + 1):
        if count > 1:
            sheet.row_dimensions[n].height = 13 * count
    last = top + max(len(frame), 1)
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(max(len(frame.columns), 1))}{last}"
    return last


def _print_setup(sheet: Worksheet, header: int, last_row: int, columns: int, one_page: bool):
    """A4 landscape, fitted to the page width, header row on every page, footer with the
    sheet's name and page number."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header}:{header}"
    sheet.print_area = f"A1:{get_column_letter(max(columns, 1))}{last_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = 0.6
    sheet.page_margins.bottom = 0.8  # the footer whole, above the paper's edge
    sheet.page_margins.footer = 0.35
    sheet.oddFooter.center.text = "&A – side &P af &N"
    sheet.oddFooter.center.size = 9
    sheet.freeze_panes = sheet.cell(header + 1, 1)


def _banner(sheet: Worksheet, row: int, text: str, columns: int, size: int = 11) -> None:
    """A line above the table, wrapped within the table's columns: never past the
    printed page's edge."""
    cell = put(sheet, row, 1, text)
    cell.font = Font(bold=size > 11, size=size)
    cell.alignment = WRAP_TOP
    if columns > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    chars = sum(sheet.column_dimensions[get_column_letter(c)].width or 9 for c in
                range(1, columns + 1)) * 11 / size  # fmt: skip
    lines = -(-len(text) // max(int(chars), 1))
    sheet.row_dimensions[row].height = max(lines, 1) * size * 1.4


def _table_sheet(book: Workbook, content: Content, table: Table) -> Worksheet:
    sheet = new_sheet(book, table.name)
    last = _grid(sheet, 4, table.frame, totals(table.frame))
    columns = len(table.frame.columns)
    _banner(sheet, 1, table.title, columns, 14)
    _banner(sheet, 2, _subtitle(content, table.level), columns)
    lines = [table.note] if table.note else []
    if table.name == comparison.NAME:
        lines += content.comparisons
    if table.name == effect.NAME and not table.appendix:
        lines += content.effects
    if lines:
        _banner(sheet, 3, " ".join(lines), columns)
    # a report's table of up to ONE_PAGE rows prints on one page (at about 8 pt and up);
    # a longer one, and the appendix's, over the pages it needs, fitted to the width
    one_page = not table.appendix and len(table.frame) <= ONE_PAGE
    _print_setup(sheet, 4, last, len(table.frame.columns), one_page=one_page)
    return sheet


class _ChartData:
    """The hidden sheet the charts read from: one block of columns per chart."""

    def __init__(self, book: Workbook):
        self.sheet = new_sheet(book, CHART_DATA)
        self.sheet.sheet_state = "hidden"
        self.next_column = 1

    def block(self, title: str, frame: pd.DataFrame) -> tuple[int, int, int]:
        """Write ``frame`` (first column: categories) under ``title``; returns the first
        column, the header row and the last row."""
        col = self.next_column
        put(self.sheet, 1, col, title)
        for c, column in enumerate(frame.columns, start=col):
            put(self.sheet, 2, c, column)
            for r, value in enumerate(frame[column], start=3):
                put(self.sheet, r, c, value, "" if c == col else FORMATS["kr"])
        self.next_column += len(frame.columns) + 1
        return col, 2, 2 + len(frame)


def _small_title(chart) -> None:
    """A chart's title in 10 pt bold: the default 18 pt takes three lines of a small chart."""
    if chart.title is None or chart.title.tx is None or chart.title.tx.rich is None:
        return
    font = CharacterProperties(sz=1000, b=True)
    for paragraph in chart.title.tx.rich.p:
        paragraph.pPr = ParagraphProperties(defRPr=font)
        for run in paragraph.r or []:
            run.rPr = font


def _style(chart, names: list[str]) -> None:
    chart.y_axis.title = UNIT
    chart.y_axis.numFmt = FORMATS["kr"]
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    for series, name in zip(chart.series, names, strict=False):
        series.smooth = False
        colour = SERIES_COLOURS.get(name)
        if colour:
            series.graphicalProperties.solidFill = colour.lstrip("#")
            series.graphicalProperties.line.solidFill = colour.lstrip("#")


def _savings_charts(sheet: Worksheet, data: _ChartData, content: Content, row: int) -> int:
    """Budgeted against realised savings to date per track, one chart per agreement, side
    by side below the overview; returns the last row the charts cover."""
    tracks = content.overview[content.overview["spornavn"] != "I alt"]
    for n, (agreement, one) in enumerate(tracks.groupby("budgetaftale", sort=True)):
        block = pd.DataFrame(
            {
                "Spor": [name.split(":")[0] for name in one["spornavn"]],
                "Budgetteret": one["budget_til_dato"].to_list(),
                "Realiseret": one["realiseret_til_dato"].to_list(),
            }
        )
        col, head, last = data.block(f"Besparelser til dato pr. spor, aftale {agreement}", block)
        chart = BarChart()
        chart.title = (
            f"Budgetaftale {agreement}: besparelse til dato ({UNIT}), opgjort til "
            f"{content.as_of_text}"
        )
        chart.add_data(
            Reference(data.sheet, min_col=col + 1, max_col=col + 2, min_row=head, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(data.sheet, min_col=col, min_row=head + 1, max_row=last))
        chart.dataLabels = DataLabelList(
            showVal=True,
            showSerName=False,
            showCatName=False,
            showLegendKey=False,
            showPercent=False,
            numFmt=FORMATS["kr"],
        )
        _style(chart, ["Budgetteret", "Realiseret"])
        if min(block[["Budgetteret", "Realiseret"]].min(), default=0) >= 0:
            chart.y_axis.scaling.min = 0  # bars start at zero
        chart.width, chart.height = 15, 7.5
        sheet.add_chart(chart, f"{get_column_letter(1 + 5 * n)}{row}")
    return row + 16


def _spending_chart(sheet: Worksheet, data: _ChartData, content: Content, row: int) -> int:
    frame = content.area_years
    if frame.empty:
        return row
    frame = frame.rename(columns={"aar": "År"}).assign(År=lambda f: f["År"].map(content.year_text))
    col, head, last = data.block("Nettoforbrug i faste priser pr. område og år", frame)
    chart = LineChart()
    chart.title = (
        f"Nettoforbrug pr. område og år ({content.table('Årsoversigt').level}, {UNIT}), "
        f"{formats.span(content.area_years['aar'])}"
    )
    chart.add_data(
        Reference(
            data.sheet,
            min_col=col + 1,
            max_col=col + len(frame.columns) - 1,
            min_row=head,
            max_row=last,
        ),
        titles_from_data=True,
    )
    chart.set_categories(Reference(data.sheet, min_col=col, min_row=head + 1, max_row=last))
    _style(chart, list(frame.columns[1:]))
    chart.width, chart.height = 24, 9
    sheet.add_chart(chart, f"A{row}")
    return row + 19


TREND_TITLE = "Månedligt nettoforbrug pr. område mod budget og baseline (løbende priser)"


def _trend_sheet(book: Workbook, data: _ChartData, content: Content) -> None:
    """One line chart per område: net spending per month against the corrected budget per
    month and the baseline (the average month of the område's first full year)."""
    sheet = new_sheet(book, "Udvikling")
    put(sheet, 1, 1, TREND_TITLE).font = Font(bold=True, size=14)
    put(sheet, 2, 1, _subtitle(content, "løbende priser"))
    row = 4
    for n, (area, one) in enumerate(content.months.groupby("omraade", sort=True)):
        block = pd.DataFrame({"Måned": one["maaned"].to_list()})
        for name, column in TREND.items():
            block[name] = one[column].to_list()
        col, head, last = data.block(f"Udvikling: {area}", block)
        chart = LineChart()
        chart.title = f"{area}: nettoforbrug pr. måned ({UNIT}), opgjort til {content.as_of_text}"
        chart.add_data(
            Reference(data.sheet, min_col=col + 1, max_col=col + 3, min_row=head, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(data.sheet, min_col=col, min_row=head + 1, max_row=last))
        _style(chart, list(TREND))
        chart.x_axis.tickLblSkip = 12  # every January, as on the page: labels never overlap
        chart.x_axis.tickMarkSkip = 12
        chart.y_axis.scaling.min = 0
        chart.width, chart.height = 15, 7
        sheet.add_chart(chart, f"{'AJ'[n % 2]}{row + 15 * (n // 2)}")
    last = row + 15 * ((len(content.months["omraade"].unique()) + 1) // 2)
    for column in range(1, 19):
        sheet.column_dimensions[get_column_letter(column)].width = 9
    _print_setup(sheet, 1, last, 18, one_page=False)
    sheet.freeze_panes = None


def _contents(sheet: Worksheet, row: int, names: list[str]) -> int:
    """A line of links to the sheets, in their order; returns the next free row."""
    put(sheet, row, 1, "Indhold:").font = BOLD
    for n, name in enumerate(names, start=2):
        cell = put(sheet, row, n, name)
        cell.hyperlink = f"#'{name}'!A1"
        cell.font = Font(color="223355", underline="single")
    return row + 1


def _overview(book: Workbook, data: _ChartData, content: Content, names: list[str]) -> None:
    sheet = book.active
    sheet.title = "Overblik"
    title = content.title.replace("status for", "overblik for", 1)
    put(sheet, 1, 1, f"Forebyggelsesstrategien – {title}").font = Font(bold=True, size=14)
    put(sheet, 2, 1, _subtitle(content, content.level_text))
    row = 3
    for text in content.headlines:
        cell = put(sheet, row, 1, text)
        cell.font = BOLD
        status = text.rpartition("; status ")[2].rstrip(".")
        if status in FILLS:
            cell.fill = FILLS[status]
        row += 1
    for text in content.changes:
        put(sheet, row, 1, text).font = Font(bold=True, color="333355")
        row += 1
    row = _contents(sheet, row, names)
    put(sheet, row, 1, content.follow_up)
    row += 1
    put(sheet, row, 1, content.relation)
    width = len(content.overview.columns)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.cell(row, 1).alignment = WRAP_TOP
    sheet.row_dimensions[row].height = 45
    header = row + 2
    totals = {i for i, s in enumerate(content.overview["spornavn"]) if s == "I alt"}
    last = _grid(sheet, header, content.overview, totals)
    last = _savings_charts(sheet, data, content, last + 2)
    _print_setup(sheet, header, last, width, one_page=True)


def _front(book: Workbook, content: Content, names: list[str]) -> None:
    """The appendix's first sheet: what it holds, and a link to each sheet."""
    sheet = book.active
    sheet.title = "Indhold"
    title = f"Forebyggelsesstrategien – {content.title}, bilag"
    put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    put(sheet, 2, 1, _subtitle(content, content.level_text))
    put(sheet, 3, 1, APPENDIX_NOTE)
    _contents(sheet, 5, names)
    sheet.column_dimensions["A"].width = 12
    _print_setup(sheet, 5, 5, len(names) + 1, one_page=True)
    sheet.freeze_panes = None


def sheet_names(content: Content, appendix: bool = False) -> list[str]:
    """The workbook's sheets in order (the charts' hidden data sheet last, not named)."""
    names = ["Indhold"] if appendix else ["Overblik"]
    for table in content.part(appendix):
        names.append(table.name)
        if table.name == "Årsoversigt" and not appendix:
            names.append("Udvikling")
    return names


def write_workbook(content: Content, path: Path, appendix: bool = False) -> Path:
    """The report's workbook, or with ``appendix`` its appendix's."""
    book = Workbook()
    data = _ChartData(book)
    names = sheet_names(content, appendix)
    if appendix:
        _front(book, content, names[1:])
    else:
        _overview(book, data, content, names[1:])
    for table in content.part(appendix):
        sheet = _table_sheet(book, content, table)
        if table.name == "Årsoversigt" and not appendix:
            last = _spending_chart(sheet, data, content, 6 + len(table.frame))
            sheet.print_area = f"A1:{get_column_letter(len(table.frame.columns))}{last}"
            _trend_sheet(book, data, content)
        if table.name == comparison.NAME and not table.frame.empty:
            last = comparison.workbook_charts(sheet, data, table.frame, 6 + len(table.frame))
            sheet.print_area = f"A1:{get_column_letter(len(table.frame.columns))}{last}"
        if table.name == effect.NAME and not appendix and not content.waterfalls.empty:
            last = effect.workbook_charts(sheet, data, content.waterfalls, 6 + len(table.frame))
            sheet.print_area = f"A1:{get_column_letter(len(table.frame.columns))}{last}"
    for sheet in book.worksheets:
        for chart in sheet._charts:
            _small_title(chart)
    book.move_sheet(CHART_DATA, offset=len(book.sheetnames))
    book.active = 0
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)  # a stale one, or a link planted at the name: never followed
    book.save(tmp)
    tmp.replace(path)
    return path
