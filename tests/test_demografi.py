"""Issue 27: baseline and activity savings measured per inhabitant of the target group
times this year's population, with the unadjusted figure beside it. Built from scratch,
computed by hand in the comments; no price index is delivered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow  # each runs the job


def population(path, rows):
    return b.workbook(path, ["År", "Aldersgruppe", "Antal"], rows, "Befolkning")


def figures(home, ident):
    return query(
        home,
        "SELECT realiseret_besparelse, demografireguleret, ikke_demografireguleret "
        "FROM mart.besparelser WHERE indsats_id = ? AND aar = 2024",
        [ident],
    )[0]


def test_population_and_spending_both_down_two_per_cent_is_no_saving(home):
    # L (baseline 2023, bostøtte 5.38.38, target group 18-64 by default): spending
    # 12 × 500.000 = 6.000.000 in 2023 and 12 × 490.000 = 5.880.000 in 2024 (−2 %); the
    # 18-64-year-olds 10.000 → 9.800 (−2 %). Per inhabitant: 600 kr. both years, so
    # 6.000.000 × 9.800 / 10.000 − 5.880.000 = 0; unadjusted 6.000.000 − 5.880.000 = 120.000.
    # A (aktivitet, botilbud, 100.000 kr. per helårsperson, 18-64): 100 → 98 helårspersoner:
    # (100 × 9.800 / 10.000 − 98) × 100.000 = 0; unadjusted (100 − 98) × 100.000 = 200.000.
    # K (aktivitet, target group 65+ in the catalogue): the 65+ grow 5.000 → 5.500 (+10 %),
    # the count 50 → 54: (50 × 5.500 / 5.000 − 54) × 100.000 = (55 − 54) × 100.000 = 100.000
    # saved per inhabitant, where the unadjusted (50 − 54) × 100.000 = −400.000 says worse.
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.38", 2023, 500_000) + b.monthly("5.38.38", 2024, 490_000),
    )
    population(
        home.indbakke / "befolkning.xlsx",
        [[2023, "0-17", 4_000], [2023, "18-64", 10_000], [2023, "65+", 5_000],
         [2024, "0-17", 4_000], [2024, "18-64", 9_800], [2024, "65+", 5_500]],
    )  # fmt: skip
    b.activity(home.indbakke / "aktivitet.xlsx", "Helårspersoner", {2023: 100, 2024: 98})
    b.activity(home.indbakke / "aktivitet_65.xlsx", "Ældre i botilbud", {2023: 50, 2024: 54})
    unit = {"baseline": 2023, "unit_price": 100_000, "price_level": 2024}
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative("L", "baseline", "5.38.38", area="bostøtte", baseline=2023),
            b.initiative("A", "aktivitet", None, indicator="Helårspersoner", **unit),
            # the catalogue's target group (the last column, after udvalg, spornavn and
            # sporansvarlig)
            [
                *b.initiative("K", "aktivitet", None, indicator="Ældre i botilbud", **unit),
                *[None, None, None, "65+"],
            ],
        ],
        [[i, "2024-2027", 2024, "Besparelse", 100_000, 2024] for i in ("L", "A", "K")],
    )
    run(home)
    assert figures(home, "L") == (Decimal("0.00"), Decimal("0.00"), Decimal("120000.00"))
    assert figures(home, "A") == (Decimal("0.00"), Decimal("0.00"), Decimal("200000.00"))
    assert figures(home, "K") == (
        Decimal("100000.00"),
        Decimal("100000.00"),
        Decimal("-400000.00"),
    )


def test_without_population_the_saving_is_the_unadjusted_one(home):
    # L as above without a population file: 6.000.000 − 5.880.000 = 120.000, and no
    # demography-adjusted figure (NULL, never 0)
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.38", 2023, 500_000) + b.monthly("5.38.38", 2024, 490_000),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("L", "baseline", "5.38.38", area="bostøtte", baseline=2023)],
        [["L", "2024-2027", 2024, "Besparelse", 100_000, 2024]],
    )
    run(home)
    assert figures(home, "L") == (Decimal("120000.00"), None, Decimal("120000.00"))
