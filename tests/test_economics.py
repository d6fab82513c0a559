"""Price levels, per-inhabitant figures, the forecast, goals and reconciliation.

Uses the small municipality of tests/fixtures.py plus, where a test says so, a price
index (service 2023 95, 2024 100, 2025 104; overførsler 96, 100, 102) and population.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from openpyxl import Workbook

from assets.marts.sql_checks import CHECKS_DIR, read_check, sql_check
from runtime.resources import Home, Warehouse
from tests import fixtures
from tests.conftest import query, run, settle

pytestmark = pytest.mark.slow


def workbook(path, header, rows):
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


@pytest.fixture(scope="module")
def with_index(tmp_path_factory):
    """Read-only for the tests that use it, so it is built once."""
    home = Home(tmp_path_factory.mktemp("indeks") / "hjem").create()
    settle(fixtures.inbox(home.indbakke))
    index = [
        [y, t, v]
        for t, values in {"Service": (95, 100, 104), "Overførsler": (96, 100, 102)}.items()
        for y, v in zip((2023, 2024, 2025), values, strict=True)
    ]
    settle(
        [
            workbook(home.indbakke / "pl.xlsx", ["År", "Type", "Indeks"], index),
            workbook(
                home.indbakke / "folk.xlsx",
                ["År", "Aldersgruppe", "Antal"],
                [[2024, "18-64", 40_000], [2024, "0-17", 12_000]],
            ),
        ]
    )
    run(home)
    return home


def test_everything_is_in_the_latest_years_prices(with_index):
    rows = query(with_index, "SELECT DISTINCT prisniveau FROM mart.besparelser")
    assert rows == [("2025",)]


def test_budgeted_savings_move_from_their_own_price_level(with_index):
    b1 = dict(
        ((a, y), (b, r))
        for a, y, b, r in query(
            with_index,
            "SELECT budgetaftale, aar, budgetteret_besparelse, realiseret_besparelse "
            "FROM mart.besparelser WHERE indsats_id = 'B1'",
        )
    )
    # 500.000 in 2024 prices × 104/100; 600.000 in 2023 prices × 104/95 = 656.842,105…
    assert b1[("2024-2027", 2024)][0] == Decimal("520000.00")
    assert b1[("2023-2026", 2024)][0] == Decimal("656842.11")
    # Realised in 2024 prices (see test_pipeline): the reference is the adopted budget
    # 10.900.000 (no corrections), so 10.900.000 + 1.000.000 planned − 10.800.000 spent
    # = 1.100.000, B1's half 550.000; × 104/100 = 572.000.
    assert b1[("2024-2027", 2024)][1] == Decimal("572000.00")


def test_baseline_is_price_adjusted_to_the_year_then_to_the_mart_level(with_index):
    # (6.000.000 × 100/95 − 5.400.000) × 104/100 = 952.421,05
    [(realised,)] = query(
        with_index,
        "SELECT realiseret_besparelse FROM mart.besparelser WHERE indsats_id = 'L1' AND aar = 2024",
    )
    assert realised == Decimal("952421.05")


def test_transfers_use_the_transfer_index(with_index):
    # A1 on forsørgelse: 1.200.000 in 2024 prices × 102/100
    [(budgeted, realised)] = query(
        with_index,
        "SELECT budgetteret_besparelse, realiseret_besparelse FROM mart.besparelser "
        "WHERE indsats_id = 'A1' AND aar = 2024",
    )
    assert (budgeted, realised) == (Decimal("1020000.00"), Decimal("1224000.00"))


def test_agreements_side_by_side_in_one_price_level(with_index):
    assert query(
        with_index,
        "SELECT budgetaftale, besparelse, forrige_budgetaftale, aendring, prisniveau "
        "FROM mart.budgetaftaler WHERE indsats_id = 'B1' AND aar = 2024 ORDER BY 1",
    ) == [
        ("2023-2026", Decimal("656842.11"), None, None, "2025"),
        ("2024-2027", Decimal("520000.00"), "2023-2026", Decimal("-136842.11"), "2025"),
    ]


def test_annual_overview_per_inhabitant(with_index):
    [(current, fixed, inhabitants, per_head)] = query(
        with_index,
        "SELECT nettoforbrug_loebende_priser, nettoforbrug_faste_priser, indbyggere, "
        "forbrug_pr_indbygger FROM mart.aarsoversigt WHERE omraade = 'botilbud' AND aar = 2024",
    )
    # 10.800.000 × 104/100 = 11.232.000 for 40.000 18-64-årige = 280,80 kr. each
    assert (current, fixed) == (Decimal("10800000.00"), Decimal("11232000.00"))
    assert (inhabitants, per_head) == (40000, Decimal("280.80"))


def test_without_an_index_the_marts_say_current_prices(home, small_inbox):
    run(home)
    assert query(home, "SELECT DISTINCT prisniveau FROM mart.spor_status") == [("løbende priser",)]


def test_forecast_follows_last_years_monthly_pattern(home):
    # bostøtte 2024: 400.000 a month, December 1.600.000 (6.000.000 in all, 2.400.000 by
    # June = 40 %); 2025: 400.000 a month to June → 2.400.000 / 0,4 = 6.000.000, not the
    # 4.800.000 a straight line would give.
    rows = [
        ["5.38.38", 1, f"2024-{m:02d}", 1_600_000 if m == 12 else 400_000] for m in range(1, 13)
    ]
    rows += [["5.38.38", 1, f"2025-{m:02d}", 400_000] for m in range(1, 7)]
    settle([workbook(home.indbakke / "f.xlsx", ["Funktion", "Dranst", "Periode", "Beløb"], rows)])
    run(home)
    assert query(
        home,
        "SELECT forbrug_aar_til_dato, forventet_regnskab, opgjort_som "
        "FROM mart.budgetopfoelgning WHERE aar = 2025",
    ) == [(Decimal("2400000.00"), Decimal("6000000.00"), "forventet")]


def test_goals_respect_their_direction(home, small_inbox):
    run(home)
    # target "lavere": 2024 average 90 ≤ 92 is met; 2025 average 80 > 75 is not
    assert query(
        home, "SELECT aar, resultat, opfyldt, indsatsstatus FROM mart.maal ORDER BY aar"
    ) == [(2024, 90.0, True, "implementeret"), (2025, 80.0, False, "implementeret")]


def test_a_year_without_data_is_not_zero(home, small_inbox):
    fixtures.catalogue(home.indbakke / "indsatser.xlsx")
    run(home)
    # add a 2026 saving for B1: no spending for 2026 exists
    book_path = home.indbakke / "katalog2.xlsx"
    fixtures.catalogue(book_path)
    from openpyxl import load_workbook

    book = load_workbook(book_path)
    book["Økonomi"].append(["B1", "2024-2027", 2026, "Besparelse", -2_000_000, 2024])
    book.save(book_path)
    settle([book_path])
    run(home)
    [(realised, status, source)] = query(
        home,
        "SELECT realiseret_besparelse, status, opgjort_som FROM mart.besparelser "
        "WHERE indsats_id = 'B1' AND aar = 2026",
    )
    assert (realised, status, source) == (None, "ikke opgjort", None)


def test_reconciliation_check_catches_a_lost_row(home, small_inbox):
    run(home)
    con = duckdb.connect(str(home.warehouse))  # damage the warehouse behind its back
    con.execute("DELETE FROM core.forbrug WHERE kilde_raekke = 4")
    con.close()
    check = sql_check(read_check(CHECKS_DIR / "afstemning.sql"), set())
    result = check(warehouse=Warehouse(home=home))
    assert not result.passed
    # row 4 of forbrug.xlsx (delivery 2), 5.38.50 (botilbud) January 2023, 1.000.000 kr.,
    # is gone although no later file covers it
    assert result.description == (
        "forbrug funktion 5.38.50 2023-1 fra leverance 2: 0 gældende rækker mod 1 efter "
        "erstatningsreglen: 0.00 kr. mod 1000000.00 kr."
    )


def test_lineage_names_files_and_rows(home, small_inbox):
    run(home)
    rows = query(
        home,
        "SELECT filnavn, kilde_ark, list_sort(flatten(list(raekker))) FROM mart.sporbarhed "
        "WHERE tabel = 'besparelser' AND noegle = 'A1|2024-2027|2024' AND indgang <> 'prisindeks' "
        "GROUP BY ALL ORDER BY filnavn, kilde_ark",
    )
    # the catalogue row of A1 (Indsatser row 7), its 2024 saving (Økonomi row 13), and the
    # 24 months of activity for 2023 (baseline) and 2024 (rows 4-27 of aktivitet.xlsx)
    assert rows == [
        ("aktivitet.xlsx", "Aktivitet", list(range(4, 28))),
        ("indsatser.xlsx", "Indsatser", [7]),
        ("indsatser.xlsx", "Økonomi", [13]),
    ]
