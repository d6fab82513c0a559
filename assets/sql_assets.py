"""Assets made from SQL files: ``core/sql/forbrug.sql`` builds table ``core.forbrug``.

A file's leading ``--`` comment is the asset's description; its dependencies are the
``raw.``/``core.``/``mart.`` tables it names, so the graph cannot drift from the SQL.
The macros live in ``macros/*.sql``, one asset per file (``makro/prisfaktor``): DuckDB
binds a macro's tables when it is created, so a macro file runs after the tables it reads,
and before every table whose SQL calls one of its macros.
"""

import re
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pandas as pd

from runtime import settings

KONTOPLAN_CSV = settings.SCHEMAS / "kontoplan.csv"
# shipped data a SQL file may read by name: DST's municipalities, the default comparison group
SHIPPED_CSV = {
    "dst_kommuner": settings.SCHEMAS / "kommuner.csv",
    "standard_sammenligningsgruppe": settings.SCHEMAS / "sammenligningsgruppe.csv",
}
# raw table → the step after which it is complete (the graph's: pipelines/graph.py)
RawStep = Callable[[str], dg.AssetKey]
_REF = re.compile(r"\b(raw|core|mart)\.([a-z_]+)\b")
_MACRO = re.compile(r"CREATE OR REPLACE MACRO (core|mart)\.([a-z_]+)")


_TITLE = re.compile(r"^-- Navn: (.+)$", re.MULTILINE)


def description(sql: str) -> str:
    """The leading ``--`` comment, without its ``Navn:`` line."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if not _TITLE.match(line):
            lines.append(line[2:].strip())
    return " ".join(lines)


def title(sql: str) -> str | None:
    """The table's (or macro file's) short Danish name: its ``-- Navn:`` line."""
    found = _TITLE.search(sql)
    return found[1].strip() if found else None


def sql_folders(root: Path) -> dict[str, Path]:
    """group → the folder of its SQL files in the assets package at ``root``."""
    return {group: root / folder for group, folder in settings.SQL_FOLDERS.items()}


def titles(folders: dict[str, Path], generated: dict[str, str] | None = None) -> dict[str, str]:
    """table or macro file → its Danish name, for every SQL source of the graph."""
    sources = [p.read_text(encoding="utf-8") for f in folders.values() for p in f.glob("*.sql")]
    names = [p.stem for f in folders.values() for p in f.glob("*.sql")]
    out = dict(zip(names, map(title, sources), strict=True))
    out.update({table: title(sql) for table, sql in (generated or {}).items()})
    return {k: v for k, v in out.items() if v}


def dependencies(
    sql: str,
    own: tuple[str, str],
    macros: dict[tuple[str, str], tuple[str, str]],
    raw_step: RawStep,
) -> list[dg.AssetKey]:
    """raw.* tables come from the intake stage's steps (``raw_step``); core/mart tables are
    assets of their own, and a macro (core.prisfaktor) belongs to the asset whose SQL
    defines it."""
    keys = set()
    code = re.sub(r"--[^\n]*", "", sql)  # a table named in a comment is no dependency
    for ref in _REF.findall(code):
        schema, table = macros.get(ref, ref)
        if (schema, table) == own:
            continue
        keys.add(raw_step(table) if schema == "raw" else dg.AssetKey([schema, table]))
    # a file reading no table, or only shipped data, still runs after intake, which prepares
    # the run's warehouse (and skips the whole graph when nothing is new)
    if not keys or any(name in code for name in SHIPPED_CSV):
        keys.add(raw_step(""))
    return sorted(keys, key=lambda k: k.to_user_string())


def standard_mapping() -> pd.DataFrame:
    """The shipped function → område mapping (docs/domaene.md), as text columns."""
    return pd.read_csv(KONTOPLAN_CSV, dtype=str).astype({"fra_aar": "Int64", "til_aar": "Int64"})


# group → the first part of its assets' keys: a table's schema, or "makro" for macro files
KEY_PREFIX = {"makroer": "makro"}


def sql_asset(
    schema: str,
    table: str,
    sql: str,
    group: str,
    macros: dict[tuple[str, str], tuple[str, str]],
    raw_step: RawStep,
) -> dg.AssetsDefinition:

    @dg.asset(
        key=[schema, table],
        group_name=group,
        kinds={"duckdb", "sql"},
        description=description(sql),
        deps=dependencies(sql, (schema, table), macros, raw_step),
        metadata={"sql": dg.MetadataValue.md(f"```sql\n{sql}\n```")},
        required_resource_keys={"warehouse"},  # the run's working copy (runtime.resources)
    )
    def _asset(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        with context.resources.warehouse.connect() as con:
            if "standard_kontoplan" in sql:
                con.register("standard_kontoplan", standard_mapping())
            for name, csv in SHIPPED_CSV.items():
                if name in sql:
                    con.register(name, pd.read_csv(csv, dtype={"kommunenr": "int64"}))
            con.execute(sql)
            if schema == "makro":
                return dg.MaterializeResult(metadata={"makroer": ", ".join(macro_names(sql))})
            rows = con.execute(f"SELECT count(*) FROM {schema}.{table}").fetchone()[0]
            metadata = {"dagster/row_count": rows}
            if schema == "mart":
                preview = con.execute(f"SELECT * FROM mart.{table} LIMIT 10").df()
                metadata["forhåndsvisning"] = dg.MetadataValue.md(markdown_table(preview))
        return dg.MaterializeResult(metadata=metadata)

    return _asset


def macro_names(sql: str) -> list[str]:
    return [f"{schema}.{name}" for schema, name in _MACRO.findall(sql)]


def markdown_table(frame: pd.DataFrame) -> str:
    """The first rows of a mart table as a markdown table for the Dagster UI."""
    head = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = [
        "| "
        + " | ".join("" if pd.api.types.is_scalar(v) and pd.isna(v) else str(v) for v in row)
        + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *body])


def sql_assets(
    folders: dict[str, Path], raw_step: RawStep, generated: dict[str, str] | None = None
) -> list[dg.AssetsDefinition]:
    """One asset per SQL file in each group's folder (group → folder: "makroer", "core",
    "mart"), and one per generated core table (``generated``: table → SQL, from the kinds'
    metadata); each waits for the step ``raw_step`` names for every raw table it reads."""
    sources = [
        (KEY_PREFIX.get(group, group), path.stem, path.read_text(encoding="utf-8"), group)
        for group, folder in folders.items()
        for path in sorted(folder.glob("*.sql"))
    ]
    sources += [("core", table, sql, "core") for table, sql in (generated or {}).items()]
    macros = {
        macro: (schema, table) for schema, table, sql, _ in sources for macro in _MACRO.findall(sql)
    }
    return [
        sql_asset(schema, table, sql, group, macros, raw_step)
        for schema, table, sql, group in sources
    ]
