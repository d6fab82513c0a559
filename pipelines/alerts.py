"""Alerts to operations: a run that failed, and stale data after the nightly run.

Both are Dagster sensors run by the daemon. They send a short Danish message by e-mail
(SMTP) and/or to a webhook (a Teams or Slack style URL taking ``{"text": ...}``), as set
in the environment (docs/drift.md, "Alarmer"); with neither set, nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
import socket
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import dagster as dg

from assets.freshness import STALE_AFTER_DAYS, spending_age
from pipelines import isolation
from pipelines.jobs import KOMMUNE_TAG, SENSOR_SECONDS, forebyg_job, nightly
from runtime.resources import Home, Stop, read_published

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
PUBLISH_STEP = "publicering"
TIMEOUT_SECONDS = 15


class NotDelivered(Exception):
    """An alert could not be delivered; Dagster shows it on the tick and the run's log."""


@dataclass(frozen=True)
class Channels:
    """Where alerts go, read from the environment at each evaluation."""

    smtp_host: str
    smtp_port: int
    smtp_starttls: bool
    smtp_user: str
    smtp_password: str
    sender: str
    recipients: tuple[str, ...]
    webhook: str

    @classmethod
    def from_env(cls) -> Channels:
        env = os.environ.get
        return cls(
            smtp_host=env("FOREBYG_ALERT_SMTP_HOST", ""),
            smtp_port=int(env("FOREBYG_ALERT_SMTP_PORT") or "25"),
            smtp_starttls=env("FOREBYG_ALERT_SMTP_STARTTLS", "0") == "1",
            smtp_user=env("FOREBYG_ALERT_SMTP_USER", ""),
            smtp_password=env("FOREBYG_ALERT_SMTP_PASSWORD", ""),
            sender=env("FOREBYG_ALERT_FROM") or f"forebyg@{socket.getfqdn()}",
            recipients=tuple(
                a.strip() for a in env("FOREBYG_ALERT_TO", "").split(",") if a.strip()
            ),
            webhook=env("FOREBYG_ALERT_WEBHOOK_URL", ""),
        )

    @property
    def email(self) -> bool:
        return bool(self.smtp_host and self.recipients)

    @property
    def configured(self) -> bool:
        return self.email or bool(self.webhook)


def send(subject: str, body: str, channels: Channels) -> list[str]:
    """Deliver to every configured channel; returns where it went. A channel that fails
    does not stop the others, but the whole send then raises ``NotDelivered``."""
    delivered, failed = [], []
    if channels.email:
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = channels.sender
        message["To"] = ", ".join(channels.recipients)
        message.set_content(body)
        try:
            with smtplib.SMTP(
                channels.smtp_host, channels.smtp_port, timeout=TIMEOUT_SECONDS
            ) as smtp:
                if channels.smtp_starttls:
                    smtp.starttls()
                if channels.smtp_user:
                    smtp.login(channels.smtp_user, channels.smtp_password)
                smtp.send_message(message)
            delivered.append(f"e-mail til {message['To']}")
        except (OSError, smtplib.SMTPException) as error:
            failed.append(f"e-mail via {channels.smtp_host}: {error}")
    if channels.webhook:
        request = urllib.request.Request(
            channels.webhook,
            data=json.dumps({"text": f"{subject}\n\n{body}"}).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):
                pass
            delivered.append("webhook")
        except OSError as error:
            failed.append(f"webhook: {error}")
    if failed:
        raise NotDelivered("Alarmen kunne ikke sendes: " + "; ".join(failed))
    return delivered


def _started_by(run: dg.DagsterRun) -> str:
    if run.tags.get("dagster/schedule_name"):
        return f"skemaet {run.tags['dagster/schedule_name']}"
    if run.tags.get("dagster/sensor_name"):
        return f"sensoren {run.tags['dagster/sensor_name']}"
    return "en bruger"


def _causes(error):
    while error is not None:
        yield error
        error = error.cause or error.context


def _reasons(step_failures) -> list[str]:
    """A ``Stop``'s own Danish message, else which step failed (an unforeseen error's
    detail stays in the run log: it may quote a file's contents)."""
    lines = []
    for event in step_failures:
        error = event.event_specific_data.error
        stop = next((e for e in _causes(error) if e.cls_name == "Stop"), None)
        lines.append(
            stop.message.split(": ", 1)[-1].strip()
            if stop is not None
            else f"Trinnet {event.step_key} stoppede med en uventet fejl (se kørslens log)."
        )
    return list(dict.fromkeys(lines))


def _where(home: Home, run: dg.DagsterRun) -> list[str]:
    lines = [f"Datahjem: {home.root.resolve()}"]
    if run.tags.get(KOMMUNE_TAG):
        lines.insert(0, f"Kommune: {run.tags[KOMMUNE_TAG]}")
    return lines


def _link(run_id: str) -> list[str]:
    base = os.environ.get("FOREBYG_DAGSTER_URL", "").rstrip("/")
    return [f"Kørslen i Dagster: {base}/runs/{run_id}"] if base else []


def failure_message(
    home: Home, run: dg.DagsterRun, when: dt.datetime, step_failures, published: bool
) -> tuple[str, str]:
    """Subject and body of the alert for a failed run."""
    reasons = _reasons(step_failures) or [
        "Kørslen stoppede, uden at et trin fejlede (afbrudt, eller den kom ikke i gang i "
        "tide); se kørslens log."
    ]
    state = (
        "Lageret er opdateret, men kørslen blev ikke helt færdig (filer, kvitteringer eller "
        "rapporter)."
        if published
        else "Lageret er uændret, og filerne venter i indbakken."
    )
    where = run.tags.get(KOMMUNE_TAG) or home.root.resolve().name
    body = [
        f"Kørslen {run.run_id[:8]} af jobbet {run.job_name} (startet af {_started_by(run)}) "
        f"fejlede {when.astimezone(LOCAL_TIME):%d-%m-%Y kl. %H:%M}.",
        *_where(home, run),
        "",
        "Årsag:",
        *(f"* {line}" for line in reasons),
        "",
        state,
        "Hvad skal gøres: ret årsagen og start kørslen igen (i Dagster: Re-execute, eller "
        "'forebyg run' på serveren). Står der 'forebyg rebuild' i årsagen, så kør den først.",
        *_link(run.run_id),
    ]
    return f"forebyg: kørslen fejlede ({where})", "\n".join(body)


def stale_message(home: Home, today: dt.date) -> tuple[str, str] | None:
    """The warning when the published spending data are stale (assets/freshness.py),
    or None when they are fresh. A warehouse that cannot be opened is no warning here:
    the run that found it has failed and alerted already."""
    if not home.warehouse.exists():
        return None
    try:
        with read_published(home) as con:
            end, age = spending_age(con, today)
    except Stop:
        return None
    if end is not None and age <= STALE_AFTER_DAYS:
        return None
    latest = "ingen forbrugsdata" if end is None else f"data til og med {end:%d-%m-%Y}"
    body = [
        f"Nattens kørsel er gået igennem, men lageret har {latest}"
        + ("" if end is None else f" ({age} dage gamle)")
        + f"; grænsen er {STALE_AFTER_DAYS} dage.",
        f"Datahjem: {home.root.resolve()}",
        "",
        "Hvad skal gøres: bed økonomi om at lægge et nyt forbrugsudtræk i indbakke/. "
        "'forebyg status' viser de manglende måneder.",
    ]
    return f"forebyg: forbrugsdata er for gamle ({home.root.resolve().name})", "\n".join(body)


def _published(instance: dg.DagsterInstance, run_id: str) -> bool:
    successes = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)
    return any(e.step_key == PUBLISH_STEP for e in successes)


def send_test_alert(home: Home, channels: Channels) -> str:
    """``python -m pipelines.alerts``: a test message to the configured receivers, so
    operations can see that the alerts arrive before a night fails."""
    if not channels.configured:
        return "Ingen modtager af alarmer er sat op (FOREBYG_ALERT_*, se docs/drift.md)."
    where = send(
        f"forebyg: prøvealarm ({home.root.resolve().name})",
        f"Alarmer fra forebyg når frem.\nDatahjem: {home.root.resolve()}\n\n"
        "Hvad skal gøres: intet; sådan ser en alarm ud, når en kørsel fejler.",
        channels,
    )
    return "Prøvealarm sendt: " + ", ".join(where) + "."


def alert_sensors(home: Home | Callable[[dg.DagsterRun], Home]) -> list[dg.SensorDefinition]:
    """The alert sensors for one data home, or for a function giving a run's data home
    (with many municipalities, the home of the run's ``forebyg/kommune`` tag)."""
    home_of = home if callable(home) else lambda _run: home

    @dg.run_failure_sensor(
        name="alarm_ved_fejl",
        minimum_interval_seconds=SENSOR_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Sender en kort besked (e-mail og/eller webhook), når en kørsel fejler. "
            "Opsætning: FOREBYG_ALERT_* i miljøet (docs/drift.md)."
        ),
    )
    def alarm_ved_fejl(context: dg.RunFailureSensorContext):
        channels = Channels.from_env()
        if not channels.configured:
            return dg.SkipReason("Ingen modtager af alarmer er sat op (FOREBYG_ALERT_*).")
        run = context.dagster_run
        failures = context.get_step_failure_events()
        stop = any(
            e.cls_name == "Stop"
            for event in failures
            for e in _causes(event.event_specific_data.error)
        )
        searched = run.tags.get(isolation.TAG) == isolation.TRIAL and not stop
        if searched or isolation.handles(run, failures, home_of(run)):
            return dg.SkipReason(
                "Et forsøg med nye filer fejlede; forebyg finder selv de filer, der er "
                "årsagen, og afviser dem (docs/drift.md). Fejler lageret, som det var, "
                "kommer der en alarm."
            )
        record = context.instance.get_run_record_by_id(run.run_id)
        end = record.end_time if record and record.end_time else dt.datetime.now().timestamp()
        when = dt.datetime.fromtimestamp(end, dt.UTC)
        subject, body = failure_message(
            home_of(run),
            run,
            when,
            failures,
            _published(context.instance, run.run_id),
        )
        delivered = send(subject, body, channels)
        context.log.info("Alarm om kørsel %s sendt: %s", run.run_id, ", ".join(delivered))

    @dg.run_status_sensor(
        name="alarm_ved_gamle_data",
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[forebyg_job],
        minimum_interval_seconds=SENSOR_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            f"Efter nattens kørsel: advarer, når forbrugsdata er over {STALE_AFTER_DAYS} "
            "dage gamle (samme regel som tjekket aktualitet og 'forebyg status')."
        ),
    )
    def alarm_ved_gamle_data(context: dg.RunStatusSensorContext):
        if context.dagster_run.tags.get("dagster/schedule_name") != nightly.name:
            return dg.SkipReason("Kun nattens kørsel giver advarsler om gamle data.")
        channels = Channels.from_env()
        if not channels.configured:
            return dg.SkipReason("Ingen modtager af alarmer er sat op (FOREBYG_ALERT_*).")
        message = stale_message(home_of(context.dagster_run), dt.datetime.now(LOCAL_TIME).date())
        if message is None:
            return dg.SkipReason("Forbrugsdata er aktuelle.")
        delivered = send(*message, channels)
        context.log.info("Advarsel om gamle data sendt: %s", ", ".join(delivered))

    @dg.run_status_sensor(
        name="alarm_ved_rapportfejl",
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[forebyg_job],
        minimum_interval_seconds=SENSOR_SECONDS,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            "Sender en besked, når en kørsel ikke kunne skrive rapporterne: lageret er "
            "publiceret, og de forrige rapporter er bevaret."
        ),
    )
    def alarm_ved_rapportfejl(context: dg.RunStatusSensorContext):
        run = context.dagster_run
        warnings = report_warnings(context.instance, run.run_id)
        if not warnings:
            return dg.SkipReason("Rapporterne blev skrevet.")
        channels = Channels.from_env()
        if not channels.configured:
            return dg.SkipReason("Ingen modtager af alarmer er sat op (FOREBYG_ALERT_*).")
        home = home_of(run)
        where = run.tags.get(KOMMUNE_TAG) or home.root.resolve().name
        body = [*warnings, *_where(home, run), *_link(run.run_id)]
        delivered = send(f"forebyg: rapporterne kunne ikke skrives ({where})", "\n".join(body),
                         channels)  # fmt: skip
        context.log.info("Advarsel om rapporterne sendt: %s", ", ".join(delivered))

    return [alarm_ved_fejl, alarm_ved_gamle_data, alarm_ved_rapportfejl]


def report_warnings(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """The Advarsel the reports step of a run left (assets/reports/assets.py)."""
    return [
        entry.asset_materialization.metadata["advarsel"].value
        for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        if entry.asset_materialization.asset_key == dg.AssetKey("rapporter")
        and "advarsel" in entry.asset_materialization.metadata
    ]


if __name__ == "__main__":
    try:
        print(send_test_alert(Home.resolve(), Channels.from_env()))
    except NotDelivered as error:
        raise SystemExit(str(error)) from None
