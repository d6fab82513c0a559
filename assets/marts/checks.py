"""Blocking checks on every mart table: its contract (types, columns, pandera schema) must
hold before publishing; the rules across tables (spending reconciles to the øre, a krone
is attributed once, …) are SQL files in ``checks/`` (``sql_checks.py``)."""

import datetime as dt

import dagster as dg
import pandera.pandas as pa

from assets.freshness import STALE_AFTER_DAYS, spending_age
from assets.marts.sql_checks import sql_checks
from runtime.resources import Warehouse
from schemas.frames import as_model_types
from schemas.marts import contracts, type_problems


def failure_lines(err: pa.errors.SchemaErrors, limit: int = 20) -> list[str]:
    cases = err.failure_cases.head(limit)
    return [
        f"række {c.index}, kolonne '{c.column}': værdien '{c.failure_case}' ({c.check})"
        for c in cases.itertuples(index=False)
    ]


def mart_check(table: str) -> dg.AssetChecksDefinition:
    contract = contracts()[table]
    schema = contract.schema()

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
            frame = con.execute(f"SELECT * FROM mart.{table}").df()
            types = dict(
                con.execute(
                    "SELECT column_name, data_type FROM duckdb_columns() "
                    "WHERE schema_name = 'mart' AND table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
            )
        lines = type_problems(contract, types)
        failures = len(lines)
        if not lines:
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
        return dg.AssetCheckResult(passed=True, metadata={"rækker": len(frame)})

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
