"""Blocking checks on every mart table: its contract must hold before publishing, and
spending reconciles to the øre (the economic invariants are in ``invariants.py``)."""

import datetime as dt

import dagster as dg
import pandera.pandas as pa

from assets.freshness import STALE_AFTER_DAYS, spending_age
from assets.marts.benchmark_checks import BENCHMARK_CHECKS
from assets.marts.invariants import INVARIANT_CHECKS
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
        forbrug_afstemning,
        *INVARIANT_CHECKS,
        *BENCHMARK_CHECKS,
        forbrug_aktualitet,
    ]


SPENDING_RECONCILIATION = """
WITH raw_keys AS (
    -- the raw rows counted and summed per delivery, function, grouping, year and month: a
    -- few hundred groups, so the millions of rows are read once
    SELECT leverance_nr, funktion, gruppering, aar, maaned,
           count(*) AS raekker, sum(beloeb) AS beloeb
    FROM raw.forbrug
    GROUP BY ALL
),
raw_total AS (
    SELECT sum(beloeb) AS beloeb FROM raw_keys
),
control AS (
    SELECT sum(k.beloeb) AS beloeb
    FROM raw.kontrolsummer k JOIN raw.leverancer l USING (leverance_nr)
    WHERE k.tabel = 'forbrug' AND l.status = 'accepteret'
),
per_delivery AS (
    -- the replacement key: function and month
    SELECT funktion, aar, maaned, leverance_nr,
           CAST(sum(raekker) AS BIGINT) AS raekker, sum(beloeb) AS beloeb
    FROM raw_keys
    GROUP BY ALL
),
expected AS (
    -- per key, the rows of the latest delivery covering it are current; the rest replaced
    SELECT * FROM per_delivery
    QUALIFY leverance_nr = max(leverance_nr) OVER (PARTITION BY funktion, aar, maaned)
),
core_keys AS (
    -- core.forbrug read once, for both the replacement rule and the sums per area
    SELECT omraade, funktion, aar, maaned, leverance_nr, core.netto(dranst) AS netto,
           count(*) AS raekker, sum(beloeb) AS beloeb
    FROM core.forbrug
    GROUP BY ALL
),
actual AS (
    SELECT funktion, aar, maaned, leverance_nr,
           CAST(sum(raekker) AS BIGINT) AS raekker, sum(beloeb) AS beloeb
    FROM core_keys
    GROUP BY ALL
),
off_rows AS (
    SELECT funktion, aar, maaned, leverance_nr,
           coalesce(a.raekker, 0) AS gaeldende, coalesce(a.beloeb, 0) AS gaeldende_kr,
           coalesce(e.raekker, 0) AS skal, coalesce(e.beloeb, 0) AS skal_kr
    FROM expected e FULL JOIN actual a USING (funktion, aar, maaned, leverance_nr)
    WHERE e.raekker IS DISTINCT FROM a.raekker OR e.beloeb IS DISTINCT FROM a.beloeb
),
per_area AS (
    SELECT omraade, aar, sum(beloeb) AS beloeb
    FROM core_keys
    WHERE omraade IS NOT NULL AND netto
    GROUP BY ALL
)
SELECT 'filernes kontrolsummer og raw.forbrug', (SELECT beloeb FROM control),
       (SELECT beloeb FROM raw_total)
WHERE (SELECT beloeb FROM control) IS DISTINCT FROM (SELECT beloeb FROM raw_total)
UNION ALL
(SELECT 'forbrug funktion ' || funktion || ' ' || aar || '-' || maaned || ' fra leverance '
            || leverance_nr || ': ' || gaeldende || ' gældende rækker mod ' || skal
            || ' efter erstatningsreglen', gaeldende_kr, skal_kr
 FROM off_rows ORDER BY leverance_nr, aar, maaned, funktion LIMIT 20)
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
        "Bevarelse: forbruget i mart-tabellerne svarer til øren til de accepterede "
        "forbrugsudtræk. Filernes egne totaler = raw; hver række i raw er gældende, medmindre "
        "en nyere fil dækker samme funktion og måned, og så er den erstattet; hvert område "
        "og år i budgetopfølgningen og årsoversigten = summen af de gældende rækker."
    ),
)
def forbrug_afstemning(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
    with warehouse.connect() as con:
        off = con.execute(SPENDING_RECONCILIATION).fetchall()
    lines = [
        what if a is None and b is None else f"{what}: {a} kr. mod {b} kr." for what, a, b in off
    ]
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
