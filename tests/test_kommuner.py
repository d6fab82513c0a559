"""Many municipalities in one deployment: the list, partition key → data home, and the
sensor and schedule per municipality (in-process; the daemon test is test_kommuner_e2e)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dagster as dg
import pytest

from benchmarks.queue import drop_sample_data
from pipelines.graph import build_definitions
from pipelines.jobs import KOMMUNE_TAG, inbox_sensor, nightly_per_kommune
from runtime import kommuner as kommuneliste
from runtime.kommuner import home_for
from runtime.resources import Home, Stop
from tests import fixtures
from tests.test_mart_values import RECORDED, mart_checksums

LIST = """
[[kommune]]
kode = "860"
navn = "Hjørring"
hjem = "hjoerring"

[[kommune]]
kode = "851"
navn = "Aalborg"
hjem = "{absolute}"

[[kommune]]
kode = "813"
navn = "Frederikshavn"
hjem = "frederikshavn"
"""


@pytest.fixture
def kommuner(tmp_path: Path) -> dict:
    path = tmp_path / "kommuner.toml"
    path.write_text(LIST.format(absolute=tmp_path / "andet" / "aalborg"), encoding="utf-8")
    return kommuneliste.load(path)


def test_the_list_maps_each_code_to_its_own_home(kommuner, tmp_path):
    assert list(kommuner) == ["860", "851", "813"]
    assert kommuner["860"].navn == "Hjørring"
    # a relative home is read from the list's folder, an absolute one as it stands
    assert home_for(kommuner, "860") == Home(tmp_path / "hjoerring")
    assert home_for(kommuner, "851") == Home(tmp_path / "andet" / "aalborg")


def test_no_list_configured_means_the_single_home(monkeypatch):
    monkeypatch.delenv(kommuneliste.ENV, raising=False)
    assert kommuneliste.load() is None
    defs = build_definitions(Home(Path("et-hjem")))
    assert defs.resolve_job_def("forebyg").partitions_def is None


def test_an_unknown_or_missing_partition_key_is_refused(kommuner):
    with pytest.raises(Stop, match="'999' står ikke i kommunelisten"):
        home_for(kommuner, "999")
    with pytest.raises(Stop, match="nævner ingen kommune"):
        home_for(kommuner, None)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('kode = 860\nnavn = "H"\nhjem = "h"', "kode er 860; den skal være et kommunenummer"),
        ('kode = "86"\nnavn = "H"\nhjem = "h"', "kode er '86'"),
        ('kode = "860"\nhjem = "h"', r"kommune nr. 1 \(860\): navn mangler"),
        ('kode = "860"\nnavn = "H"', "hjem .* mangler"),
    ],
)
def test_a_bad_list_is_refused_in_danish_naming_the_entry(tmp_path, entry, message):
    path = tmp_path / "kommuner.toml"
    path.write_text(f"[[kommune]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(Stop, match=message):
        kommuneliste.load(path)


def test_two_municipalities_may_not_share_a_home_or_a_code(tmp_path):
    path = tmp_path / "kommuner.toml"
    one = '[[kommune]]\nkode = "860"\nnavn = "A"\nhjem = "x"\n'
    path.write_text(one + one.replace('"860"', '"851"'), encoding="utf-8")
    with pytest.raises(Stop, match="bruges allerede af 860"):
        kommuneliste.load(path)
    path.write_text(one + one.replace('"x"', '"y"'), encoding="utf-8")
    with pytest.raises(Stop, match="koden 860 står der allerede"):
        kommuneliste.load(path)


def test_every_asset_is_partitioned_by_municipality_code(kommuner):
    defs = build_definitions(kommuner=kommuner)
    job = defs.resolve_job_def("forebyg")
    assert job.partitions_def.get_partition_keys() == ["860", "851", "813"]
    specs = defs.resolve_all_asset_specs()
    assert all(s.partitions_def == job.partitions_def for s in specs)


def test_the_list_from_the_environment_partitions_the_definitions(kommuner, tmp_path, monkeypatch):
    monkeypatch.setenv(kommuneliste.ENV, str(tmp_path / "kommuner.toml"))
    job = build_definitions().resolve_job_def("forebyg")
    assert job.partitions_def.get_partition_keys() == ["860", "851", "813"]


@pytest.mark.slow
def test_launch_config_cannot_redirect_a_municipality_to_another_home(kommuner, tmp_path):
    job = build_definitions(kommuner=kommuner).resolve_job_def("forebyg")
    other = {"resources": {"warehouse": {"config": {"home": str(tmp_path / "andet")}}}}
    with pytest.raises(dg.DagsterInvalidConfigError):
        job.execute_in_process(
            run_config=other, partition_key="860", instance=dg.DagsterInstance.ephemeral()
        )
    assert not (tmp_path / "andet").exists()


@pytest.mark.slow
def test_sensor_requests_one_run_per_municipality_whose_inbox_changed(kommuner):
    for kode in ("860", "813"):
        home = kommuner[kode].home.create()
        fixtures.activity(home.indbakke / "aktivitet.xlsx")
    kommuner["851"].home.create()  # an empty inbox asks for nothing
    sensor = inbox_sensor(kommuner)
    context = dg.build_sensor_context()
    first = sensor(context)
    assert isinstance(first, dg.SkipReason)  # just arrived: may still be written
    requests = sensor(dg.build_sensor_context(cursor=context.cursor))
    assert [r.partition_key for r in requests] == ["860", "813"]
    assert [r.tags[KOMMUNE_TAG] for r in requests] == ["860", "813"]
    # the same bytes in two municipalities are two runs, each keyed by its municipality
    assert requests[0].run_key.startswith("860-") and requests[1].run_key.startswith("813-")
    assert requests[0].run_key[4:] == requests[1].run_key[4:]


@pytest.mark.slow
def test_sensor_leaves_a_municipality_alone_while_its_run_is_unfinished(kommuner):
    # 860's run has started (its files are still in the inbox, or half moved to the archive):
    # a tick asks only for 813, and 860's files are looked at again when the run has ended
    for kode in ("860", "813"):
        fixtures.activity(kommuner[kode].home.create().indbakke / "aktivitet.xlsx")
    kommuner["851"].home.create()
    sensor = inbox_sensor(kommuner)
    with dg.instance_for_test() as instance:
        running = dg.DagsterRun(
            job_name="forebyg", status=dg.DagsterRunStatus.STARTED, tags={KOMMUNE_TAG: "860"}
        )
        instance.add_run(running)
        context = dg.build_sensor_context(instance=instance)
        sensor(context)  # first sighting
        requests = sensor(dg.build_sensor_context(instance=instance, cursor=context.cursor))
        assert [r.partition_key for r in requests] == ["813"]
        instance.report_run_failed(running)
        # the run has ended: 860's files are sighted now and ready on the tick after that
        # (813's request again carries its old run key, which Dagster runs only once)
        after = dg.build_sensor_context(instance=instance, cursor=context.cursor)
        assert [r.partition_key for r in sensor(after)] == ["813"]
        later = sensor(dg.build_sensor_context(instance=instance, cursor=after.cursor))
        assert [r.partition_key for r in later] == ["860", "813"]
        assert later[1].run_key == requests[0].run_key


@pytest.mark.slow
def test_nightly_schedule_requests_one_run_per_municipality(kommuner):
    schedule = nightly_per_kommune(kommuner)
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Europe/Copenhagen"
    repository = build_definitions(kommuner=kommuner).get_repository_def()
    context = dg.build_schedule_context(repository_def=repository)
    requests = schedule.evaluate_tick(context).run_requests
    assert [(r.partition_key, r.tags[KOMMUNE_TAG]) for r in requests] == [
        ("860", "860"),
        ("851", "851"),
        ("813", "813"),
    ]


@pytest.mark.slow
def test_a_partition_run_loads_its_own_home_only(kommuner):
    """One partition's run reads its own inbox and writes its own warehouse; the sample
    data give the marts recorded in mart_checksums.json, and the others stay untouched."""
    home = kommuner["851"].home.create()
    drop_sample_data(home.indbakke)
    fixtures.activity(kommuner["860"].home.create().indbakke / "aktivitet.xlsx")
    job = build_definitions(kommuner=kommuner).resolve_job_def("forebyg")
    result = job.execute_in_process(
        partition_key="851", instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    assert result.success
    assert mart_checksums(home) == json.loads(RECORDED.read_text())
    assert not kommuner["860"].home.warehouse.exists()
    assert list(kommuner["860"].home.indbakke.iterdir())  # its file waits for its own run
    assert not kommuner["813"].home.root.exists()


@pytest.mark.slow
def test_commands_take_a_municipality_from_the_list(kommuner, tmp_path, monkeypatch, capsys):
    from pipelines.cli import main

    monkeypatch.setenv(kommuneliste.ENV, str(tmp_path / "kommuner.toml"))
    assert main(["status", "--kommune", "813"]) == 0
    assert f"Intet lager i {tmp_path / 'frederikshavn'} endnu" in capsys.readouterr().out
    assert main(["status", "--kommune", "999"]) == 1
    assert "'999' står ikke i kommunelisten" in capsys.readouterr().err
    monkeypatch.delenv(kommuneliste.ENV)
    assert main(["status", "--kommune", "813"]) == 1
    assert "--kommune kræver en kommuneliste" in capsys.readouterr().err


def test_a_failure_alert_names_the_partitions_municipality_not_a_users_tag(kommuner, tmp_path):
    from pipelines.alerts import Place, failure_message

    when = dt.datetime(2026, 11, 28, 1, 5, tzinfo=dt.UTC)
    # a UI run of partition 813 with a misleading tag naming 851
    tags = {KOMMUNE_TAG: "851", "dagster/partition": "813"}
    run = dg.DagsterRun(job_name="forebyg", tags=tags)
    place = Place.of(run, kommuner)
    assert place.home == kommuner["813"].home
    subject, body = failure_message(place, run, when, [], False)
    assert subject == "forebyg: kørslen fejlede (Frederikshavn (813))"
    assert "Kommune: Frederikshavn (813)" in body
    assert f"Datahjem: {tmp_path / 'frederikshavn'}" in body
    assert "'forebyg run --kommune 813'" in body
    assert "851" not in body and "Aalborg" not in body
