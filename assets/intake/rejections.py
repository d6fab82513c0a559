"""A run that rejected files says so in the Dagster UI: a warning check on the intake and a
run tag, where the run would otherwise show a plain "Success"."""

import dagster as dg

from runtime.resources import Warehouse

REJECTED_TAG = "forebyg/afviste_filer"  # how many files the run rejected


@dg.asset_check(
    asset="indbakke",
    name="afviste",
    blocking=False,
    description=(
        "Advarer, når kørslen afviste filer: de andre filer er indlæst, men de afviste skal "
        "rettes og afleveres igen (begrundelsen står i afvist/<fil>.fejl.txt og i "
        "kvitteringen). Kørslen får samme tal som mærket forebyg/afviste_filer."
    ),
)
def indbakke_afviste(
    context: dg.AssetCheckExecutionContext, warehouse: dg.ResourceParam[Warehouse]
) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        names = [
            name
            for (name,) in con.execute(
                "SELECT filnavn FROM raw.leverancer WHERE koersel = ? AND status = 'afvist' "
                "ORDER BY leverance_nr",
                [context.run.run_id],
            ).fetchall()
        ]
    if names:
        context.instance.add_run_tags(context.run.run_id, {REJECTED_TAG: str(len(names))})
    files = "fil" if len(names) == 1 else "filer"
    return dg.AssetCheckResult(
        passed=not names,
        severity=dg.AssetCheckSeverity.WARN,
        description=(
            f"{len(names)} {files} afvist: {', '.join(names)}." if names else "Ingen filer afvist."
        ),
        metadata={"afviste": len(names), "filer": "\n".join(names)},
    )
