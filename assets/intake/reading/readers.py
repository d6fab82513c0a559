"""Read any delivered file into sheets of raw cell rows, or say in Danish why not.

Spreadsheets (xlsx, xlsm, xls, ods; formula cells give their cached values) go through
``columnar`` after ``limits`` has measured them; CSV through ``csvtext`` (the first rows by
the csv module, the rest as Arrow string columns). Row 1 of a sheet is row index 0, so
Excel's row number is the index + 1.
"""

from __future__ import annotations

from pathlib import Path

import python_calamine as calamine

from assets.danish import number
from assets.intake.reading import cpr, limits
from assets.intake.reading.columnar import Mixed, read_columnar
from assets.intake.reading.csvtext import read_csv
from assets.intake.reading.decoded import Exceeded
from assets.intake.reading.legacy import check_xls
from assets.intake.reading.limits import DAMAGED, Refused, check_size, check_zip
from assets.intake.reading.parts import Cutting
from assets.intake.reading.sheets import Sheet, Sheets
from assets.intake.reading.unreadable import UnreadableFile

SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods"}
SUFFIXES = SPREADSHEETS | {".csv"}


def read_workbook(path: Path, stem: str | None = None) -> Sheets:
    """The sheets of ``path``; a csv's one sheet is named ``stem`` (the delivered name's,
    since ``path`` may be a private copy), else the file's own stem."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(
            f"Filtypen '{path.suffix}' kan ikke indlæses. Gem filen som .xlsx, .xlsm, .xls, "
            ".ods eller .csv."
        )
    if path.stat().st_size == 0:
        raise UnreadableFile("Filen er tom (0 byte). Gem udtrækket igen og aflever det på ny.")
    try:
        check_size(path)
        if suffix == ".csv":
            return Sheets([read_csv(path, stem or path.stem)])
        if suffix == ".xls":
            check_xls(path)
    except Refused as exc:
        raise UnreadableFile(str(exc)) from exc
    with Cutting() as cutting:
        try:
            found = check_zip(path, suffix, cutting)
        except (Refused, Exceeded) as exc:
            raise UnreadableFile(str(exc)) from exc
        cutting.finish()
        sheets = _read_spreadsheet(path, suffix, cutting)
    if suffix == ".xls" and cpr.in_raw(path.read_bytes()):
        # a legacy workbook's strings, names and document properties, read as bytes
        found.append(("filens tekster uden for cellerne (navne, dokumentegenskaber)", True))
    return Sheets(sheets, found)


def _read_spreadsheet(path: Path, suffix: str, cutting: Cutting) -> list[Sheet]:
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        names = [
            (meta.name, meta.visible == calamine.SheetVisibleEnum.Visible)
            for meta in book.sheets_metadata
            if meta.typ == calamine.SheetTypeEnum.WorkSheet
        ]
        try:
            sheets = read_columnar(path, suffix, book, names, cutting)
        except Mixed:
            sheets = _cell_by_cell(book, names)
    except calamine.PasswordError as exc:
        raise UnreadableFile(
            "Filen er beskyttet med adgangskode. Fjern adgangskoden og aflever filen igen."
        ) from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
        raise UnreadableFile(DAMAGED.format(suffix=suffix)) from exc
    if not any((codes >= 0).any() for s in sheets for codes, _ in s.distinct):
        raise UnreadableFile("Filen indeholder ingen data.")
    return sheets


def _cell_by_cell(book: calamine.CalamineWorkbook, names) -> list[Sheet]:
    """Every sheet as Python values from A1 on, within ``MAX_CELL_BY_CELL`` cells in all
    (a value as a Python object takes about 80 bytes beside the reader's grid)."""
    sheets, cells = [], 0
    for nr, (name, visible) in enumerate(names, start=1):
        part = book.get_sheet_by_name(name)
        cells += (part.end[0] + 1) * (part.end[1] + 1) if part.end else 0
        if cells > limits.MAX_CELL_BY_CELL:
            label = f"nr. {nr}" if cpr.looks_like_cpr(name) else f"'{name}'"
            raise UnreadableFile(
                f"Arket {label} har kolonner med både tal og tekst, og projektmappen er for "
                f"stor til at læses celle for celle (over {number(limits.MAX_CELL_BY_CELL)} "
                "celler regnet fra A1). Ret kolonnerne, så hver har én slags værdier, eller "
                "del udtrækket op."
            )
        sheets.append(Sheet(name, visible, part.to_python(skip_empty_area=False)))
    return sheets
