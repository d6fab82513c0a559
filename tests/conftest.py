"""Shared test fixtures: a temporary data home and a way to run the real job on it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import settings

from pipelines.cli import execute
from runtime.resources import Home
from tests import fixtures

# Tiers are explicit: a test that runs a Dagster job, renders reports, fuzzes or starts
# services carries `@pytest.mark.slow` (or its module `pytestmark = pytest.mark.slow`), and
# `make test-hurtig` leaves those out. The guard below keeps the mark honest: a job run
# started while a test without the mark is being set up or run fails that test, in either
# tier, so the fast tier cannot quietly grow a job run.
_running: list[pytest.Item | None] = [None]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _running[0] = item
    try:
        return (yield)
    finally:
        _running[0] = None


def pytest_configure(config):
    import dagster as dg

    settings.register_profile("forebyg", print_blob=False)  # a failure: the example only
    settings.load_profile("forebyg")
    plain = dg.JobDefinition.execute_in_process

    def guarded(self, *args, **kwargs):
        item = _running[0]
        if item is not None and item.get_closest_marker("slow") is None:
            pytest.fail(
                f"{item.nodeid} runs the Dagster job {self.name!r} but is not marked "
                "@pytest.mark.slow (tests/conftest.py: tiers)",
                pytrace=False,
            )
        return plain(self, *args, **kwargs)

    dg.JobDefinition.execute_in_process = guarded


@pytest.fixture(autouse=True, scope="session")
def quick_settle():
    """The two looks at the inbox (``inbox.stable``) 10 ms apart instead of 2 s in every
    test run in this process: a test that means a file to change between them changes it
    itself."""
    from assets.files import inbox

    before, inbox.SETTLE_SECONDS = inbox.SETTLE_SECONDS, 0.01
    yield
    inbox.SETTLE_SECONDS = before


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "hjem").create()


def settle(paths: list[Path]) -> list[Path]:
    """Make files look as if they were written a minute ago, in the order given (the inbox
    is read oldest first)."""
    past = time.time() - 60
    for p in paths:
        os.utime(p, (past, past))
    return paths


@pytest.fixture
def small_inbox(home: Home) -> list[Path]:
    return settle(fixtures.inbox(home.indbakke))


@pytest.fixture(scope="module")
def small_loaded(tmp_path_factory) -> Home:
    """The small municipality after one run, shared by a module's read-only tests."""
    home = Home(tmp_path_factory.mktemp("lille") / "hjem").create()
    settle(fixtures.inbox(home.indbakke))
    run(home)
    return home


def run(home: Home, **kwargs):
    result = execute(home, **kwargs)
    assert result.success, [
        e.message for e in result.all_events if e.event_type_value == "STEP_FAILURE"
    ]
    return result


def query(home: Home, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def checksums(home: Home) -> dict[str, str]:
    """A content checksum of every table in the warehouse (order-independent), without the
    time a file was received (``modtaget``: mart.sporbarhed repeats it from the delivery
    log, and it differs on every run)."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        tables = con.execute(
            "SELECT t.schema_name, t.table_name, bool_or(c.column_name = 'modtaget') "
            "FROM duckdb_tables() t JOIN duckdb_columns() c USING (schema_name, table_name) "
            "GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(CAST(x AS VARCHAR), chr(10) "
                f"ORDER BY CAST(x AS VARCHAR)), '')) "
                f"FROM (SELECT * {'EXCLUDE (modtaget)' if timed else ''} FROM {s}.{t}) x"
            ).fetchone()
            for s, t, timed in tables
        }
    finally:
        con.close()
