"""Read any delivered file into sheets of raw cell rows, or say in Danish why not.

Spreadsheets (xlsx, xlsm, xls, ods; formula cells give their cached values) go through
``columnar`` after ``limits`` has measured them; CSV through the csv module with the
separator and encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252)
detected. Row 1 of a sheet is row index 0, so Excel's row number is the index + 1.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import python_calamine as calamine

from assets.danish import number
from assets.intake.columnar import Mixed, read_columnar
from assets.intake.limits import (
    DAMAGED,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    Refused,
    check_size,
    check_zip,
)
from assets.intake.parts import Cutting
from assets.intake.sheets import Sheet

SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods"}
SUFFIXES = SPREADSHEETS | {".csv"}
SNIFF_CHARS = 4096
_REAL_UTF8 = re.compile("[^\x00-\x7f\ufffd]")  # a character only UTF-8 could have given


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is a plain Danish sentence."""


def read_workbook(path: Path, stem: str | None = None) -> list[Sheet]:
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
            return [Sheet(stem or path.stem, True, _read_csv(path))]
    except Refused as exc:
        raise UnreadableFile(str(exc)) from exc
    with Cutting() as cutting:
        try:
            check_zip(path, suffix, cutting)
        except Refused as exc:
            raise UnreadableFile(str(exc)) from exc
        cutting.finish()
        return _read_spreadsheet(path, suffix, cutting)


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
            sheets = [
                Sheet(name, visible, book.get_sheet_by_name(name).to_python(skip_empty_area=False))
                for name, visible in names
            ]
    except calamine.PasswordError as exc:
        raise UnreadableFile(
            "Filen er beskyttet med adgangskode. Fjern adgangskoden og aflever filen igen."
        ) from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
        raise UnreadableFile(DAMAGED.format(suffix=suffix)) from exc
    if not any((codes >= 0).any() for s in sheets for codes, _ in s.distinct):
        raise UnreadableFile("Filen indeholder ingen data.")
    return sheets


def _decode(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; or say which row fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                "Filen er gemt som UTF-16, men er ufuldstændig eller beskadiget. Gem den igen "
                "som 'CSV UTF-8' og aflever den på ny."
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if _REAL_UTF8.search(data.decode("utf-8", "replace")):
            # UTF-8 with one bad byte: read as Windows-1252 it would turn 'ø' into 'Ã¸'
            row = data.count(b"\n", 0, exc.start) + 1
            raise UnreadableFile(
                f"Række {row} indeholder et tegn (byte 0x{data[exc.start]:02X}), der ikke er "
                "gyldigt UTF-8, i en fil, der ellers er UTF-8. Gem filen igen som 'CSV UTF-8' "
                "og aflever den på ny."
            ) from exc
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(
            f"Række {row} indeholder et tegn (byte 0x{data[exc.start]:02X}), der hverken er "
            "gyldigt i UTF-8 eller Windows-1252. Gem filen igen som 'CSV UTF-8' og aflever den "
            "på ny."
        ) from exc


def _read_csv(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            "Filen indeholder binære data og er ikke en tekstfil (csv). Gem udtrækket som "
            "'CSV UTF-8' eller som .xlsx, og aflever det igen."
        )
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile("Filen indeholder binære data og er ikke en tekstfil (csv).")
    # csv.Sniffer's regexes take quadratic time on hostile text (26 s for 64 kB of ';"'):
    # a few kB of the start are enough to find the separator
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:50])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[object]] = []
    try:
        for row in reader:
            _check_csv_row(row, reader.line_num)
            rows.append(list(row))
    except csv.Error as exc:  # a cell beyond the csv module's own limit (128 kB)
        raise UnreadableFile(_long_cell(reader.line_num)) from exc
    if not any(any(c.strip() for c in r) for r in rows):
        raise UnreadableFile("Filen indeholder ingen data.")
    return rows


def _check_csv_row(row: list[str], line: int) -> None:
    if len(row) > MAX_COLUMNS:
        raise UnreadableFile(
            f"Række {line} har {len(row)} kolonner; forebyg læser højst {MAX_COLUMNS}. Er "
            "skilletegnet forkert, eller er filen ikke et udtræk?"
        )
    if line > MAX_ROWS:
        raise UnreadableFile(f"Filen har over {number(MAX_ROWS)} rækker.")
    if any(len(cell) > MAX_CELL_CHARS for cell in row):
        raise UnreadableFile(_long_cell(line))


def _long_cell(line: int) -> str:
    return (
        f"Række {line} har en celle med over {number(MAX_CELL_CHARS)} tegn, som er Excels grænse "
        "for én celle. Er filen et udtræk? Gem den igen, og aflever den på ny."
    )
