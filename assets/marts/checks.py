"""Blocking checks on every mart table: its pandera model must hold before publishing."""

import dagster as dg
import pandera.pandas as pa

from pipelines.resources import Warehouse
from schemas.frames import as_model_types
from schemas.marts import MART_MODELS


def failure_lines(err: pa.errors.SchemaErrors, limit: int = 20) -> list[str]:
    cases = err.failure_cases.head(limit)
    return [
        f"række {c.index}, kolonne '{c.column}': værdien '{c.failure_case}' ({c.check})"
        for c in cases.itertuples(index=False)
    ]


def mart_check(table: str) -> dg.AssetChecksDefinition:
    model = MART_MODELS[table]

    @dg.asset_check(
        asset=dg.AssetKey(["mart", table]),
        name="skema",
        blocking=True,
        description=f"mart.{table} overholder sit pandera-skema (kolonner og tilladte værdier).",
    )
    def _check(warehouse: Warehouse) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            frame = con.execute(f"SELECT * FROM mart.{table}").df()
        try:
            model.validate(as_model_types(frame, model), lazy=True)
        except pa.errors.SchemaErrors as err:
            lines = failure_lines(err)
            return dg.AssetCheckResult(
                passed=False,
                description=f"mart.{table}: {lines[0]}",
                metadata={"fejl": len(err.failure_cases), "eksempler": "\n".join(lines)},
            )
        return dg.AssetCheckResult(passed=True, metadata={"rækker": len(frame)})

    return _check


def mart_checks() -> list[dg.AssetChecksDefinition]:
    return [mart_check(t) for t in MART_MODELS]
