"""Issue 27: the expected realisation is realised to date plus the remaining years' planned
savings, never one year extrapolated flat. The issue's case, built from scratch and
computed by hand; no price index is delivered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow  # each runs the job


def test_one_year_with_an_appropriation_is_not_extrapolated(home):
    # B (budget, botilbud 5.38.50) planned 500.000 + 600.000 + 700.000 + 800.000 = 2.600.000
    # over 2024-2027. 2024 is the only year measured: spending 12 × 900.000 = 10.800.000,
    # adopted 11.000.000, korrigeret 12.300.000 of which 1.300.000 tillægsbevilling.
    # Realised 2024: 11.000.000 + 500.000 − 10.800.000 = 700.000 (on the korrigeret budget
    # it would be 12.300.000 + 500.000 − 10.800.000 = 2.000.000, and four years of that
    # flat 8.000.000 against 2.600.000 budgeted).
    # Expected: 700.000 + 600.000 + 700.000 + 800.000 = 2.800.000, grundlag
    # 'realiseret og planlagt'; afvigelse 2.800.000 − 2.600.000 = 200.000.
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.50", 2024, 900_000))
    b.adopted(home.indbakke / "vedtaget.xlsx", [["5.38.50", 2024, 11_000_000]], "2024-2027")
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2024, 12_300_000]])
    b.workbook(
        home.indbakke / "korrektioner.xlsx",
        ["Område", "År", "Beløb", "Type", "Begrundelse"],
        [["botilbud", 2024, 1_300_000, "Tillægsbevilling", "Flere borgere"]],
    )
    planned = {2024: 500_000, 2025: 600_000, 2026: 700_000, 2027: 800_000}
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [["B", "2024-2027", y, "Besparelse", kr, 2024] for y, kr in planned.items()],
    )
    run(home)
    assert query(
        home,
        "SELECT budgetteret_i_alt, realiseret_til_dato, senest_opgjort, resterende_aar, "
        "planlagt_resterende, forventet_i_alt, forventet_afvigelse, grundlag "
        "FROM mart.forventet_realisering",
    ) == [
        (
            Decimal("2600000.00"),
            Decimal("700000.00"),
            2024,
            3,
            Decimal("2100000.00"),
            Decimal("2800000.00"),
            Decimal("200000.00"),
            "realiseret og planlagt",
        )
    ]
