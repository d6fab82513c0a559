"""The follow-up cycle (issue 14): close a follow-up, deliver a corrected month, close the
next one; the change per initiative, track and total, and frozen follow-ups that survive
later files and a rebuild. Every figure is computed by hand in the comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.reports.content import read_content
from pipelines import followups
from pipelines.cli import main
from pipelines.jobs import REBUILD_CONFIG
from runtime.resources import Home, Stop, read_published
from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow

# month ends within the spending delivered (2023-01 … 2024-12): docs/beregninger.md
FIRST, SECOND = dt.date(2024, 9, 30), dt.date(2024, 12, 31)

# L (spor 1, botilbud, 5.38.50), baseline 2023: 12 × 1.000.000 = 12.000.000 in 2023 and
# 12 × 900.000 = 10.800.000 in 2024, realised 2024 = 12.000.000 − 10.800.000 = 1.200.000.
# M (spor 2, bostøtte, 5.38.38), baseline 2023: 12 × 500.000 = 6.000.000, then
# 12 × 450.000 = 5.400.000: realised 600.000. Both planned 1.000.000 in 2024 (2024-2027).
# The corrected June 2024 on 5.38.50 is 600.000 instead of 900.000: 2024 becomes
# 10.500.000 and L's realised 1.500.000, a change of +300.000; M is unchanged (0);
# spor 1 +300.000, spor 2 0, the total 1.800.000 → 2.100.000, +300.000.
CHANGES = [
    ("indsats", 1, "L", Decimal("1500000.00"), Decimal("1200000.00"), Decimal("300000.00")),
    ("indsats", 2, "M", Decimal("600000.00"), Decimal("600000.00"), Decimal("0.00")),
    ("spor", 1, None, Decimal("1500000.00"), Decimal("1200000.00"), Decimal("300000.00")),
    ("spor", 2, None, Decimal("600000.00"), Decimal("600000.00"), Decimal("0.00")),
    ("i alt", None, None, Decimal("2100000.00"), Decimal("1800000.00"), Decimal("300000.00")),
]
CHANGES_SQL = """
SELECT niveau, spor, indsats_id, realiseret_besparelse, forrige_realiseret, aendring_realiseret
FROM mart.opfoelgning_aendringer
WHERE opfoelgning IS NOT DISTINCT FROM ? AND aar = 2024
ORDER BY CASE niveau WHEN 'indsats' THEN 1 WHEN 'spor' THEN 2 ELSE 3 END, spor, indsats_id
"""
FROZEN_SQL = """
SELECT opfoelgning, indsats_id, realiseret_besparelse FROM mart.besparelser_opfoelgning
WHERE aar = 2024 ORDER BY opfoelgning, indsats_id
"""


def _deliver(home: Home) -> None:
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
            ["L", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
            ["M", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
        ],
    )


@pytest.fixture(scope="module")
def cycle(tmp_path_factory) -> Home:
    """Run, close 30/9, deliver the corrected month, run, close 31/12 (by the command)."""
    home = Home(tmp_path_factory.mktemp("opfoelgning") / "hjem").create()
    _deliver(home)
    run(home)
    followups.close(home, FIRST)
    b.spending(home.indbakke / "rettet_juni.xlsx", [["5.38.50", 1, "7100", "2024-06", 600_000]])
    run(home)
    assert main(["opfoelgning", "luk", SECOND.isoformat(), "--home", str(home.root)]) == 0
    return home


def test_the_change_since_the_previous_follow_up_per_initiative_track_and_total(cycle):
    assert query(cycle, CHANGES_SQL, [SECOND]) == CHANGES
    # the first follow-up has nothing before it: its changes are empty, not 0
    first = query(cycle, CHANGES_SQL, [FIRST])
    assert [r[3] for r in first] == [
        Decimal(kr) for kr in ("1200000.00", "600000.00", "1200000.00", "600000.00", "1800000.00")
    ]
    assert {r[5] for r in first} == {None}


def test_the_first_follow_up_is_unchanged_by_the_corrected_month(cycle):
    assert query(cycle, FROZEN_SQL) == [
        (FIRST, "L", Decimal("1200000.00")),
        (FIRST, "M", Decimal("600000.00")),
        (SECOND, "L", Decimal("1500000.00")),
        (SECOND, "M", Decimal("600000.00")),
    ]
    # every column of mart.besparelser, plus opfoelgning
    columns = [
        r[0]
        for r in query(
            cycle,
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'mart' "
            "AND table_name = ? ORDER BY column_index",
            ["besparelser_opfoelgning"],
        )
    ]
    mart = [
        r[0]
        for r in query(
            cycle,
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'mart' "
            "AND table_name = 'besparelser' ORDER BY column_index",
        )
    ]
    assert columns == ["opfoelgning", *mart]


def test_follow_ups_survive_a_rebuild_and_a_later_file(cycle, capsys):
    before = query(cycle, FROZEN_SQL)
    run(cycle, run_config=REBUILD_CONFIG)
    assert query(cycle, FROZEN_SQL) == before
    assert query(cycle, "SELECT opfoelgning, forrige_opfoelgning FROM mart.opfoelgninger") == [
        (FIRST, None),
        (SECOND, FIRST),
    ]
    # after the rebuild the current figures still measure against 30/6: no change since
    assert [r[5] for r in query(cycle, CHANGES_SQL, [None])] == [Decimal("0.00")] * 5
    assert main(["opfoelgning", "liste", "--home", str(cycle.root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2 lukkede opfølgninger:")
    assert "30-09-2024" in out and "31-12-2024" in out and "2 indsatsrækker" in out


def test_a_closed_follow_up_cannot_be_closed_again_or_before_the_last(cycle):
    with pytest.raises(Stop, match="allerede lukket"):
        followups.close(cycle, SECOND)
    with pytest.raises(Stop, match="før den seneste"):
        followups.close(cycle, dt.date(2024, 10, 31))
    with pytest.raises(Stop, match="ÅÅÅÅ-MM-DD"):
        followups.parse_day("30/9")
    # a date as Danish text writes it, or as ISO
    assert followups.parse_day("30-09-2024") == followups.parse_day("2024-09-30")


def test_the_report_says_which_follow_up_it_shows(cycle):
    with read_published(cycle) as con:
        content = read_content(con)
    assert content.follow_up.endswith("målt mod opfølgningen pr. 31-12-2024 (lukket " + (
        f"{dt.date.today():%d-%m-%Y})."
    ))  # fmt: skip
    table = content.table("Opfølgninger", appendix=True).frame  # every row, closed ones too
    total = table[(table["niveau"] == "i alt") & (table["opfoelgning"].dt.date == SECOND)]
    assert total["aendring_realiseret"].tolist() == [Decimal("300000.00")]
    page = (cycle.rapporter / "styregruppe.html").read_text(encoding="utf-8")
    assert "målt mod opfølgningen pr. 31-12-2024" in page


def test_expected_realisation_by_the_agreements_last_year(cycle):
    # 2024-2027: 2024 measured (L 1.500.000 after the correction, M 600.000); 2025-2027 plan
    # nothing, so nothing more is expected (no year is extrapolated): L 1.500.000 against
    # 1.000.000 budgeted (+500.000); M 600.000 (−400.000)
    assert query(
        cycle,
        "SELECT indsats_id, senest_opgjort, resterende_aar, forventet_i_alt, "
        "forventet_afvigelse, grundlag FROM mart.forventet_realisering ORDER BY indsats_id",
    ) == [
        ("L", 2024, 3, Decimal("1500000.00"), Decimal("500000.00"), "realiseret og planlagt"),
        ("M", 2024, 3, Decimal("600000.00"), Decimal("-400000.00"), "realiseret og planlagt"),
    ]
