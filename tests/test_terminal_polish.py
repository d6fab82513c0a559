"""Issue 28, defect 12: the terminal's small faults, each as a user met it."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from assets.reports.status import status_lines
from pipelines.cli import main
from runtime import terminal
from runtime.terminal import Progress, shorten

ROOT = Path(__file__).resolve().parents[1]


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_long_label_is_cut_after_a_word_with_an_ellipsis(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    # 19 columns: 18 before the ellipsis hold "Tjekker skemaet fo", cut back to a whole word
    assert shorten("Tjekker skemaet for status pr. spor", 19) == "Tjekker skemaet…"
    assert shorten("Kort", 19) == "Kort"
    bar = Progress(Tty())
    bar.step("Tjekker skemaet for " + "budgetopfølgning pr. område og år " * 3, 10)
    line = bar.line()
    assert len(line) <= 80
    label = line[29:].rsplit(" ", 2)[0].strip()  # after "[██··] 1/10 ", before the seconds
    assert label.endswith("…") and label[:-1].rstrip() in bar.name


def test_the_progress_line_says_what_loads_before_the_first_step():
    bar = Progress(Tty())
    assert "indlæser" in bar.line()  # not a bare "Starter forebyg" for the slow imports
    bar.say("Indlæser Dagster og tabellernes definitioner")
    assert "Indlæser Dagster" in bar.line()


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`forebyg check … | head -0`: the reader is gone before anything is written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "check", "findes_ikke.xlsx", "--home", "hjem"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    proc.stdout.close()  # the reader stops at once
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141, err
    assert err == ""  # no "uventet fejl (BrokenPipeError)", no traceback


def test_status_keeps_long_kind_names_in_their_column():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA mart; CREATE SCHEMA core")
    con.execute("CREATE TABLE mart.leverancer (art VARCHAR, modtaget TIMESTAMP, status VARCHAR)")
    con.execute(
        "INSERT INTO mart.leverancer VALUES ('forbrug', '2025-07-01 08:00', 'accepteret'), "
        "('sammenligningsgruppe', '2025-07-02 09:30', 'accepteret')"
    )
    con.execute("CREATE TABLE core.forbrug (omraade VARCHAR, aar INTEGER, maaned INTEGER)")
    con.execute("INSERT INTO core.forbrug VALUES ('botilbud', 2025, 6)")
    lines = status_lines(con, 0, dt.date(2025, 7, 3))
    kinds = [line for line in lines[1:3]]
    # both dates start in the same column: after the longest name (20) and a space
    assert [line.index("0") for line in kinds] == [2 + 20 + 1] * 2
    assert kinds[1] == "  sammenligningsgruppe 02-07-2025 09:30  (1 fil)"


@pytest.mark.slow
def test_an_unknown_committee_is_said_on_its_own_line(small_loaded, monkeypatch):
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.delenv("FOREBYG_LOG", raising=False)
    assert main(["report", "--udvalg", "Findes ikke", "--home", str(small_loaded.root)]) == 1
    assert terminal.current() is None
    before, _, after = tty.getvalue().partition("Kataloget har intet udvalg 'Findes ikke'")
    assert after, tty.getvalue()
    assert before.endswith("\r\033[K")  # the progress line was cleared first
