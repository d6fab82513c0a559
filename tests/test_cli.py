"""The command line, as finance staff and operations use it."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys

import pytest
from openpyxl import Workbook

from assets.files.inbox import candidates
from pipelines.cli import deliver_in_name_order, main
from pipelines.definitions import defs
from pipelines.instance import instance
from pipelines.progress import step_name
from runtime.resources import Home
from runtime.terminal import Progress, paint
from tests import fixtures
from tests.conftest import settle


@pytest.mark.slow
def test_run_prints_files_rejections_and_savings_within_80_columns(
    home, small_inbox, capsys, monkeypatch
):
    (home.indbakke / "tom.xlsx").write_bytes(b"")
    settle([home.indbakke / "tom.xlsx"])
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(home.root.parent)  # paths print as the user gave them: hjem/…
    assert main(["run", "--home", "hjem"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\033[" not in out  # piped: no colours
    assert lines[0] == "7 filer i denne kørsel: 6 accepteret, 1 afvist."
    assert lines[1] == "AFVIST: tom.xlsx"  # each rejected file, with its first problem
    assert lines[2].startswith("  Filen er tom (0 byte)")
    # spor 1 under 2024-2027: budgeted 4,2 mio. (all of it in the years with data),
    # realised (see test_pipeline.py for the initiatives' figures) B1+B2 on the adopted
    # budget 1,1 (2024) + 1,9 (2025), L1 0,6 + 1,2 = 4,8: 4,8 / 4,2 = 114 %; with spor 2
    # (2,5 budgeted; A1 (100 − 90) × 120.000 + (100 − 80) × 120.000 = 3,6 realised) the
    # agreement has realised 8,4 of 6,7 mio. kr. (125,4 % → 125 %)
    assert "Spor 1             4,2          4,2         4,8   114 %  grøn" in lines
    assert "I alt              6,7          6,7         8,4   125 %  grøn" in lines
    assert "Budgetaftale 2024-2027: Strategien har realiseret 8,4 af 6,7 mio. kr." in lines
    assert (
        "Budgetaftalerne 2023-2026 og 2024-2027 overlapper i 2024-2026 og må ikke lægges "
        "sammen." in out.replace("\n", " ")
    )
    assert "  hjem/rapporter/styregruppe.xlsx" in lines
    assert (home.rapporter / "styregruppe.html").exists()


@pytest.mark.slow
def test_check_exit_codes_and_messages(tmp_path, capsys):
    good = fixtures.activity(tmp_path / "aktivitet.xlsx")
    bad = tmp_path / "tom.xlsx"
    bad.write_bytes(b"")
    assert main(["check", str(good)]) == 0
    assert "OK – aktivitet, 30 rækker" in capsys.readouterr().out
    one = tmp_path / "prisindeks.xlsx"
    fixtures._save(
        fixtures._sheet(
            Workbook(), "Prisindeks", ["År", "Type", "Indeks"], [[2025, "service", 100]]
        ).parent,
        one,
    )
    assert main(["check", str(one)]) == 0
    assert "OK – prisindeks, 1 række." in capsys.readouterr().out
    assert main(["check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "tom.xlsx: AFVIST – 1 fejl:" in out
    assert "Filen er tom (0 byte)" in out


def test_the_demo_delivers_the_sample_files_in_name_order_whatever_their_file_times(tmp_path):
    # the sample FOLK1A API csvs written last (newest) and the Statbank export first
    # (oldest): copied as they were, the inbox would read the API csvs last and they would
    # wholly replace the export's 12 municipalities ("1 allerede erstattet" in the demo)
    source, inbox = tmp_path / "sample", tmp_path / "indbakke"
    source.mkdir()
    inbox.mkdir()
    names = [f"dst_folk1a_{part}.csv" for part in ("api_2015-2019", "api_2020-2025", "statbank")]
    for age, name in zip((10, 20, 30), names, strict=True):  # seconds old: the export oldest
        (source / name).write_text(name, encoding="utf-8")
        os.utime(source / name, (1_000_000_000 - age, 1_000_000_000 - age))
    deliver_in_name_order(sorted(source.iterdir(), reverse=True), inbox)
    assert [f.name for f in candidates(inbox)] == names  # read oldest first: name order
    assert [(inbox / n).read_text(encoding="utf-8") for n in names] == names


@pytest.mark.slow
def test_demo_refuses_to_wipe_a_real_home(home, small_inbox, capsys):
    assert main(["run", "--home", str(home.root)]) == 0
    assert main(["demo", "--home", str(home.root)]) == 2
    assert "er ikke et demo-hjem" in capsys.readouterr().err
    assert home.warehouse.exists()


@pytest.mark.slow
def test_demo_on_the_sample_data(tmp_path, capsys):
    assert main(["demo", "--home", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    # what the Dagster UI of `make dev` reads: the data home's own instance
    with instance(tmp_path / "demo") as ui:
        for spec in defs.resolve_all_asset_specs():
            event = ui.get_latest_materialization_event(spec.key)
            assert event is not None, spec.key
        check_keys = [k for c in defs.asset_checks for k in c.check_keys]
        executions = ui.event_log_storage.get_latest_asset_check_execution_by_key(check_keys)
        assert set(executions) == set(check_keys)
        assert len(ui.get_runs()) == 1
    assert "opdigtede eksempeldata" in out
    # 18 files (one the holders' forecast, one the owners' comments, one the budget
    # corrections), and 6 for the comparison: REGK31 and FOLK1A each in both DST layouts,
    # the API csv for all 98 municipalities 2015-2025 (FOLK1A's in two files, 2015-2019 and
    # 2020-2025), the Statbank export for 12 of them 2020-2024. A file replaces only its own
    # municipalities and years, so the two FOLK1A downloads add up and the Statbank export
    # (the later file) replaces part of the API csv; none is wholly replaced:
    # 18 + 6 = 24 files, all accepted.
    assert "24 filer i denne kørsel: 24 accepteret." in out
    assert "Besparelser i mio. kr., 2026-priser" in out
    for aftale in ("2023-2026", "2024-2027"):
        assert f"Budgetaftale {aftale}: Strategien har realiseret" in out
    # a second demo starts afresh in the same (demo) home
    assert main(["demo", "--home", str(tmp_path / "demo")]) == 0


@pytest.mark.slow
def test_status_shows_holdings_gaps_and_stale_data(home, small_inbox, capsys, monkeypatch):
    from openpyxl import load_workbook

    path = home.indbakke / "forbrug.xlsx"
    book = load_workbook(path)
    sheet = book["Forbrug"]
    for row in list(sheet.iter_rows(min_row=4)):  # take March 2024 out of the spending file
        if row[5].value == "2024-03":
            for cell in row:
                cell.value = None
    sheet.cell(sheet.max_row, 8).value = None  # and its "I alt"
    book.save(path)
    settle([path])
    assert main(["run", "--home", str(home.root)]) == 0
    capsys.readouterr()
    assert main(["status", "--home", str(home.root)]) == 0
    out = capsys.readouterr().out
    assert "  botilbud         2025-06  mangler: 2024-03" in out
    assert "ADVARSEL: forbrugsdata går kun til 30-06-2025" in out
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["status", "--home", str(home.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[-2].startswith("  ")  # the long warning wraps, indented


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colours_only_on_a_terminal_that_wants_them(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert paint("rød", Tty()) == "\033[31mrød\033[0m"
    assert paint("grøn", Tty()) == "\033[32mgrøn\033[0m"
    assert paint("rød", io.StringIO()) == "rød"  # piped
    monkeypatch.setenv("NO_COLOR", "1")
    assert paint("rød", Tty()) == "rød"


def test_every_step_has_a_danish_name_and_the_line_fits_80_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    names = [step_name(n.name) for n in defs.resolve_job_def("forebyg").nodes_in_topological_order]
    assert all("__" not in n and "_" not in n for n in names)
    assert step_name("mart__spor_status_skema") == "Tjekker skemaet for status pr. spor"
    assert step_name("indbakke") == "Læser filerne i indbakken"
    bar = Progress(Tty())
    for n in names[:20]:
        bar.step(n, len(names))
    line = bar.line()
    assert len(line) <= 80
    steps = len(names)  # 20 of them done: about half the bar
    assert line.startswith(f"[{'█' * int(20 * 20 / steps)}{'·' * (20 - int(20 * 20 / steps))}]")
    assert f" 20/{steps} " in line
    assert step_name(defs.resolve_job_def("forebyg").nodes_in_topological_order[19].name) in line


@pytest.mark.slow
def test_progress_shows_first_in_danish_on_a_terminal(tmp_path):
    """`forebyg run` on a pseudo-terminal 80 columns wide, as a user sees it: the start line
    comes before any step (the order of what is written, not the clock: a loaded machine
    may take any time to get there)."""
    home = Home(tmp_path / "hjem").create()
    settle(fixtures.inbox(home.indbakke))
    env = {**os.environ, "COLUMNS": "80", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    env.pop("FOREBYG_LOG", None)
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "run", "--home", "hjem"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    os.close(master)
    text = b"".join(chunks).decode()
    assert "Starter forebyg" in text
    assert text.index("Starter forebyg") < text.index("Læser filerne i indbakken")
    for step in ("Læser filerne i indbakken", "Opgør besparelser", "Skriver rapporterne"):
        assert step in text
    assert "core/" not in text and "__" not in text
    assert "\033[32mgrøn\033[0m" in text  # status words in colour on a terminal
    visible = re.sub(r"\033\[[0-9;]*[A-Za-z]", "", text)
    assert max(len(part) for part in re.split(r"[\r\n]", visible)) <= 80


@pytest.mark.slow
def test_report_rebuilds_the_reports_from_the_warehouse(home, small_inbox, capsys):
    assert main(["report", "--home", str(home.root)]) == 1  # nothing to report from yet
    assert main(["run", "--home", str(home.root)]) == 0
    (home.rapporter / "styregruppe.xlsx").unlink()
    assert main(["report", "--home", str(home.root)]) == 0
    assert (home.rapporter / "styregruppe.xlsx").exists()


@pytest.mark.slow
def test_status_counts_files_and_says_how_long_ago_in_words(small_loaded):
    import datetime as dt

    from assets.reports.status import status_lines
    from runtime.resources import read_published

    with read_published(small_loaded) as con:
        # spending runs to June 2025 (tests/fixtures.py); one spending file, three budgets
        lines = status_lines(con, 0, dt.date(2025, 7, 1))
        assert any(line.startswith("  forbrug ") and line.endswith("(1 fil)") for line in lines)
        assert any(line.startswith("  budget ") and line.endswith("(3 filer)") for line in lines)
        assert "Forbrugsdata til og med 30-06-2025 (i går)." in lines
        assert "Forbrugsdata til og med 30-06-2025 (12 dage siden)." in status_lines(
            con, 0, dt.date(2025, 7, 12)
        )
        # data up to the end of the month we are in: not "-10 dage siden"
        assert "Forbrugsdata til og med 30-06-2025 (indeværende måned)." in status_lines(
            con, 0, dt.date(2025, 6, 20)
        )


def test_the_first_runs_imports_are_frozen_once_and_handed_back_at_exit():
    """What the first run imports is kept out of the cycle collector's scans (gc.freeze),
    once per process, with the collector on again afterwards; at exit the objects are handed
    back, so DuckDB's bindings count nothing as leaked on the user's terminal (without the
    hand-back they print 'nanobind: leaked 27 instances!' and a list of types)."""
    script = (
        "import gc\n"
        "from pipelines.cli import _long_lived\n"
        "with _long_lived():\n"
        "    import duckdb\n"
        "    duckdb.connect().execute('SELECT 1').fetchall()\n"
        "frozen = gc.get_freeze_count()\n"
        "with _long_lived():\n"
        "    import json\n"
        "print(frozen > 0, gc.get_freeze_count() == frozen, gc.isenabled())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "True True True\n", "")
