"""The plausibility lines of each accepted delivery, kept in ``raw.advarsler`` for the
receipt, the run summary and the report's "Opmærksomhed".

They are worked out by their own step after intake (``asset``), against the warehouse as
it was before the run and the files of the run delivered before each one. A rebuild reads
the archive with no earlier state to compare with, so it keeps no lines: they describe
deliveries as they arrived.
"""

from __future__ import annotations

import logging

import duckdb

LOG = logging.getLogger("forebyg")

DDL = """
CREATE TABLE IF NOT EXISTS raw.advarsler (
    leverance_nr INTEGER NOT NULL,
    nr           INTEGER NOT NULL,   -- the line's place in the receipt
    linje        VARCHAR NOT NULL    -- 'Erstatter …', 'Uændret: …' or 'Advarsel: …'
);
"""


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def record(con: duckdb.DuckDBPyConnection, nr: int, name: str, kind: str | None) -> None:
    """Assess delivery ``nr`` (loaded) against the core tables in force.

    A fault here costs the file its warnings, never its place in the warehouse."""
    from assets.plausibility.assess import KINDS, assess  # pandas: not for the run summary

    if kind not in KINDS:
        return
    try:
        rows = con.sql(  # Arrow, not pandas: a million rows in a fifth of the time
            f"SELECT * EXCLUDE (leverance_nr) FROM raw.{kind} WHERE leverance_nr = $nr",
            params={"nr": nr},
        ).to_arrow_table()
        lines, warnings = assess(con, name, kind, rows, nr)
    except Exception:
        LOG.exception("Plausibilitetstjek af %s fejlede", name)
        return
    for i, line in enumerate(lines + warnings, start=1):
        con.execute("INSERT INTO raw.advarsler VALUES (?, ?, ?)", [nr, i, line])


def new_deliveries(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[int, str, str]]:
    """(delivery, file, kind) of every file run ``run_id`` accepted from the inbox, in
    delivery order; none for a rebuild."""
    return con.execute(
        "SELECT l.leverance_nr, l.filnavn, l.art FROM raw.leverancer l "
        "JOIN raw.koersler k USING (koersel) "
        "WHERE l.koersel = ? AND k.kilde = 'indbakke' AND l.status = 'accepteret' "
        "ORDER BY l.leverance_nr",
        [run_id],
    ).fetchall()


def delivery_lines(con: duckdb.DuckDBPyConnection, nr: int) -> list[str]:
    return [
        line
        for (line,) in con.execute(
            "SELECT linje FROM raw.advarsler WHERE leverance_nr = ? ORDER BY nr", [nr]
        ).fetchall()
    ]


def run_lines(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, str]]:
    """(file, line) for every delivery of one run, in delivery order."""
    try:
        return con.execute(
            "SELECT l.filnavn, a.linje FROM raw.advarsler a JOIN raw.leverancer l "
            "USING (leverance_nr) WHERE l.koersel = ? ORDER BY a.leverance_nr, a.nr",
            [run_id],
        ).fetchall()
    except duckdb.CatalogException:  # a warehouse from before the table
        return []
