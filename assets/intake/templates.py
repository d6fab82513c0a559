"""Blank workbooks for every extract kind, with drop-downs where a value is fixed."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assets.xlsx import new_sheet, put, put_row
from schemas.extracts import MODELS
from schemas.kinds import KindSpec, TableSpec, kinds, template_choices

DATA_ROWS = 5000  # drop-downs reach this far down

GUIDE = {
    "forbrug": "Én række pr. postering eller sum. Periode som 2025-03; beløb i kr. (udgifter +, "
    "indtægter −). Dranst 1 = drift, 2 = statsrefusion.",
    "budget": "Én række pr. funktion, år og budgettype. Budgetaftale udfyldes for det "
    "oprindelige (vedtagne) budget, fx 2024-2027.",
    "indsatser": "Kataloget afleveres samlet; en ny fil erstatter det gamle katalog. "
    "Besparelser må skrives med minus eller plus.",
    "aktivitet": "Én række pr. indikator og måned (eller kvartal). Antal er et antal personer.",
    "prisindeks": "Ét indeks pr. år og type (service eller overførsler).",
    "befolkning": "Antal indbyggere pr. år og aldersgruppe (0-17, 18-64, 65+).",
    "kontoplan": "Funktion → område. Erstatter projektets standardkontoplan for funktionen.",
}


def _choices(table: TableSpec, field: str) -> list[str] | None:
    column = MODELS[table.name].to_schema().columns.get(field)
    for check in column.checks if column is not None else []:
        if check.name == "isin":
            return [str(v) for v in check.statistics["allowed_values"]]
    return template_choices().get(field)


def _sheet(book: Workbook, kind: KindSpec, table: TableSpec) -> None:
    sheet = new_sheet(book, table.sheet or kind.label.capitalize())
    fields = table.template_fields()
    put_row(sheet, 1, [table.header(f) for f in fields])
    for i, field in enumerate(fields, start=1):
        column = get_column_letter(i)
        sheet[f"{column}1"].font = Font(bold=True)
        sheet.column_dimensions[column].width = max(14, len(table.header(field)) + 4)
        values = _choices(table, field)
        if values:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(values) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Ugyldig værdi",
                error="Vælg en værdi fra listen: " + ", ".join(values),
            )
            rule.add(f"{column}2:{column}{DATA_ROWS}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def template(kind: KindSpec) -> Workbook:
    book = Workbook()
    guide = book.active
    guide.title = "Vejledning"
    put(guide, 1, 1, f"Skabelon til {kind.label} (forebyg)")
    put(guide, 2, 1, GUIDE.get(kind.kind, ""))
    put(guide, 3, 1, "Udfyld arket/arkene ved siden af fra række 2; lad overskrifterne stå.")
    guide["A1"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 110
    for table in kind.tables:
        _sheet(book, kind, table)
    return book


def write_templates(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in kinds():
        path = folder / f"skabelon_{kind.kind}.xlsx"
        template(kind).save(path)
        paths.append(path)
    return paths
