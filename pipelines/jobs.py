"""The one job, the nightly schedule and the inbox sensor."""

import hashlib
import json
import os

import dagster as dg

from assets.intake.inbox import Changed, candidates, sha256
from runtime.resources import Home

KOMMUNE_TAG = "forebyg/kommune"  # the queue's limit of one run at a time per municipality
# How often the sensor looks at the inbox(es); a file is taken on its second look.
SENSOR_SECONDS = int(os.environ.get("FOREBYG_SENSOR_SEKUNDER", "30"))

forebyg_job = dg.define_asset_job(
    "forebyg",
    selection=dg.AssetSelection.all(),
    description="Indlæs nye filer, byg lageret og rapporterne, og publicér det hele på én gang.",
    tags={"forebyg/koersel": "fuld"},
)

REBUILD_CONFIG = {"ops": {"indbakke": {"config": {"kilde": "arkiv"}}}}
# The nightly run, the sensor and `forebyg run` do nothing when no new file is ready;
# a run launched by hand in the UI ("Materialize all") recomputes everything instead.
INBOX_ONLY_CONFIG = {"ops": {"indbakke": {"config": {"genberegn_uden_nye_filer": False}}}}

nightly = dg.ScheduleDefinition(
    name="natlig_koersel",
    job=forebyg_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Europe/Copenhagen",
    run_config=INBOX_ONLY_CONFIG,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hver nat kl. 02:00: fuld kørsel, også når ingen nye filer er kommet.",
)


def inbox_sensor(home: Home) -> dg.SensorDefinition:
    """The sensor only looks at the inbox; it never opens the warehouse or takes its lock."""

    @dg.sensor(
        name="indbakke_sensor",
        job=forebyg_job,
        minimum_interval_seconds=SENSOR_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Starter en kørsel, når en ny eller ændret fil i indbakke/ har været uændret i et "
            "helt tjek-interval. Excel-låsefiler (~$) og skjulte filer ignoreres."
        ),
    )
    def _sensor(context: dg.SensorEvaluationContext):
        return evaluate_inbox(context, home)

    return _sensor


def _key(name: str) -> str:
    """The cursor keeps a hash of each name, never the name: Dagster stores cursors, and a
    file name may hold a CPR number."""
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:32]


def evaluate_inbox(context: dg.SensorEvaluationContext, home: Home):
    """A file is ready when size and mtime are unchanged since the previous tick; the run
    key is a hash of the ready files' contents, so the same files never run twice."""
    seen = json.loads(context.cursor) if context.cursor else {}
    now: dict[str, list] = {}
    ready = []
    for f in candidates(home.indbakke):
        key = _key(f.name)
        old = seen.get(key)
        if old and old[:2] == [f.size, f.mtime]:
            try:
                digest = old[2] if len(old) > 2 else sha256(f.path)
            except (OSError, Changed):  # gone, or no longer a regular file
                continue
            now[key] = [f.size, f.mtime, digest]
            ready.append((key, digest))
        else:
            now[key] = [f.size, f.mtime]
    context.update_cursor(json.dumps(now))
    if not ready:
        return dg.SkipReason("Ingen færdigskrevne filer i indbakke/.")
    batch = hashlib.sha256(json.dumps(sorted(ready)).encode()).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"indbakke-{batch}",
        run_config=INBOX_ONLY_CONFIG,
        tags={"forebyg/filer": str(len(ready))},
    )
