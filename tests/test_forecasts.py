"""The budget holders' own forventet regnskab (issue 14): where it exists for an open
year it replaces the mechanical forecast in the budget follow-up and is marked so;
elsewhere the mechanical one stays, marked 'beregnet'. Computed by hand below."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow

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


def test_a_holders_forecast_per_initiative_is_its_open_years_spending(home):
    # 2025 is open (January-June). B (budget, botilbud, 5.38.50): 6 × 1.000.000, mechanical
    # forecast 6.000.000 / (6/12) = 12.000.000. Its holder expects 12.600.000 for B, so
    # realised = korrigeret 13.000.000 + planned 100.000 − 12.600.000 = 500.000 (the
    # mechanical one would give 1.100.000), marked 'budgetansvarlig'. C (budget, bostøtte,
    # 5.38.38) has no holder's row: 6.500.000 + 200.000 − 6 × 500.000 / 0,5 = 700.000,
    # 'beregnet'. The område row (12.800.000) is botilbud's figure in the budget follow-up;
    # the initiative's row does not replace it.
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
        [
            b.initiative("B", "budget", "5.38.50"),
            b.initiative("C", "budget", "5.38.38", area="bostøtte"),
        ],
        [
            ["B", "2024-2027", 2025, "Besparelse", 100_000, 2024],
            ["C", "2024-2027", 2025, "Besparelse", 200_000, 2024],
        ],
    )
    b.workbook(
        home.indbakke / "forventet.xlsx",
        ["Område", "Opfølgning", "Indsats ID", "Forventet regnskab"],
        [["botilbud", "2025-06", None, 12_800_000], ["botilbud", "2025-06", "B", 12_600_000]],
    )
    run(home)
    assert query(
        home,
        "SELECT indsats_id, realiseret_besparelse, opgjort_som, forventet_af "
        "FROM mart.besparelser WHERE aar = 2025 ORDER BY indsats_id",
    ) == [
        ("B", Decimal("500000.00"), "forventet", "budgetansvarlig"),
        ("C", Decimal("700000.00"), "forventet", "beregnet"),
    ]
    assert query(
        home,
        "SELECT forventet_regnskab, forventet_af FROM mart.budgetopfoelgning "
        "WHERE omraade = 'botilbud' AND aar = 2025",
    ) == [(Decimal("12800000.00"), "budgetansvarlig")]
    # expected by 2027: 500.000 so far + the remaining years' planned savings (2026 and
    # 2027 plan nothing) = 500.000 against 100.000 budgeted: +400.000, on the holder's
    # forecast (not 500.000 + 2 × 500.000, the open year extrapolated)
    assert query(
        home,
        "SELECT forventet_i_alt, forventet_afvigelse, forventet_af, grundlag "
        "FROM mart.forventet_realisering WHERE indsats_id = 'B'",
    ) == [
        (
            Decimal("500000.00"),
            Decimal("400000.00"),
            "budgetansvarlig",
            "budgetansvarlig og planlagt",
        )
    ]
