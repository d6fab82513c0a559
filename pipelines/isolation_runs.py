"""The search of pipelines/isolation.py for runs the daemon launches.

The inbox sensor and the nightly schedule launch plain runs of the job ``forebyg``. When
one of them fails after intake on new files (no ``Stop``), the sensor ``isolering``
launches the job ``forebyg_isolering``: its one step runs the same search as
``forebyg run``, each trial a run of ``forebyg`` in its own process, recorded in the same
Dagster instance (tagged ``forebyg/isolering``). If the warehouse as it was fails, that
step fails with the Danish message, and ``alarm_ved_fejl`` alerts.
"""

from collections.abc import Callable

import dagster as dg

from pipelines import isolation
from pipelines.jobs import INBOX_ONLY_CONFIG, KOMMUNE_TAG, SENSOR_SECONDS, forebyg_job
from runtime.kommuner import PARTITION_TAG
from runtime.resources import Home, Stop

STEP = "find_filerne"


class SearchConfig(dg.Config):
    fejl: str  # what failed in the run that set the search off, in Danish


def isolation_job(
    home_of: Callable[[dg.DagsterRun], Home | None],
    trial: Callable[..., dg.ExecuteInProcessResult],
    partitions: dg.PartitionsDefinition | None = None,
) -> dg.JobDefinition:
    """The job; ``trial(home, run_config, instance, tags)`` runs the job ``forebyg`` of
    ``home`` in this process (given by pipelines/graph.py, which builds it). With a
    municipality list it is partitioned like the assets, so its run names its home by its
    partition, as every run does."""

    @dg.op(
        name=STEP,
        description=(
            "Finder de nye filer, der fik et trin efter indlæsningen til at fejle: kører "
            "jobbet forebyg igen med dele af filerne, afviser de skyldige med trinnets "
            "besked og publicerer resten."
        ),
    )
    def find(context: dg.OpExecutionContext, config: SearchConfig) -> None:
        home = home_of(context.run)
        if home is None:
            raise Stop("Kørslen nævner ingen kommune på kommunelisten; intet datahjem er rørt.")
        tags = {k: v for k, v in context.run.tags.items() if k == KOMMUNE_TAG}

        def run(run_config, _tags):  # this run alerts for all of them
            tagged = {**tags, isolation.TAG: isolation.TRIAL}
            return trial(home, run_config, context.instance, tagged)

        runs = isolation.resume(home, INBOX_ONLY_CONFIG, config.fejl, run, [])
        if runs.verdict is None:  # a trial stopped on a fault of the machine
            raise Stop(isolation.stop_text(runs.last))
        if runs.verdict.stop:
            raise Stop(runs.verdict.stop)
        context.log.info(isolation.story(runs, first=0))

    @dg.job(
        name=isolation.JOB,
        description="Finder og afviser de filer, der fik en kørsel til at fejle efter "
        "indlæsningen, og publicerer resten.",
        tags={"forebyg/koersel": "isolering"},
        partitions_def=partitions,
    )
    def _job():
        find()

    return _job


def isolation_sensor(
    home_of: Callable[[dg.DagsterRun], Home | None], job: dg.JobDefinition
) -> dg.SensorDefinition:
    @dg.run_failure_sensor(
        name="isolering",
        monitored_jobs=[forebyg_job],
        request_job=job,
        minimum_interval_seconds=SENSOR_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Når en kørsel fra indbakkesensoren eller nattens skema fejler efter "
            "indlæsningen, startes jobbet forebyg_isolering, der finder og afviser de "
            "skyldige filer og publicerer resten."
        ),
    )
    def isolering(context: dg.RunFailureSensorContext):
        run = context.dagster_run
        failures = context.get_step_failure_events()
        home = home_of(run)
        if home is None or not isolation.handles(run, failures, home):
            return dg.SkipReason("Ikke en kørsel med nye filer, der fejlede efter indlæsningen.")
        events = [e.dagster_event for e in context.instance.all_logs(run.run_id)]
        return dg.RunRequest(
            run_key=f"isolering-{run.run_id}",
            run_config={"ops": {STEP: {"config": {"fejl": isolation.failure_text(
                [e for e in events if e is not None])}}}},
            tags={k: v for k, v in run.tags.items() if k == KOMMUNE_TAG},
            partition_key=run.tags.get(PARTITION_TAG) if job.partitions_def else None,
        )  # fmt: skip

    return isolering
