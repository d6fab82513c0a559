"""The raw layer of the warehouse: every accepted row of every delivered file, kept.

``raw`` is append-only history. The replacement rule is applied in ``core`` by SQL, so
any earlier state can be rebuilt and every replacement stays visible.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from schemas.extracts import MODELS
from schemas.kinds import tables

LEVERANCER_DDL = """
CREATE TABLE IF NOT EXISTS raw.leverancer (
    leverance_nr INTEGER PRIMARY KEY,
    filnavn      VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    art          VARCHAR,            -- extract kind, NULL when not recognised
    modtaget     TIMESTAMP NOT NULL,
    status       VARCHAR NOT NULL,   -- accepteret | afvist | dublet
    raekker      INTEGER NOT NULL,
    begrundelse  VARCHAR,            -- Danish reasons, one per line
    koersel      VARCHAR             -- the Dagster run that received the file
);
CREATE TABLE IF NOT EXISTS raw.koersler (
    koersel      VARCHAR PRIMARY KEY,
    kilde        VARCHAR NOT NULL,   -- indbakke | arkiv (rebuild)
    startet      TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS raw.kontrolsummer (
    leverance_nr INTEGER NOT NULL,
    tabel        VARCHAR NOT NULL,
    raekker      INTEGER NOT NULL,
    beloeb       DECIMAL(18, 2)      -- the file's total, summed in øre while reading
);
"""


def _money(table: str) -> set[str]:
    """The table's money columns: fields of a money type (beloeb, pris)."""
    spec = next(t for t in tables() if t.name == table)
    return {f.name for f in spec.fields.values() if f.kind.money}


def _sql_type(name: str, dtype: str, money: set[str]) -> str:
    if name in money:
        return "DECIMAL(18, 2)"
    if dtype in ("Int64", "int64"):
        return "INTEGER"
    if dtype.startswith("float"):
        return "DOUBLE"
    return "VARCHAR"


def create_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in ("raw", "core", "mart"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute(LEVERANCER_DDL)
    existing = set(
        con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'raw'"
        ).fetchall()
    )
    for table, model in MODELS.items():
        money = _money(table)
        cols = ",\n    ".join(
            f"{name} {_sql_type(name, str(col.dtype), money)}"
            for name, col in model.to_schema().columns.items()
        )
        con.execute(
            f"CREATE TABLE IF NOT EXISTS raw.{table} (\n    leverance_nr INTEGER NOT NULL,\n"
            f"    {cols}\n)"
        )
        for name, col in model.to_schema().columns.items():
            if (table, name) not in existing and any(t == table for t, _ in existing):
                # a warehouse made before the column was added to the model
                sql_type = _sql_type(name, str(col.dtype), money)
                con.execute(f"ALTER TABLE raw.{table} ADD COLUMN {name} {sql_type}")


def next_delivery_number(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(leverance_nr), 0) + 1 FROM raw.leverancer").fetchone()[
        0
    ]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, nr: int) -> None:
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO raw.{table} BY NAME SELECT {nr} AS leverance_nr, * FROM incoming")
    finally:
        con.unregister("incoming")


def control_sum_oere(frame: pd.DataFrame, amount: str | None) -> int | None:
    """The table's amounts (its field of type beloeb) summed exactly, as whole øre; None
    if it has none."""
    if amount is None:
        return None
    return int((frame[amount].fillna(0) * 100).round().astype("int64").sum())
