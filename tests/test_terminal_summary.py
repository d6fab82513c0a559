"""Issue 28, the terminal: a run's summary starts with what changed (the headline figures
from → to, the months that changed) and counts, never lists, the months a re-delivery
leaves as they were. Figures computed by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.reports.summary import changed_months, moved_lines, plausibility_lines
from pipelines.cli import main
from tests import builders as b
from tests.conftest import settle


def test_moved_lines_say_from_and_to_and_nothing_on_a_first_run():
    before = {"2024-2027": (Decimal("8600000"), Decimal("6700000"))}
    # realised 8.600.000 → 8.686.816: 8,6 → 8,7 mio.; budgeted to date unchanged
    after = {"2024-2027": (Decimal("8686816"), Decimal("6700000"))}
    assert moved_lines(before, after) == ["Realiseret i alt 2024-2027: 8,6 → 8,7 mio. kr."]
    assert moved_lines(before, before) == [
        "Hovedtallene er uændrede (realiseret og budgetteret til dato)."
    ]
    # 8.600.000 → 8.620.000: both shown as 8,6, so the line says it moved by less
    small = {"2024-2027": (Decimal("8620000"), Decimal("6700000"))}
    assert moved_lines(before, small) == [
        "Realiseret i alt 2024-2027: 8,6 → 8,6 mio. kr. (ændret under 0,05 mio. kr.)"
    ]
    assert moved_lines(None, after) == []  # no warehouse before: everything is new


def test_changed_months_are_named_and_unchanged_ones_counted():
    notes = [
        ("a.xlsx", "Erstatter funktion 5.38.38 (bostøtte) 2024-12: før 1,00 kr., efter 2,00 kr."),
        ("a.xlsx", "Erstatter funktion 5.38.50 (botilbud) 2024-12: før 1,00 kr., efter 3,00 kr."),
        ("a.xlsx", "Erstatter funktion 5.38.50 (botilbud) 2024-11: før 1,00 kr., efter 3,00 kr."),
        ("a.xlsx", "Uændret: 1.200 måneder (pr. funktion) har samme beløb som før."),
        ("b.xlsx", "Uændret: 3 måneder (pr. funktion) har samme beløb som før."),
    ]
    # 2024-11: one function; 2024-12: two; 1.200 + 3 = 1.203 unchanged
    assert changed_months(notes) == [
        "Ændrede måneder: 2024-11 (1 funktion), 2024-12 (2 funktioner).",
        "Uændrede: 1.203 måneder (pr. funktion) blev erstattet med samme beløb.",
    ]


@pytest.mark.slow
def test_a_redelivery_says_what_moved_and_counts_what_did_not(
    home, small_inbox, capsys, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["run", "--home", str(home.root)]) == 0
    capsys.readouterr()
    # The small municipality's bostøtte (5.38.38) is 450.000 a month in 2024; the same
    # twelve months again change nothing: 12 unchanged months, no headline moves.
    outside = b.spending(home.root / "bostoette_igen.xlsx", b.monthly("5.38.38", 2024, 450_000))
    assert main(["check", str(outside), "--home", str(home.root)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  Uændret: 12 måneder (pr. funktion) har samme beløb som før."
    ]  # not twelve "+0,0 %" lines
    same = home.indbakke / outside.name
    outside.rename(same)
    settle([same])
    assert main(["run", "--home", str(home.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "Hovedtallene er uændrede (realiseret og budgetteret til dato).",
        "Uændrede: 12 måneder (pr. funktion) blev erstattet med samme beløb.",
        "1 fil i denne kørsel: 1 accepteret.",
    ]
    assert not [line for line in lines if "+0,0 %" in line or "Erstatter" in line]
    # December 2024 at 390.000 instead: L1 (baseline method on 5.38.38, 2023 = 6.000.000)
    # saves 60.000 more in 2024, and its 2025 forecast moves a little with the June share
    # of 2024 (H1 2.700.000 of 5.340.000): share (0,5 + 2,7/5,34) / 2 = 0,50281, forecast
    # 2.400.000 / 0,50281 = 4.773.184, saving 1.226.816 instead of 1.200.000 (+26.816).
    # Realised under 2024-2027 goes from 8,4 mio. (test_cli: B1+B2 on the adopted budget
    # 1,1 + 1,9, L1 0,6 + 1,2, A1 3,6) to 8,4 + 0,06 + 0,027 = 8,487, shown 8,5.
    dec = b.spending(
        home.indbakke / "bostoette_dec.xlsx", [["5.38.38", 1, "7200", "2024-12", 390_000]]
    )
    settle([dec])
    assert main(["run", "--home", str(home.root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "Realiseret i alt 2024-2027: 8,4 → 8,5 mio. kr.",
        "Ændrede måneder: 2024-12 (1 funktion).",
        "1 fil i denne kørsel: 1 accepteret.",
    ]
    assert max(len(line) for line in lines if str(home.root) not in line) <= 80, lines


def test_the_same_row_warning_in_several_files_is_one_warning():
    def warning(file: str, row: int, more: str) -> tuple[str, str]:
        return (
            file,
            f"Advarsel: {file}, ark 'Forbrug', række {row}{more}, kolonne Funktion: værdien "
            "'5.32.32' findes ikke i kontoplanen; rækken gemmes, men tæller ikke med i noget "
            "område.",
        )

    other = ("c.xlsx", "Advarsel: c.xlsx: funktion 5.38.50 (botilbud) 2024-03 flyttes −39,0 %.")
    # a.xlsx: row 40 and 11 more = 12 rows; b.xlsx: row 45 alone = 1; 12 + 1 = 13
    notes = [warning("a.xlsx", 40, " og 11 rækker mere"), other, warning("b.xlsx", 45, "")]
    text = " ".join(line.strip() for line in plausibility_lines(notes))
    assert text == (
        "Advarsel: 2 filer (a.xlsx, b.xlsx), 13 rækker i alt, kolonne Funktion: værdien "
        "'5.32.32' findes ikke i kontoplanen; rækken gemmes, men tæller ikke med i noget "
        "område. Rækkerne står i hver fils kvittering. " + other[1]
    )


def test_check_groups_a_problem_repeated_in_many_rows_within_80_columns(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "80")
    # 42 rows with month 13 (Excel rows 2-43, under the header in row 1) and one good row
    path = b.spending(
        tmp_path / "m13.xlsx",
        [["5.38.50", 1, "7100", "2024-13", 1000]] * 42 + [["5.38.50", 1, "7100", "2024-12", 9]],
    )
    monkeypatch.chdir(tmp_path)  # the file named as the user gave it
    assert main(["check", path.name, "--home", "hjem"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "m13.xlsx: AFVIST – 42 fejl:"
    text = " ".join(line.strip() for line in lines[1:])
    assert text.startswith(
        "- Fil 'm13.xlsx', ark 'Forbrug', rækkerne 2-43 (42 rækker), kolonne 'Periode': "
        "værdien '2024-13' kan ikke bruges;"
    )
    assert len(lines) <= 4  # the verdict and one problem, wrapped
    assert max(len(line) for line in lines[1:]) <= 80
