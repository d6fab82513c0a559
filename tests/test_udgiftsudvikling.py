"""Issue 27: mart.udgiftsudvikling splits the change in net spending exactly into price,
demography, frequency and unit cost (additive LMDI), to the øre, and leaves the parts
empty with a reason where a figure is missing or not positive.

Hand example (botilbud; first agreement 2023, so the base year is 2022):

    year  løbende priser  faste priser  modtagere  indbyggere
    2022       1.000.000     1.000.000         50       1.000
    2023       1.331.000     1.210.000         55       1.100
    2024       1.331.000     1.210.000       (none)     1.100

2022 → 2023: price level (løbende / faste) 1 → 1,1; population 1.000 → 1.100 (× 1,1);
recipients per inhabitant 0,05 → 0,05 (× 1); unit cost in fixed prices 20.000 → 22.000
(× 1,1). The change is 331.000 kr. With L = L(1.331.000, 1.000.000) each part is
L · ln 1,1, and ln 1,331 = 3 · ln 1,1, so each of the three moving parts is exactly
331.000 / 3 = 110.333,333… kr.: price and demography 110.333,33 kr., frequency 0, and unit
cost 331.000 − 2 × 110.333,33 = 110.333,34 kr. (it takes the øre the rounding left).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def mart(rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core; CREATE SCHEMA mart")
    for macro in ("beloeb.sql", "lmdi.sql"):
        con.execute((ASSETS / "macros" / macro).read_text(encoding="utf-8"))
    con.execute(
        "CREATE TABLE mart.aarsoversigt (omraade VARCHAR, aar INTEGER, "
        "nettoforbrug_loebende_priser DECIMAL(18, 2), nettoforbrug_faste_priser "
        "DECIMAL(18, 2), aktivitet DOUBLE, indbyggere DOUBLE, opgjort_som VARCHAR)"
    )
    con.executemany(
        "INSERT INTO mart.aarsoversigt VALUES ('botilbud', ?, ?, ?, ?, ?, 'regnskab')", rows
    )
    con.execute("CREATE TABLE core.indsats_oekonomi AS SELECT '2023-2026' AS budgetaftale")
    con.execute((ASSETS / "marts/sql/udgiftsudvikling.sql").read_text(encoding="utf-8"))
    return con.execute(
        "SELECT aar, sammenlignet_med, fra_aar, aendring, del_pris, del_demografi, "
        "del_hyppighed, del_enhedsomkostning, begrundelse FROM mart.udgiftsudvikling "
        "ORDER BY aar, 2"
    ).fetchall()


HAND = [
    (2022, 1_000_000, 1_000_000, 50, 1_000),
    (2023, 1_331_000, 1_210_000, 55, 1_100),
    (2024, 1_331_000, 1_210_000, None, 1_100),
]


def test_the_four_parts_sum_to_the_change_to_the_oere():
    rows = mart(HAND)
    third, last = Decimal("110333.33"), Decimal("110333.34")
    both = [r for r in rows if r[0] == 2023]
    # 2023 against the base year 2022 and against the year before (also 2022): the same
    assert [r[1:3] for r in both] == [("basisåret", 2022), ("året før", 2022)]
    for row in both:
        assert row[3:] == (Decimal("331000.00"), third, third, Decimal("0.00"), last, None)
        assert sum(row[4:8]) == row[3]


def test_a_missing_figure_leaves_the_parts_empty_with_a_reason():
    # 2024 has no recipients: the change (0 against 2023, 331.000 against 2022) is there,
    # the parts are not
    rows = [r for r in mart(HAND) if r[0] == 2024]
    reason = "aktiviteten (modtagere) mangler eller er 0 for et af årene"
    assert [(r[1], r[3], r[4:8], r[8]) for r in rows] == [
        ("basisåret", Decimal("331000.00"), (None,) * 4, reason),
        ("året før", Decimal("0.00"), (None,) * 4, reason),
    ]


def test_a_negative_net_spending_is_not_split():
    # 2023 at −10.000 kr. (more income than spending): no logarithm, so no parts
    rows = mart([HAND[0], (2023, -10_000, -9_091, 55, 1_100)])
    assert {(r[3], r[4], r[8]) for r in rows} == {
        (Decimal("-1010000.00"), None,
         "nettoforbruget er 0 eller negativt; delingen kræver positive tal")
    }  # fmt: skip
