"""Danmarks Statistik's tables (REGK31, BUDK32, FOLK1A): which table a file is, and every
area a known municipality, region or total, so that no row is dropped in core unseen."""

from __future__ import annotations

import csv
import difflib
import re
from functools import cache
from pathlib import Path

import pandas as pd

import schemas
from assets.intake.problems import Problem
from schemas.kinds import KindSpec, fold

# Areas in DST's tables that are no municipality: counted nowhere, but known.
OTHER_AREAS = {
    "000": "Hele landet",
    "081": "Region Nordjylland",
    "082": "Region Midtjylland",
    "083": "Region Syddanmark",
    "084": "Region Hovedstaden",
    "085": "Region Sjælland",
    "411": "Christiansø",
}
OTHER_NAMES = [
    "I alt",
    "Alle kommuner",
    "Hovedstadskommuner",
    "Storbykommuner",
    "Provinsbykommuner",
    "Oplandskommuner",
    "Landkommuner",
    *(
        f"Landsdel {n}"
        for n in (
            "Byen København", "Københavns omegn", "Nordsjælland", "Bornholm",
            "Østsjælland", "Vest- og Sydsjælland", "Fyn", "Sydjylland", "Østjylland",
            "Vestjylland", "Nordjylland",
        )
    ),
]  # fmt: skip
CODE_NAME = re.compile(r"^(\d{3})(?:\s+(.*))?$")  # '860', '860 Hjørring'


@cache
def municipalities() -> dict[str, str]:
    """Danmarks Statistik's 98 municipalities, code → name (schemas/kommuner.csv)."""
    with (Path(schemas.__file__).parent / "kommuner.csv").open(encoding="utf-8") as f:
        return {f"{int(r['kommunenr']):03d}": r["kommune"] for r in csv.DictReader(f)}


@cache
def _known() -> tuple[dict[str, str], dict[str, str]]:
    """(code → name, folded name → name) of every area DST's tables may hold."""
    codes = {**municipalities(), **OTHER_AREAS}
    names = [*codes.values(), *OTHER_NAMES]
    return codes, {fold(n): n for n in names}


def area_code(value: str) -> str | None:
    """'860', '860 Hjørring' or 'Hjørring' → '860' (a municipality); None otherwise."""
    _, names = _known()
    m = CODE_NAME.match(value.strip())
    if m:
        return m[1] if m[1] in municipalities() else None
    name = names.get(fold(value))
    return next((c for c, n in municipalities().items() if n == name), None)


def _is_known(value: str) -> bool:
    codes, names = _known()
    m = CODE_NAME.match(value.strip())
    if m:
        return m[1] in codes and (not m[2] or fold(m[2]) in names)
    return fold(value) in names


def unknown_areas(file: str, frame: pd.DataFrame, column: str) -> list[Problem]:
    """One problem per area value that is no known municipality, region or total, at its
    first row, naming the nearest known names."""
    _, names = _known()
    problems = []
    values = frame["geografi"]
    for value in values.dropna().unique():
        if _is_known(str(value)):
            continue
        first = frame.loc[values == value].iloc[0]
        near = difflib.get_close_matches(str(value), list(names.values()), n=3, cutoff=0.6)
        hint = " eller ".join(f"'{n}'" for n in near) if near else "ingen kendt ligner"
        problems.append(
            Problem(
                file,
                "en kommune, en region eller en total, som Danmarks Statistik skriver den "
                f"(nærmest: {hint}); filen afvises hellere end at rækkerne forsvinder",
                str(first["kilde_ark"]),
                int(first["kilde_raekke"]),
                column,
                value,
            )
        )
    missing = frame.loc[values.isna()]
    if len(missing):
        first = missing.iloc[0]
        problems.append(
            Problem(
                file, "et område", str(first["kilde_ark"]), int(first["kilde_raekke"]), column, None
            )
        )
    return problems


def first_quarter(file: str, frame: pd.DataFrame) -> list[Problem]:
    """A year given by quarters counts at its 1st quarter (1 January): a year whose first
    quarter in the file is a later one is refused, naming it, never taken as the year."""
    quarters = frame.dropna(subset=["kvartal"]).groupby("aar")["kvartal"].min()
    late = quarters[quarters > 1]
    if late.empty:
        return []
    shown = ", ".join(f"{y}K{q}" for y, q in late.items())
    return [
        Problem(
            file,
            sentence=(
                f"filen har for {_years(late.index)} først tal fra et senere kvartal "
                f"({shown}); forebyg bruger årets befolkning 1. januar (1. kvartal, fx "
                f"{late.index[0]}K1). Hent tabellen med 1. kvartal, eller uden "
                f"{_years(late.index)}, og aflever den igen."
            ),
        )
    ]


def _years(years) -> str:
    years = [str(y) for y in years]
    return years[0] if len(years) == 1 else ", ".join(years[:-1]) + " og " + years[-1]


def finish(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """REGK31 or BUDK32: the export's title says which; an API csv with REGI07A is BUDK32."""
    if table == "dst_regnskab":
        budget = frame["region"].notna()
        frame["tabel"] = (
            frame["tabel"].str.upper().fillna(budget.map({True: "BUDK32", False: "REGK31"}))
        ).astype("string")
        frame["geografi"] = frame["geografi"].fillna(frame["region"])
    return frame


def problems(file: str, tables: dict[str, pd.DataFrame], spec: KindSpec) -> list[Problem]:
    if "dst_regnskab" in tables:
        frame = tables["dst_regnskab"]
        column = "REGI07A" if frame["region"].notna().any() else "OMRÅDE"
        return unknown_areas(file, frame, column)
    frame = tables["dst_befolkning"]
    return unknown_areas(file, frame, "OMRÅDE") + first_quarter(file, frame)
