"""The run queue and launcher of the production instance (deploy/dagster.yaml).

``ForebygRunCoordinator`` is Dagster's queue, which first tags every run it is given with
its home (``forebyg/kommune`` = the run's partition, or ``hjem`` for the one data home),
whatever tag the run came with: the queue's one-run-per-home limit then holds for runs
from the UI too, and no user tag can name another municipality.

``ForebygRunLauncher`` is Dagster's default launcher (a process per run, started by the
code server), plus a health check, so run monitoring sees a run worker that died and fails
its run within one poll instead of after the maximum runtime.

The default launcher cannot tell whether a run's process lives: a worker that gave up when
PostgreSQL went away, or that died with the daemon's process group, left its run STARTED
for hours, and no alert was sent. The worker's pid is in the run's first engine event
("Started process for run (pid: …)"); a run of the ``forebyg`` command carries it as a
tag (``PID_TAG``). Both are checked on the host that recorded them (``HOST_TAG``); a run
recorded on another host, or without a pid, counts as running and is left to the maximum
runtime (``run_monitoring`` in deploy/dagster.yaml).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import dagster as dg
from dagster._core.launcher import CheckRunHealthResult, DefaultRunLauncher, WorkerStatus

from pipelines.jobs import KOMMUNE_TAG, SINGLE_HOME
from runtime.kommuner import PARTITION_TAG

PID_TAG = "forebyg/pid"
HOST_TAG = "forebyg/vaert"
PROC = Path("/proc")


def host() -> str:
    return socket.gethostname()


def _boot_time() -> float:
    for line in (PROC / "stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise OSError("no btime in /proc/stat")


def alive(pid: int, since: float) -> bool:
    """Whether process ``pid`` runs and is the one that existed at ``since`` (a Unix time):
    a zombie is dead, and a process started after ``since`` reuses a dead worker's pid."""
    stat = PROC / str(pid) / "stat"
    if not PROC.is_dir():  # no /proc: existence is all that can be known
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    state, start_ticks = fields[0], int(fields[19])  # stat fields 3 and 22
    if state in ("Z", "X"):
        return False
    started = _boot_time() + start_ticks / os.sysconf("SC_CLK_TCK")
    return started <= since + 1  # the clock ticks round the start time


def worker(instance: dg.DagsterInstance, run: dg.DagsterRun) -> tuple[int, float] | None:
    """The pid of the run's process and a time it was known to live, or None."""
    if run.tags.get(PID_TAG):
        record = instance.get_run_record_by_id(run.run_id)
        since = record.create_timestamp.timestamp() if record else 0.0
        return int(run.tags[PID_TAG]), since
    for event in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = event.dagster_event.event_specific_data if event.dagster_event else None
        pid = data.metadata.get("pid") if data is not None and data.metadata else None
        if pid is not None:
            return int(pid.value), event.timestamp
    return None


class ForebygRunLauncher(DefaultRunLauncher):
    """``DefaultRunLauncher`` that records the launching host and checks its workers."""

    def launch_run(self, context) -> None:
        self._instance.add_run_tags(context.dagster_run.run_id, {HOST_TAG: host()})
        super().launch_run(context)

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: dg.DagsterRun) -> CheckRunHealthResult:
        found = worker(self._instance, run)
        if found is None or run.tags.get(HOST_TAG, host()) != host():
            return CheckRunHealthResult(WorkerStatus.RUNNING, "kan ikke ses herfra")
        pid, since = found
        if alive(pid, since):
            return CheckRunHealthResult(WorkerStatus.RUNNING)
        return CheckRunHealthResult(
            WorkerStatus.FAILED, f"kørslens proces (pid {pid}) findes ikke længere"
        )


def home_tag(run: dg.DagsterRun) -> str:
    """The queue's key of a run's home: its partition (a municipality code), else the one
    data home."""
    return run.tags.get(PARTITION_TAG) or SINGLE_HOME


class ForebygRunCoordinator(dg.QueuedRunCoordinator):
    """``QueuedRunCoordinator`` that sets ``forebyg/kommune`` from the run's partition."""

    def submit_run(self, context):
        run = context.dagster_run
        if run.tags.get(KOMMUNE_TAG) != home_tag(run):
            self._instance.add_run_tags(run.run_id, {KOMMUNE_TAG: home_tag(run)})
        return super().submit_run(context)
