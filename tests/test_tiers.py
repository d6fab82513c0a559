"""The test tiers are explicit marks, and the fast tier runs no Dagster job.

tests/conftest.py wraps ``JobDefinition.execute_in_process``: started from a test without
``@pytest.mark.slow`` it fails that test. These tests are unmarked, so they are that case."""

from __future__ import annotations

import dagster as dg
import pytest


@dg.asset
def tal() -> int:
    return 1


def test_a_test_not_marked_slow_cannot_run_a_job():
    with pytest.raises(pytest.fail.Exception, match=r"test_tiers\.py.* not marked"):
        dg.materialize([tal])


def test_the_forebyg_job_is_refused_before_it_reads_the_home(home):
    from pipelines.cli import execute

    (home.indbakke / "forbrug.xlsx").write_bytes(b"ikke et regneark")
    with pytest.raises(pytest.fail.Exception, match="forebyg"):
        execute(home)
    assert (home.indbakke / "forbrug.xlsx").exists()  # not read, not moved: no run began


@pytest.mark.slow
def test_a_slow_test_may_run_a_job():
    assert dg.materialize([tal]).success


def test_the_slow_mark_is_registered(pytestconfig):
    assert any(m.startswith("slow:") for m in pytestconfig.getini("markers"))
