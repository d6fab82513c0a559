"""Issue 27: what an agreement lists. The catalogue declares per agreement whether it
restates every saving in force (alle, the default) or lists only new decisions (nye);
mart.budgetaftaler follows it, so an initiative a 'nye' agreement does not mention is not
a false cut. Built from scratch, computed by hand; no price index."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow  # each runs the job

HEADER = [*b.ECONOMY, "Aftalen lister"]


def catalogue(home, lists: str | None) -> None:
    # 2023-2026 (restates): X saves 500.000 in 2024. 2024-2027 lists Y's new 200.000 in
    # 2024 and nothing for X.
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("X", "budget", "5.38.50"), b.initiative("Y", "budget", "5.38.52")],
        [
            ["X", "2023-2026", 2024, "Besparelse", 500_000, 2023, None],
            ["Y", "2024-2027", 2024, "Besparelse", 200_000, 2024, lists],
        ],
        economy_header=HEADER,
    )


@pytest.mark.parametrize(
    ("lists", "x_2024_2027", "x_change"),
    [
        # 2024-2027 lists only new decisions: X's 500.000 from 2023-2026 still stands under
        # it, a change of 0 (not −500.000); Y's 200.000 is the change
        ("Kun nye", Decimal("500000.00"), Decimal("0.00")),
        # 2024-2027 restates everything: X has no saving in it, a cut of 500.000
        (None, Decimal("0.00"), Decimal("-500000.00")),
    ],
)
def test_an_agreement_of_new_decisions_is_no_false_cut(home, lists, x_2024_2027, x_change):
    catalogue(home, lists)
    run(home)
    assert query(
        home,
        "SELECT indsats_id, besparelse, aendring FROM mart.budgetaftaler "
        "WHERE budgetaftale = '2024-2027' AND aar = 2024 ORDER BY indsats_id",
    ) == [("X", x_2024_2027, x_change), ("Y", Decimal("200000.00"), Decimal("200000.00"))]
