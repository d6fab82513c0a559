"""Issue 23 rule 15: the page never contradicts itself. The status is decided on the
figure as shown, and the note on the overlapping agreements says what is true of the
realised totals beside it (docs/beregninger.md). Figures computed by hand in comments."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.danish import percent
from runtime.resources import Home
from tests import builders as b
from tests.conftest import run

pytestmark = pytest.mark.slow

MACROS = Path(__file__).parents[1] / "assets" / "macros" / "status.sql"


@pytest.mark.parametrize(
    "realised, shown, status",
    [
        (748_000, "75 %", "gul"),  # 74,8 % shows as 75 %: under "gul ≥ 75 %" it is gul
        (744_950, "75 %", "gul"),  # 74,495 % → 0,7450 (four decimals) → 75 %
        (744_940, "74 %", "rød"),  # 74,494 % → 0,7449 → 74 %
        (750_000, "75 %", "gul"),
        (945_000, "95 %", "grøn"),  # 94,5 % shows as 95 % (halves up, as Excel): grøn
        (944_900, "94 %", "gul"),  # 94,49 % → 94 %
        (950_000, "95 %", "grøn"),
    ],
)
def test_status_is_decided_on_the_figure_as_shown(realised, shown, status):
    # budgeted 1.000.000 kr. each time; the share is stored with four decimals (as the
    # marts and the report's overview do) and shown in whole per cent
    con = duckdb.connect()
    con.execute("CREATE SCHEMA mart")
    con.execute(MACROS.read_text(encoding="utf-8"))
    share, got = con.execute(
        "SELECT round(r / b, 4), mart.status(r, b) FROM (SELECT CAST(? AS DECIMAL(18, 2)) AS r, "
        "CAST(1000000 AS DECIMAL(18, 2)) AS b)",
        [realised],
    ).fetchone()
    assert (percent(share), got) == (shown, status)


# Two agreements: L (baseline 2023, botilbud 5.38.50) under both 2023-2026 and 2024-2027;
# M (baseline 2023, bostøtte 5.38.38) under 2024-2027 only. 2024 is closed.
# L realises 12 × 1.000.000 − 12 × 900.000 = 1.200.000, M 12 × 500.000 − 12 × 450.000 =
# 600.000. Realised to date: 2023-2026 1,2 mio. kr.; 2024-2027 1,2 + 0,6 = 1,8 mio. kr. The
# same year, different totals: 1,2 mio. kr. is L's 2024 under both agreements; the other
# 0,6 mio. kr. is M's, an initiative only 2024-2027 has.
NOTE = (
    "Af det realiserede til dato er 1,2 mio. kr. de samme indsatser og år under hver aftale; "
    "resten har kun nogle af aftalerne: 2024-2027 0,6 mio. kr. (1 indsats)."
)


def test_the_overlap_note_says_why_the_totals_differ(tmp_path):
    home = Home(tmp_path / "hjem").create()
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2023, 1_000_000)
        + b.monthly("5.38.50", 2024, 900_000)
        + b.monthly("5.38.38", 2023, 500_000)
        + b.monthly("5.38.38", 2024, 450_000),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative("L", "baseline", "5.38.50", baseline=2023),
            b.initiative("M", "baseline", "5.38.38", spor=2, area="bostøtte", baseline=2023),
        ],
        [
            ["L", "2023-2026", 2024, "Besparelse", 1_000_000, 2024],
            ["L", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
            ["M", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
        ],
    )
    run(home)
    page = (home.rapporter / "styregruppe.html").read_text(encoding="utf-8")
    assert "Budgetaftale 2023-2026: Strategien har realiseret 1,2 af" in page
    assert "Budgetaftale 2024-2027: Strategien har realiseret 1,8 af" in page
    assert NOTE in page
    assert "et års realiserede besparelse er den samme under hver aftale" not in page
