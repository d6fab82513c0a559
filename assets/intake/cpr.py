"""Personal identifiers must never be stored: find CPR-like values anywhere in a file.

A CPR number is ddmmyy-xxxx, ddmmyyxxxx or ddmmyy xxxx with a real date, standing on its
own: ten digits inside a longer code (a PSP element ``XG-0000003040-00046``, an account
string) are not one. Text cells, header cells and sheet names are searched in every
column; whole numbers only outside amount columns (a 10-digit amount is not a person).
The values themselves are never repeated in a message or a log.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import numpy as np

from assets.intake.problems import Problem
from assets.intake.sheets import Sheet

CPR = re.compile(r"(?<![0-9A-Za-z.-])(\d{2})(\d{2})(\d{2})[- ]?\d{4}(?![0-9A-Za-z]|-\d)")


def _real_date(day: str, month: str, year: str) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + int(year), int(month), int(day))
            return True
        except ValueError:
            continue
    return False


def looks_like_cpr(cell: object) -> bool:
    if isinstance(cell, float) and cell.is_integer():
        cell = f"{int(cell):010d}" if 10**8 <= cell < 10**10 else ""
    if not isinstance(cell, str):
        return False
    return any(_real_date(*m.groups()) for m in CPR.finditer(cell))


def mask(text: str) -> str:
    """``text`` with every CPR-like number replaced, for logs of unforeseen errors."""
    return CPR.sub(lambda m: "##########" if _real_date(*m.groups()) else m[0], text)


def sheet_label(sheets: list[Sheet], index: int) -> str:
    """A sheet's name, or 'nr. N' when the name itself looks like a CPR number."""
    name = sheets[index].name
    return f"nr. {index + 1}" if looks_like_cpr(name) else name


def cpr_problems(
    file: str,
    sheets: list[Sheet],
    amount_columns: dict[str, set[int]],
    header_rows: dict[str, list[object]],
) -> list[Problem]:
    """One problem per sheet and column holding CPR-like values, listing the Excel rows.

    ``amount_columns`` are column indexes per sheet whose numbers are money; a header row
    per sheet, where known, lets the message name the column by its header too.
    """
    found: dict[tuple[int, int], list[int]] = defaultdict(list)
    out = [
        Problem(
            file,
            sheet=sheet_label(sheets, i),
            sentence=f"ark {sheet_label(sheets, i)}: arkets navn ligner et CPR-nummer. "
            "Personnumre må ikke afleveres; omdøb arket, og aflever filen igen.",
        )
        for i, sheet in enumerate(sheets)
        if looks_like_cpr(sheet.name)
    ]
    for i, sheet in enumerate(sheets):
        skip = amount_columns.get(sheet.name, set())
        for c, (codes, uniques) in enumerate(sheet.distinct):
            numbers = c not in skip
            if not _may_hold_cpr(uniques, numbers):
                continue
            hit = [looks_like_cpr(v) and (numbers or not isinstance(v, float)) for v in uniques]
            rows = np.flatnonzero(np.append(np.array(hit, dtype=bool), False)[codes]) + 1
            if len(rows):
                found[(i, c)] = rows.tolist()
    for (i, c), rows in sorted(found.items()):
        label = sheet_label(sheets, i)
        column = _column_name(c, header_rows.get(sheets[i].name, []))
        shown = f"'{label}'" if label == sheets[i].name else label
        out.append(
            Problem(
                file,
                sheet=label,
                column=column,
                sentence=(
                    f"ark {shown}, kolonne {column}, række {_ranges(rows)}: indeholder noget, "
                    "der ligner CPR-numre. Personnumre må ikke afleveres; fjern dem, og "
                    "aflever filen igen."
                ),
            )
        )
    return out


def _may_hold_cpr(distinct: np.ndarray, numbers: bool) -> bool:
    """A quick look at a column's distinct values before checking each for a real date."""
    texts = [v for v in distinct if type(v) is str]
    if texts and CPR.search("\n".join(texts)):
        return True
    if not numbers:
        return False
    values = np.array([v for v in distinct if type(v) is float])
    return bool(((values >= 1e8) & (values < 1e10) & (values == np.floor(values))).any())


def _column_name(index: int, header: list[object]) -> str:
    letter = _column_letter(index)
    text = header[index] if index < len(header) else None
    if not isinstance(text, str) or not text.strip() or looks_like_cpr(text):
        return letter
    return f"{letter} ('{text}')"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ranges(rows: list[int]) -> str:
    """[3, 4, 5, 9] → '3-5, 9'."""
    out, start, prev = [], rows[0], rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(f"{start}-{prev}" if prev > start else f"{start}")
        if r is not None:
            start = prev = r
    return ", ".join(out)
