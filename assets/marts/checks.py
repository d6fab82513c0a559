"""Blocking checks on every mart table: its pandera model must hold before publishing."""

import datetime as dt

import dagster as dg
import pandera.pandas as pa

from assets.reports.status import STALE_AFTER_DAYS, spending_age
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
    def _check(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
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
    return [*(mart_check(t) for t in MART_MODELS), forbrug_afstemning, forbrug_aktualitet]


SPENDING_RECONCILIATION = """
WITH raw_total AS (
    SELECT sum(r.beloeb) AS beloeb FROM raw.forbrug r
),
control AS (
    SELECT sum(k.beloeb) AS beloeb
    FROM raw.kontrolsummer k JOIN raw.leverancer l USING (leverance_nr)
    WHERE k.tabel = 'forbrug' AND l.status = 'accepteret'
),
mapped AS (
    SELECT r.*, (
        SELECT k.omraade FROM core.kontoplan k
        WHERE k.funktion = r.funktion AND (k.gruppering IS NULL OR k.gruppering = r.gruppering)
          AND r.aar BETWEEN coalesce(k.fra_aar, 0) AND coalesce(k.til_aar, 9999)
        ORDER BY k.gruppering NULLS LAST LIMIT 1
    ) AS omraade
    FROM raw.forbrug r
),
replaced AS (
    -- rows for which a later file delivered the same område and month
    SELECT coalesce(sum(r.beloeb), 0) AS beloeb
    FROM mapped r
    WHERE EXISTS (
        SELECT 1 FROM mapped n
        WHERE n.leverance_nr > r.leverance_nr AND n.aar = r.aar AND n.maaned = r.maaned
          AND n.omraade IS NOT DISTINCT FROM r.omraade
    )
),
current AS (SELECT coalesce(sum(beloeb), 0) AS beloeb FROM core.forbrug),
per_area AS (
    SELECT omraade, aar, sum(beloeb) AS beloeb
    FROM core.forbrug
    WHERE omraade IS NOT NULL AND (dranst IS NULL OR dranst IN (1, 2))
    GROUP BY ALL
)
SELECT 'filernes kontrolsummer og raw.forbrug', (SELECT beloeb FROM control),
       (SELECT beloeb FROM raw_total)
WHERE (SELECT beloeb FROM control) IS DISTINCT FROM (SELECT beloeb FROM raw_total)
UNION ALL
SELECT 'gældende + erstattede rækker og raw.forbrug',
       (SELECT beloeb FROM current) + (SELECT beloeb FROM replaced),
       coalesce((SELECT beloeb FROM raw_total), 0)
WHERE (SELECT beloeb FROM current) + (SELECT beloeb FROM replaced)
      <> coalesce((SELECT beloeb FROM raw_total), 0)
UNION ALL
SELECT 'budgetopfoelgning ' || p.omraade || ' ' || p.aar, u.forbrug_aar_til_dato, p.beloeb
FROM per_area p
LEFT JOIN mart.budgetopfoelgning u USING (omraade, aar)
WHERE u.forbrug_aar_til_dato IS DISTINCT FROM p.beloeb
UNION ALL
SELECT 'aarsoversigt ' || a.omraade || ' ' || a.aar, a.nettoforbrug_loebende_priser,
       u.forventet_regnskab
FROM mart.aarsoversigt a
LEFT JOIN mart.budgetopfoelgning u USING (omraade, aar)
WHERE a.nettoforbrug_loebende_priser IS DISTINCT FROM u.forventet_regnskab
"""


@dg.asset_check(
    asset=dg.AssetKey(["mart", "budgetopfoelgning"]),
    name="afstemning",
    blocking=True,
    additional_deps=[dg.AssetKey(["mart", "aarsoversigt"])],
    description=(
        "Forbruget i mart-tabellerne svarer til øren til de accepterede forbrugsudtræk: "
        "filernes egne totaler = raw = gældende + erstattede rækker, og hvert område og år "
        "i budgetopfølgningen og årsoversigten = summen af de gældende rækker."
    ),
)
def forbrug_afstemning(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        off = con.execute(SPENDING_RECONCILIATION).fetchall()
    lines = [f"{what}: {a} kr. mod {b} kr." for what, a, b in off]
    return dg.AssetCheckResult(
        passed=not off,
        description="Forbruget stemmer til øren." if not off else lines[0],
        metadata={"afvigelser": len(off), "detaljer": "\n".join(lines)},
    )


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
