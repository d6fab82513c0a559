"""Alerts: a failed run and stale data reach a local mail server and webhook, in Danish."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from pipelines.alerts import (
    Channels,
    NotDelivered,
    alert_sensors,
    send,
    send_test_alert,
    stale_message,
)
from pipelines.cli import execute
from pipelines.graph import build_definitions
from pipelines.jobs import INBOX_ONLY_CONFIG, nightly
from tests import fixtures
from tests.alert_servers import free_port, servers
from tests.conftest import settle

ALERT_VARIABLES = (
    "FOREBYG_ALERT_SMTP_HOST",
    "FOREBYG_ALERT_TO",
    "FOREBYG_ALERT_WEBHOOK_URL",
    "FOREBYG_DAGSTER_URL",
)


@pytest.fixture
def no_alert_settings(monkeypatch):
    for name in ALERT_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def alert_servers(monkeypatch, no_alert_settings):
    with servers() as (received, settings):
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        yield received


def _sensor(home, name: str) -> dg.SensorDefinition:
    return next(s for s in alert_sensors(home) if s.name == name)


@pytest.fixture
def failed_run(home):
    """A run that really fails: the warehouse is not a DuckDB file, a new file waits."""
    home.warehouse.write_bytes(b"ikke en database " * 1000)
    settle([fixtures.spending(home.indbakke / "forbrug.xlsx")])
    instance = dg.DagsterInstance.ephemeral()
    result = execute(home, INBOX_ONLY_CONFIG, instance=instance)
    assert not result.success
    context = dg.build_run_status_sensor_context(
        sensor_name="alarm_ved_fejl",
        dagster_event=result.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=result.dagster_run,
    ).for_run_failure()
    return home, result.dagster_run, context


@pytest.mark.slow
def test_a_failed_run_is_reported_by_mail_and_webhook(failed_run, alert_servers, monkeypatch):
    home, run, context = failed_run
    monkeypatch.setenv("FOREBYG_DAGSTER_URL", "https://forebyg.kommune.test/")
    _sensor(home, "alarm_ved_fejl")(context)

    (mail,) = alert_servers.mails
    (post,) = alert_servers.posts
    assert mail["To"] == "drift@kommune.test, oekonomi@kommune.test"
    assert mail["Subject"] == f"forebyg: kørslen fejlede ({home.root.name})"
    body = mail.get_content().replace("\r\n", "\n").strip()  # SMTP sends CRLF
    assert post["text"] == f"{mail['Subject']}\n\n{body}"
    # which run, which job, where, why, and what to do
    assert f"Kørslen {run.run_id[:8]} af jobbet forebyg" in body
    assert f"Datahjem: {home.root.resolve()}" in body
    assert "Lageret forebyg.duckdb er beskadiget" in body  # the run's own Danish reason
    assert "Lageret er uændret, og filerne venter i indbakken." in body
    assert "Hvad skal gøres" in body and "forebyg rebuild" in body
    assert f"https://forebyg.kommune.test/runs/{run.run_id}" in body
    assert "Traceback" not in body


@pytest.mark.slow
def test_nothing_is_sent_when_no_receiver_is_configured(failed_run, no_alert_settings):
    home, _, context = failed_run
    with servers() as (received, _):  # running, but nobody points at them
        result = _sensor(home, "alarm_ved_fejl")(context)
    assert isinstance(result, dg.SkipReason)
    assert received.mails == [] and received.posts == []


def test_a_receiver_that_is_down_fails_the_tick_after_the_others_got_it(no_alert_settings):
    with servers() as (received, settings):
        settings["FOREBYG_ALERT_WEBHOOK_URL"] = f"http://127.0.0.1:{free_port()}/lukket"
        channels = Channels(
            smtp_host="127.0.0.1",
            smtp_port=int(settings["FOREBYG_ALERT_SMTP_PORT"]),
            smtp_starttls=False,
            smtp_user="",
            smtp_password="",
            sender="forebyg@kommune.test",
            recipients=("drift@kommune.test",),
            webhook=settings["FOREBYG_ALERT_WEBHOOK_URL"],
        )
        with pytest.raises(NotDelivered, match="webhook"):
            send("Emne", "Tekst", channels)
    assert [m["Subject"] for m in received.mails] == ["Emne"]


@pytest.mark.slow
def test_stale_data_rule_is_the_status_rule(small_loaded):
    # The fixture's spending ends in June 2025, so its last day is 30-06-2025.
    # 15-07-2025 is 15 days later: fresh. 10-08-2025 is 31 + 10 = 41 days later: over 40.
    assert stale_message(small_loaded, dt.date(2025, 7, 15)) is None
    assert stale_message(small_loaded, dt.date(2025, 8, 9)) is None  # 40 days: the limit
    subject, body = stale_message(small_loaded, dt.date(2025, 8, 10))
    assert subject == f"forebyg: forbrugsdata er for gamle ({small_loaded.root.name})"
    assert "data til og med 30-06-2025 (41 dage gamle); grænsen er 40 dage" in body
    assert "nyt forbrugsudtræk i indbakke/" in body


@pytest.mark.slow
def test_the_nightly_run_warns_of_stale_data(small_loaded, alert_servers):
    home = small_loaded
    instance = dg.DagsterInstance.ephemeral()
    job = build_definitions(home).resolve_job_def(nightly.job_name)
    sensor = _sensor(home, "alarm_ved_gamle_data")

    def evaluate(tags):
        # a night with nothing new: the run succeeds without touching the warehouse
        result = job.execute_in_process(INBOX_ONLY_CONFIG, instance=instance, tags=tags)
        return sensor(
            dg.build_run_status_sensor_context(
                sensor_name=sensor.name,
                dagster_event=result.get_run_success_event(),
                dagster_instance=instance,
                dagster_run=result.dagster_run,
            )
        )

    assert isinstance(evaluate({}), dg.SkipReason)  # a run started by hand: no warning
    assert alert_servers.mails == []
    evaluate({"dagster/schedule_name": "natlig_koersel"})
    # the fixture's spending ends 30-06-2025: stale on any day after 09-08-2025
    (mail,) = alert_servers.mails
    assert mail["Subject"] == f"forebyg: forbrugsdata er for gamle ({home.root.name})"
    assert "data til og med 30-06-2025" in mail.get_content()
    assert alert_servers.posts[0]["text"].startswith(mail["Subject"])


def test_operations_can_send_a_test_alert(home, alert_servers):
    said = send_test_alert(home, Channels.from_env())
    assert said == (
        "Prøvealarm sendt: e-mail til drift@kommune.test, oekonomi@kommune.test, webhook."
    )
    (mail,) = alert_servers.mails
    assert mail["Subject"] == f"forebyg: prøvealarm ({home.root.name})"
    assert alert_servers.posts[0]["text"].startswith(mail["Subject"])
