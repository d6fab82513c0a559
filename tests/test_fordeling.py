"""Issue 27: a group's saving split on evidence. A member with its own indicator and unit
price gets its measured share (capped so the group's total is kept), the rest goes pro
rata by planned savings, and a member split pro rata shows the group's status. Built from
scratch, computed by hand; no price index, no population."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow  # each runs the job


def group(home, activity_2024: int) -> None:
    # 5.38.50: 12 × 1.000.000 in 2023, 12 × 900.000 = 10.800.000 in 2024; korrigeret budget
    # 2024 11.000.000 (the reference: no adopted budget, no corrections). B (budget) planned
    # 400.000, A (aktivitet, 'Borgere i botilbud', 100.000 kr. each, baseline 2023 = 100)
    # 300.000, L (baseline 2023) 100.000. The group: 11.000.000 + 800.000 − 10.800.000 =
    # 1.000.000.
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2023, 1_000_000) + b.monthly("5.38.50", 2024, 900_000),
    )
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2024, 11_000_000]])
    b.activity(
        home.indbakke / "aktivitet.xlsx", "Borgere i botilbud", {2023: 100, 2024: activity_2024}
    )
    unit = {"baseline": 2023, "unit_price": 100_000, "price_level": 2024}
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative("B", "budget", "5.38.50"),
            b.initiative("A", "aktivitet", "5.38.50", indicator="Borgere i botilbud", **unit),
            b.initiative("L", "baseline", "5.38.50", baseline=2023),
        ],
        [
            ["B", "2024-2027", 2024, "Besparelse", 400_000, 2024],
            ["A", "2024-2027", 2024, "Besparelse", 300_000, 2024],
            ["L", "2024-2027", 2024, "Besparelse", 100_000, 2024],
        ],
    )


def rows(home):
    return query(
        home,
        "SELECT indsats_id, realiseret_besparelse, fordelt_efter, maalopfyldelse, status, "
        "status_for FROM mart.besparelser WHERE aar = 2024 ORDER BY indsats_id",
    )


@pytest.mark.parametrize(
    ("activity_2024", "expected"),
    [
        # 100 → 98: A measured (100 − 98) × 100.000 = 200.000 (of 300.000 planned: 66,67 %,
        # rød, its own). The rest 1.000.000 − 200.000 = 800.000 goes to B and L 4:1:
        # B 640.000, L 160.000; both show the group's 1.000.000 / 800.000 = 125 %, grøn.
        (
            98,
            [
                ("A", Decimal("200000.00"), "egen måling", 0.6667, "rød", "indsatsen"),
                ("B", Decimal("640000.00"), "planlagt andel", 1.25, "grøn", "gruppen"),
                ("L", Decimal("160000.00"), "planlagt andel", 1.25, "grøn", "gruppen"),
            ],
        ),
        # 100 → 80: A measured 2.000.000, more than the group's 1.000.000: capped at
        # 1.000.000 (the total kept), nothing left for B and L (0 kr., the group's 125 %).
        (
            80,
            [
                ("A", Decimal("1000000.00"), "egen måling", 3.3333, "grøn", "indsatsen"),
                ("B", Decimal("0.00"), "planlagt andel", 1.25, "grøn", "gruppen"),
                ("L", Decimal("0.00"), "planlagt andel", 1.25, "grøn", "gruppen"),
            ],
        ),
    ],
)
def test_a_member_with_its_own_measure_gets_its_measured_share(home, activity_2024, expected):
    group(home, activity_2024)
    run(home)
    assert rows(home) == expected
