"""The command line, as finance staff and operations use it."""

from __future__ import annotations

from pipelines.cli import main
from tests import fixtures


def test_run_prints_files_and_savings_per_track_and_agreement(home, small_inbox, capsys):
    assert main(["run", "--home", str(home.root)]) == 0
    out = capsys.readouterr().out
    assert "Filer i denne kørsel: 6 (accepteret 6, afvist 0" in out
    assert "mio. kr. i løbende priser" in out
    # spor 1 under 2024-2027: budgeted 4,2 mio. (all of it in the years with data),
    # realised 5,0, investment 0,6, spent 0,6, net effect 5,0 − 0,6 = 4,4
    # (see test_pipeline.py for the initiatives' figures)
    assert (
        "1    2024-2027             4,2           4,2           5,0           0,6           0,6"
        "           4,4  grøn          2024, 2025"
    ) in out
    assert (home.rapporter / "styregruppe.xlsx").exists()
    assert (home.rapporter / "styregruppe.html").exists()


def test_check_exit_codes_and_messages(tmp_path, capsys):
    good = fixtures.activity(tmp_path / "aktivitet.xlsx")
    bad = tmp_path / "tom.xlsx"
    bad.write_bytes(b"")
    assert main(["check", str(good)]) == 0
    assert "OK – aktivitet, 30 rækker" in capsys.readouterr().out
    assert main(["check", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "tom.xlsx: AFVIST – 1 fejl:" in out
    assert "Filen er tom (0 byte)" in out


def test_demo_refuses_to_wipe_a_real_home(home, small_inbox, capsys):
    assert main(["run", "--home", str(home.root)]) == 0
    assert main(["demo", "--home", str(home.root)]) == 2
    assert "er ikke et demo-hjem" in capsys.readouterr().err
    assert home.warehouse.exists()


def test_demo_on_the_sample_data(tmp_path, capsys):
    assert main(["demo", "--home", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "opdigtede eksempeldata" in out
    assert "Filer i denne kørsel: 15 (accepteret 15, afvist 0" in out
    assert "mio. kr. i 2026-priser" in out
    for spor in (1, 2, 3):
        for aftale in ("2023-2026", "2024-2027"):
            assert f"{spor}    {aftale}" in out
    # a second demo starts afresh in the same (demo) home
    assert main(["demo", "--home", str(tmp_path / "demo")]) == 0


def test_status_shows_holdings_gaps_and_stale_data(home, small_inbox, capsys):
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
    from tests.conftest import settle

    settle([path])
    assert main(["run", "--home", str(home.root)]) == 0
    capsys.readouterr()
    assert main(["status", "--home", str(home.root)]) == 0
    out = capsys.readouterr().out
    assert "  botilbud         2025-06  mangler: 2024-03" in out
    assert "ADVARSEL: forbrugsdata går kun til 30-06-2025" in out


def test_progress_bar_counts_steps(capsys):
    import logging

    from pipelines.progress import _Bar

    bar = _Bar(4)
    for step in ("indbakke", "core__forbrug"):
        bar.emit(logging.makeLogRecord({"msg": f'Started execution of step "{step}".'}))
    bar.emit(logging.makeLogRecord({"msg": "Finished execution"}))  # not a step start
    err = capsys.readouterr().err
    assert err.endswith("2/4 core/forbrug" + " " * 28)
    assert "███████████████" in err.split("\r")[-1]  # half of 30


def test_report_rebuilds_the_reports_from_the_warehouse(home, small_inbox, capsys):
    assert main(["report", "--home", str(home.root)]) == 1  # nothing to report from yet
    assert main(["run", "--home", str(home.root)]) == 0
    (home.rapporter / "styregruppe.xlsx").unlink()
    assert main(["report", "--home", str(home.root)]) == 0
    assert (home.rapporter / "styregruppe.xlsx").exists()
