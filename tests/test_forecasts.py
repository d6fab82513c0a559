"""The budget holders' own forventet regnskab (issue 14): where it exists for an open
year it replaces the mechanical forecast in the budget follow-up and is marked so;
elsewhere the mechanical one stays, marked 'beregnet'. Computed by hand below."""

from __future__ import annotations

from decimal import Decimal

from tests import builders as b
from tests.conftest import query, run

HOLDER = ["Område", "Opfølgning", "Forventet regnskab"]


def test_a_holders_forecast_overrides_the_mechanical_one_and_is_marked(home):
    # 2025 is open (January-June) and has no closed year before it: the mechanical forecast
    # is year to date / (6 / 12). botilbud: 6 × 1.000.000 / 0,5 = 12.000.000; bostøtte:
    # 6 × 500.000 / 0,5 = 6.000.000. Korrigeret 2025: 13.000.000 and 6.500.000.
    # The holder of botilbud expects 12.600.000 at the June follow-up: afvigelse
    # 12.600.000 − 13.000.000 = −400.000 (not −1.000.000). An older follow-up (March,
    # 99.000.000), delivered after it, does not replace it: the latest follow-up counts.
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2025, 1_000_000, range(1, 7))
        + b.monthly("5.38.38", 2025, 500_000, range(1, 7)),
    )
    b.corrected(
        home.indbakke / "korrigeret.xlsx",
        [["5.38.50", 2025, 13_000_000], ["5.38.38", 2025, 6_500_000]],
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [["B", "2024-2027", 2025, "Besparelse", 100_000, 2024]],
    )
    b.workbook(home.indbakke / "forventet_juni.xlsx", HOLDER, [["botilbud", "2025-06", 12_600_000]])
    run(home)
    b.workbook(home.indbakke / "forventet_marts.xlsx", HOLDER, [["botilbud", "2025-03", 99e6]])
    run(home)
    assert query(
        home,
        "SELECT omraade, forventet_regnskab, afvigelse, opgjort_som, forventet_af "
        "FROM mart.budgetopfoelgning WHERE aar = 2025 ORDER BY omraade",
    ) == [
        ("bostøtte", Decimal("6000000.00"), Decimal("-500000.00"), "forventet", "beregnet"),
        ("botilbud", Decimal("12600000.00"), Decimal("-400000.00"), "forventet", "budgetansvarlig"),
    ]
    # the March file is kept, but nothing of it is in use: the June follow-up is later
    assert query(
        home,
        "SELECT filnavn, art, status, perioder FROM mart.leverancer "
        "WHERE filnavn LIKE 'forv%' ORDER BY leverance_nr",
    ) == [
        ("forventet_juni.xlsx", "forventet", "accepteret", "2025-06 – 2025-06"),
        ("forventet_marts.xlsx", "forventet", "erstattet", "2025-03 – 2025-03"),
    ]
