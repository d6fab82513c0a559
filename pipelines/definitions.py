"""Dagster definitions: the asset graph by stage, its checks, the job, schedule and sensor."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.core.kinds import generated
from assets.intake.assets import indbakke, indbakke_afstemning, indbakke_skema
from assets.marts.checks import mart_checks
from assets.publishing import publicering
from assets.reports.assets import rapporter
from assets.sql_assets import sql_assets, sql_folders
from pipelines.jobs import forebyg_job, inbox_sensor, nightly
from pipelines.progress import fremdrift
from runtime.resources import Home, warehouse_resource

ASSETS_DIR = Path(__file__).resolve().parents[1] / "assets"


def build_definitions(home: Home | None = None) -> dg.Definitions:
    home = home or Home.resolve()
    return dg.Definitions(
        assets=[
            indbakke,
            *sql_assets(sql_folders(ASSETS_DIR), generated()),
            publicering,
            rapporter,
        ],
        asset_checks=[indbakke_skema, indbakke_afstemning, *mart_checks()],
        jobs=[forebyg_job],
        schedules=[nightly],
        sensors=[inbox_sensor(home)],
        resources={"warehouse": warehouse_resource(home)},
        executor=dg.in_process_executor,
        loggers={"console": dg.colored_console_logger, "fremdrift": fremdrift},
    )


defs = build_definitions()
