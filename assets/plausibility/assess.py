"""Plausibility of a delivery against the warehouse it would change (issue 14).

A delivered spending file replaces whole months per function, so a small file can move a
track's status. Before it counts, each such file gets its before/after totals per function
and month, and warnings (lines starting with ``Advarsel``) for a month that moves more
than the threshold against what it replaces or against the same month last year, rows on
a dranst other than 1–2, functions outside the kontoplan, for activity files,
indicators no initiative measures and, for holders' forecasts, two different figures for
the same område or functions and month. Warnings never reject a file and never change an exit
code. The set logic is in ``sql/``; this module feeds it and words the result.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from assets.danish import count, number
from assets.plausibility import UNCHANGED
from assets.sql_assets import standard_mapping
from runtime import settings

SQL = Path(__file__).resolve().parent / "sql"
DEFAULT_THRESHOLD = float(settings.ADVARSEL_PROCENT.default)
KINDS = ("forbrug", "aktivitet", "forventet")
ROW_REASON = {
    "dranst": "er hverken dranst 1 (drift) eller 2 (refusion); kontrollér, at rækken hører "
    "med i nettoforbruget.",
    "kontoplan": "findes ikke i kontoplanen; rækken gemmes, men tæller ikke med i noget område.",
    "indikator": "bruges ikke af nogen indsats i kataloget; tallet indgår ikke i opgørelserne.",
}


def threshold() -> float:
    """The threshold in per cent: ``FOREBYG_ADVARSEL_PROCENT``, else 25."""
    text = settings.ADVARSEL_PROCENT.get().strip().replace(",", ".")
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


def unchanged_line(n: int) -> str:
    return f"{UNCHANGED}{count(n, 'måned', 'måneder')} (pr. funktion) har samme beløb som før."


def _period_lines(file: str, periods: list[tuple], limit: float) -> tuple[list[str], list[str]]:
    """A line per function and month the file changes; the ones it replaces with the same
    sum are counted in one line, never listed (a re-delivery repeats most months)."""
    lines, warnings, same = [], [], 0
    for function, area, year, month, before, after, last_year in periods:
        period = f"funktion {function} ({area or 'uden for kontoplanen'}) {year}-{month:02d}"
        if before is not None and before == after:
            same += 1
        elif before is not None:
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
    return lines + ([unchanged_line(same)] if same else []), warnings


def _forecast_warnings(con, mem, file: str, nr: int | None) -> list[str]:
    """A forecast of the same område or functions and month as another, with a different
    figure: in the file itself, or in a file delivered before it (before delivery ``nr``,
    once it is loaded: a later file of the same run is not yet in force for it)."""
    names = {d[0] for d in mem.execute("SELECT * FROM indkommende LIMIT 0").description}
    ident = "" if "indsats_id" in names else ", CAST(NULL AS VARCHAR) AS indsats_id"
    mem.execute(f"CREATE TEMP VIEW raekker AS SELECT *{ident} FROM indkommende")
    mem.register(
        "funktioner",
        _frame(
            con,
            "SELECT indsats_id, string_agg(funktion, ', ' ORDER BY funktion) AS funktioner "
            "FROM core.indsats_funktioner GROUP BY indsats_id",
            {"indsats_id": "object", "funktioner": "object"},
        ),
    )
    earlier = (
        "SELECT l.filnavn, r.kilde_raekke, r.omraade, r.indsats_id, r.aar, r.maaned, "
        "CAST(r.beloeb AS DOUBLE) AS beloeb FROM raw.forventet r "
        "JOIN raw.leverancer l USING (leverance_nr) "
        + (f"WHERE r.leverance_nr < {int(nr)}" if nr is not None else "")
    )
    mem.register(
        "tidligere",
        _frame(
            con,
            earlier,
            {
                "filnavn": "object",
                "kilde_raekke": "int64",
                "omraade": "object",
                "indsats_id": "object",
                "aar": "int64",
                "maaned": "int64",
                "beloeb": "float64",
            },
        ),
    )
    out = []
    for (
        sheet,
        row,
        key,
        ident,
        year,
        month,
        oere,
        other,
        other_row,
        other_ident,
        other_oere,
    ) in mem.execute(_sql("forventet")).fetchall():
        whose = f" (indsats {ident})" if ident else ""
        where = f"række {other_row} i samme fil" if other is None else other
        theirs = f" (indsats {other_ident})" if other_ident else ""
        wins = "den sidste række gælder" if other is None else "den nyeste fil gælder"
        out.append(
            f"Advarsel: {file}, ark '{sheet}', række {row}: forventet regnskab for {key}"
            f"{whose} {year}-{month:02d} er {kroner(oere)}, men {where} har {kroner(other_oere)}"
            f"{theirs} for det samme og samme måned; et forventet regnskab lægges aldrig "
            f"sammen med et andet, {wins}."
        )
    return out


def assess(
    con: duckdb.DuckDBPyConnection | None, file: str, kind: str, rows, nr: int | None = None
):
    """The before/after lines and the warnings for one file's rows of ``kind`` (a pandas
    frame or an Arrow table), against the warehouse open on ``con`` (None: no warehouse yet);
    ``nr`` is the file's own delivery when it is already loaded."""
    if kind not in KINDS or len(rows) == 0:
        return [], []
    mem = duckdb.connect()
    try:
        mem.register("indkommende", rows)
        if kind == "forventet":
            return [], _forecast_warnings(con, mem, file, nr)
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
