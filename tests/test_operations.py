"""Production an operator can leave alone: a dead run worker is seen, every run carries its
home's queue key, a failed batch is tried again with backoff, alerts name the cause and
the partition's municipality, and commands with a municipality list need --kommune."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import duckdb
import pytest
from dagster._core.errors import DagsterExecutionInterruptedError
from dagster._core.launcher import WorkerStatus
from dagster._core.run_coordinator import SubmitRunContext
from dagster._utils.error import serializable_error_info_from_exc_info

from pipelines.alerts import Place, alert_sensors, failure_message
from pipelines.jobs import (
    BATCH_TAG,
    KOMMUNE_TAG,
    SINGLE_HOME,
    WAITING,
    evaluate_inbox,
    retry_after,
)
from pipelines.launcher import HOST_TAG, PID_TAG, ForebygRunLauncher, alive, host
from runtime import kommuner as kommuneliste
from runtime.resources import Home
from tests import fixtures
from tests.alert_servers import servers
from tests.conftest import settle

LIST = """
[[kommune]]
kode = "860"
navn = "Hjørring"
hjem = "hjoerring"

[[kommune]]
kode = "813"
navn = "Frederikshavn"
hjem = "frederikshavn"
"""


@pytest.fixture
def listed(tmp_path, monkeypatch) -> dict:
    path = tmp_path / "kommuner.toml"
    path.write_text(LIST, encoding="utf-8")
    monkeypatch.setenv(kommuneliste.ENV, str(path))
    monkeypatch.setenv("FOREBYG_HOME", str(tmp_path / "instans"))
    return kommuneliste.load(path)


# --- a dead run worker -------------------------------------------------------------------


def _sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_a_live_worker_is_alive_and_a_dead_or_zombie_one_is_not():
    proc = _sleeper()
    try:
        assert alive(proc.pid, time.time())
        # a process that started after the time the worker was known: a reused pid
        assert not alive(proc.pid, time.time() - 3600)
        proc.kill()
        # killed but not reaped: a zombie, which os.kill(pid, 0) would still find
        for _ in range(100):
            state = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if state == "Z":
                break
            time.sleep(0.05)
        assert not alive(proc.pid, time.time())
    finally:
        proc.kill()
        proc.wait()
    assert not alive(proc.pid, time.time())  # reaped: gone


def _run(instance: dg.DagsterInstance, **tags) -> dg.DagsterRun:
    from dagster._core.remote_origin import (
        RegisteredCodeLocationOrigin,
        RemoteJobOrigin,
        RemoteRepositoryOrigin,
    )

    # where the webserver or daemon would say the job comes from (a queued run needs one)
    origin = RemoteJobOrigin(
        RemoteRepositoryOrigin(RegisteredCodeLocationOrigin("forebyg"), "__repository__"),
        "forebyg",
    )
    run = dg.DagsterRun(job_name="forebyg", tags=tags, remote_job_origin=origin)
    instance.add_run(run)
    return run


@pytest.mark.slow
def test_the_launcher_fails_a_run_whose_process_is_gone():
    with dg.instance_for_test(
        overrides={"run_launcher": {"module": "pipelines.launcher", "class": "ForebygRunLauncher"}}
    ) as instance:
        launcher = instance.run_launcher
        assert isinstance(launcher, ForebygRunLauncher)
        assert launcher.supports_check_run_worker_health
        proc = _sleeper()
        try:
            running = _run(instance, **{PID_TAG: str(proc.pid), HOST_TAG: host()})
            assert launcher.check_run_worker_health(running).status == WorkerStatus.RUNNING
            elsewhere = _run(instance, **{PID_TAG: str(proc.pid), HOST_TAG: "en-anden-vaert"})
        finally:
            proc.kill()
            proc.wait()
        dead = launcher.check_run_worker_health(running)
        assert dead.status == WorkerStatus.FAILED
        assert f"pid {proc.pid}" in dead.msg
        # a worker on another host, or a run without a pid, cannot be judged from here
        assert launcher.check_run_worker_health(elsewhere).status == WorkerStatus.RUNNING
        assert launcher.check_run_worker_health(_run(instance)).status == WorkerStatus.RUNNING


@pytest.mark.slow
def test_the_launcher_reads_the_pid_of_a_launched_worker_from_its_engine_event():
    from dagster._core.events import EngineEventData

    with dg.instance_for_test(
        overrides={"run_launcher": {"module": "pipelines.launcher", "class": "ForebygRunLauncher"}}
    ) as instance:
        proc = _sleeper()
        run = _run(instance, **{HOST_TAG: host()})
        # what Dagster's code server records when it starts a run's process
        instance.report_engine_event(
            f"Started process for run (pid: {proc.pid}).", run, EngineEventData.in_process(proc.pid)
        )
        try:
            assert instance.run_launcher.check_run_worker_health(run).status == (
                WorkerStatus.RUNNING
            )
        finally:
            proc.kill()
            proc.wait()
        assert instance.run_launcher.check_run_worker_health(run).status == WorkerStatus.FAILED


# --- the queue's key ---------------------------------------------------------------------


@pytest.mark.slow
def test_the_queue_tags_every_run_with_its_partition_whatever_tag_it_came_with():
    coordinator = {"module": "pipelines.launcher", "class": "ForebygRunCoordinator"}
    with dg.instance_for_test(overrides={"run_coordinator": coordinator}) as instance:
        misleading = _run(instance, **{"dagster/partition": "813", KOMMUNE_TAG: "849"})
        plain = _run(instance)  # a run of the one data home, from the UI
        for run in (misleading, plain):
            instance.run_coordinator.submit_run(SubmitRunContext(run, workspace=None))
        assert instance.get_run_by_id(misleading.run_id).tags[KOMMUNE_TAG] == "813"
        assert instance.get_run_by_id(plain.run_id).tags[KOMMUNE_TAG] == SINGLE_HOME
        assert instance.get_run_by_id(plain.run_id).status == dg.DagsterRunStatus.QUEUED


# --- a failed batch is tried again -------------------------------------------------------


def test_retry_waits_5_15_45_minutes_then_at_most_4_hours():
    # 300 s × 3^(n-1): 300, 900, 2700, 8100; then 24300 > 14400, so the cap
    assert [retry_after(n) for n in range(1, 6)] == [300, 900, 2700, 8100, 14400]


@pytest.mark.slow
def test_the_sensor_tries_a_failed_batch_again_after_its_wait(home):
    settle([fixtures.spending(home.indbakke / "forbrug.xlsx")])
    with dg.instance_for_test() as instance:

        def tick(cursor, now):
            context = dg.build_sensor_context(instance=instance, cursor=cursor)
            return evaluate_inbox(context, home, now=now), context.cursor

        _, cursor = tick(None, 0)  # first sighting
        first, cursor = tick(cursor, 0)
        assert first.run_key.startswith("indbakke-")
        assert first.tags[KOMMUNE_TAG] == SINGLE_HOME
        batch = first.tags[BATCH_TAG]
        assert first.run_key == f"indbakke-{batch}"

        def fail() -> float:
            run = _run(instance, **first.tags)
            instance.report_run_failed(run)
            return instance.get_run_record_by_id(run.run_id).end_time

        ended = fail()
        waiting, cursor = tick(cursor, ended + 299)  # the first wait is 300 s
        assert isinstance(waiting, dg.SkipReason) and waiting.skip_message == WAITING
        second, cursor = tick(cursor, ended + 300)
        assert second.run_key == f"indbakke-{batch}-forsoeg2"
        ended = fail()
        waiting, cursor = tick(cursor, ended + 899)  # the second wait is 900 s
        assert isinstance(waiting, dg.SkipReason)
        third, _ = tick(cursor, ended + 900)
        assert third.run_key == f"indbakke-{batch}-forsoeg3"


# --- alerts: the cause and the home ------------------------------------------------------


def _failure(step: str, exc: BaseException) -> SimpleNamespace:
    """A step failure event as the alert sensor reads it: the step and its error chain."""
    try:
        raise exc
    except BaseException:
        error = serializable_error_info_from_exc_info(sys.exc_info())
    return SimpleNamespace(step_key=step, event_specific_data=SimpleNamespace(error=error))


def _disk_full_in_a_wrapper():
    try:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "forebyg.duckdb")
    except OSError as exc:
        raise RuntimeError("skrivning fejlede") from exc


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            duckdb.IOException('Could not write file "x.duckdb": No space left on device'),
            "Disken er fuld",
        ),
        (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "Disken er fuld"),
        (None, "Disken er fuld"),  # ENOSPC as the cause of another error
        (DagsterExecutionInterruptedError(), "afbrudt udefra"),
        (ValueError("noget andet"), "Trinnet mart__benchmark stoppede med en uventet fejl"),
    ],
)
def test_a_step_failure_names_its_cause(home, exc, expected):
    if exc is None:
        try:
            _disk_full_in_a_wrapper()
        except RuntimeError as wrapped:
            exc = wrapped
    run = dg.DagsterRun(job_name="forebyg")
    place = Place.of(run, home)
    _, body = failure_message(place, run, _when(), [_failure("mart__benchmark", exc)], False)
    assert expected in body
    assert "uventet fejl" not in body or expected.startswith("Trinnet")


def _when():
    import datetime as dt

    return dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC)


def _failed(instance, run, message=None):
    instance.report_run_failed(run, message)
    (record,) = instance.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    return record.dagster_event


@pytest.mark.slow
@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Detected run worker status FAILED: kørslens proces (pid 4242) findes ikke længere. "
            "Marking run 1 as failed.",
            "Kørslens proces forsvandt",
        ),
        ("too many retries for DB connection", "Dagsters database (PostgreSQL) blev tabt"),
        ("Run was terminated by SIGTERM", "afbrudt udefra"),
        ("Exceeded maximum runtime of 14400 seconds.", "kørte længere end tilladt"),
    ],
)
def test_a_run_that_failed_without_a_step_names_its_cause(home, message, expected):
    with dg.instance_for_test() as instance:
        run = _run(instance)
        event = _failed(instance, run, message)
    _, body = failure_message(Place.of(run, home), run, _when(), [], False, event)
    assert expected in body


def _sensor(homes) -> dg.SensorDefinition:
    return next(s for s in alert_sensors(homes) if s.name == "alarm_ved_fejl")


@pytest.fixture
def alert_settings(monkeypatch):
    with servers() as (received, settings):
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("FOREBYG_DAGSTER_URL", raising=False)
        yield received


@pytest.mark.slow
@pytest.mark.parametrize(
    ("tags", "label"),
    [
        ({}, "ingen kommune"),
        ({"dagster/partition": "999", KOMMUNE_TAG: "860"}, "ukendt kommune '999'"),
    ],
)
def test_a_refused_run_is_reported_and_never_crashes_the_sensor(
    listed, alert_settings, tags, label
):
    with dg.instance_for_test() as instance:
        run = _run(instance, **tags)
        event = _failed(instance, run, "Kommunen står ikke i kommunelisten")
        context = dg.build_run_status_sensor_context(
            sensor_name="alarm_ved_fejl",
            dagster_event=event,
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(run.run_id),
        ).for_run_failure()
        _sensor(listed)(context)
    (mail,) = alert_settings.mails
    assert mail["Subject"] == f"forebyg: kørslen blev afvist ({label})"
    body = mail.get_content()
    assert "Intet datahjem er rørt." in body
    assert "860 Hjørring, 813 Frederikshavn" in body
    assert "Hjørring (860)" not in body  # the misleading tag names no home


@pytest.mark.slow
def test_the_alert_names_the_partitions_municipality_by_name_and_code(listed, alert_settings):
    with dg.instance_for_test() as instance:
        run = _run(instance, **{"dagster/partition": "813", KOMMUNE_TAG: "860"})
        event = _failed(instance, run, "too many retries for DB connection")
        context = dg.build_run_status_sensor_context(
            sensor_name="alarm_ved_fejl",
            dagster_event=event,
            dagster_instance=instance,
            dagster_run=instance.get_run_by_id(run.run_id),
        ).for_run_failure()
        _sensor(listed)(context)
    (mail,) = alert_settings.mails
    assert mail["Subject"] == "forebyg: kørslen fejlede (Frederikshavn (813))"
    body = mail.get_content()
    assert "Kommune: Frederikshavn (813)" in body
    assert f"Datahjem: {listed['813'].home.root}" in body
    assert "'forebyg run --kommune 813'" in body
    assert "Dagsters database (PostgreSQL) blev tabt" in body
    assert "860" not in body.replace(run.run_id, "")


# --- commands with a municipality list ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["demo"],
        ["rebuild"],
        ["report"],
        ["status"],
        ["check", "fil.xlsx"],
        ["template", "skabeloner"],
        ["opfoelgning", "liste"],
        ["status", "--home", "/et/andet/sted"],
    ],
)
def test_with_a_list_every_command_needs_kommune(listed, tmp_path, capsys, argv):
    from pipelines.cli import main

    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "skal have --kommune KODE" in err
    assert "860 (Hjørring), 813 (Frederikshavn)" in err
    assert not (tmp_path / "instans").exists()  # the shared folder is never a home


@pytest.mark.slow
def test_a_command_run_carries_the_tags_of_a_sensor_run(listed, tmp_path):
    from pipelines.cli import main
    from pipelines.instance import instance

    assert main(["run", "--kommune", "813"]) == 0  # an empty inbox: an empty warehouse
    assert listed["813"].home.warehouse.exists()
    assert not listed["860"].home.root.exists()
    # recorded in the shared instance, where the daemon's queue counts it
    with instance(tmp_path / "instans") as recorder:
        (run,) = recorder.get_runs()
    assert run.tags[KOMMUNE_TAG] == "813" and run.tags["dagster/partition"] == "813"
    assert run.tags[PID_TAG] == str(os.getpid()) and run.tags[HOST_TAG] == socket.gethostname()


@pytest.mark.slow
def test_a_single_home_command_run_carries_the_home_tag(tmp_path, monkeypatch):
    from pipelines.cli import run_tags

    monkeypatch.delenv(kommuneliste.ENV, raising=False)
    assert run_tags(Home(tmp_path))[KOMMUNE_TAG] == SINGLE_HOME


# --- a restore keeps delivery numbers ----------------------------------------------------


@pytest.mark.slow
def test_a_rebuild_keeps_each_files_delivery_number(home, monkeypatch):
    from pipelines.cli import main
    from tests.conftest import query

    monkeypatch.delenv(kommuneliste.ENV, raising=False)
    # read in name order: the rejected file is delivery 1, the spending file delivery 2
    settle(
        [
            fixtures.spending(home.indbakke / "b_forbrug.xlsx"),
            _text(home.indbakke / "a_ikke_et_udtraek.csv", "hvad;er;det\n1;2;3\n"),
        ]
    )
    assert main(["run", "--home", str(home.root)]) == 0
    numbers = "SELECT leverance_nr, status FROM raw.leverancer ORDER BY 1"
    assert query(home, numbers) == [(1, "afvist"), (2, "accepteret")]
    receipt = next(home.kvitteringer.glob("*_00002_b_forbrug.xlsx.txt"))
    assert receipt.exists()
    assert main(["rebuild", "--home", str(home.root)]) == 0
    # only the accepted file is in arkiv/; it keeps number 2, which its receipt names
    assert query(home, numbers) == [(2, "accepteret")]


def _text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- a disk that fills during a run ------------------------------------------------------


@pytest.mark.slow
def test_a_disk_that_fills_during_a_run_is_named_in_the_alert(home, monkeypatch, alert_settings):
    """The run's working folder (.arbejde/) on a 3 MB tmpfs in a mount namespace of its own:
    the sample files' private copies fit, the warehouse being built does not. The run is
    recorded in the home's instance; the failure sensor, given that run, says the disk is
    full (neither "uventet fejl" nor a step name)."""
    import shutil as sh

    from benchmarks.queue import drop_sample_data
    from pipelines.instance import instance

    if os.geteuid() != 0 or not sh.which("unshare"):
        if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
            pytest.fail("needs root and unshare for a small file system")
        pytest.skip("needs root and unshare for a small file system")
    monkeypatch.delenv(kommuneliste.ENV, raising=False)
    drop_sample_data(home.indbakke)
    settle(sorted(home.indbakke.iterdir()))
    forebyg = Path(sys.executable).with_name("forebyg")
    script = (
        f"mount -t tmpfs -o size=3m tmpfs {home.work} && "
        f"{forebyg} run --home {home.root}"
    )
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert not home.warehouse.exists()  # nothing published
    assert sorted(home.indbakke.iterdir())  # the files wait
    with instance(home.root) as recorder:
        (run,) = recorder.get_runs()
        assert run.status == dg.DagsterRunStatus.FAILURE
        event = recorder.all_logs(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)[0]
        context = dg.build_run_status_sensor_context(
            sensor_name="alarm_ved_fejl",
            dagster_event=event.dagster_event,
            dagster_instance=recorder,
            dagster_run=run,
        ).for_run_failure()
        _sensor(home)(context)
    (mail,) = alert_settings.mails
    body = mail.get_content()
    assert "disken er fuld" in body.lower()
    assert "uventet fejl" not in body
