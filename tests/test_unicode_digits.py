"""Digits of any script: read as 0-9 before any check (issue 24, item 8).

Before, a function written in full-width digits ('５.３８.５０') matched the parser's
``\\d`` and reached the blocking schema check as it was, stopping the whole run.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.intake.parsing.extract import parse_file
from pipelines.cli import main
from tests.conftest import query, settle
from tests.hostile_files import HEADER, good_spending, xlsx

FULL = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")  # full-width forms
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")  # Arabic-Indic digits
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


def test_full_width_function_period_and_amount_are_read_as_plain_digits(tmp_path):
    path = xlsx(
        tmp_path / "bred.xlsx",
        {"Forbrug": [HEADER, ["5.38.52".translate(FULL), "2025-02".translate(FULL),
                              "1.234,50".translate(FULL)]]},
    )  # fmt: skip
    extract = parse_file(path)
    assert extract.accepted, [p.text() for p in extract.problems]
    [row] = extract.tables["forbrug"].to_dict("records")
    # '５.３８.５２' → 5.38.52; '２０２５－０２' → 2025, month 2; '１．２３４，５０' → 1.234,50 kr.
    assert (row["funktion"], row["aar"], row["maaned"]) == ("5.38.52", 2025, 2)
    assert Decimal(str(row["beloeb"])) == Decimal("1234.50")


def test_a_kontoplan_in_arabic_indic_digits_is_read(tmp_path):
    path = xlsx(
        tmp_path / "kontoplan.xlsx",
        {"Kontoplan": [["Funktion", "Område"], ["5.38.50".translate(ARABIC), "botilbud"]]},
    )
    extract = parse_file(path)
    assert extract.accepted, [p.text() for p in extract.problems]
    assert extract.tables["kontoplan"]["funktion"].tolist() == ["5.38.50"]


def test_digits_of_other_scripts_in_a_long_csv_body_are_read_column_by_column(tmp_path):
    """40 data rows: rows 2-30 are read as the head, the rest as Arrow columns (csvtext).
    Every row is 5.38.52, 2025-03 and 10,25 kr., written in turn in ASCII, full-width,
    Arabic-Indic and Devanagari digits: 40 × 10,25 = 410,00 kr."""
    forms = [str.maketrans("", ""), FULL, ARABIC, DEVANAGARI]
    lines = ["Funktion;Periode;Beløb"]
    for i in range(40):
        form = forms[i % 4]
        lines.append(f"{'5.38.52'.translate(form)};{'2025-03'.translate(form)};"
                     f"{'10,25'.translate(form)}")  # fmt: skip
    path = tmp_path / "cifre.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    extract = parse_file(path)
    assert extract.accepted, [p.text() for p in extract.problems]
    frame = extract.tables["forbrug"]
    assert set(frame["funktion"]) == {"5.38.52"}
    assert set(zip(frame["aar"], frame["maaned"], strict=True)) == {(2025, 3)}
    assert Decimal(str(round(frame["beloeb"].sum(), 2))) == Decimal("410.00")


@pytest.mark.slow
def test_a_full_width_file_beside_a_good_one_never_stops_the_run(home, capsys):
    good = good_spending(home.indbakke / "god.xlsx")  # 5.38.50, 2025-01, 100 kr.
    wide = xlsx(
        home.indbakke / "bred.xlsx",
        {"Forbrug": [HEADER, ["5.38.52".translate(FULL), "2025-02".translate(FULL), 40]]},
    )
    settle([good, wide])
    code = main(["run", "--home", str(home.root)])
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    statuses = query(home, "SELECT status FROM raw.leverancer ORDER BY leverance_nr")
    assert statuses == [("accepteret",), ("accepteret",)]
    rows = query(home, "SELECT funktion, aar, maaned, beloeb FROM raw.forbrug ORDER BY funktion")
    assert [(f, y, m, Decimal(str(b))) for f, y, m, b in rows] == [
        ("5.38.50", 2025, 1, Decimal("100")),
        ("5.38.52", 2025, 2, Decimal("40")),
    ]
