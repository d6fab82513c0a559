"""The one job, the nightly schedule and the inbox sensor, for one data home or for every
municipality of the configured list (one partition each, docs/skalering.md)."""

import hashlib
import json
import os
import time
from collections.abc import Mapping

import dagster as dg

from assets.files.inbox import Changed, candidates, sha256
from pipelines import isolation
from runtime import settings
from runtime.kommuner import Kommune
from runtime.resources import Home

KOMMUNE_TAG = "forebyg/kommune"  # the queue's limit of one run at a time per municipality
SINGLE_HOME = "hjem"  # its value for the one data home without a municipality list
BATCH_TAG = "forebyg/indhold"  # the hash of a sensor run's files, to count failed attempts
# A batch whose run failed is tried again after 5, 15, 45 … minutes, at most every 4 hours
# (docs/drift.md, "Filer venter"); FOREBYG_GENFORSOEG_SEKUNDER sets the first wait.
RETRY_SECONDS = int(settings.GENFORSOEG_SEKUNDER.get())
RETRY_FACTOR, RETRY_CAP_SECONDS = 3, 4 * 3600
# How often the sensor looks at the inbox(es); a file is taken on its second look.
SENSOR_SECONDS = int(settings.SENSOR_SEKUNDER.get())

forebyg_job = dg.define_asset_job(
    "forebyg",
    selection=dg.AssetSelection.all(),
    description="Indlæs nye filer, byg lageret og rapporterne, og publicér det hele på én gang.",
    tags={"forebyg/koersel": "fuld"},  # a command's other runs say so (pipelines/recording.py)
)

REBUILD_CONFIG = {"ops": {"indbakke": {"config": {"kilde": "arkiv"}}}}
# The nightly run, the sensor and `forebyg run` do nothing when no new file is ready;
# a run launched by hand in the UI ("Materialize all") recomputes everything instead.
INBOX_ONLY_CONFIG = {"ops": {"indbakke": {"config": {"genberegn_uden_nye_filer": False}}}}

NIGHTLY = {
    "name": "natlig_koersel",
    "job": forebyg_job,
    "cron_schedule": "0 2 * * *",
    "execution_timezone": "Europe/Copenhagen",
    "default_status": dg.DefaultScheduleStatus.RUNNING,
}

nightly = dg.ScheduleDefinition(
    **NIGHTLY,
    run_config=INBOX_ONLY_CONFIG,
    tags={KOMMUNE_TAG: SINGLE_HOME},
    description="Hver nat kl. 02:00: fuld kørsel, også når ingen nye filer er kommet.",
)


def nightly_per_kommune(kommuner: Mapping[str, Kommune]) -> dg.ScheduleDefinition:
    """The nightly run, one run request (partition) per municipality."""

    @dg.schedule(
        **NIGHTLY,
        description="Hver nat kl. 02:00: én kørsel pr. kommune, også når ingen nye filer er "
        "kommet.",
    )
    def _schedule(_context: dg.ScheduleEvaluationContext):
        return [
            dg.RunRequest(
                run_key=kode,  # a schedule's run keys count within one tick
                partition_key=kode,
                run_config=INBOX_ONLY_CONFIG,
                tags={KOMMUNE_TAG: kode},
            )
            for kode in kommuner
        ]

    return _schedule


def inbox_sensor(home: Home | Mapping[str, Kommune]) -> dg.SensorDefinition:
    """The sensor only looks at the inbox(es); it never opens a warehouse or takes its
    lock. Given the municipality list, it watches every municipality's inbox."""

    @dg.sensor(
        name="indbakke_sensor",
        job=forebyg_job,
        minimum_interval_seconds=SENSOR_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Starter en kørsel, når en ny eller ændret fil i indbakke/ har været uændret i et "
            "helt tjek-interval; med en kommuneliste én kørsel pr. kommune med nye filer. "
            "Excel-låsefiler (~$) og skjulte filer ignoreres."
        ),
    )
    def _sensor(context: dg.SensorEvaluationContext):
        if isinstance(home, Home):
            return evaluate_inbox(context, home)
        return evaluate_inboxes(context, home)

    return _sensor


def _key(name: str) -> str:
    """The cursor keeps a hash of each name, never the name: Dagster stores cursors, and a
    file name may hold a CPR number."""
    return hashlib.sha256(os.fsencode(name)).hexdigest()[:32]


def _ready(seen: dict, home: Home) -> tuple[dict, list]:
    """A file is ready when size and mtime are unchanged since the previous tick (``seen``,
    this inbox's part of the cursor). Returns the inbox's new cursor and the ready files."""
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
    return now, ready


UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def _unfinished(context: dg.SensorEvaluationContext) -> list[dg.DagsterRun]:
    """The job's runs that have not ended. While one of them moves its files out of the
    inbox, the files left would look like a new batch, with a new run key."""
    try:
        instance = context.instance
    except dg.DagsterInvariantViolationError:  # evaluated without an instance
        return []
    return [  # a search (pipelines/isolation_runs.py) runs the job between its trials
        run
        for job in (forebyg_job.name, isolation.JOB)
        for run in instance.get_runs(filters=dg.RunsFilter(job_name=job, statuses=UNFINISHED))
    ]


def _batch(ready: list) -> str:
    """A hash of the ready files' contents: the run key, so the same files never run twice."""
    return hashlib.sha256(json.dumps(sorted(ready)).encode()).hexdigest()[:16]


def retry_after(failures: int) -> int:
    """Seconds to wait after a batch's ``failures``-th failed run before the next attempt."""
    return min(RETRY_SECONDS * RETRY_FACTOR ** (failures - 1), RETRY_CAP_SECONDS)


def _attempt(context: dg.SensorEvaluationContext, kode: str, batch: str, now: float):
    """The run key of this batch's next attempt, or None while its wait after a failed run
    lasts. Dagster runs a run key once, ever: a batch whose run failed gets a new key per
    attempt ("…-forsoeg2"), so the same files are tried again without a new file."""
    try:
        instance = context.instance
    except dg.DagsterInvariantViolationError:  # evaluated without an instance
        instance = None
    failed = (
        instance.get_run_records(
            filters=dg.RunsFilter(
                job_name=forebyg_job.name,
                statuses=[dg.DagsterRunStatus.FAILURE],
                tags={BATCH_TAG: batch, KOMMUNE_TAG: kode},
            )
        )
        if instance is not None
        else []
    )
    key = f"{kode}-indbakke-{batch}" if kode != SINGLE_HOME else f"indbakke-{batch}"
    if not failed:
        return key
    last = max(r.end_time or r.update_timestamp.timestamp() for r in failed)
    if now < last + retry_after(len(failed)):
        return None
    return f"{key}-forsoeg{len(failed) + 1}"


def _request(context, kode: str, ready: list, now: float, **partition) -> dg.RunRequest | None:
    batch = _batch(ready)
    key = _attempt(context, kode, batch, now)
    if key is None:
        return None
    return dg.RunRequest(
        run_key=key,
        run_config=INBOX_ONLY_CONFIG,
        tags={KOMMUNE_TAG: kode, BATCH_TAG: batch, "forebyg/filer": str(len(ready))},
        **partition,
    )


def evaluate_inbox(context: dg.SensorEvaluationContext, home: Home, now: float | None = None):
    """One data home: one run request when files are ready."""
    if _unfinished(context):  # the cursor stays: the inbox is looked at after the run
        return dg.SkipReason("En kørsel er i gang; indbakken ses igen, når den er slut.")
    seen = json.loads(context.cursor) if context.cursor else {}
    now_seen, ready = _ready(seen, home)
    context.update_cursor(json.dumps(now_seen))
    if not ready:
        return dg.SkipReason("Ingen færdigskrevne filer i indbakke/.")
    request = _request(context, SINGLE_HOME, ready, time.time() if now is None else now)
    return request or dg.SkipReason(WAITING)


WAITING = "Filerne i indbakken fejlede i sidste kørsel; de prøves igen, når ventetiden er gået."


def evaluate_inboxes(
    context: dg.SensorEvaluationContext,
    kommuner: Mapping[str, Kommune],
    now: float | None = None,
):
    """The municipality list: one run request per municipality with ready files, its
    partition and run key naming the municipality (the cursor is kept per code)."""
    now = time.time() if now is None else now
    seen = json.loads(context.cursor) if context.cursor else {}
    busy = {
        run.tags.get(KOMMUNE_TAG) or run.tags.get("dagster/partition")
        for run in _unfinished(context)
    }
    cursor, requests = {}, []
    for kode, kommune in kommuner.items():
        if kode in busy:  # looked at again after its run, as for one home
            cursor[kode] = seen.get(kode, {})
            continue
        cursor[kode], ready = _ready(seen.get(kode, {}), kommune.home)
        if ready and (request := _request(context, kode, ready, now, partition_key=kode)):
            requests.append(request)
    context.update_cursor(json.dumps(cursor))
    return requests or dg.SkipReason("Ingen færdigskrevne filer i kommunernes indbakker.")
