"""Issue 28, the Dagster UI tells the truth: a command's runs are on the Overview timeline,
their tags say what they did, a run that rejected files is marked, and every asset group
is described. The last test opens the UI's runs page in Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.definitions import defs
from pipelines.graph import GROUPS
from pipelines.instance import dagster_home, instance
from pipelines.recording import KIND_TAG, LOCATION
from runtime.resources import Home
from tests.alert_servers import free_port
from tests.conftest import settle

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REJECTED_TAG = "forebyg/afviste_filer"


def test_every_asset_group_is_described():
    groups = {spec.group_name for spec in defs.resolve_all_asset_specs()}
    assert groups == set(GROUPS)  # "makroer" included
    for spec in defs.resolve_all_asset_specs():
        assert spec.metadata["gruppe"] == GROUPS[spec.group_name]


@pytest.fixture(scope="module")
def used(tmp_path_factory):
    """A home after `run` (with one empty file, rejected), `report`, closing the follow-up
    of 30-06-2025 (the small municipality's spending runs to June 2025) and `rebuild`."""
    from tests import fixtures

    root = Home(tmp_path_factory.mktemp("ui") / "hjem").create().root
    settle(fixtures.inbox(root / "indbakke"))
    (root / "indbakke" / "tom.xlsx").write_bytes(b"")
    settle([root / "indbakke" / "tom.xlsx"])
    assert main(["run", "--home", str(root)]) == 0
    assert main(["report", "--home", str(root)]) == 0
    assert main(["opfoelgning", "luk", "30-06-2025", "--home", str(root)]) == 0
    assert main(["rebuild", "--home", str(root)]) == 0
    return root


@pytest.mark.slow
def test_a_commands_runs_are_in_the_uis_location_with_what_they_did(used):
    with instance(used) as ui:
        runs = list(reversed(ui.get_runs()))  # oldest first
        checks = ui.event_log_storage.get_latest_asset_check_execution_by_key(
            [k for c in defs.asset_checks for k in c.check_keys if k.name == "afviste"]
        )
    # the run, the report, the follow-up's report, the rebuild: four runs, in the location
    # workspace.yaml loads
    kinds = [r.tags[KIND_TAG] for r in runs]
    assert kinds == ["fuld", "rapport", "opfølgning", "genopbygning"]
    for run in runs:
        assert run.remote_job_origin is not None
        assert run.remote_job_origin.location_name == LOCATION
        assert run.remote_job_origin.repository_origin.repository_name == "__repository__"
    # the run rejected tom.xlsx (1 file); the others rejected nothing
    assert [r.tags.get(REJECTED_TAG) for r in runs] == ["1", None, None, None]
    (record,) = checks.values()
    assert record.run_id == runs[3].run_id  # the rebuild's check is the latest: it passed
    assert record.evaluation.passed


@pytest.mark.slow
def test_the_rejecting_runs_check_warns(used):
    with instance(used) as ui:
        first = ui.get_runs()[-1]  # the oldest
        found = [
            e.dagster_event.event_specific_data
            for e in ui.all_logs(first.run_id)
            if e.dagster_event is not None
            and e.dagster_event.event_type_value == "ASSET_CHECK_EVALUATION"
            and e.dagster_event.event_specific_data.check_name == "afviste"
        ]
    (evaluation,) = found
    assert not evaluation.passed
    assert evaluation.severity.value == "WARN"  # a warning: the other files are loaded
    assert evaluation.description == "1 fil afvist: tom.xlsx."


@contextlib.contextmanager
def webserver(home: Path, port: int):
    """dagster-webserver on ``home``'s instance, in its own process group (it ignores
    SIGINT), stopped by the group's id."""
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home(home)),
        "FOREBYG_HOME": str(home),
    }
    log = open(home / "webserver.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(240):  # the code server loads the definitions first
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=5)
                break
            if proc.poll() is not None:
                raise AssertionError((home / "webserver.log").read_text(errors="replace"))
            time.sleep(1)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.mark.slow
def test_the_runs_page_lists_a_command_run_with_its_tags(used):
    if not CHROMIUM:
        if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
            pytest.fail("Chromium is required here but not installed")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with webserver(used, free_port()) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{url}/runs")
            page.get_by_text(f"{KIND_TAG}: genopbygning").first.wait_for(timeout=120_000)
            text = page.inner_text("body")
            for kind in ("fuld", "rapport", "opfølgning", "genopbygning"):
                assert f"{KIND_TAG}: {kind}" in text
            assert f"{REJECTED_TAG}: 1" in text
            page.screenshot(path=str(SCREENSHOTS / "dagster-koersler.png"))
            # the Overview timeline draws the job's row of the code location, with the runs
            page.goto(f"{url}/overview/activity/timeline")
            page.get_by_text(LOCATION).first.wait_for(timeout=60_000)
            page.screenshot(path=str(SCREENSHOTS / "dagster-tidslinje.png"))
        finally:
            browser.close()
