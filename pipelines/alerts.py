"""Alerts to operations: a run that failed, and stale data after the nightly run.

Both are Dagster sensors run by the daemon. They send a short Danish message by e-mail
(SMTP) and/or to a webhook (a Teams or Slack style URL taking ``{"text": ...}``), as set
in the environment (docs/drift.md, "Alarmer"); with neither set, nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import socket
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import dagster as dg

from assets.freshness import STALE_AFTER_DAYS, spending_age
from pipelines import isolation
from pipelines.faults import DATABASE_LOST, DISK_FULL, INTERRUPTED, TIMED_OUT, WORKER_GONE
from pipelines.jobs import SENSOR_SECONDS, forebyg_job, nightly
from runtime import settings
from runtime.kommuner import PARTITION_TAG, Kommune
from runtime.resources import Home, Stop, exact_commands, read_published

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
        port = settings.ALERT_SMTP_PORT
        return cls(
            smtp_host=settings.ALERT_SMTP_HOST.get(),
            smtp_port=int(port.get() or port.default),
            smtp_starttls=settings.ALERT_SMTP_STARTTLS.get() == "1",
            smtp_user=settings.ALERT_SMTP_USER.get(),
            smtp_password=settings.ALERT_SMTP_PASSWORD.get(),
            sender=settings.ALERT_FROM.get() or f"forebyg@{socket.getfqdn()}",
            recipients=tuple(
                a.strip() for a in settings.ALERT_TO.get().split(",") if a.strip()
            ),
            webhook=settings.ALERT_WEBHOOK_URL.get(),
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


@dataclass(frozen=True)
class Place:
    """The data home a run belongs to: by the run's partition when there is a municipality
    list (never by a tag a user can set), else the one home. ``home`` is None for a run
    the list refused (no or an unknown partition)."""

    home: Home | None
    label: str  # in the subject: "Frederikshavn (813)" or the home's folder name
    option: str  # what makes a command act on this home: "--kommune 813" or "--home …"
    kommune: str = ""  # "Frederikshavn (813)" with a list, else empty

    @classmethod
    def of(cls, run: dg.DagsterRun, homes: Home | Mapping[str, Kommune]) -> Place:
        if isinstance(homes, Home):
            root = homes.root.resolve()
            return cls(homes, root.name, f"--home {root}")
        key = run.tags.get(PARTITION_TAG)
        if key not in homes:
            shown = "ingen kommune" if key is None else f"ukendt kommune {key[:20]!r}"
            return cls(None, shown, "--kommune KODE", shown)
        kommune = homes[key]
        label = f"{kommune.navn} ({kommune.kode})"
        return cls(kommune.home, label, f"--kommune {kommune.kode}", label)


def _causes(error):
    while error is not None:
        yield error
        error = error.cause or error.context


def _fault(text: str, place: Place) -> str | None:
    """The Danish sentence for a machine fault found in ``text``, or None."""
    where = place.home.root.resolve() if place.home else "datahjemmet"
    if DISK_FULL.search(text):
        return (
            f"Disken er fuld: der er ikke mere plads på disken med {where}. Lageret er ikke "
            f"skrevet halvt. Frigør plads (se 'df -h {where}'), og start kørslen igen."
        )
    if DATABASE_LOST.search(text):
        return (
            "Forbindelsen til Dagsters database (PostgreSQL) blev tabt under kørslen. "
            "Se efter, at PostgreSQL kører ('systemctl status postgresql'); når den er "
            "tilbage, prøves filerne igen af sig selv."
        )
    if WORKER_GONE.search(text):
        return (
            "Kørslens proces forsvandt (dræbt, løbet tør for hukommelse, eller daemonen blev "
            "genstartet), og overvågningen har markeret kørslen som fejlet. Filerne prøves "
            "igen af sig selv; årsagen står i 'journalctl -u forebyg-dagster-daemon'."
        )
    if INTERRUPTED.search(text):
        return (
            "Kørslen blev afbrudt udefra (stoppet i UI'et, SIGTERM, eller tjenesten blev "
            "stoppet eller genstartet). Start den igen, hvis den ikke blev stoppet med vilje."
        )
    if TIMED_OUT.search(text):
        return (
            "Kørslen kom ikke i gang i tide eller kørte længere end tilladt "
            "(run_monitoring i dagster.yaml) og er stoppet. Se kørslens log, og start den igen."
        )
    return None


def _error_text(error) -> str:
    return "\n".join(f"{e.cls_name}: {e.message}" for e in _causes(error))


def _reasons(step_failures, place: Place) -> list[str]:
    """A ``Stop``'s own Danish message, else a machine fault by its kind, else which step
    failed (an unforeseen error's detail stays in the run log: it may quote a file)."""
    lines = []
    for event in step_failures:
        error = event.event_specific_data.error
        stop = next((e for e in _causes(error) if e.cls_name == "Stop"), None)
        if stop is not None:
            lines.append(stop.message.split(": ", 1)[-1].strip())
            continue
        lines.append(
            _fault(_error_text(error), place)
            or f"Trinnet {event.step_key} stoppede med en uventet fejl (se kørslens log)."
        )
    return list(dict.fromkeys(lines))


def _run_reason(failure_event, place: Place) -> str:
    """Why a run failed without a failed step: the monitor, a crash, a lost database."""
    text = ""
    if failure_event is not None:
        data = failure_event.event_specific_data
        reason = getattr(data, "failure_reason", None)
        text = " ".join(
            [failure_event.message or "", reason.value if reason else ""]
            + ([_error_text(data.error)] if getattr(data, "error", None) else [])
        )
    return _fault(text, place) or (
        "Kørslen stoppede, uden at et trin fejlede (afbrudt, eller den kom ikke i gang i "
        "tide); se kørslens log."
    )


def _with_option(line: str, place: Place) -> str:
    """The commands a reason names, made exact for this home."""
    return exact_commands(line, place.option)


def _link(run_id: str) -> list[str]:
    base = settings.DAGSTER_URL.get().rstrip("/")
    return [f"Kørslen i Dagster: {base}/runs/{run_id}"] if base else []


def refused_message(place: Place, run: dg.DagsterRun, when: dt.datetime, codes) -> tuple:
    """A run the municipality list refused: it names no municipality, or one not listed."""
    body = [
        f"Kørslen {run.run_id[:8]} af jobbet {run.job_name} (startet af {_started_by(run)}) "
        f"blev afvist {when.astimezone(LOCAL_TIME):%d-%m-%Y kl. %H:%M}: den nævner "
        f"{place.label}, og kun kommuner på kommunelisten kan køres.",
        "Intet datahjem er rørt.",
        "",
        "Hvad skal gøres: start kørslen igen med en kommune (partition) fra listen: "
        + ", ".join(codes)
        + ".",
        *_link(run.run_id),
    ]
    return f"forebyg: kørslen blev afvist ({place.label})", "\n".join(body)


def failure_message(
    place: Place,
    run: dg.DagsterRun,
    when: dt.datetime,
    step_failures,
    published: bool,
    failure_event=None,
) -> tuple[str, str]:
    """Subject and body of the alert for a failed run."""
    reasons = [_with_option(r, place) for r in _reasons(step_failures, place)] or [
        _run_reason(failure_event, place)
    ]
    state = (
        "Lageret er opdateret, men kørslen blev ikke helt færdig (filer, kvitteringer eller "
        "rapporter)."
        if published
        else "Lageret er uændret, og filerne venter i indbakken."
    )
    body = [
        f"Kørslen {run.run_id[:8]} af jobbet {run.job_name} (startet af {_started_by(run)}) "
        f"fejlede {when.astimezone(LOCAL_TIME):%d-%m-%Y kl. %H:%M}.",
        *([f"Kommune: {place.kommune}"] if place.kommune else []),
        f"Datahjem: {place.home.root.resolve()}",
        "",
        "Årsag:",
        *(f"* {line}" for line in reasons),
        "",
        state,
        "Hvad skal gøres: ret årsagen. Filer fra indbakken prøves igen af sig selv efter "
        "5, 15, 45 … minutter (højst hver 4. time); vil du ikke vente, så start kørslen "
        f"igen (i Dagster: Re-execute, eller på serveren 'forebyg run {place.option}'). "
        f"Står der 'forebyg rebuild {place.option}' i årsagen, så kør den først.",
        *_link(run.run_id),
    ]
    return f"forebyg: kørslen fejlede ({place.label})", "\n".join(body)


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


def _codes(homes: Home | Mapping[str, Kommune]) -> list[str]:
    return [] if isinstance(homes, Home) else [f"{k.kode} {k.navn}" for k in homes.values()]


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


def alert_sensors(homes: Home | Mapping[str, Kommune]) -> list[dg.SensorDefinition]:
    """The alert sensors for one data home, or for the municipality list (a run's home is
    then its partition's, ``Place.of``)."""

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
        record = context.instance.get_run_record_by_id(run.run_id)
        end = record.end_time if record and record.end_time else dt.datetime.now().timestamp()
        when = dt.datetime.fromtimestamp(end, dt.UTC)
        place = Place.of(run, homes)
        failures = context.get_step_failure_events()
        # a trial's failure that a file can be to blame for is the search's to answer; a
        # Stop or a fault of the machine (a full disk) is alerted like any other run's
        searched = run.tags.get(isolation.TAG) == isolation.TRIAL and isolation.searchable(failures)
        if place.home is not None and (searched or isolation.handles(run, failures, place.home)):
            return dg.SkipReason(
                "Et forsøg med nye filer fejlede; forebyg finder selv de filer, der er "
                "årsagen, og afviser dem (docs/drift.md). Fejler lageret, som det var, "
                "kommer der en alarm."
            )
        if place.home is None:
            subject, body = refused_message(place, run, when, _codes(homes))
        else:
            subject, body = failure_message(
                place,
                run,
                when,
                failures,
                _published(context.instance, run.run_id),
                context.failure_event,
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
        place = Place.of(context.dagster_run, homes)
        if place.home is None:
            return dg.SkipReason("Kørslen nævner ingen kommune på kommunelisten.")
        message = stale_message(place.home, dt.datetime.now(LOCAL_TIME).date())
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
        place = Place.of(run, homes)
        if place.home is None:
            return dg.SkipReason("Kørslen nævner ingen kommune på kommunelisten.")
        body = [
            *warnings,
            *([f"Kommune: {place.kommune}"] if place.kommune else []),
            f"Datahjem: {place.home.root.resolve()}",
            *_link(run.run_id),
        ]
        subject = f"forebyg: rapporterne kunne ikke skrives ({place.label})"
        delivered = send(subject, "\n".join(body), channels)
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
