"""The Dagster side: definitions, schedule, sensor and blocking checks."""

from __future__ import annotations

import os
import time

import dagster as dg
import pytest
from openpyxl import load_workbook

from assets.intake import assets as intake_assets
from assets.intake.loading import deliver
from pipelines.definitions import defs
from pipelines.jobs import INBOX_ONLY_CONFIG, inbox_sensor, nightly
from runtime.resources import Warehouse
from schemas.marts import contracts
from tests import fixtures
from tests.conftest import checksums, query, run, settle


def test_definitions_load_with_every_stage():
    specs = defs.resolve_all_asset_specs()
    groups = {s.group_name for s in specs}
    assert groups == {"intake", "makroer", "core", "mart", "report"}
    keys = {s.key.to_user_string() for s in specs}
    for table in (
        "besparelser",
        "investeringer",
        "spor_status",
        "budgetopfoelgning",
        "budgetaftaler",
        "aarsoversigt",
        "maal",
        "leverancer",
    ):
        assert f"mart/{table}" in keys
    assert defs.resolve_job_def("forebyg") is not None
    assert all(s.kinds for s in specs)


@pytest.mark.slow
def test_nightly_schedule_runs_at_two_copenhagen_time():
    assert nightly.cron_schedule == "0 2 * * *"
    assert nightly.execution_timezone == "Europe/Copenhagen"
    assert nightly.job_name == "forebyg"


def tick(home, cursor):
    context = dg.build_sensor_context(cursor=cursor)
    result = inbox_sensor(home)(context)
    return result, context.cursor


@pytest.mark.slow
def test_sensor_waits_for_a_stable_file_then_requests_one_run_per_content(home):
    path = fixtures.activity(home.indbakke / "aktivitet.xlsx")
    first, cursor = tick(home, None)
    assert isinstance(first, dg.SkipReason)  # just arrived: may still be written
    second, cursor = tick(home, cursor)
    assert isinstance(second, dg.RunRequest)
    unchanged, cursor = tick(home, cursor)
    assert unchanged.run_key == second.run_key  # same content: Dagster runs it once

    path.write_bytes(path.read_bytes() + b"\0")  # changed content
    os.utime(path, (time.time() + 5, time.time() + 5))
    changing, cursor = tick(home, cursor)
    assert isinstance(changing, dg.SkipReason)
    changed, cursor = tick(home, cursor)
    assert isinstance(changed, dg.RunRequest) and changed.run_key != second.run_key


@pytest.mark.slow
def test_sensor_waits_while_a_run_is_unfinished(home):
    # a run still moving files out of the inbox must not make the rest look like a new batch
    fixtures.activity(home.indbakke / "aktivitet.xlsx")
    with dg.instance_for_test() as instance:
        running = dg.DagsterRun(job_name="forebyg", status=dg.DagsterRunStatus.STARTED)
        instance.add_run(running)
        context = dg.build_sensor_context(instance=instance)
        busy = inbox_sensor(home)(context)
        assert isinstance(busy, dg.SkipReason) and "i gang" in busy.skip_message
        instance.report_run_failed(running)
        first, cursor = tick(home, context.cursor)
        assert isinstance(first, dg.SkipReason)  # first sighting after the run
        second, _ = tick(home, cursor)
        assert isinstance(second, dg.RunRequest)


def test_sensor_ignores_excel_owner_and_hidden_files(home):
    (home.indbakke / "~$forbrug.xlsx").write_bytes(b"lock")
    (home.indbakke / ".skjult.xlsx").write_bytes(b"x")
    _, cursor = tick(home, None)
    result, _ = tick(home, cursor)
    assert isinstance(result, dg.SkipReason)


@pytest.mark.slow
def test_intake_asset_called_directly(home):
    settle([fixtures.activity(home.indbakke / "aktivitet.xlsx")])
    context = dg.build_asset_context()
    warehouse = Warehouse(home=home)
    [result] = intake_assets.indbakke(context, intake_assets.IntakeConfig(), warehouse)
    assert result.metadata["accepteret"] == 1
    with warehouse.connect() as con:
        assert con.execute("SELECT count(*) FROM raw.aktivitet").fetchone() == (30,)


@pytest.mark.slow
def test_checks_pass_on_good_data(home, small_inbox):
    result = run(home)
    evaluations = result.get_asset_check_evaluations()
    names = sorted(f"{e.asset_key.to_user_string()}:{e.check_name}" for e in evaluations)
    # intake: schema, reconciliation and rejected files (a warning); every mart: its
    # schema; spending reconciliation; the economic invariants; freshness of spending data
    # (a warning only)
    assert names == sorted(
        [
            "indbakke:skema",
            "indbakke:afstemning",
            "indbakke:afviste",
            "mart/budgetopfoelgning:afstemning",
            "mart/besparelser:tildeling",
            "mart/sporbarhed:sporing",
            "mart/budgetopfoelgning:korrigeret_budget",
            "mart/budgetaftaler:daekning",
            "mart/benchmark:rang",
            "mart/benchmark:ingen_totaler",
            "core/forbrug:aktualitet",
        ]
        + [f"mart/{t}:skema" for t in contracts()]
    )
    failed = [e for e in evaluations if not e.passed]
    # the fixture's spending ends 30-06-2025, long before today: only the warning fails
    assert [(e.check_name, e.severity.value) for e in failed] == [("aktualitet", "WARN")]
    assert failed[0].description.startswith("Forbrugsdata til og med 30-06-2025")


@pytest.mark.slow
def test_a_file_that_does_not_reconcile_is_rejected_alone(home, small_inbox, monkeypatch):
    run(home)  # a first, good state
    before = checksums(home)
    fixtures.spending(home.indbakke / "forbrug2.xlsx")
    book = load_workbook(fixtures.activity(home.indbakke / "aktivitet2.xlsx"))
    book.active.append(["2025-07", "Unge på uddannelseshjælp", 78, "forsørgelse", "personer"])
    book.save(home.indbakke / "aktivitet2.xlsx")
    settle([home.indbakke / "forbrug2.xlsx", home.indbakke / "aktivitet2.xlsx"])
    # a loader that miscounts amounts: the file's own total no longer matches what was loaded
    monkeypatch.setattr(deliver, "control_sum_oere", lambda frame, amount: 1 if amount else None)
    result = run(home)  # the run goes through
    # warnings only: the rejected file (forbrug2.xlsx), and the freshness of spending data
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert sorted((e.check_name, e.severity.value) for e in failed) == [
        ("afviste", "WARN"),
        ("aktualitet", "WARN"),
    ]
    status = dict(query(home, "SELECT filnavn, status FROM mart.leverancer"))
    assert (status["forbrug2.xlsx"], status["aktivitet2.xlsx"]) == ("afvist", "accepteret")
    # the spending fixture's 133 rows sum to 47.772.345,67 kr. (tests/fixtures.py)
    reason = (home.afvist / "forbrug2.xlsx.fejl.txt").read_text(encoding="utf-8")
    assert (
        "forbrug: filen har 133 rækker og 0,01 kr., lageret 133 rækker og 47.772.345,67 kr."
    ) in reason
    after = checksums(home)
    assert after["raw.forbrug"] == before["raw.forbrug"]  # nothing of the file is loaded
    assert after["raw.aktivitet"][0] == before["raw.aktivitet"][0] + 31  # 30 rows + the new
    assert not (home.indbakke / "forbrug2.xlsx").exists()


def test_sensor_never_stores_a_file_name_and_never_follows_a_link(home, tmp_path):
    fixtures.activity(home.indbakke / "010185-1234 aktivitet.xlsx")
    (home.indbakke / "genvej.xlsx").symlink_to(fixtures.activity(tmp_path / "udenfor.xlsx"))
    _, cursor = tick(home, None)
    result, cursor = tick(home, cursor)
    assert isinstance(result, dg.RunRequest) and result.tags["forebyg/filer"] == "1"
    assert set(result.tags) == {"forebyg/filer", "forebyg/kommune", "forebyg/indhold"}
    assert "010185" not in cursor and "aktivitet" not in cursor and "genvej" not in cursor


def test_every_step_gets_the_warehouse_as_the_fixed_resource():
    """Warehouse is a plain class now (no run config can move it): a step must declare it
    as dg.ResourceParam[Warehouse], or Dagster would take it for an upstream input."""
    job = defs.resolve_job_def("forebyg")
    as_input = [n.name for n in job.all_node_defs if "warehouse" in {i.name for i in n.input_defs}]
    assert as_input == []
    assert all("warehouse" in n.required_resource_keys for n in job.all_node_defs)


@pytest.mark.slow
def test_materialize_all_with_an_empty_inbox_recomputes_everything(home, small_inbox):
    run(home)  # the files are loaded; the inbox is empty now
    before = checksums(home)
    # "Materialize all" in the UI launches the job with its default config
    again = run(home)
    materialised = {e.asset_key for e in again.get_asset_materialization_events()}
    assert materialised == {s.key for s in defs.resolve_all_asset_specs()}
    assert checksums(home) == before  # the same data, nothing lost
    # the nightly run, the sensor and `forebyg run` skip everything after the intake
    idle = run(home, run_config=INBOX_ONLY_CONFIG)
    assert idle.get_asset_materialization_events() == []
    [request] = nightly.evaluate_tick(dg.build_schedule_context()).run_requests
    assert request.run_config == INBOX_ONLY_CONFIG
