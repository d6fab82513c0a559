"""Recognising each extract kind by its headers, and saying in Danish what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from assets.intake.parsing.extract import header_key, parse_file
from tests import fixtures


def book(path: Path, rows: list[list], title: str = "Ark1") -> Path:
    wb = Workbook()
    wb.active.title = title
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_header_keys_ignore_case_punctuation_danish_letters_and_units():
    assert header_key("Beløb (1.000 kr.)") == ("beloeb", 1000.0)
    assert header_key("BELOEB i 1.000 kr.") == ("beloeb", 1000.0)
    assert header_key("Beløb i mio. kr.") == ("beloeb", 1_000_000.0)
    assert header_key("Bogført beløb (kr.)") == ("bogfoertbeloeb", 1.0)


@pytest.mark.parametrize(
    ("builder", "kind", "rows"),
    [
        (lambda p: fixtures.spending(p), "forbrug", 133),
        (lambda p: fixtures.corrected_budget(p), "budget", 9),
        (lambda p: fixtures.adopted_budget(p, 2024, fixtures.ADOPTED[2024]), "budget", 12),
        (lambda p: fixtures.catalogue(p), "indsatser", 17),
        (lambda p: fixtures.activity(p), "aktivitet", 30),
    ],
)
def test_canonical_files_are_recognised(tmp_path, builder, kind, rows):
    extract = parse_file(builder(tmp_path / "fil.xlsx"))
    assert [p.text() for p in extract.problems] == []
    assert extract.kind.kind == kind
    assert extract.rows() == rows


def test_small_kinds_are_recognised(tmp_path):
    cases = {
        "prisindeks": [
            ["År", "Type", "Indeks"],
            [2024, "Service", 100],
            [2025, "overførsler", 102.1],
        ],
        "befolkning": [["År", "Aldersgruppe", "Antal"], [2024, "0-17", 12000]],
        "kontoplan": [["Funktion", "Område", "Regime"], ["5.38.60", "botilbud", "service"]],
    }
    for kind, rows in cases.items():
        extract = parse_file(book(tmp_path / f"{kind}.xlsx", rows))
        assert (extract.kind.kind, extract.problems) == (kind, [])


def test_wide_budget_becomes_one_row_per_year_with_its_agreement(tmp_path):
    extract = parse_file(fixtures.adopted_budget(tmp_path / "b.xlsx", 2024, fixtures.ADOPTED[2024]))
    frame = extract.tables["budget"]
    first = frame[frame["funktion"] == "5.38.50"]
    assert list(first["aar"]) == [2024, 2025, 2026, 2027]
    assert set(first["budgetaftale"]) == {"2024-2027"}
    assert set(first["budgettype"]) == {"oprindeligt"}
    assert list(first["beloeb"]) == [10_900_000, 11_300_000, 11_300_000, 11_300_000]


def test_thousands_header_multiplies(tmp_path):
    frame = parse_file(fixtures.corrected_budget(tmp_path / "k.xlsx")).tables["budget"]
    assert frame.loc[frame["funktion"] == "5.38.50", "beloeb"].iloc[0] == 12_500_000


def test_catalogue_savings_are_stored_positive(tmp_path):
    frame = parse_file(fixtures.catalogue(tmp_path / "i.xlsx")).tables["indsats_oekonomi"]
    assert (frame["beloeb"] > 0).all()


def test_every_problem_is_listed_with_sheet_row_column_and_value(tmp_path):
    path = book(
        tmp_path / "forbrug.xlsx",
        [
            ["Forbrug 2025 (testdata)"],
            [],
            ["Funktion", "Dranst", "Periode", "Beløb"],
            ["5.38.50", 1, "2025-01", 100],
            ["5.3x.50", 9, "2025-13", "mange"],
            ["5.38.50", 1, None, 5],
        ],
        title="Forbrug",
    )
    texts = [p.text() for p in parse_file(path).problems]
    assert texts == [
        "Fil 'forbrug.xlsx', ark 'Forbrug', række 5, kolonne 'Beløb': værdien 'mange' kan ikke "
        "bruges; forventet et beløb i kr., fx -1.234.567,50.",
        "Fil 'forbrug.xlsx', ark 'Forbrug', række 5, kolonne 'Dranst': værdien '9' kan ikke "
        "bruges; forventet en dranst fra 1 til 7.",
        "Fil 'forbrug.xlsx', ark 'Forbrug', række 5, kolonne 'Funktion': værdien '5.3x.50' kan "
        "ikke bruges; forventet et funktionsnummer som 5.38.50.",
        "Fil 'forbrug.xlsx', ark 'Forbrug', række 5, kolonne 'Periode': værdien '2025-13' kan "
        "ikke bruges; forventet en periode som 2024-03, 202403, marts 2024, 31-03-2024 eller en "
        "dato.",
        "Fil 'forbrug.xlsx', ark 'Forbrug', række 6, kolonne 'Periode': værdien mangler; "
        "forventet en periode som 2024-03, 202403, marts 2024 eller en dato.",
    ]


def test_totals_row_must_match_the_rows_above(tmp_path):
    path = book(
        tmp_path / "f.xlsx",
        [["Funktion", "Periode", "Beløb"], ["5.38.50", "2025-01", 100], ["I alt", None, 150]],
    )
    [problem] = parse_file(path).problems
    assert problem.row == 3 and problem.column == "Beløb"
    assert "summen af rækkerne ovenfor (100,00)" in problem.text()


def test_unknown_layout_names_the_nearest_kinds_and_what_each_lacks(tmp_path):
    # Funktion and Beløb: two of forbrug's headers, two of budget's, two of
    # budgetkorrektion's (ahead of kontoplan's one)
    path = book(tmp_path / "x.xlsx", [["Funktion", "Beløb"], ["5.38.50", 1]])
    [problem] = parse_file(path).problems
    assert problem.text() == (
        "Fil 'x.xlsx': ligner ikke et kendt udtræk; de nærmeste er forbrug (mangler Periode "
        "eller År + Måned), budget (mangler År og Budgettype) og budgetkorrektioner (mangler "
        "Område, År og Type)."
    )
    # a list of names and ages is not "a befolkning file missing År and Antal" alone
    path = book(tmp_path / "navne.xlsx", [["Navn", "Alder"], ["Ida", 7]])
    [problem] = parse_file(path).problems
    assert problem.text() == (
        "Fil 'navne.xlsx': ligner ikke et kendt udtræk; den nærmeste er befolkning "
        "(mangler År eller Tid og Antal)."
    )


def test_catalogue_rules_per_method_and_ids(tmp_path):
    wb = Workbook()
    wb.active.title = "Indsatser"
    wb.active.append(["ID", "Indsats", "Spor", "Område", "Metode", "Funktioner", "Baselineår"])
    wb.active.append(["X1", "Uden funktioner", 1, "botilbud", "budget", None, None])
    wb.active.append(["X2", "Uden baselineår", 4, "bostøtte", "baseline", "5.38.38", None])
    eco = wb.create_sheet("Økonomi")
    eco.append(["ID", "Budgetaftale", "År", "Type", "Beløb"])
    eco.append(["X9", "2024-2027", 2029, "Besparelse", -5])
    goals = wb.create_sheet("Mål")
    goals.append(["ID", "Indikator", "År", "Mål", "Retning"])
    path = tmp_path / "katalog.xlsx"
    wb.save(path)
    texts = [p.text() for p in parse_file(path).problems]
    assert any(
        "række 2, kolonne 'Funktioner'" in t and "skal udfyldes for metode budget" in t
        for t in texts
    )
    assert any("række 3, kolonne 'Spor': værdien '4'" in t for t in texts)
    assert any("række 3, kolonne 'Baselineår'" in t for t in texts)
    assert any("ark 'Økonomi', række 2, kolonne 'År'" in t for t in texts)
    assert any("ark 'Økonomi', række 2, kolonne 'ID': værdien 'X9'" in t for t in texts)


@pytest.mark.slow
def test_unreadable_files_get_a_plain_sentence(tmp_path):
    empty = tmp_path / "tom.xlsx"
    empty.write_bytes(b"")
    fake = tmp_path / "falsk.xlsx"
    fake.write_text("ikke et regneark", encoding="utf-8")
    other = tmp_path / "notat.docx"
    other.write_text("x", encoding="utf-8")
    texts = [parse_file(p).problems[0].text() for p in (empty, fake, other)]
    assert (
        texts[0]
        == "Fil 'tom.xlsx': Filen er tom (0 byte). Gem udtrækket igen og aflever det på ny."
    )
    assert "kan ikke åbnes som et regneark" in texts[1]
    assert "Filtypen '.docx' kan ikke indlæses" in texts[2]


def test_csv_with_semicolons_and_windows_1252(tmp_path):
    path = tmp_path / "forbrug.csv"
    path.write_bytes("Funktion;Måned;År;Beløb\n5.38.50;3;2025;-1.234,50\n".encode("cp1252"))
    extract = parse_file(path)
    assert extract.problems == []
    assert extract.tables["forbrug"]["beloeb"].tolist() == [-1234.5]
