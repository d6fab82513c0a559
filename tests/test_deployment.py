"""The production deployment end to end, with real processes: dagster-daemon and
dagster-webserver (127.0.0.1, a free port) on a PostgreSQL instance made from
deploy/dagster.yaml. A file dropped in the inbox is picked up by the sensor, the run
succeeds, the marts fill, and GraphQL shows the run and its materialisations; then a
failing run (a corrupt warehouse) makes the daemon's failure sensor mail and post an alert.

Needs PostgreSQL (tests/pg.py); every process is stopped by its process group, and the
database is dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from pipelines.instance import dagster_home
from pipelines.jobs import INBOX_ONLY_CONFIG, nightly
from runtime.resources import Home
from tests import fixtures
from tests.alert_servers import free_port, servers
from tests.conftest import query, settle
from tests.pg import database

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SERVICE = ROOT / "deploy" / "dagster-service"  # what the systemd units and the image start
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
LOCATION = "pipelines.definitions"  # workspace.yaml loads the module without a name
TIMEOUT = 180  # per wait; a loaded machine can take long, an idle one seconds


def test_the_nightly_schedule_requests_the_inbox_run_at_two():
    # 02:00 Copenhagen time on 28-11-2026 (winter time, UTC+1) is 01:00 UTC
    at = dt.datetime(2026, 11, 28, 2, 0, tzinfo=COPENHAGEN)
    request = nightly.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=at))
    (request,) = request.run_requests
    # only what arrived: a night with nothing new changes nothing
    assert request.run_config == INBOX_ONLY_CONFIG
    assert request.job_name in (None, "forebyg")


@contextlib.contextmanager
def processes(log_dir: Path, env: dict, *commands: list[str]):
    """Each command in its own process group (like setsid); all stopped by group id."""
    started = []
    try:
        for i, command in enumerate(commands):
            log = open(log_dir / f"proces-{i}.log", "wb")  # noqa: SIM115 - closed below
            started.append(
                (
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    ),
                    log,
                )
            )
        yield [p for p, _ in started]
    finally:
        for proc, _ in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc, log in started:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the run and code-server children
            log.close()


def graphql(port: int, text: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": text, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        answer = json.loads(response.read())
    assert "errors" not in answer, answer
    return answer["data"]


def wait_for(what: str, probe, logs: Path, timeout: float = TIMEOUT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with contextlib.suppress(OSError):
            value = probe()
            if value:
                return value
        time.sleep(0.5)
    tails = "\n".join(
        f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(logs.glob("*"))
    )
    pytest.fail(f"timed out waiting for {what}\n{tails}")


RUNS = """
query Runs($sensor: String!) {
  runsOrError(filter: {tags: [{key: "dagster/sensor_name", value: $sensor}]}) {
    ... on Runs { results { runId status jobName tags { key value } } }
  }
}"""
MATERIALISATIONS = """
query Asset($path: [String!]!) {
  assetOrError(assetKey: {path: $path}) {
    ... on Asset { assetMaterializations(limit: 1) { runId } }
  }
}"""
STATES = """
query States($location: String!) {
  sensorOrError(sensorSelector: {repositoryLocationName: $location,
      repositoryName: "__repository__", sensorName: "indbakke_sensor"}) {
    ... on Sensor { sensorState { status } }
  }
  alarm: sensorOrError(sensorSelector: {repositoryLocationName: $location,
      repositoryName: "__repository__", sensorName: "alarm_ved_fejl"}) {
    ... on Sensor { sensorState { status } }
  }
  scheduleOrError(scheduleSelector: {repositoryLocationName: $location,
      repositoryName: "__repository__", scheduleName: "natlig_koersel"}) {
    ... on Schedule { scheduleState { status } futureTicks(limit: 1) { results { timestamp } } }
  }
}"""


def _finished(port: int, count: int):
    runs = graphql(port, RUNS, {"sensor": "indbakke_sensor"})["runsOrError"]["results"]
    done = [r for r in runs if r["status"] in ("SUCCESS", "FAILURE", "CANCELED")]
    return runs if len(done) >= count else None


def test_daemon_and_webserver_on_postgresql(tmp_path, monkeypatch):
    home = Home(tmp_path / "hjem").create()
    logs = tmp_path / "log"
    logs.mkdir()
    with database() as pg, servers() as (received, alert_settings):
        for key, value in pg.items():
            monkeypatch.setenv(key, value)
        instance_dir = dagster_home(home.root)
        assert "QueuedRunCoordinator" in (instance_dir / "dagster.yaml").read_text()
        port = free_port()
        env = {
            **os.environ,
            **pg,
            **alert_settings,
            "FOREBYG_HOME": str(home.root),
            "DAGSTER_HOME": str(instance_dir),
            "FOREBYG_SENSOR_SEKUNDER": "1",
            "FOREBYG_WEB_PORT": str(port),
        }
        with processes(
            logs,
            env,
            [str(SERVICE), "daemon"],
            [str(SERVICE), "webserver"],
        ):
            states = wait_for(
                "the webserver and the code location",
                lambda: graphql(port, STATES, {"location": LOCATION}).get("scheduleOrError"),
                logs,
            )
            data = graphql(port, STATES, {"location": LOCATION})
            assert data["sensorOrError"]["sensorState"]["status"] == "RUNNING"
            assert data["alarm"]["sensorState"]["status"] == "RUNNING"
            assert states["scheduleState"]["status"] == "RUNNING"
            (tick,) = states["futureTicks"]["results"]
            next_tick = dt.datetime.fromtimestamp(tick["timestamp"], COPENHAGEN)
            assert (next_tick.hour, next_tick.minute) == (2, 0)

            assert not home.warehouse.exists()
            settle(fixtures.inbox(home.indbakke))
            (first,) = wait_for("the sensor's run", lambda: _finished(port, 1), logs)
            assert first["status"] == "SUCCESS", first
            assert first["jobName"] == "forebyg"
            # the fixture's spending: 2023-01 … 2025-06 = 30 months
            months = "SELECT count(DISTINCT (aar, maaned)) FROM core.forbrug"
            assert query(home, months) == [(30,)]
            assert query(home, "SELECT count(*) > 0 FROM mart.budgetopfoelgning") == [(True,)]
            assert sorted(p.name for p in home.indbakke.iterdir()) == []  # all archived
            for path in (["mart", "besparelser"], ["core", "forbrug"], ["publicering"]):
                asset = graphql(port, MATERIALISATIONS, {"path": path})["assetOrError"]
                assert asset["assetMaterializations"] == [{"runId": first["runId"]}], path

            # A failing night: the warehouse is damaged, a new file arrives.
            damaged = b"ikke en database " * 1000
            home.warehouse.write_bytes(damaged)
            settle([fixtures.activity(home.indbakke / "aktivitet_ny.xlsx")])
            runs = wait_for("the failing run", lambda: _finished(port, 2), logs)
            failed = next(r for r in runs if r["runId"] != first["runId"])
            assert failed["status"] == "FAILURE"
            assert home.warehouse.read_bytes() == damaged  # nothing published
            assert (home.indbakke / "aktivitet_ny.xlsx").exists()  # the file waits
            # the mail goes first, then the webhook
            wait_for("the alert", lambda: received.mails and received.posts, logs)
            (mail,) = received.mails
            assert f"Kørslen {failed['runId'][:8]} af jobbet forebyg" in mail.get_content()
            assert "forebyg rebuild" in mail.get_content()
            assert received.posts[0]["text"].startswith("forebyg: kørslen fejlede")


class Daemon:
    """The daemon as systemd runs it (Restart=always): a process group of its own, started
    again when it has exited; ``kill`` ends its whole group (daemon, code server, run)."""

    def __init__(self, logs: Path, env: dict):
        self.logs, self.env, self.starts, self.proc, self.at = logs, env, 0, None, 0.0

    def start(self) -> None:
        log = open(self.logs / f"daemon-{self.starts}.log", "wb")  # noqa: SIM115 - the child's
        self.proc = subprocess.Popen(
            [str(SERVICE), "daemon"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.starts += 1
        self.at = time.monotonic()

    def keep_running(self) -> None:
        # RestartSec= of the unit, shortened: not more often than every 3 s
        if self.proc.poll() is not None and time.monotonic() - self.at > 3:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)  # what it left behind
            self.start()

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()


def _until(what: str, probe, daemon: Daemon, logs: Path, timeout: float = TIMEOUT):
    """Poll ``probe`` until it gives a value; the timeout is only a give-up limit. A probe
    that cannot reach PostgreSQL (stopped on purpose) counts as no value yet."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        daemon.keep_running()
        with contextlib.suppress(Exception):
            value = probe()
            if value:
                return value
        time.sleep(0.5)
    tails = "\n".join(
        f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(logs.glob("*"))
    )
    pytest.fail(f"timed out waiting for {what}\n{tails}")


def test_a_dead_run_worker_fails_its_run_alerts_and_the_files_are_tried_again(
    tmp_path, monkeypatch
):
    """Twice a run's worker dies mid-run: once with the daemon's whole process group
    (SIGKILL), once when PostgreSQL stops under it. Each time run monitoring fails the run
    within a few polls, the failure alert arrives, the files stay in the inbox, and the
    sensor runs them again after the backoff (1 s here) with a new run key."""
    from pipelines.launcher import alive, worker
    from tests.pg import private_server

    home = Home(tmp_path / "hjem").create()
    logs = tmp_path / "log"
    logs.mkdir()
    with private_server(free_port()) as pg, servers() as (received, alert_settings):
        settings = pg.settings()
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        instance_dir = dagster_home(home.root)
        production = (instance_dir / "dagster.yaml").read_text()
        # poll every 2 s instead of every minute, so the test counts polls, not minutes
        # (without the first line, the file is the operator's own, kept as it is)
        (instance_dir / "dagster.yaml").write_text(
            production.split("\n", 1)[1].replace(
                "poll_interval_seconds: 60", "poll_interval_seconds: 2"
            )
        )
        env = {
            **os.environ,
            **settings,
            **alert_settings,
            "FOREBYG_HOME": str(home.root),
            "DAGSTER_HOME": str(instance_dir),
            "FOREBYG_SENSOR_SEKUNDER": "1",
            "FOREBYG_GENFORSOEG_SEKUNDER": "1",
        }
        daemon = Daemon(logs, env)
        daemon.start()
        instance = dg.DagsterInstance.from_config(str(instance_dir))
        try:

            def started_worker(exclude: set):
                for run in instance.get_runs():
                    if run.run_id not in exclude and run.status == dg.DagsterRunStatus.STARTED:
                        found = worker(instance, run)
                        if found:
                            return run, found

            def ended(run_id: str):
                run = instance.get_run_by_id(run_id)
                return run if run.is_finished else None

            def retried(key_end: str):
                return next(
                    (
                        r
                        for r in instance.get_runs()
                        if r.tags.get("dagster/run_key", "").endswith(key_end)
                        and r.status == dg.DagsterRunStatus.SUCCESS
                    ),
                    None,
                )

            # 1. the daemon's process group is killed mid-run, and systemd starts it again
            settle(fixtures.inbox(home.indbakke))
            first, (pid, since) = _until("a started run", lambda: started_worker(set()),
                                         daemon, logs)
            daemon.kill()
            # SIGKILL reaches every process of the group, but a process busy in the kernel
            # (disk I/O on a loaded machine) dies only when it returns: wait for it
            _until("the run's worker to die with the group", lambda: not alive(pid, since),
                   daemon, logs)
            failed = _until("the run to be failed", lambda: ended(first.run_id), daemon, logs)
            assert failed.status == dg.DagsterRunStatus.FAILURE
            assert not home.warehouse.exists()  # nothing half-published
            assert sorted(p.name for p in home.indbakke.iterdir())  # the files wait
            _until("the alert", lambda: received.mails, daemon, logs)
            body = received.mails[0].get_content()
            assert f"Kørslen {first.run_id[:8]}" in body
            assert "Kørslens proces forsvandt" in body
            again = _until("the retry", lambda: retried("-forsoeg2"), daemon, logs)
            assert again.tags["forebyg/indhold"] == first.tags["forebyg/indhold"]
            assert sorted(p.name for p in home.indbakke.iterdir()) == []  # all archived

            # 2. PostgreSQL stops under a run and comes back
            settle([fixtures.activity(home.indbakke / "aktivitet_ny.xlsx")])
            done = {first.run_id, again.run_id}
            second, (pid, since) = _until("the next run", lambda: started_worker(done),
                                          daemon, logs)
            pg.stop()
            _until("the worker to give up", lambda: not alive(pid, since), daemon, logs)
            pg.start()
            failed = _until("the run to be failed", lambda: ended(second.run_id), daemon, logs)
            assert failed.status == dg.DagsterRunStatus.FAILURE
            assert (home.indbakke / "aktivitet_ny.xlsx").exists()
            _until("the second alert", lambda: len(received.mails) > 1, daemon, logs)
            assert f"Kørslen {second.run_id[:8]}" in received.mails[1].get_content()
            _until("the retry after PostgreSQL", lambda: retried(
                f"{second.tags['forebyg/indhold']}-forsoeg2"), daemon, logs)
            assert not (home.indbakke / "aktivitet_ny.xlsx").exists()
        finally:
            instance.dispose()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(daemon.proc.pid, signal.SIGKILL)
            daemon.proc.wait()
