"""The data home's event log (pipelines/event_storage.py): what it stores is read back by a
fresh instance, and threads and processes writing at once lose nothing. The instance of a
run recorded nowhere (pipelines/ephemeral.py): what Dagster's own ephemeral instance
records, through the one connection each storage holds."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import dagster as dg
import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from pipelines import ephemeral, event_storage
from pipelines.instance import instance

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@dg.asset
def taller() -> int:
    return 1


@dg.asset_check(asset=taller, blocking=True)
def taller_tjek() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def _materializations(dagster: dg.DagsterInstance) -> int:
    return len(dagster.fetch_materializations(dg.AssetKey("taller"), limit=1000).records)


def test_a_run_and_its_events_are_read_back_by_a_fresh_instance(tmp_path):
    with instance(tmp_path) as dagster:
        result = dg.materialize([taller, taller_tjek], instance=dagster)
        stored = [e.event_type_value for e in result.all_events]
    with instance(tmp_path) as dagster:  # another process would open it like this
        run = dagster.get_run_by_id(result.run_id)
        assert run.status == dg.DagsterRunStatus.SUCCESS
        read = [
            r.event_log_entry.dagster_event.event_type_value
            for r in dagster.get_records_for_run(result.run_id).records
            if r.event_log_entry.is_dagster_event
        ]
        # every event the run yielded, in its order (the run's own bookkeeping between them)
        rest = iter(read)
        assert all(kind in rest for kind in stored)
        assert read[-1] == "PIPELINE_SUCCESS"
        assert _materializations(dagster) == 1
        check = dagster.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("taller"), "taller_tjek")]
        )
        assert check and next(iter(check.values())).status.value == "SUCCEEDED"


def test_threads_storing_at_once_lose_no_event(tmp_path):
    # the webserver and the daemon store from several threads of one process
    with instance(tmp_path) as dagster:

        def report(n: int) -> None:
            for _ in range(n):
                dagster.report_runless_asset_event(dg.AssetMaterialization("taller"))

        threads = [threading.Thread(target=report, args=(25,)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert _materializations(dagster) == 4 * 25


def _recorded(dagster: dg.DagsterInstance) -> tuple[list[str], int, str, int]:
    """A run of ``taller`` and its check on ``dagster``: the event types read back from the
    run's records, the materializations, the check's status, and how many database
    connections the storages opened meanwhile."""
    opened = []

    def count(*_):
        opened.append(1)

    event.listen(Pool, "connect", count)
    try:
        result = dg.materialize([taller, taller_tjek], instance=dagster)
    finally:
        event.remove(Pool, "connect", count)
    assert dagster.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS
    check = dagster.event_log_storage.get_latest_asset_check_execution_by_key(
        [dg.AssetCheckKey(dg.AssetKey("taller"), "taller_tjek")]
    )
    return (
        [
            r.event_log_entry.dagster_event.event_type_value
            for r in dagster.get_records_for_run(result.run_id).records
            if r.event_log_entry.is_dagster_event
        ],
        _materializations(dagster),
        next(iter(check.values())).status.value,
        len(opened),
    )


def test_an_unrecorded_run_is_recorded_as_dagsters_ephemeral_instance_records_it():
    *dagsters, dagsters_connections = _recorded(dg.DagsterInstance.ephemeral())
    *ours, our_connections = _recorded(ephemeral.instance())
    assert ours == dagsters
    assert ours[1:] == [1, "SUCCEEDED"]
    # Dagster's own opens a connection per use of a storage (dozens for this one run);
    # ours opens none after the instance is built
    assert dagsters_connections > 20
    assert our_connections == 0


def test_threads_using_an_unrecorded_instance_at_once_lose_no_event():
    # the run's own thread uses the held connection, the others their own, at the same time
    dagster = ephemeral.instance()
    failed: list[BaseException] = []

    def report(n: int) -> None:
        try:
            for _ in range(n):
                dagster.report_runless_asset_event(dg.AssetMaterialization("taller"))
        except BaseException as error:  # a thread's error is not the test's by itself
            failed.append(error)

    threads = [threading.Thread(target=report, args=(25,)) for _ in range(3)]
    for t in threads:
        t.start()
    report(25)
    for t in threads:
        t.join()
    assert not failed
    assert _materializations(dagster) == 4 * 25
    assert not dagster.event_log_storage._held_conn.in_transaction()  # every use committed


WRITER = """
import sys
import dagster as dg
from pathlib import Path
from pipelines.instance import instance
from tests.test_event_storage import taller

with instance(Path(sys.argv[1])) as dagster:
    for _ in range(3):
        assert dg.materialize([taller], instance=dagster).success
"""


def test_two_processes_writing_the_same_home_lose_nothing(tmp_path):
    # the instance's files exist before both start (two processes creating them at the
    # same moment is a race in Dagster's own SQLite set-up, with or without this storage)
    with instance(tmp_path) as dagster:
        assert not dagster.get_runs()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], cwd=ROOT) for _ in range(2)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    with instance(tmp_path) as dagster:
        runs = dagster.get_runs()
        assert len(runs) == 2 * 3
        assert {r.status for r in runs} == {dg.DagsterRunStatus.SUCCESS}
        assert _materializations(dagster) == 2 * 3


def test_a_long_lived_process_keeps_few_files_open(tmp_path, monkeypatch):
    monkeypatch.setattr(event_storage, "OPEN_SHARDS", 3)
    with instance(tmp_path) as dagster:
        for _ in range(5):
            assert dg.materialize([taller], instance=dagster).success
        # the index and the most recently used run files; older runs are still readable
        assert len(dagster.event_log_storage._engines) == 3
        assert all(dagster.get_records_for_run(r.run_id).records for r in dagster.get_runs())
        assert _materializations(dagster) == 5


def test_wiping_the_event_log_leaves_it_usable(tmp_path):
    with instance(tmp_path) as dagster:
        assert dg.materialize([taller], instance=dagster).success
        dagster.event_log_storage.wipe()
        assert _materializations(dagster) == 0
        result = dg.materialize([taller], instance=dagster)
        assert result.success
        assert dagster.get_records_for_run(result.run_id).records
        assert _materializations(dagster) == 1
