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


def test_rule9_activity_is_keyed_by_area_and_indicator(home):
    # 'Helårspersoner' is counted in botilbud (100 a month in 2023, 90 in 2024) and, under
    # the same name, in bostøtte (50, then 60). X (aktivitet, botilbud, 100.000 kr. each)
    # realises (100 − 90) × 100.000 = 1.000.000 (not (150 − 150) × 100.000 = 0 on both
    # områder summed), and its goal of at most 92 in 2024 is met by 90 (not missed by 150).
    b.activity(home.indbakke / "botilbud.xlsx", "Helårspersoner", {2023: 100, 2024: 90})
    b.activity(
        home.indbakke / "bostoette.xlsx", "Helårspersoner", {2023: 50, 2024: 60}, area="bostøtte"
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative(
                "X", "aktivitet", None, baseline=2023, unit_price=100_000, price_level=2024,
                indicator="Helårspersoner",
            )
        ],  # fmt: skip
        [["X", "2024-2027", 2024, "Besparelse", 1_000_000, 2024]],
        [["X", "Helårspersoner", 2024, 92, "lavere"]],
    )
    run(home)
    assert query(
        home, "SELECT realiseret_besparelse FROM mart.besparelser WHERE indsats_id = 'X'"
    ) == [(Decimal("1000000.00"),)]
    assert query(home, "SELECT maal, resultat, opfyldt FROM mart.maal WHERE indsats_id = 'X'") == [
        (92, 90, True)
    ]
