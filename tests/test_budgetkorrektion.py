"""Issue 27: the budget method's reference is the adopted budget of the agreement in force,
moved only by technical and demographic corrections; an appropriation (tillægsbevilling) or
a carry-over (overførsel) never becomes a saving. Each case built from scratch, computed by
hand in its comments. No price index is delivered."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.reports.content import price_warnings, read_content
from runtime.resources import read_published
from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow  # each runs the job

CORRECTION = ["Område", "Funktion", "År", "Beløb", "Type", "Begrundelse", "Beslutning"]


def corrections(path, rows):
    return b.workbook(path, CORRECTION, rows, "Korrektioner")


def one_budget_initiative(home, corrected: float) -> None:
    # botilbud 5.38.50: spending 12 × 900.000 = 10.800.000 in 2024; adopted 2024 (agreement
    # 2024-2027) 11.000.000; B (budget) planned 500.000 for 2024
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.50", 2024, 900_000))
    b.adopted(home.indbakke / "vedtaget.xlsx", [["5.38.50", 2024, 11_000_000]], "2024-2027")
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2024, corrected]])
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [["B", "2024-2027", 2024, "Besparelse", 500_000, 2024]],
    )


def realised(home) -> Decimal:
    return query(home, "SELECT realiseret_besparelse FROM mart.besparelser WHERE indsats_id = 'B'")[
        0
    ][0]


def bridge(home) -> list[tuple]:
    return query(
        home,
        "SELECT vedtaget_budget, teknisk, demografi, tillaegsbevilling, overfoersel, "
        "korrigeret_budget, uforklaret, reference FROM mart.budgetbro "
        "WHERE omraade = 'botilbud' AND aar = 2024",
    )


def test_an_appropriation_changes_no_saving(home):
    # Without corrections the korrigeret budget equals the adopted one, 11.000.000:
    # realised 11.000.000 + 500.000 − 10.800.000 = 700.000.
    one_budget_initiative(home, 11_000_000)
    run(home)
    assert realised(home) == Decimal("700000.00")
    # The Byråd grants +300.000 (tillægsbevilling): korrigeret 11.300.000, documented.
    # The reference stays 11.000.000 + 0 teknisk + 0 demografi, so realised stays 700.000
    # (the korrigeret budget would have given 11.300.000 + 500.000 − 10.800.000 = 1.000.000)
    b.corrected(home.indbakke / "korrigeret_2.xlsx", [["5.38.50", 2024, 11_300_000]])
    corrections(
        home.indbakke / "korrektioner.xlsx",
        [["botilbud", "5.38.50", 2024, 300_000, "Tillægsbevilling", "Flere borgere", "BR 12"]],
    )
    run(home)
    assert realised(home) == Decimal("700000.00")
    # bridge: 11.000.000 + 300.000 tillægsbevilling = 11.300.000, nothing unexplained
    assert bridge(home) == [
        tuple(Decimal(x) for x in
              ("11000000.00", "0.00", "0.00", "300000.00", "0.00", "11300000.00", "0.00",
               "11000000.00"))
    ]  # fmt: skip


def test_a_carry_over_changes_no_saving_even_without_an_adopted_budget(home):
    # Only a korrigeret budget (no adopted one): the reference is korrigeret − appropriations
    # − carry-overs. 2023's underspend of 200.000 is carried over into 2024: korrigeret
    # 11.200.000, of which overførsel 200.000 (no funktion: the whole område, i.e. 5.38.50).
    # Reference 11.200.000 − 200.000 = 11.000.000; realised 11.000.000 + 500.000 −
    # 10.800.000 = 700.000 (not 900.000: the carry-over counted again)
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.50", 2024, 900_000))
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2024, 11_200_000]])
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [["B", "2024-2027", 2024, "Besparelse", 500_000, 2024]],
    )
    corrections(
        home.indbakke / "korrektioner.xlsx",
        [["botilbud", None, 2024, 200_000, "Overførsel", "Mindreforbrug 2023", "BR 3"]],
    )
    run(home)
    assert realised(home) == Decimal("700000.00")


def test_technical_and_demographic_corrections_move_the_reference(home):
    # adopted 11.000.000; corrections: teknisk +100.000 (pay rises), demografi −50.000,
    # tillægsbevilling +300.000; korrigeret 11.400.000. Reference 11.000.000 + 100.000 −
    # 50.000 = 11.050.000: realised 11.050.000 + 500.000 − 10.800.000 = 750.000.
    # Bridge: 11.400.000 − 11.000.000 − (100.000 − 50.000 + 300.000) = 50.000 unexplained,
    # an Advarsel in the run and the report's Opmærksomhed; it moves nothing.
    one_budget_initiative(home, 11_400_000)
    corrections(
        home.indbakke / "korrektioner.xlsx",
        [
            ["botilbud", "5.38.50", 2024, 100_000, "Teknisk", "Løn", "BR 1"],
            ["botilbud", "5.38.50", 2024, -50_000, "Demografi", "Færre 18-64-årige", "BR 1"],
            ["botilbud", "5.38.50", 2024, 300_000, "Tillægsbevilling", "Flere borgere", "BR 2"],
        ],
    )
    run(home)
    assert realised(home) == Decimal("750000.00")
    assert bridge(home) == [
        tuple(Decimal(x) for x in
              ("11000000.00", "100000.00", "-50000.00", "300000.00", "0.00", "11400000.00",
               "50000.00", "11050000.00"))
    ]  # fmt: skip
    with read_published(home) as con:
        warnings = price_warnings(con)
        attention = read_content(con).table("Opmærksomhed").frame["advarsel"].tolist()
    assert warnings[0] in attention
    assert len(warnings) == 1
    assert warnings[0].startswith("Advarsel: botilbud 2024")
    assert "50.000 kr., som ingen budgetkorrektion forklarer" in warnings[0]
