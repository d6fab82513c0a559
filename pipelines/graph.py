"""The Dagster definitions, built: the asset graph by stage, its checks, the job, schedule
and sensor. The commands build the definitions of their own home here; Dagster's tools load
``pipelines/definitions.py``, which builds them once at import.

With a municipality list (FOREBYG_KOMMUNER, runtime/kommuner.py) every asset is
partitioned by municipality code and the warehouse follows the run's partition key;
without one, the definitions serve the single data home of FOREBYG_HOME."""

from __future__ import annotations

import dagster as dg

from assets.core.kinds import generated
from assets.core.synthetic import syntetisk_kontrol
from assets.followups.asset import opfoelgningsarkiv
from assets.followups.store import TABLES as FOLLOW_UP_TABLES
from assets.intake.assets import indbakke, indbakke_afstemning, indbakke_skema
from assets.intake.rejections import indbakke_afviste
from assets.marts.checks import mart_checks
from assets.plausibility.asset import plausibilitet
from assets.publishing import publicering
from assets.reports.assets import rapporter
from assets.sql_assets import sql_assets, sql_folders
from pipelines.alerts import Place, alert_sensors
from pipelines.isolation_runs import isolation_job, isolation_sensor
from pipelines.jobs import forebyg_job, inbox_sensor, nightly, nightly_per_kommune
from pipelines.progress import fremdrift
from runtime import kommuner as kommuneliste
from runtime import settings
from runtime.kommuner import Kommune, partitioned_warehouse
from runtime.resources import Home, warehouse_resource

ASSETS_DIR = settings.ASSETS  # a test points it at a changed copy of the SQL


def raw_step(table: str) -> dg.AssetKey:
    """The step after which a raw table is complete: the follow-ups' for theirs, else the
    plausibility step, the last of intake (it judges the new files against the core tables
    in force, so no core table is rebuilt before it)."""
    return opfoelgningsarkiv.key if table in FOLLOW_UP_TABLES else plausibilitet.key


# What each asset group is, for the Dagster UI (which has no description of its own for a
# group): on every asset's page as the metadata "gruppe", and on the code location's.
GROUPS = {
    "intake": "Indlæsning: nye filer i indbakke/ (ved genopbygning hele arkiv/) læses, "
    "genkendes, valideres og gemmes i raw-tabellerne; en fil, der ikke kan bruges, afvises "
    "alene, og de andre indlæses.",
    "makroer": "Makroer: små SQL-funktioner (assets/macros/*.sql), som core- og "
    "mart-tabellerne kalder, fx beløb i kroner og øre, kontoplanens opslag, prisfaktorer og "
    "status grøn/gul/rød. De oprettes i lageret før tabellerne og indeholder ingen data.",
    "core": "Kernetabeller: de gældende rækker pr. udtrækstype (en nyere fil erstatter en "
    "ældres måneder), koblet til kontoplanen og indsatskataloget.",
    "mart": "Styregruppens tabeller: besparelser, status pr. spor og indsats, "
    "budgetopfølgning og de øvrige tabeller, som rapporterne læser.",
    "report": "Publicering og rapporter: det nye lager tages i brug på én gang, "
    "kvitteringerne skrives, og styregruppens rapport og bilag (xlsx og html) bygges.",
}


def _described(spec: dg.AssetSpec) -> dg.AssetSpec:
    return spec.merge_attributes(metadata={"gruppe": GROUPS[spec.group_name]})


def _trial(home: Home, run_config: dict, instance: dg.DagsterInstance, tags: dict):
    """One trial of the daemon's search: the job of ``home``, in this process."""
    job = build_definitions(home).resolve_job_def(forebyg_job.name)
    return job.execute_in_process(
        run_config=run_config, instance=instance, tags=tags, raise_on_error=False
    )


def build_definitions(
    home: Home | None = None, kommuner: dict[str, Kommune] | None = None
) -> dg.Definitions:
    """The definitions of ``home`` (the commands pass theirs), else of the configured
    municipality list, else of the home of FOREBYG_HOME."""
    if home is None and kommuner is None:
        kommuner = kommuneliste.load()
    assets = dg.map_asset_specs(
        _described,
        [
            indbakke,
            opfoelgningsarkiv,
            plausibilitet,
            *sql_assets(sql_folders(ASSETS_DIR), raw_step, generated()),
            syntetisk_kontrol,
            publicering,
            rapporter,
        ],
    )
    if home is None and kommuner is not None:
        partitions = dg.StaticPartitionsDefinition(list(kommuner))
        assets = dg.map_asset_specs(
            lambda spec: spec.replace_attributes(partitions_def=partitions), assets
        )
        schedule, sensor = nightly_per_kommune(kommuner), inbox_sensor(kommuner)
        warehouse = partitioned_warehouse(kommuner)
        homes: Home | dict[str, Kommune] = kommuner
    else:
        home = home or Home.resolve()
        schedule, sensor, warehouse = nightly, inbox_sensor(home), warehouse_resource(home)
        partitions, homes = None, home

    def home_of(run: dg.DagsterRun) -> Home | None:
        """A run's home by its partition, never by a tag (None: the list refuses it)."""
        return Place.of(run, homes).home

    search = isolation_job(home_of, _trial, partitions)
    return dg.Definitions(
        assets=assets,
        asset_checks=[indbakke_skema, indbakke_afstemning, indbakke_afviste, *mart_checks()],
        jobs=[forebyg_job, search],
        schedules=[schedule],
        sensors=[sensor, *alert_sensors(homes), isolation_sensor(home_of, search)],
        resources={"warehouse": warehouse},
        executor=dg.in_process_executor,
        loggers={"console": dg.colored_console_logger, "fremdrift": fremdrift},
        metadata={f"gruppe {name}": text for name, text in GROUPS.items()},
    )
