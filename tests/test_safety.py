"""Nothing lost, nothing half-done: killed runs, failures between steps, and readers.

"Data tables" are every table but the delivery and run logs, whose timestamps and run
ids differ from run to run.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from assets.files import lifecycle
from pipelines.cli import execute
from runtime.resources import Home, Warehouse
from tests import fixtures
from tests.conftest import checksums, run, settle

pytestmark = pytest.mark.slow

LOGS = {"raw.leverancer", "raw.koersler", "mart.leverancer"}


def data(home: Home) -> dict:
    return {t: c for t, c in checksums(home).items() if t not in LOGS}


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """A home after a first run (S0) with a new file waiting, and the data after it (S1)."""
    base = Home(tmp_path_factory.mktemp("s0") / "hjem").create()
    settle(fixtures.inbox(base.indbakke))
    run(base)
    new = fixtures.activity(base.indbakke / "aktivitet_ny.xlsx")
    book = __import__("openpyxl").load_workbook(new)
    book.active.append(["2025-07", "Unge på uddannelseshjælp", 78, "forsørgelse", "personer"])
    book.save(new)
    settle([new])
    after = Home(tmp_path_factory.mktemp("s1") / "hjem")
    shutil.copytree(base.root, after.root)
    run(after)
    s0, s1 = data(base), data(after)
    assert s1 != s0
    return base, s0, s1


@pytest.fixture
def states(home, snapshot):
    base, s0, s1 = snapshot
    shutil.rmtree(home.root)
    shutil.copytree(base.root, home.root)
    return s0, s1


def test_killed_run_leaves_the_warehouse_as_before(home, states):
    s0, s1 = states
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "run", "--home", str(home.root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    working = home.work / "forebyg.duckdb"
    deadline = time.monotonic() + 60
    while not working.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the graph: intake done, core being built
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert data(home) == s0
    assert (home.indbakke / "aktivitet_ny.xlsx").exists()
    run(home)  # the stale working copy and lock are no obstacle
    assert data(home) == s1
    assert not (home.indbakke / "aktivitet_ny.xlsx").exists()


class Boom(Exception):
    pass


@pytest.mark.parametrize("failing_call", [1, 4, 12, 25])
def test_failure_between_steps_changes_nothing(home, states, monkeypatch, failing_call):
    """The n-th connection to the working copy fails: intake, core, mart or a check."""
    s0, _ = states
    calls = {"n": 0}
    real = Warehouse.connect

    def connect(self):
        calls["n"] += 1
        if calls["n"] == failing_call:
            raise Boom
        return real(self)

    monkeypatch.setattr(Warehouse, "connect", connect)
    assert not execute(home).success
    assert data(home) == s0
    assert (home.indbakke / "aktivitet_ny.xlsx").exists()


def test_failure_inside_publishing_before_the_swap(home, states, monkeypatch):
    s0, _ = states
    monkeypatch.setattr(Warehouse, "publish", lambda self: (_ for _ in ()).throw(Boom()))
    assert not execute(home).success
    assert data(home) == s0
    assert (home.indbakke / "aktivitet_ny.xlsx").exists()


def test_failure_after_the_swap_only_leaves_the_file_to_be_tidied(home, states, monkeypatch):
    _, s1 = states
    monkeypatch.setattr(lifecycle, "same_file", lambda *a: (_ for _ in ()).throw(Boom()))
    assert not execute(home).success
    assert data(home) == s1  # the data are in; the file is still in the inbox
    monkeypatch.undo()
    run(home)  # the file is recognised as already loaded and leaves the inbox
    assert data(home) == s1
    assert not (home.indbakke / "aktivitet_ny.xlsx").exists()


def test_a_reader_holding_the_warehouse_does_not_block_a_run(home, states):
    _, s1 = states
    reader = duckdb.connect(str(home.warehouse), read_only=True)
    before = reader.execute("SELECT count(*) FROM raw.aktivitet").fetchone()
    run(home)  # passes while the reader holds its connection (run asserts success)
    # the reader keeps its consistent view; a new reader sees the new warehouse
    assert reader.execute("SELECT count(*) FROM raw.aktivitet").fetchone() == before
    reader.close()
    assert data(home) == s1


def test_no_text_from_an_extract_becomes_a_formula(home, small_inbox):
    from openpyxl import load_workbook

    path = home.indbakke / "indsatser.xlsx"
    book = load_workbook(path)
    for cell, text in (("B4", '=HYPERLINK("http://example.invalid","klik")'), ("B5", "@SUM(1+1)")):
        book["Indsatser"][cell] = text
        book["Indsatser"][cell].data_type = "s"  # typed as text by the user, not a formula
    book.save(path)
    settle([path])
    run(home)
    report = load_workbook(home.rapporter / "styregruppe_bilag.xlsx")
    cells = [c for row in report["Indsatser"].iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=@"]
    assert len(texts) >= 2 and all(c.data_type == "s" for c in texts)
    assert os.path.getsize(home.rapporter / "styregruppe.xlsx") > 0
