"""Closed follow-ups (opfølgninger): frozen copies of ``mart.besparelser``.

A follow-up is kept twice: in the warehouse (``raw.opfoelgninger`` and
``raw.besparelser_opfoelgning``) and as one Parquet file per follow-up in
``arkiv/opfoelgninger/``. The file is what counts: every run restores an archived
follow-up that the warehouse lacks and drops one whose file is gone, so ``forebyg
rebuild`` (which starts from an empty warehouse and reads ``arkiv/`` alone) keeps every
follow-up, and a close or reopen interrupted before publishing is completed by the next
run. A reopened follow-up's file is moved to ``arkiv/opfoelgninger/fortrudt/``, never
deleted.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

FOLDER = "opfoelgninger"  # inside arkiv/
UNDONE = "fortrudt"  # inside FOLDER: reopened follow-ups, kept but never restored
TABLES = ("opfoelgninger", "besparelser_opfoelgning")  # in raw, restored from FOLDER

DDL = """
CREATE TABLE IF NOT EXISTS raw.opfoelgninger (
    opfoelgning DATE PRIMARY KEY,
    lukket      TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS raw.besparelser_opfoelgning (
    opfoelgning            DATE NOT NULL,
    spor                   INTEGER,
    indsats_id             VARCHAR,
    indsats                VARCHAR,
    omraade                VARCHAR,
    metode                 VARCHAR,
    budgetaftale           VARCHAR,
    aar                    INTEGER,
    budgetteret_besparelse DECIMAL(18, 2),
    realiseret_besparelse  DECIMAL(18, 2),
    afvigelse              DECIMAL(19, 2),
    maalopfyldelse         DOUBLE,
    status                 VARCHAR,
    opgjort_som            VARCHAR,
    maalt_med              VARCHAR,
    prisniveau             VARCHAR,
    katalogets_prisniveau  VARCHAR,
    forventet_af           VARCHAR,
    demografireguleret     DECIMAL(18, 2),
    ikke_demografireguleret DECIMAL(18, 2),
    fordelt_efter          VARCHAR,
    status_for             VARCHAR
);
-- follow-ups closed before the columns existed
ALTER TABLE raw.besparelser_opfoelgning ADD COLUMN IF NOT EXISTS forventet_af VARCHAR;
ALTER TABLE raw.besparelser_opfoelgning ADD COLUMN IF NOT EXISTS demografireguleret DECIMAL(18, 2);
ALTER TABLE raw.besparelser_opfoelgning
    ADD COLUMN IF NOT EXISTS ikke_demografireguleret DECIMAL(18, 2);
ALTER TABLE raw.besparelser_opfoelgning ADD COLUMN IF NOT EXISTS fordelt_efter VARCHAR;
ALTER TABLE raw.besparelser_opfoelgning ADD COLUMN IF NOT EXISTS status_for VARCHAR;
"""


def folder(arkiv: Path) -> Path:
    return arkiv / FOLDER


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    con.execute(DDL)


def closed(con: duckdb.DuckDBPyConnection) -> list[tuple[dt.date, dt.datetime]]:
    return con.execute(
        "SELECT opfoelgning, lukket FROM raw.opfoelgninger ORDER BY opfoelgning"
    ).fetchall()


def restore(con: duckdb.DuckDBPyConnection, arkiv: Path) -> list[str]:
    """Load every archived follow-up the warehouse does not hold yet, and drop the ones
    whose file is no longer archived (reopened). A file that cannot be read (garbled,
    empty, a name that is no date) is that follow-up's problem: it is left out, and the
    Danish lines returned name it and what to do."""
    ensure_tables(con)
    have = {day for day, _ in closed(con)}
    files, damaged = {}, []
    for path in sorted(folder(arkiv).glob("*.parquet")):
        try:
            files[dt.date.fromisoformat(path.stem)] = path
        except ValueError:
            damaged.append(_damaged(path, "navnet er ikke en dato (ÅÅÅÅ-MM-DD)"))
    for day in have - files.keys():
        drop(con, day)
    for day, path in sorted(files.items()):
        if day in have:
            continue
        try:
            _load(con, day, path)
        except duckdb.Error:
            drop(con, day)  # nothing half-restored
            damaged.append(_damaged(path, "filen er beskadiget eller tom"))
    return damaged


def _load(con: duckdb.DuckDBPyConnection, day: dt.date, path: Path) -> None:
    con.execute(
        "INSERT INTO raw.opfoelgninger SELECT DISTINCT opfoelgning, lukket "
        "FROM read_parquet(?) WHERE opfoelgning = ?",
        [str(path), day],
    )
    con.execute(
        "INSERT INTO raw.besparelser_opfoelgning BY NAME "
        "SELECT * EXCLUDE (lukket) FROM read_parquet(?) WHERE opfoelgning = ?",
        [str(path), day],
    )
    if not con.execute("SELECT count(*) FROM raw.opfoelgninger WHERE opfoelgning = ?",
                       [day]).fetchone()[0]:  # fmt: skip
        raise duckdb.InvalidInputException("no rows of the follow-up")


def _damaged(path: Path, why: str) -> str:
    return (
        f"Opfølgningsfilen arkiv/{FOLDER}/{path.name} kan ikke læses ({why}); opfølgningen "
        "er udeladt af lageret og rapporterne. Hent filen fra backup, og kør 'forebyg "
        "rebuild'."
    )


def freeze(con: duckdb.DuckDBPyConnection, day: dt.date, at: dt.datetime) -> int:
    """Copy the current ``mart.besparelser`` as follow-up ``day``; its row count."""
    con.execute("INSERT INTO raw.opfoelgninger VALUES (?, ?)", [day, at])
    con.execute(
        "INSERT INTO raw.besparelser_opfoelgning BY NAME "
        "SELECT CAST(? AS DATE) AS opfoelgning, * FROM mart.besparelser",
        [day],
    )
    return con.execute(
        "SELECT count(*) FROM raw.besparelser_opfoelgning WHERE opfoelgning = ?", [day]
    ).fetchone()[0]


def drop(con: duckdb.DuckDBPyConnection, day: dt.date) -> None:
    con.execute("DELETE FROM raw.besparelser_opfoelgning WHERE opfoelgning = ?", [day])
    con.execute("DELETE FROM raw.opfoelgninger WHERE opfoelgning = ?", [day])


def spending_months(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    """The month ends of the first month of spending and of the last complete one (the
    latest month every område with spending has reached); None without spending."""
    try:
        first, last = con.execute(
            """
            WITH omraader AS (
                SELECT omraade, min(make_date(aar, maaned, 1)) AS foerste,
                       max(make_date(aar, maaned, 1)) AS seneste
                FROM core.forbrug WHERE omraade IS NOT NULL GROUP BY omraade
            )
            SELECT min(foerste), min(seneste) FROM omraader
            """
        ).fetchone()
    except duckdb.CatalogException:  # a warehouse from before the first run
        return None
    if first is None or last is None:
        return None
    return month_end(first), month_end(last)


def month_end(day: dt.date) -> dt.date:
    following = day.replace(day=28) + dt.timedelta(days=4)
    return following - dt.timedelta(days=following.day)


def export(con: duckdb.DuckDBPyConnection, day: dt.date, arkiv: Path) -> Path:
    """Write follow-up ``day`` to ``arkiv/opfoelgninger/<day>.parquet`` in one rename."""
    target = folder(arkiv) / f"{day.isoformat()}.parquet"
    target.parent.mkdir(mode=0o770, parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    con.execute(
        f"COPY (SELECT b.*, o.lukket FROM raw.besparelser_opfoelgning b "
        f"JOIN raw.opfoelgninger o USING (opfoelgning) WHERE opfoelgning = DATE '{day}') "
        "TO '" + str(tmp).replace("'", "''") + "' (FORMAT parquet)"
    )
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    tmp.replace(target)
    return target


def set_aside(arkiv: Path, day: dt.date, at: dt.datetime) -> Path:
    """Move follow-up ``day``'s file to ``fortrudt/<day>_<time>.parquet``: kept, never
    restored again."""
    source = folder(arkiv) / f"{day.isoformat()}.parquet"
    target = folder(arkiv) / UNDONE / f"{day.isoformat()}_{at:%Y-%m-%d_%H%M%S}.parquet"
    target.parent.mkdir(mode=0o770, parents=True, exist_ok=True)
    source.replace(target)
    return target
