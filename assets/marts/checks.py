"""Blocking checks on every mart table: its contract (types, columns, pandera schema) must
hold before publishing; the rules across tables (spending reconciles to the øre, a krone
is attributed once, …) are SQL files in ``checks/`` (``sql_checks.py``).

The schema's rules are first counted in DuckDB, in one scan of the table
(``schemas/rules_sql.py``); only a table that breaks one, or whose schema has a rule SQL
cannot say, is read into pandas and validated by pandera, whose failure cases name the
rows. The SQL is never laxer than pandera, so a table it passes pandera passes too
(tests/test_mart_rules_sql.py); it saves pandera's fixed cost per column on every run."""

import datetime as dt

import dagster as dg
import pandera.pandas as pa

from assets.freshness import STALE_AFTER_DAYS, spending_age
from assets.marts.sql_checks import sql_checks
from runtime.resources import Warehouse
from schemas.frames import as_model_types
from schemas.marts import contracts, type_problems
from schemas.rules_sql import repeated, repeated_sql, rules


def failure_lines(err: pa.errors.SchemaErrors, limit: int = 20) -> list[str]:
    cases = err.failure_cases.head(limit)
    return [
        f"række {c.index}, kolonne '{c.column}': værdien '{c.failure_case}' ({c.check})"
        for c in cases.itertuples(index=False)
    ]


def rows_if_kept(con, table: str, in_sql: list | None, keys: list | None) -> int | None:
    """The number of rows of ``mart.<table>`` when SQL shows every rule kept, else None
    (a rule broken, or rules SQL cannot say: pandera decides)."""
    if in_sql is None or keys is None:
        return None
    broken = [f"count(*) FILTER (WHERE NOT ({r.holds}))" for r in in_sql]
    rows, *counts = con.execute(
        f"SELECT {', '.join(['count(*)', *broken])} FROM mart.{table}"
    ).fetchone()
    counts += [con.execute(repeated_sql(f"mart.{table}", key)).fetchone()[0] for key in keys]
    return None if any(counts) else rows


def mart_check(table: str) -> dg.AssetChecksDefinition:
    contract = contracts()[table]
    schema = contract.schema()
    in_sql, keys = rules(schema, unique=True), repeated(schema)

    @dg.asset_check(
        asset=dg.AssetKey(["mart", table]),
        name="skema",
        blocking=True,
        description=(
            f"mart.{table} overholder sin kontrakt ({contract.path.name}): kolonner, typer "
            "og tilladte værdier."
        ),
    )
    def _check(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            types = dict(
                con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() "
                    "WHERE schema_name = 'mart' AND table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
            )
            lines = type_problems(contract, types)
            rows = None if lines else rows_if_kept(con, table, in_sql, keys)
            pandera_decides = not lines and rows is None
            frame = con.execute(f"SELECT * FROM mart.{table}").df() if pandera_decides else None
        failures = len(lines)
        if frame is not None:
            rows = len(frame)
            try:
                schema.validate(as_model_types(frame, schema), lazy=True)
            except pa.errors.SchemaErrors as err:
                lines, failures = failure_lines(err), len(err.failure_cases)
        if lines:
            return dg.AssetCheckResult(
                passed=False,
                description=f"mart.{table}: {lines[0]}",
                metadata={"fejl": failures, "eksempler": "\n".join(lines)},
            )
        return dg.AssetCheckResult(passed=True, metadata={"rækker": rows})

    return _check


def mart_checks() -> list[dg.AssetChecksDefinition]:
    return [
        *(mart_check(t) for t in contracts()),
        *sql_checks(),
        forbrug_aktualitet,
    ]


@dg.asset_check(
    asset=dg.AssetKey(["core", "forbrug"]),
    name="aktualitet",
    description=(
        f"Forbrugsdata må højst være {STALE_AFTER_DAYS} dage gamle (regnet fra sidste dag i "
        "seneste måned med data). Advarer, men stopper ikke kørslen."
    ),
)
def forbrug_aktualitet(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        end, age = spending_age(con, dt.date.today())
    text = (
        "Ingen forbrugsdata i lageret."
        if end is None
        else f"Forbrugsdata til og med {end:%d-%m-%Y}: {age} dage gamle."
    )
    return dg.AssetCheckResult(
        passed=end is not None and age <= STALE_AFTER_DAYS,
        severity=dg.AssetCheckSeverity.WARN,
        description=text,
        metadata={"dage": age if end else -1},
    )
