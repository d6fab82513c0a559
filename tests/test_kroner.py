"""Issue 12's cases, each built from scratch and computed by hand: no krone counted twice,
none lost, every total reconciled. No price index is delivered unless a test says so."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from assets.intake.loading.load import create_schemas
from assets.intake.parsing.extract import parse_file
from assets.reports.content import read_content
from runtime.resources import read_published
from tests import builders as b
from tests.conftest import query, run


def realised(home, ident, year, agreement="2024-2027"):
    return query(
        home,
        "SELECT realiseret_besparelse FROM mart.besparelser "
        "WHERE indsats_id = ? AND aar = ? AND budgetaftale = ?",
        [ident, year, agreement],
    )[0][0]


@pytest.mark.slow
def test_case1_a_function_shared_across_methods_is_attributed_once(home):
    # 5.38.50: 12 × 1.000.000 = 12.000.000 in 2023, 12 × 900.000 = 10.800.000 in 2024: the
    # function's net spending fell 1.200.000. Korrigeret budget 2024: 11.000.000 (no adopted
    # budget and no corrections: the reference is the korrigeret budget).
    # Planned 2024 (2024-2027): B 500.000 (budget), A 300.000 (aktivitet), L 200.000 (baseline).
    # Each measured alone: B 11.000.000 + 500.000 − 10.800.000 = 700.000; A (100 − 90) ×
    # 100.000 = 1.000.000; L 12.000.000 − 10.800.000 = 1.200.000: 2.900.000 in all.
    # Attributed once: the group is measured by the budget method with all three planned
    # savings, 11.000.000 + 1.000.000 − 10.800.000 = 1.200.000. A has its own indicator
    # and unit price: its measured 1.000.000 (within the group's 1.200.000); the rest,
    # 200.000, goes to B and L 5:2: B 142.857,14, L 57.142,86.
    b.mixed_methods(home, {"B": 500_000, "A": 300_000, "L": 200_000})
    run(home)
    assert realised(home, "B", 2024) == Decimal("142857.14")
    assert realised(home, "A", 2024) == Decimal("1000000.00")
    assert realised(home, "L", 2024) == Decimal("57142.86")
    assert query(home, "SELECT realiseret_besparelse FROM mart.spor_status WHERE aar = 2024") == [
        (Decimal("1200000.00"),)
    ]
    # A's figure is its share of the budget measure, by its own activity, and its lineage
    # says so: the catalogue, the spending, the korrigeret budget and the activity file
    assert query(
        home,
        "SELECT DISTINCT filnavn FROM mart.sporbarhed WHERE noegle = 'A|2024-2027|2024' ORDER BY 1",
    ) == [("aktivitet.xlsx",), ("forbrug.xlsx",), ("indsatser.xlsx",), ("korrigeret.xlsx",)]
    assert query(home, "SELECT DISTINCT maalt_med FROM mart.besparelser") == [("budget",)]


@pytest.mark.slow
def test_case2_one_corrected_budget_whatever_the_agreement_column(home):
    # The korrigeret budget for botilbud 2024 is delivered as 12.000.000 without a
    # Budgetaftale column, then as 12.600.000 with one: the newer file replaces the older.
    # Spending 12 × 1.000.000 = 12.000.000; B planned 500.000, so realised
    # 12.600.000 + 500.000 − 12.000.000 = 1.100.000 (not 24.600.000 and 13.100.000).
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.50", 2024, 1_000_000))
    b.corrected(home.indbakke / "korrigeret_1.xlsx", [["5.38.50", 2024, 12_000_000]])
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [["B", "2024-2027", 2024, "Besparelse", 500_000, 2024]],
    )
    run(home)
    b.corrected(home.indbakke / "korrigeret_2.xlsx", [["5.38.50", 2024, 12_600_000]], "2024-2027")
    run(home)
    assert query(home, "SELECT korrigeret_budget FROM mart.budgetopfoelgning WHERE aar = 2024") == [
        (Decimal("12600000.00"),)
    ]
    assert realised(home, "B", 2024) == Decimal("1100000.00")


@pytest.mark.slow
def test_case3_unmapped_rows_of_one_file_keep_another_files_rows(home):
    # forbrug.xlsx: botilbud 5.38.50 and B's investment, 12 × 50.000 = 600.000 booked on
    # ansvarssted 9001 under 5.32.32 (outside the kontoplan). A bostøtte file for March
    # 2024 has one row on 5.32.33, also outside the kontoplan: it replaces bostøtte March
    # and 5.32.33 March, nothing of 5.32.32. Investment spent stays 600.000 (not 550.000).
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 900_000) + b.monthly("5.32.32", 2024, 50_000, place="9001"),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50", place="9001")],
        [["B", "2024-2027", 2024, "Investering", 600_000, 2024]],
    )
    run(home)
    b.spending(
        home.indbakke / "bostoette_marts.xlsx",
        [["5.38.38", 1, "7200", "2024-03", 450_000], ["5.32.33", 1, "7400", "2024-03", 1_000]],
    )
    run(home)
    assert query(home, "SELECT forbrugt_investering FROM mart.investeringer WHERE aar = 2024") == [
        (Decimal("600000.00"),)
    ]
    # all 12 + 12 rows of the first file and both rows of the second are current
    assert query(home, "SELECT count(*) FROM core.forbrug") == [(26,)]


@pytest.mark.slow
def test_case4_change_is_against_year_t_minus_1_not_the_previous_row(home):
    # botilbud: 12.000.000 in 2023, nothing for 2024, 10.800.000 in 2025, 11.400.000 in 2026.
    # 2025 has no year before it: no change (not −1.200.000 against 2023). 2026 against
    # 2025: +600.000 = 5,56 %.
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2023, 1_000_000)
        + b.monthly("5.38.50", 2025, 900_000)
        + b.monthly("5.38.50", 2026, 950_000),
    )
    run(home)
    assert query(
        home, "SELECT aar, aendring_kr, aendring_pct FROM mart.aarsoversigt ORDER BY aar"
    ) == [
        (2023, None, None),
        (2025, None, None),
        (2026, Decimal("600000.00"), 5.56),
    ]


@pytest.mark.slow
def test_case5_a_year_an_agreement_does_not_cover_is_null_not_zero(home):
    # B: 2023-2026 plans 100/200/300/400.000 for 2023-2026; 2024-2027 plans 250/350/450/
    # 550.000 for 2024-2027. C is new in 2024-2027 (300.000 in 2024). 2023 is outside
    # 2024-2027 and 2027 outside 2023-2026: no row for them, and no change where no earlier
    # agreement covers the year. Changes: 250 − 200 = 350 − 300 = 450 − 400 = 50.000. C in
    # 2024: 2023-2026 covers 2024 and planned nothing for C, so 0 and a change of 300.000.
    economy = [
        ["B", "2023-2026", y, "Besparelse", v, 2023]
        for y, v in zip(range(2023, 2027), (100_000, 200_000, 300_000, 400_000), strict=True)
    ]
    economy += [
        ["B", "2024-2027", y, "Besparelse", v, 2024]
        for y, v in zip(range(2024, 2028), (250_000, 350_000, 450_000, 550_000), strict=True)
    ]
    economy += [["C", "2024-2027", 2024, "Besparelse", 300_000, 2024]]  # fmt: skip
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50"), b.initiative("C", "budget", "5.38.52")],
        economy,
    )
    run(home)
    rows = query(
        home,
        "SELECT indsats_id, aar, budgetaftale, besparelse, aendring "
        "FROM mart.budgetaftaler ORDER BY 1, 2, 3",
    )
    old, new = "2023-2026", "2024-2027"
    assert rows == [
        ("B", 2023, old, Decimal("100000.00"), None),
        ("B", 2024, old, Decimal("200000.00"), None),
        ("B", 2024, new, Decimal("250000.00"), Decimal("50000.00")),
        ("B", 2025, old, Decimal("300000.00"), None),
        ("B", 2025, new, Decimal("350000.00"), Decimal("50000.00")),
        ("B", 2026, old, Decimal("400000.00"), None),
        ("B", 2026, new, Decimal("450000.00"), Decimal("50000.00")),
        ("B", 2027, new, Decimal("550000.00"), None),
        ("C", 2024, old, Decimal("0.00"), None),
        ("C", 2024, new, Decimal("300000.00"), Decimal("300000.00")),
    ]


@pytest.mark.slow
def test_any_delivered_agreement_is_a_row_and_a_column_of_the_report(home):
    # Three agreements plan B's 2025: 2023-2026 300.000, 2024-2027 350.000, 2025-2028
    # 420.000 (and 2028 500.000). Each row's change is against the newest earlier agreement
    # covering the year: 350 − 300 = 50.000, 420 − 350 = 70.000; 2028 is covered by
    # 2025-2028 alone, so no change there.
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [
            ["B", "2023-2026", 2025, "Besparelse", 300_000, 2025],
            ["B", "2024-2027", 2025, "Besparelse", 350_000, 2025],
            ["B", "2025-2028", 2025, "Besparelse", 420_000, 2025],
            ["B", "2025-2028", 2028, "Besparelse", 500_000, 2025],
        ],
    )
    run(home)
    assert query(
        home,
        "SELECT aar, budgetaftale, besparelse, forrige_budgetaftale, aendring "
        "FROM mart.budgetaftaler ORDER BY 1, 2",
    ) == [
        (2025, "2023-2026", Decimal("300000.00"), None, None),
        (2025, "2024-2027", Decimal("350000.00"), "2023-2026", Decimal("50000.00")),
        (2025, "2025-2028", Decimal("420000.00"), "2024-2027", Decimal("70000.00")),
        (2028, "2025-2028", Decimal("500000.00"), None, None),
    ]
    with read_published(home) as con:
        content = read_content(con)
    table = content.table("Budgetaftaler").frame
    # a column per agreement, and the change beside each that has a previous one
    assert list(table.columns) == [
        "spor",
        "indsats_id",
        "indsats",
        "aar",
        "besparelse_2023_2026",
        "besparelse_2024_2027",
        "aendring_2024_2027",
        "besparelse_2025_2028",
        "aendring_2025_2028",
    ]
    year_2028 = table[table["aar"] == 2028].iloc[0]
    assert year_2028["besparelse_2025_2028"] == 500_000
    assert year_2028[["besparelse_2023_2026", "besparelse_2024_2027"]].isna().all()
    assert [h.split(":")[0] for h in content.headlines] == [
        "Budgetaftale 2023-2026",
        "Budgetaftale 2024-2027",
        "Budgetaftale 2025-2028",
    ]


@pytest.mark.slow
def test_case6_net_effect_compares_full_years(home):
    # 2024 closed: 12 × 1.000.000 on 5.38.50; 2025 open, January-June 950.000 a month:
    # forecast 5.700.000 / 0,5 = 11.400.000. Korrigeret 2025 11.400.000, B planned
    # 1.000.000: realised 11.400.000 + 1.000.000 − 11.400.000 = 1.000.000 for the full year.
    # B's own spending (ansvarssted 9001, 5.32.32) 100.000 a month to June: 600.000 to date,
    # 600.000 × 12 / 6 = 1.200.000 for the full year. Net effect 1.000.000 − 1.200.000 =
    # −200.000 (not 1.000.000 − 600.000 = 400.000, a full year against half a year).
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 1_000_000)
        + b.monthly("5.38.50", 2025, 950_000, range(1, 7))
        + b.monthly("5.32.32", 2025, 100_000, range(1, 7), place="9001"),
    )
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2025, 11_400_000]])
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50", place="9001")],
        [
            ["B", "2024-2027", 2025, "Besparelse", 1_000_000, 2024],
            ["B", "2024-2027", 2025, "Investering", 1_500_000, 2024],
        ],
    )
    run(home)
    assert query(
        home,
        "SELECT realiseret_besparelse, nettoeffekt_realiseret FROM mart.spor_status "
        "WHERE aar = 2025",
    ) == [(Decimal("1000000.00"), Decimal("-200000.00"))]
    assert query(
        home,
        "SELECT forbrugt_investering, forventet_investering, opgjort_som "
        "FROM mart.investeringer WHERE aar = 2025",
    ) == [(Decimal("600000.00"), Decimal("1200000.00"), "år til dato")]


@pytest.mark.slow
def test_case7_budget_to_date_counts_only_measured_initiatives(home):
    # Spor 1, 2024: B (budget) planned 1.000.000 and realised 12.000.000 + 1.000.000 −
    # 12.000.000 = 1.000.000; A (aktivitet) planned 250.000 but no activity data: nothing
    # measured. Budget to date is B's 1.000.000 alone: 100 %, green (not 1.250.000 and
    # 80 %, yellow). Without a price index the catalogue's amounts stay in its 2024 prices,
    # and the report says so (not just "løbende priser").
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.50", 2024, 1_000_000))
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2024, 12_000_000]])
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative("B", "budget", "5.38.50"),
            b.initiative(
                "A",
                "aktivitet",
                None,
                baseline=2023,
                unit_price=100_000,
                price_level=2024,
                indicator="Borgere i eget hjem",
            ),
        ],
        [
            ["B", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
            ["A", "2024-2027", 2024, "Besparelse", 250_000, 2024],
        ],
    )
    run(home)
    with read_published(home) as con:
        content = read_content(con)
    track, total = content.overview.itertuples()  # spor 1, and the agreement's total
    for row in (track, total):
        assert (row.budget_i_alt, row.budget_til_dato, row.realiseret_til_dato) == (
            1_250_000,
            1_000_000,
            1_000_000,
        )
        assert row.status == "grøn"
    assert total.spornavn == "I alt"
    assert content.level_text == (
        "løbende priser, katalogets beløb i 2024-priser (intet prisindeks)"
    )


@pytest.mark.slow
def test_case8_investment_on_a_measured_function_is_subtracted_once(home):
    # L (baseline 2023) on bostøtte 5.38.38: 12 × 500.000 = 6.000.000 in 2023, 12 × 450.000
    # = 5.400.000 in 2024, and L's own investment 12 × 50.000 = 600.000 booked on 5.38.38
    # on L's ansvarssted 9003. The saving measures the function without L's investment:
    # 6.000.000 − 5.400.000 = 600.000; the net effect takes the investment off once:
    # 600.000 − 600.000 = 0 (not a saving of 0 and a net effect of −600.000).
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.38", 2023, 500_000, place="7200")
        + b.monthly("5.38.38", 2024, 450_000, place="7200")
        + b.monthly("5.38.38", 2024, 50_000, place="9003"),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("L", "baseline", "5.38.38", area="bostøtte", place="9003", baseline=2023)],
        [
            ["L", "2024-2027", 2024, "Besparelse", 600_000, 2024],
            ["L", "2024-2027", 2024, "Investering", 600_000, 2024],
        ],
    )
    run(home)
    assert realised(home, "L", 2024) == Decimal("600000.00")
    assert query(
        home,
        "SELECT realiseret_besparelse, forventet_investering, nettoeffekt_realiseret "
        "FROM mart.spor_status WHERE aar = 2024",
    ) == [(Decimal("600000.00"), Decimal("600000.00"), Decimal("0.00"))]
    # the area's own spending still holds every krone: 5.400.000 + 600.000
    assert query(
        home, "SELECT forbrug_aar_til_dato FROM mart.budgetopfoelgning WHERE aar = 2024"
    ) == [(Decimal("6000000.00"),)]


FOLK1A = ["OMRÅDE", "ALDER", "TID", "INDHOLD"]


@pytest.mark.slow
def test_case9a_a_population_file_with_several_areas_is_rejected(home):
    # Danmarks Statistik's FOLK1A for the whole country, a region and the municipality:
    # summed, 30-year-olds would be 5.000 + 1.200 + 600 = 6.800 = 11,3 × Hjørring's.
    rows = [[area, "30 år", "2024K1", n] for area, n in
            (("Hele landet", 5_000), ("Region Nordjylland", 1_200), ("Hjørring", 600))]  # fmt: skip
    b.workbook(home.indbakke / "folk1a.xlsx", FOLK1A, rows)
    run(home)
    assert query(home, "SELECT count(*) FROM core.befolkning") == [(0,)]
    [(status, reason)] = query(home, "SELECT status, begrundelse FROM mart.leverancer")
    assert status == "afvist"
    assert "Hele landet, Hjørring, Region Nordjylland" in reason


@pytest.mark.slow
def test_case9b_quarterly_population_is_the_first_quarter_not_a_sum(home):
    # Hjørring's 30-year-olds by quarter 2024: 600, 610, 620, 630. The year's population is
    # the 1st quarter's (1 January): 600, not 2.460.
    rows = [["Hjørring", "30 år", f"2024K{q}", 590 + 10 * q] for q in range(1, 5)]
    b.workbook(home.indbakke / "folk1a.xlsx", FOLK1A, rows)
    run(home)
    assert query(home, "SELECT aar, aldersgruppe, antal FROM core.befolkning") == [
        (2024, "18-64", 600.0)
    ]


@pytest.mark.slow
def test_case9c_a_file_without_an_area_column_is_accepted_as_before(home):
    b.workbook(home.indbakke / "folk.xlsx", ["År", "Aldersgruppe", "Antal"], [[2024, "0-17", 12]])
    run(home)
    assert query(home, "SELECT aar, aldersgruppe, antal FROM core.befolkning") == [
        (2024, "0-17", 12.0)
    ]


@pytest.mark.slow
def test_case9d_an_older_warehouse_gains_the_new_population_columns(tmp_path):
    # a raw.befolkning made before geografi, maaned and kvartal existed keeps its rows
    con = duckdb.connect(str(tmp_path / "gammel.duckdb"))
    con.execute("CREATE SCHEMA raw")
    con.execute(
        "CREATE TABLE raw.befolkning (leverance_nr INTEGER NOT NULL, kilde_ark VARCHAR, "
        "kilde_raekke INTEGER, aar INTEGER, alder INTEGER, aldersgruppe VARCHAR, antal DOUBLE)"
    )
    con.execute("INSERT INTO raw.befolkning VALUES (1, 'Ark1', 2, 2024, NULL, '0-17', 12)")
    create_schemas(con)
    assert con.execute(
        "SELECT antal, geografi, maaned, kvartal FROM raw.befolkning"
    ).fetchall() == [(12.0, None, None, None)]
    con.close()


def test_an_agreement_is_four_consecutive_years(tmp_path):
    # 2024-2030 would make the agreement cover seven years in every coverage rule
    path = b.catalogue(
        tmp_path / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [["B", "2024-2030", 2024, "Besparelse", 100_000, 2024]],
    )
    problems = [p.text() for p in parse_file(path).problems]
    assert problems == [
        "Fil 'indsatser.xlsx', ark 'Økonomi', række 2, kolonne 'Budgetaftale': værdien "
        "'2024-2030' kan ikke bruges; forventet en aftale på fire år i træk, fx 2024-2027."
    ]
    budget = b.workbook(
        tmp_path / "budget.xlsx",
        ["Funktion", "År", "Budgettype", "Budgetaftale", "Beløb"],
        [["5.38.50", 2024, "Oprindeligt", "2024-2025", 1_000]],
    )
    assert len(parse_file(budget).problems) == 1
