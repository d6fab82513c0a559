"""Plausibility of a delivery against the warehouse it would change (issue 14).

A delivered spending file replaces whole months per function, so a small file can move a
track's status. Before it counts, each such file gets its before/after totals per function
and month, and warnings (lines starting with ``Advarsel``) for a month that moves more
than the threshold against what it replaces or against the same month last year, rows on
a dranst other than 1–2, functions outside the kontoplan and, for activity files,
indicators no initiative measures. Warnings never reject a file and never change an exit
code. The set logic is in ``sql/``; this module feeds it and words the result.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from assets.danish import count, number
from assets.sql_assets import standard_mapping

SQL = Path(__file__).resolve().parent / "sql"
THRESHOLD_ENV = "FOREBYG_ADVARSEL_PROCENT"
DEFAULT_THRESHOLD = 25.0
KINDS = ("forbrug", "aktivitet")
ROW_REASON = {
    "dranst": "er hverken dranst 1 (drift) eller 2 (refusion); kontrollér, at rækken hører "
    "med i nettoforbruget.",
    "kontoplan": "findes ikke i kontoplanen; rækken gemmes, men tæller ikke med i noget område.",
    "indikator": "bruges ikke af nogen indsats i kataloget; tallet indgår ikke i opgørelserne.",
}


def threshold() -> float:
    """The threshold in per cent: ``FOREBYG_ADVARSEL_PROCENT``, else 25."""
    text = os.environ.get(THRESHOLD_ENV, "").strip().replace(",", ".")
    try:
        value = float(text) if text else DEFAULT_THRESHOLD
    except ValueError:
        return DEFAULT_THRESHOLD
    return value if value > 0 else DEFAULT_THRESHOLD


def kroner(oere: int) -> str:
    """Whole øre → '1.234.567,89 kr.' (a minus as '−')."""
    sign = "−" if oere < 0 else ""
    kr, rest = divmod(abs(int(oere)), 100)
    return f"{sign}{number(kr)},{rest:02d} kr."


def _pct(share: float) -> str:
    return f"{share * 100:+.1f} %".replace("-", "−").replace(".", ",")


def _frame(con, sql: str, empty: dict[str, str]) -> pd.DataFrame:
    if con is not None:
        try:
            return con.execute(sql).df()
        except duckdb.CatalogException:  # a warehouse from before the first run
            pass
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in empty.items()})


def _kontoplan(con) -> pd.DataFrame:
    if con is not None:
        try:
            return con.execute(
                "SELECT funktion, gruppering, omraade, fra_aar, til_aar FROM core.kontoplan"
            ).df()
        except duckdb.CatalogException:
            pass
    return standard_mapping()[["funktion", "gruppering", "omraade", "fra_aar", "til_aar"]]


def _row_warnings(file: str, rows: list[tuple]) -> list[str]:
    """One warning per reason and value, naming its first row and counting the rest."""
    first: dict[tuple[str, str], tuple] = {}
    more: dict[tuple[str, str], int] = {}
    for sheet, row, column, value, reason in rows:
        key = (reason, value)
        if key in first:
            more[key] += 1
        else:
            first[key], more[key] = (sheet, row, column), 0
    out = []
    for (reason, value), (sheet, row, column) in first.items():
        rest = (
            f" og {count(more[(reason, value)], 'række', 'rækker')} mere"
            if more[(reason, value)]
            else ""
        )
        out.append(
            f"Advarsel: {file}, ark '{sheet}', række {row}{rest}, kolonne {column}: værdien "
            f"'{value}' {ROW_REASON[reason]}"
        )
    return out


def _period_lines(file: str, periods: list[tuple], limit: float) -> tuple[list[str], list[str]]:
    lines, warnings = [], []
    for function, area, year, month, before, after, last_year in periods:
        period = f"funktion {function} ({area or 'uden for kontoplanen'}) {year}-{month:02d}"
        if before is not None:
            change = _pct((after - before) / abs(before)) if before else ""
            moved = f" ({change})" if before else ""
            lines.append(f"Erstatter {period}: før {kroner(before)}, efter {kroner(after)}{moved}")
            if before and abs(after - before) / abs(before) * 100 > limit:
                warnings.append(
                    f"Advarsel: {file}: {period} flyttes {change} (fra "
                    f"{kroner(before)} til {kroner(after)}); grænsen er {limit:g} %."
                )
        if last_year and abs(after - last_year) / abs(last_year) * 100 > limit:
            change = _pct((after - last_year) / abs(last_year))
            warnings.append(
                f"Advarsel: {file}: {period} ligger {change} fra "
                f"samme måned sidste år ({kroner(last_year)}); grænsen er {limit:g} %."
            )
    return lines, warnings


def assess(con: duckdb.DuckDBPyConnection | None, file: str, kind: str, rows):
    """The before/after lines and the warnings for one file's rows of ``kind`` (a pandas
    frame or an Arrow table), against the warehouse open on ``con`` (None: no warehouse yet)."""
    if kind not in KINDS or len(rows) == 0:
        return [], []
    mem = duckdb.connect()
    try:
        mem.register("indkommende", rows)
        if kind == "aktivitet":
            known = _frame(
                con,
                "SELECT DISTINCT aktivitetsindikator AS indikator FROM core.indsatser "
                "WHERE aktivitetsindikator IS NOT NULL",
                {"indikator": "object"},
            )
            if known.empty:  # no catalogue yet: nothing to compare with
                return [], []
            mem.register("kendte_indikatorer", known)
            return [], _row_warnings(file, mem.execute(_sql("indikatorer")).fetchall())
        mem.register("kontoplan", _kontoplan(con))
        mem.register(
            "gaeldende",
            _frame(
                con,
                "SELECT funktion, aar, maaned, "
                "CAST(sum(beloeb) * 100 AS BIGINT) AS oere FROM core.forbrug GROUP BY ALL",
                {"funktion": "object", "aar": "int64", "maaned": "int64", "oere": "int64"},
            ),
        )
        mem.execute(_sql("koblet"))
        lines, warnings = _period_lines(file, mem.execute(_sql("perioder")).fetchall(), threshold())
        return lines, warnings + _row_warnings(file, mem.execute(_sql("raekker")).fetchall())
    finally:
        mem.close()


def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")
