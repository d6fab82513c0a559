"""Text from files, names and arguments never reaches a terminal, receipt, log or page raw:
control characters, ANSI sequences, line breaks and bidi marks are escaped (docs/valg.md,
"Tekst fra filer")."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from assets.danish import UNSAFE, neutral, neutral_lines
from assets.intake.parsing.names import shown
from assets.intake.parsing.values import text
from assets.intake.problems import Problem
from pipelines.cli import main
from runtime import terminal
from runtime.resources import Home
from tests import fixtures
from tests.conftest import run, settle

ESC = "\x1b"
# an indicator that, shown raw, paints the terminal red and starts a line of its own
FORGED = "Unge\x1b[31m rød\x1b[0m\r\nAdvarsel: FORFALSKET\u202e"


def hostile_activity(path: Path, indicator: str = FORGED) -> Path:
    """One month of an aktivitet csv whose indicator is quoted so its CR/LF stay in the cell."""
    quoted = indicator.replace('"', '""')
    path.write_text(
        f'Periode;Indikator;Antal;Område;Enhed\n2025-01;"{quoted}";5;botilbud;personer\n',
        encoding="utf-8",
    )
    return settle([path])[0]


def forged_lines(text: str) -> list[str]:
    """Lines the program did not write: one that begins with the forged text."""
    return [line for line in text.splitlines() if line.lstrip().startswith("Advarsel: FORFALSK")]


def test_neutral_escapes_every_unsafe_character_visibly():
    assert neutral("a\x1b[31mb") == "a\\x1b[31mb"
    assert neutral("x\r\ny") == "x\\r\\ny"
    assert neutral("\x85\x9b\x7f\t") == "\\x85\\x9b\\x7f\\t"  # C1 (NEL, CSI), DEL, tab
    assert neutral("\u2028\u2029\u202e\u2066\u2069") == "\\u2028\\u2029\\u202e\\u2066\\u2069"
    assert neutral("Botilbud æøå – 5.38.50") == "Botilbud æøå – 5.38.50"  # Danish stays
    assert neutral_lines("linje 1\nlinje\x1b 2") == "linje 1\nlinje\\x1b 2"


def test_a_text_cell_is_stored_on_one_line_without_control_characters():
    import pandas as pd

    parsed, bad = text(pd.Series([FORGED, "Alt+Enter\ni Excel", "  ren  "]))
    assert list(parsed) == [
        "Unge\\x1b[31m rød\\x1b[0m Advarsel: FORFALSKET\\u202e",  # CR/LF → one space
        "Alt+Enter i Excel",
        "ren",
    ]
    assert not bad.any()


def test_problems_and_names_escape_what_they_quote():
    problem = Problem("f.csv", "et tal", "Ark\u202e1", 3, "Beløb", "1\x1b[2J\nAfvist: x")
    assert not UNSAFE.search(problem.text())
    assert "\\x1b[2J\\nAfvist: x" in problem.text()
    assert shown("rapport\x1b]0;titel\x07.csv", 1) == "rapport\\x1b]0;titel\\x07.csv"


@pytest.mark.slow
def test_hostile_indicator_reaches_no_output_raw(home, small_inbox, capsys, monkeypatch):
    """Beside the good files: the summary, the receipts, the log and the page hold no ESC
    and no line that starts with the forged 'Advarsel'."""
    run(home)  # the catalogue is in the warehouse: an unknown indicator gets a warning
    hostile_activity(home.indbakke / "aktivitet_fjendtlig.csv")
    good = fixtures.spending(home.indbakke / "forbrug_igen.xlsx")
    settle([good])
    capsys.readouterr()
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["run", "--home", str(home.root)]) == 0
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert "2 filer i denne kørsel: 2 accepteret." in out  # the good file beside it loaded
    assert "FORFALSKET" in out  # the warning about the unknown indicator names it ...
    receipts = "".join(p.read_text("utf-8") for p in home.kvitteringer.glob("*.txt"))
    assert "FORFALSKET" in receipts
    page = (home.rapporter / "styregruppe.html").read_text("utf-8")
    for shown_text in (out, receipts, page):
        assert ESC not in shown_text  # ... but never raw
        assert "\u202e" not in shown_text
        assert forged_lines(shown_text) == []


@pytest.mark.slow
def test_report_for_an_unknown_committee_echoes_the_name_neutrally(small_loaded, capsys):
    assert main(["report", "--home", str(small_loaded.root), "--udvalg", FORGED]) == 1
    err = capsys.readouterr().err
    assert "Kataloget har intet udvalg 'Unge\\x1b[31m" in err
    assert ESC not in err and forged_lines(err) == []


@pytest.mark.slow
def test_check_of_a_file_named_like_a_cpr_number_never_shows_the_number(tmp_path, capsys):
    cpr_named = hostile_activity(tmp_path / "0101901234.csv", "Unge på uddannelseshjælp")
    assert main(["check", str(cpr_named)]) == 1  # rejected, as intake would reject it
    out = capsys.readouterr().out
    assert "0101901234" not in out and "fil-00001.csv" in out
    assert "ligner et CPR-nummer" in " ".join(out.split())  # wrapped at 80 columns


@pytest.mark.slow
def test_check_shows_a_hostile_file_name_and_cells_neutrally(tmp_path, capsys):
    path = hostile_activity(tmp_path / "akt\x1b[31m.csv")
    main(["check", str(path)])
    out = capsys.readouterr().out
    assert ESC not in out and forged_lines(out) == []
    assert "akt\\x1b[31m.csv" in out


def test_the_log_escapes_what_it_quotes(tmp_path):
    from pipelines.cli import LOG, _log_to

    path = _log_to(Home(tmp_path))
    LOG.error("%s: uventet fejl\n%s", "fil\x1b[31m.csv", "detalje\nAdvarsel: FORFALSKET")
    lines = path.read_text("utf-8").splitlines()
    assert ESC not in lines[0] and "fil\\x1b[31m.csv" in lines[0]
    # one entry: its first line dated, the rest indented (no line poses as an entry)
    assert re.match(r"\d{4}-\d\d-\d\d .* ERROR fil", lines[0])
    assert lines[1:] == ["  detalje", "  Advarsel: FORFALSKET"]


def test_a_hostile_receipt_reason_is_written_neutrally(tmp_path):
    from assets.files.archive import reject

    source = tmp_path / "kopi.csv"
    source.write_text("x", encoding="utf-8")
    target = reject(tmp_path / "afvist", source, "f.csv", "Fejl\x1b[2J i linje", "stempel")
    written = Path(f"{target}.fejl.txt").read_text("utf-8")
    assert written == "Fejl\\x1b[2J i linje\n"


def test_any_columns_value_draws_the_summary_and_progress_line(monkeypatch):
    for columns in ("1", "0", "-3", "bred", "99999"):
        monkeypatch.setenv("COLUMNS", columns)
        # the narrowest draws at 40 columns; none is wider than 80
        assert terminal.MIN_WIDTH <= terminal.width() <= terminal.MAX_WIDTH
        lines = terminal.wrap("Alle fejl står i afvist/<fil>.fejl.txt og i kvitteringen.", "  ", 2)
        assert lines and all(len(line) <= terminal.width() for line in lines)
        progress = terminal.Progress(io.StringIO())
        assert re.search(r"\d+ s$", progress.line())
        assert terminal.fit("  " + "ord " * 30)
