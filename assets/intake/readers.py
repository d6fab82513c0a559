"""Read any delivered file into sheets of raw cell rows, or say in Danish why not.

Spreadsheets go through python-calamine (xlsx, xlsm, xls, ods; formula cells give their
cached values); CSV through the csv module with the separator and encoding detected.
Row 1 of a sheet is ``rows[0]``, so Excel's row number is the list index + 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import python_calamine as calamine

SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".ods"}
SUFFIXES = SPREADSHEETS | {".csv"}


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is a plain Danish sentence."""


@dataclass
class Sheet:
    name: str
    visible: bool
    rows: list[list[object]]

    @cached_property
    def columns(self) -> list[np.ndarray]:
        """The cells column by column as object arrays (short rows padded), built once."""
        lengths = set(map(len, self.rows))
        rows = self.rows
        width = max(lengths, default=0)
        if len(lengths) > 1:  # CSV rows may differ in length; calamine's never do
            rows = [r if len(r) == width else [*r, *[""] * (width - len(r))] for r in rows]
        # Filling a 2-D object array is done in C; transposing with zip() is 4× slower.
        grid = np.empty((len(rows), width), dtype=object)
        grid[:] = rows
        return [np.ascontiguousarray(grid[:, c]) for c in range(width)]

    @cached_property
    def distinct(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per column, a code per cell and the distinct values, empty cells coded -1.

        Ledgers repeat functions, dates and texts a lot: finding blanks, scanning for CPR
        numbers and parsing all work on the distinct values, computed once here.
        """
        out = []
        for column in self.columns:
            codes, uniques = pd.factorize(column, use_na_sentinel=True)
            empty = np.flatnonzero(uniques == "")  # calamine gives '' for an empty cell
            if len(empty):
                codes[codes == empty[0]] = -1
            out.append((codes, uniques))
        return out

    @cached_property
    def blanks(self) -> list[np.ndarray]:
        """Per column, which cells are empty."""
        return [codes < 0 for codes, _ in self.distinct]


def read_workbook(path: Path) -> list[Sheet]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFile(
            f"Filtypen '{path.suffix}' kan ikke indlæses. Gem filen som .xlsx, .xlsm, .xls, "
            ".ods eller .csv."
        )
    if path.stat().st_size == 0:
        raise UnreadableFile("Filen er tom (0 byte). Gem udtrækket igen og aflever det på ny.")
    if suffix == ".csv":
        return [Sheet(path.stem, True, _read_csv(path))]
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
        sheets = [
            Sheet(
                meta.name,
                meta.visible == calamine.SheetVisibleEnum.Visible,
                book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False),
            )
            for meta in book.sheets_metadata
            if meta.typ == calamine.SheetTypeEnum.WorkSheet
        ]
    except calamine.PasswordError as exc:
        raise UnreadableFile(
            "Filen er beskyttet med adgangskode. Fjern adgangskoden og aflever filen igen."
        ) from exc
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as exc:
        raise UnreadableFile(
            f"Filen kan ikke åbnes som et regneark ({suffix}). Den er måske beskadiget, "
            "ufuldstændigt kopieret eller gemt i et andet format end endelsen siger."
        ) from exc
    if not any(any(c not in ("", None) for c in row) for s in sheets for row in s.rows):
        raise UnreadableFile("Filen indeholder ingen data.")
    return sheets


def _read_csv(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = "\n".join(text.splitlines()[:50])
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if not any(any(c.strip() for c in r) for r in rows):
        raise UnreadableFile("Filen indeholder ingen data.")
    return rows
