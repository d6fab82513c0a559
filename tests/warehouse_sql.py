"""The job's SQL on an in-memory warehouse, without Dagster: every macro, core and mart
SQL file (and the core SQL generated from the kinds) run in dependency order on whatever
raw tables a test has filled, for fast tests of the mart SQL and its contracts."""

from __future__ import annotations

from graphlib import TopologicalSorter
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from assets.core import synthetic
from assets.core.kinds import generated
from assets.followups import store as followups
from assets.intake.loading.load import create_schemas
from assets.plausibility import store as plausibility
from assets.sql_assets import (
    _MACRO,
    KEY_PREFIX,
    SHIPPED_CSV,
    dependencies,
    sql_folders,
    standard_mapping,
)

ASSETS = Path(__file__).resolve().parents[1] / "assets"


# the graph's steps in Python: (schema, table) → (its function of the connection, its deps)
PYTHON_STEPS = {("core", "syntetisk_kontrol"): (synthetic.build, synthetic.DEPENDS)}


def sources(extra_marts: tuple[Path, ...] = ()) -> dict[tuple[str, str], str]:
    """(schema, table) → SQL (or a Python step's function), in an order that runs every
    file after what it reads."""
    folders = {g: [f] for g, f in sql_folders(ASSETS).items()}
    folders["mart"] += list(extra_marts)
    found = {
        (KEY_PREFIX.get(group, group), path.stem): path.read_text(encoding="utf-8")
        for group, paths in folders.items()
        for folder in paths
        for path in sorted(folder.glob("*.sql"))
    }
    found |= {("core", table): sql for table, sql in generated().items()}
    macros = {m: key for key, sql in found.items() for m in _MACRO.findall(sql)}
    intake = dg.AssetKey("indbakke")  # every raw table is the test's, filled beforehand
    graph = {
        key: {tuple(d.path) for d in dependencies(sql, key, macros, lambda _: intake)
              if d != intake}
        for key, sql in found.items()
    }  # fmt: skip
    graph |= {key: set(deps) for key, (_, deps) in PYTHON_STEPS.items()}
    steps = found | {key: step for key, (step, _) in PYTHON_STEPS.items()}
    return {key: steps[key] for key in TopologicalSorter(graph).static_order()}


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the raw tables, empty, and the shipped data."""
    con = duckdb.connect()
    create_schemas(con)
    followups.ensure_tables(con)  # the raw tables of the stores beside intake
    plausibility.ensure_table(con)
    con.register("standard_kontoplan", standard_mapping())
    for name, csv in SHIPPED_CSV.items():
        con.register(name, pd.read_csv(csv, dtype={"kommunenr": "int64"}))
    return con


def build(con: duckdb.DuckDBPyConnection, extra_marts: tuple[Path, ...] = ()) -> None:
    """Every table of the graph from the raw tables ``con`` holds."""
    for _, sql in sources(extra_marts).items():
        if callable(sql):
            sql(con)
        else:
            con.execute(sql)


def column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """mart.<table>'s columns → DuckDB types, in the table's order."""
    return dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() "
            "WHERE schema_name = 'mart' AND table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
    )


def from_files(*paths: Path) -> duckdb.DuckDBPyConnection:
    """A warehouse built from ``paths``, delivered in order (delivery 1, 2, …) and each
    read and loaded as intake does; every file must be accepted."""
    from assets.intake.loading.load import insert_rows
    from assets.intake.parsing.extract import parse_file

    con = empty_warehouse()
    for nr, path in enumerate(paths, start=1):
        extract = parse_file(path)
        assert extract.accepted, [str(p) for p in extract.problems]
        rows = 0
        for table, frame in extract.tables.items():
            insert_rows(con, table, frame, nr)
            rows += len(frame)
        con.execute(
            "INSERT INTO raw.leverancer (leverance_nr, filnavn, sha256, art, modtaget, status, "
            "raekker) VALUES (?, ?, ?, ?, TIMESTAMP '2025-01-01' + to_days(?), 'accepteret', ?)",
            [nr, path.name, f"{nr:064x}", extract.kind.kind, nr, rows],
        )
    build(con)
    return con
