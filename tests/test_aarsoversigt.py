"""The annual overview for the budget process (issue 14, item 5): per område and year the
vedtaget and korrigeret budget, regnskab or forventet regnskab, the coming year and the
overslagsår from the latest adopted budget, activity and unit cost, in one price level
with the change from the year before. Every figure is computed by hand below."""

from __future__ import annotations

from decimal import Decimal

import pytest

from runtime.resources import Home
from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow

ADOPTED = {  # agreement → {year: kr.}, the long form with a Budgetaftale column
    "2024-2027": {2024: 11_500_000, 2025: 11_000_000, 2026: 10_500_000, 2027: 10_000_000},
    "2025-2028": {2025: 12_500_000, 2026: 12_000_000, 2027: 11_800_000, 2028: 11_600_000},
}


@pytest.fixture(scope="module")
def overview(tmp_path_factory) -> Home:
    """botilbud (5.38.50): 2024 closed at 12 × 1.000.000, 2025 open to June at 1.100.000 a
    month; a service index 2024 100, 2025 105 (the marts' level is 2025, the last year
    with spending); 'Borgere i botilbud' in helårspersoner 100 a month in 2024 and 120 in
    January-June 2025; 'Henvendelser' (personer) is no full-year count and is left out."""
    home = Home(tmp_path_factory.mktemp("aarsoversigt") / "hjem").create()
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 1_000_000) + b.monthly("5.38.50", 2025, 1_100_000, range(1, 7)),
    )
    b.workbook(
        home.indbakke / "vedtaget.xlsx",
        ["Funktion", "År", "Budgettype", "Budgetaftale", "Beløb"],
        [
            ["5.38.50", year, "Vedtaget", agreement, amount]
            for agreement, years in ADOPTED.items()
            for year, amount in years.items()
        ],
    )
    b.corrected(
        home.indbakke / "korrigeret.xlsx",
        [["5.38.50", 2024, 11_800_000], ["5.38.50", 2025, 12_900_000]],
    )
    b.workbook(
        home.indbakke / "aktivitet.xlsx",
        ["Periode", "Indikator", "Antal", "Område", "Enhed"],
        [[f"2024-{m:02d}", "Borgere i botilbud", 100, "botilbud", "helårspersoner"]
         for m in range(1, 13)]
        + [[f"2025-{m:02d}", "Borgere i botilbud", 120, "botilbud", "helårspersoner"]
           for m in range(1, 7)]
        + [[f"2024-{m:02d}", "Henvendelser", 50, "botilbud", "personer"] for m in range(1, 13)],
    )  # fmt: skip
    b.workbook(
        home.indbakke / "pl.xlsx",
        ["År", "Type", "Indeks"],
        [[2024, "Service", 100], [2025, "Service", 105]],
    )
    run(home)
    return home


def _row(home: Home, year: int, columns: str) -> tuple:
    [row] = query(
        home, f"SELECT {columns} FROM mart.aarsoversigt WHERE omraade = 'botilbud' AND aar = ?",
        [year],
    )  # fmt: skip
    return row


def test_budget_accounts_and_forecast_in_one_price_level(overview):
    cols = "vedtaget_budget, vedtaget_i, korrigeret_budget, nettoforbrug_faste_priser, opgjort_som"
    # 2024 in 2025 prices (× 105/100): adopted 11.500.000 (budget 2024-2027, in 2024 prices)
    # → 12.075.000; korrigeret 11.800.000 → 12.390.000; regnskab 12.000.000 → 12.600.000.
    assert _row(overview, 2024, cols) == (
        Decimal("12075000.00"), "2024-2027", Decimal("12390000.00"), Decimal("12600000.00"),
        "regnskab",
    )  # fmt: skip
    # 2025: the newer budget 2025-2028 counts (12.500.000, 2025 prices, factor 1);
    # forecast = 6 × 1.100.000 / (6/12) = 13.200.000 (2024's June share is exactly 1/2).
    assert _row(overview, 2025, cols) == (
        Decimal("12500000.00"), "2025-2028", Decimal("12900000.00"), Decimal("13200000.00"),
        "forventet",
    )  # fmt: skip


def test_coming_year_and_overslagsaar_from_the_latest_adopted_budget(overview):
    # 2026-2028 from budget 2025-2028 (2025 prices, factor 1), not from 2024-2027; no
    # spending yet, so no change in spending; the adopted budget's change is from t − 1:
    # 2026 12.000.000 − 12.500.000 = −500.000; 2027 −200.000; 2028 −200.000.
    assert query(
        overview,
        "SELECT aar, vedtaget_budget, vedtaget_i, aendring_vedtaget_budget, "
        "nettoforbrug_faste_priser, aendring_kr, opgjort_som FROM mart.aarsoversigt "
        "WHERE aar >= 2026 ORDER BY aar",
    ) == [
        (2026, Decimal("12000000.00"), "2025-2028", Decimal("-500000.00"), None, None, "budget"),
        (2027, Decimal("11800000.00"), "2025-2028", Decimal("-200000.00"), None, None, "budget"),
        (2028, Decimal("11600000.00"), "2025-2028", Decimal("-200000.00"), None, None, "budget"),
    ]


def test_activity_unit_cost_and_change_from_the_year_before(overview):
    cols = (
        "aktivitet, enhedsomkostning, aendring_kr, aendring_pct, aendring_vedtaget_budget, "
        "aendring_aktivitet, aendring_enhedsomkostning"
    )
    # 2024: 100 helårspersoner (the 'personer' indicator is not added); 12.600.000 / 100 =
    # 126.000 kr. each; no 2023, so every change is empty, never 0.
    assert _row(overview, 2024, cols) == (
        100.0, Decimal("126000.00"), None, None, None, None, None,
    )  # fmt: skip
    # 2025: 120 (the mean of January-June); 13.200.000 / 120 = 110.000; spending
    # 13.200.000 − 12.600.000 = +600.000 (600.000 / 12.600.000 = 4,76 %); adopted
    # 12.500.000 − 12.075.000 = +425.000; activity +20; unit cost 110.000 − 126.000 = −16.000.
    assert _row(overview, 2025, cols) == (
        120.0, Decimal("110000.00"), Decimal("600000.00"), 4.76,
        Decimal("425000.00"), 20.0, Decimal("-16000.00"),
    )  # fmt: skip
