"""Issue 23's rules, each case built from scratch and computed by hand: a krone counted
once through a chain of initiatives, holders' forecasts never summed, each område's own
horizon, activity keyed by (område, indikator) and a price index with a missing year."""

from __future__ import annotations

from decimal import Decimal

from tests import builders as b
from tests.conftest import query, run


def test_rule8_an_investment_is_projected_on_its_own_areas_horizon(home):
    # botilbud's spending runs to March 2025, forsørgelse's to April. B (botilbud) has
    # 3 × 50.000 = 150.000 booked on its own ansvarssted 9001 by March: projected to the
    # year on botilbud's horizon, 150.000 × 12 / 3 = 600.000 (not 150.000 × 12 / 4 =
    # 450.000 on forsørgelse's April).
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2025, 1_000_000, range(1, 4))
        + b.monthly("5.38.50", 2025, 50_000, range(1, 4), place="9001")
        + b.monthly("5.57.73", 2025, 200_000, range(1, 5)),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50", place="9001")],
        [["B", "2024-2027", 2025, "Investering", 600_000, 2024]],
    )
    run(home)
    assert query(
        home,
        "SELECT forbrugt_investering, forventet_investering, opgjort_som "
        "FROM mart.investeringer WHERE indsats_id = 'B' AND aar = 2025",
    ) == [(Decimal("150000.00"), Decimal("600000.00"), "år til dato")]
