"""Blank workbooks for every extract kind, to be filled in without a manual.

Each template has a guide sheet that prints on one page (what every column holds, whether
it must be filled, and a filled-in example row) and one sheet per table with the headers
only, so nothing but the user's own rows is ever loaded. Every column shows an input
message; every coded column has a drop-down. Lists that grow with the municipality's data
(budget agreements, activity indicators, functions of the chart of accounts, age groups)
come from the warehouse when there is one, else from the project's defaults; they sit on
a hidden sheet ``Lister``. Every cell is written through ``assets.xlsx.put``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assets.intake.parsing.extract import GUIDE_SHEET
from assets.sql_assets import standard_mapping
from assets.xlsx import new_sheet, put, put_row
from schemas.extracts import MODELS
from schemas.kinds import TYPES, KindSpec, TableSpec, kinds

DATA_ROWS = 5000  # drop-downs and messages reach this far down
LISTS = "Lister"
# one spelling in every template; intake reads both (schemas/kinds/*.toml)
SPELLING = {"overførsel": "overførsler"}

# lists that grow with the data: field → queries over the warehouse (one column each)
DATA_LISTS = {
    "budgetaftale": [
        "SELECT budgetaftale FROM core.indsats_oekonomi",
        "SELECT budgetaftale FROM core.budget",
    ],
    "indikator": [
        "SELECT indikator FROM core.aktivitet",
        "SELECT indikator FROM core.indsats_maal",
    ],
    "funktion": ["SELECT funktion FROM core.kontoplan"],
    "aldersgruppe": ["SELECT aldersgruppe FROM core.befolkning"],
    "indsats_id": ["SELECT indsats_id FROM core.indsatser"],  # the catalogue's initiatives
}
DEFAULT_LISTS = {
    "aldersgruppe": ["0-17", "18-64", "65+"],
    "dranst": [str(n) for n in range(1, 8)],
}
OPEN_LISTS = {
    "budgetaftale",
    "indikator",
    "aktivitetsindikator",
    "funktion",
    "funktioner",
    "indsats_id",  # a new initiative's ID is not in the catalogue yet
}


def agreements_in_force(year: int) -> list[str]:
    """The four-year agreements in force in ``year`` and the one adopted for the next: the
    drop-down's agreements before the warehouse holds any (docs/valg.md)."""
    return [f"{start}-{start + 3}" for start in range(year - 3, year + 2)]


def data_lists(
    con: duckdb.DuckDBPyConnection | None, year: int | None = None
) -> dict[str, list[str]]:
    """The lists for the drop-downs: the defaults, extended by what the warehouse holds."""
    lists = {f: list(v) for f, v in DEFAULT_LISTS.items()}
    lists["budgetaftale"] = agreements_in_force(year or dt.date.today().year)
    lists["funktion"] = sorted(standard_mapping()["funktion"].dropna().unique())
    lists["indikator"] = []
    for field, queries in DATA_LISTS.items():
        for sql in queries if con is not None else []:
            try:
                found = [str(v) for (v,) in con.execute(sql).fetchall() if v is not None]
            except duckdb.Error:  # a warehouse without that table yet
                continue
            lists[field] = sorted({*lists.get(field, []), *found})
    lists["aktivitetsindikator"] = lists["indikator"]
    lists["funktioner"] = lists["funktion"]
    return lists


def _choices(table: TableSpec, field: str, lists: dict[str, list[str]]) -> list[str] | None:
    column = MODELS[table.name].to_schema().columns.get(field)
    for check in column.checks if column is not None else []:
        if check.name == "isin":
            return [SPELLING.get(str(v), str(v)) for v in check.statistics["allowed_values"]]
    spec = table.fields[field]
    if spec.type == "valg":  # an open choice: its list's values, others allowed
        return [SPELLING.get(v, v) for v in dict.fromkeys(spec.values.values())]
    return lists.get(field) or None


def _description(table: TableSpec, field: str) -> str:
    column = MODELS[table.name].to_schema().columns.get(field)
    kind = table.fields[field].type
    text = (column.description if column is not None else None) or TYPES[kind].help or kind
    for old, new in SPELLING.items():
        text = re.sub(rf"\b{old}\b", new, text)
    return text


def _sentence(text: str) -> str:
    """'et beløb i kr.' → 'Et beløb i kr.': the first letter up, the rest as written (an
    example such as S1-01 keeps its case), one full stop."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def _required(table: TableSpec, field: str) -> str:
    groups = [g for g in table.required if any(field in alt for alt in g)]
    if not groups:
        return "Nej"
    return "Ja" if all(len(g) == 1 for g in groups) else "Ja (eller alternativet)"


class _Lists:
    """The hidden sheet with one column per list; returns a reference for a drop-down."""

    def __init__(self, book: Workbook):
        self.sheet = new_sheet(book, LISTS)
        self.sheet.sheet_state = "hidden"
        self.columns: dict[tuple[str, ...], str] = {}

    def ref(self, name: str, values: list[str]) -> str:
        key = tuple(values)
        if key not in self.columns:
            col = len(self.columns) + 1
            put(self.sheet, 1, col, name)
            for r, value in enumerate(values, start=2):
                put(self.sheet, r, col, value)
            letter = get_column_letter(col)
            last = max(len(values) + 1, 2)
            self.columns[key] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${last}"
        return self.columns[key]


def _sheet(book: Workbook, kind: KindSpec, table: TableSpec, lists, holder: _Lists) -> None:
    sheet = new_sheet(book, table.sheet or kind.label.capitalize())
    fields = table.template_fields()
    put_row(sheet, 1, [table.header(f) for f in fields])
    for i, field in enumerate(fields, start=1):
        column = get_column_letter(i)
        sheet[f"{column}1"].font = Font(bold=True)
        sheet.column_dimensions[column].width = max(14, len(table.header(field)) + 4)
        values = _choices(table, field, lists)
        rule = DataValidation(
            type="list" if values else None,
            formula1=holder.ref(table.header(field), values) if values else None,
            allow_blank=True,
            showInputMessage=True,
            promptTitle=table.header(field)[:32],
            prompt=f"{_sentence(_description(table, field))} Udfyldes: "
            f"{_required(table, field)}."[:255],
        )
        if values:
            closed = field not in OPEN_LISTS
            rule.showErrorMessage = True
            rule.errorStyle = "stop" if closed else "information"
            rule.errorTitle = "Ugyldig værdi" if closed else "Ny værdi"
            rule.error = (
                "Vælg en værdi fra listen."
                if closed
                else "Værdien står ikke på listen; den bruges, som den er skrevet."
            )
        rule.add(f"{column}2:{column}{DATA_ROWS}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"
    # one printed page wide, landscape, the headers on every page
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"


def _guide(sheet: Worksheet, kind: KindSpec) -> None:
    sheet.title = GUIDE_SHEET
    put(sheet, 1, 1, f"Skabelon til {kind.label} (forebyg)").font = Font(bold=True, size=14)
    put(sheet, 2, 1, kind.guide)
    put(
        sheet,
        3,
        1,
        "Udfyld arket/arkene ved siden af fra række 2; lad overskrifterne stå. "
        "Hold musen over en kolonne for en forklaring; kodede kolonner har en rulleliste.",
    )
    row = 5
    for table in kind.tables:
        put(sheet, row, 1, f"Ark '{table.sheet or kind.label.capitalize()}'").font = Font(bold=True)
        row += 1
        for c, head in enumerate(("Kolonne", "Udfyldes", "Indhold", "Eksempel"), start=1):
            put(sheet, row, c, head).font = Font(bold=True)
        example = table.example
        for field in table.template_fields():
            row += 1
            put(sheet, row, 1, table.header(field))
            put(sheet, row, 2, _required(table, field))
            put(sheet, row, 3, _description(table, field))
            put(sheet, row, 4, example.get(field))
        row += 2
    for column, width in zip("ABCD", (22, 22, 60, 24), strict=True):
        sheet.column_dimensions[column].width = width
    for line in (2, 3):  # the guide's sentences wrap within the printed width
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=4)
        sheet.cell(line, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[line].height = 30
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_area = f"A1:D{row}"


def template(kind: KindSpec, lists: dict[str, list[str]] | None = None) -> Workbook:
    lists = lists or data_lists(None)
    book = Workbook()
    _guide(book.active, kind)
    holder = _Lists(book)
    for table in kind.tables:
        _sheet(book, kind, table, lists, holder)
    book.move_sheet(LISTS, offset=len(book.sheetnames))
    return book


def write_templates(folder: Path, con: duckdb.DuckDBPyConnection | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    lists = data_lists(con)
    paths = []
    for kind in (k for k in kinds() if k.offered):
        path = folder / f"skabelon_{kind.kind}.xlsx"
        template(kind, lists).save(path)
        paths.append(path)
    return paths
