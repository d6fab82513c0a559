"""One number format per unit, for both reports: how a column's figures are written on the
page, the number format of its cells in the workbook, and the unit its header names.

A column's unit (its kind in content.COLUMNS, later its mart contract's unit) decides all
three, so every figure in a column has the same decimals: a header never says one thing
while its figures say another.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd

from assets.danish import _swap, date, mio, percent, yes_no


@dataclass(frozen=True)
class Unit:
    suffix: str  # what the header adds: ' (mio. kr.)'; '' when the header says it
    excel: str | None  # the workbook's number format; None: the cell as it is
    numeric: bool  # right-aligned, tabular figures


def _fixed(decimals: int, unit: str = ""):
    def write(value: object) -> str:
        text = _swap(f"{float(value):,.{decimals}f}")
        return text + unit

    return write


UNITS: dict[str, Unit] = {
    "kr": Unit(" (mio. kr.)", "#,##0.0,,;-#,##0.0,,", True),  # kroner shown in mio. kr.
    "kroner": Unit(" (kr.)", "#,##0;-#,##0", True),  # whole kroner
    "pct": Unit("", "0 %", True),  # a share: the cell keeps 0,95, shows 95 %
    "procent": Unit(" (%)", '#,##0.0" %";-#,##0.0" %"', True),  # already in per cent: 1,52 %
    "tal": Unit("", "#,##0.0;-#,##0.0", True),  # one decimal, always
    "antal": Unit("", "#,##0", True),
    "heltal": Unit("", "0", True),
    "dato": Unit("", "dd-mm-yyyy", False),
    "janej": Unit("", None, False),
    "tekst": Unit("", None, False),
}
_WRITE = {
    "kr": mio,
    "kroner": _fixed(0),
    "pct": percent,
    "procent": _fixed(1, " %"),
    "tal": _fixed(1),
    "antal": _fixed(0),
    "heltal": lambda v: str(int(v)),
    "janej": yes_no,
}


def unit(kind: str) -> Unit:
    return UNITS.get(kind, UNITS["tekst"])


def header(text: str, kind: str) -> str:
    """The header with its unit: 'Afvigelse (mio. kr.)'."""
    return text + unit(kind).suffix


def text(value: object, kind: str) -> str | None:
    """A figure as the page writes it; None for text (the caller escapes it)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, float) and not math.isfinite(value):
        return "–"  # infinity is no figure
    if kind == "dato" and isinstance(value, (dt.date, pd.Timestamp)):
        return date(value)
    if kind in _WRITE and not isinstance(value, str):
        try:
            return _WRITE[kind](value)
        except (TypeError, ValueError, OverflowError):
            return "–"
    return None


def span(years) -> str:
    """The years a chart covers: '2022–2026', or '2024' for one; '' for none."""
    years = sorted({int(y) for y in years})
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
