"""Budget extracts: the ERP's wide form, and an original budget without an agreement
belongs to the one starting that year.

The wide form has one amount column per year instead of År, Budgettype, Budgetaftale and
Beløb: B2024, BO2025 … (an original budget series: its agreement starts with the series'
first B-year), "Oprindeligt budget 2025" or "Vedtaget budget 2025" (the agreement starting
that year) and "Korrigeret budget 2024" (no agreement). Headers are matched after
normalisation by ``schemas.kinds.fold``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

WIDE = [
    (re.compile(r"^b(\d{4})$"), "oprindeligt", "serie"),
    (re.compile(r"^bo(\d{4})$"), "oprindeligt", "serie"),
    (re.compile(r"^(?:oprindeligt|vedtaget)budget(\d{4})$"), "oprindeligt", "aar"),
    (re.compile(r"^korrigeretbudget(\d{4})$"), "korrigeret", ""),
]
WIDE_FIELDS = ("aar", "beloeb", "budgettype", "budgetaftale")  # what a year column gives


@dataclass(frozen=True)
class Year:
    year: int
    budgettype: str
    budgetaftale: str  # "serie", "aar" or "" (none)


def wide(table: str, key: str) -> Year | None:
    """A folded header that is a year column of the wide form, or None."""
    for pattern, budgettype, agreement in WIDE if table == "budget" else ():
        m = pattern.match(key)
        if m:
            return Year(int(m[1]), budgettype, agreement)
    return None


def melt(table: str, frame: pd.DataFrame, columns: list) -> pd.DataFrame:
    """One row per function and filled year column; ``columns`` holds each year column's
    (Year, filled rows, amounts)."""
    series_start = min((y.year for y, _, _ in columns if y.budgetaftale == "serie"), default=None)
    parts = []
    for year, filled, amounts in columns:
        part = frame.loc[filled].copy()
        part["aar"] = pd.array([year.year] * len(part), dtype="Int64")
        part["budgettype"] = year.budgettype
        first = {"serie": series_start, "aar": year.year}.get(year.budgetaftale)
        part["budgetaftale"] = f"{first}-{first + 3}" if first else None
        part["beloeb"] = amounts[filled]
        parts.append(part)
    return pd.concat(parts).sort_values(["kilde_raekke", "aar"], kind="stable")


def finish(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    missing = (frame["budgettype"] == "oprindeligt") & frame["budgetaftale"].isna()
    start = frame.loc[missing, "aar"]
    frame.loc[missing, "budgetaftale"] = start.astype(str) + "-" + (start + 3).astype(str)
    return frame
