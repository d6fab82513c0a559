"""The whole graph on the small municipality of tests/fixtures.py, checked by hand.

No price index is delivered, so every price factor is 1: spending is in løbende priser and
the catalogue's amounts stay in its own price level (katalogets_prisniveau). The agreement
in force is 2023-2026 for 2023 and 2024-2027 for 2024 and 2025.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from tests.conftest import checksums, query, run, settle

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def loaded(small_loaded):
    return small_loaded


@pytest.fixture
def fresh(home, small_inbox):
    """The same, for a test that changes the warehouse."""
    run(home)
    return home


def saving(home, indsats, aftale, aar):
    return query(
        home,
        "SELECT budgetteret_besparelse, realiseret_besparelse, status, opgjort_som, prisniveau "
        "FROM mart.besparelser WHERE indsats_id = ? AND budgetaftale = ? AND aar = ?",
        [indsats, aftale, aar],
    )[0]


def test_budget_method_shares_the_krone_between_b1_and_b2(loaded):
    # B1 and B2 share 5.38.50. The reference is the adopted budget of the agreement in force
    # (no corrections are delivered, so nothing moves it; the korrigeret budget's extra
    # 100.000 a year is unexplained and counts as no saving). 2024: adopted 10.900.000
    # (2024-2027, B2024) + planned in force (B1 500.000 + B2 500.000) − spending
    # 12 × 900.000 = 1.100.000, split 50/50.
    assert saving(loaded, "B1", "2024-2027", 2024)[:2] == (
        Decimal("500000.00"),
        Decimal("550000.00"),
    )
    assert saving(loaded, "B2", "2024-2027", 2024)[:2] == (
        Decimal("500000.00"),
        Decimal("550000.00"),
    )
    # The same fact about 2024 shows under 2023-2026, where B1 was budgeted 600.000. B1's
    # figure is its planned share of the group's, so its status is the group's:
    # 1.100.000 / 1.000.000 planned in force = 110 %, grøn (not 550.000 / 600.000, gul).
    assert saving(loaded, "B1", "2023-2026", 2024)[:3] == (
        Decimal("600000.00"),
        Decimal("550000.00"),
        "grøn",
    )
    # 2025 is open (data to June): forecast 6 × 950.000 / 0.5 = 11.400.000, the June share
    # of 2023 and 2024 both being 6/12. Adopted 2025 (2024-2027, BO2025) 11.300.000:
    # 11.300.000 + 2.000.000 − 11.400.000 = 1.900.000, 950.000 each.
    b1 = saving(loaded, "B1", "2024-2027", 2025)
    assert b1[:2] == (Decimal("1000000.00"), Decimal("950000.00"))
    assert b1[3:] == ("forventet", "løbende priser")


def test_baseline_method(loaded):
    # L1 on 5.38.38, baseline 2023 = 12 × 500.000 = 6.000.000.
    # 2024: 6.000.000 − 12 × 450.000 = 600.000; 2025: 6.000.000 − 6 × 400.000 / 0.5 = 1.200.000.
    assert saving(loaded, "L1", "2024-2027", 2024)[1] == Decimal("600000.00")
    assert saving(loaded, "L1", "2024-2027", 2025)[1] == Decimal("1200000.00")


def test_activity_method(loaded):
    # Baseline 2023: 100 a month. 2024: (6 × 95 + 6 × 85) / 12 = 90. 2025 (H1): 80.
    # (100 − 90) × 120.000 = 1.200.000; (100 − 80) × 120.000 = 2.400.000.
    assert saving(loaded, "A1", "2024-2027", 2024)[1] == Decimal("1200000.00")
    assert saving(loaded, "A1", "2024-2027", 2025)[1:4] == (
        Decimal("2400000.00"),
        "grøn",
        "forventet",
    )


def test_track_status_totals(loaded):
    rows = query(
        loaded,
        "SELECT spor, budgetaftale, sum(budgetteret_besparelse), sum(realiseret_besparelse), "
        "sum(budgetteret_investering), sum(forbrugt_investering) FROM mart.spor_status "
        "GROUP BY ALL ORDER BY 1, 2",
    )
    # Spor 1 under 2024-2027: budgeted B1 1,5 + B2 1,5 + L1 1,2 mio; realised B1 0,55 + 0,95
    # + B2 0,55 + 0,95 + L1 0,6 + 1,2 = 4,8 mio (test above). Under 2023-2026: B1 0,55 +
    # 0,95 = 1,5 mio. Investment: B1's 600.000 budgeted, 12 × 50.000 spent on 9001.
    assert rows == [
        (
            1,
            "2023-2026",
            Decimal("1400000.00"),
            Decimal("1500000.00"),
            Decimal("0.00"),
            Decimal("600000.00"),
        ),
        (
            1,
            "2024-2027",
            Decimal("4200000.00"),
            Decimal("4800000.00"),
            Decimal("600000.00"),
            Decimal("600000.00"),
        ),
        (2, "2024-2027", Decimal("2500000.00"), Decimal("3600000.00"), Decimal("0.00"), None),
    ]


def test_budget_follow_up(loaded):
    rows = query(
        loaded,
        "SELECT omraade, aar, oprindeligt_budget, korrigeret_budget, forbrug_aar_til_dato, "
        "forventet_regnskab, afvigelse, CAST(opgjort_til AS VARCHAR), opgjort_som "
        "FROM mart.budgetopfoelgning WHERE aar IN (2024, 2025) AND omraade <> 'bostøtte' "
        "ORDER BY 1, 2",
    )
    assert rows == [
        # 2024: B2024 of agreement 2024-2027 (in force), korrigeret 11.000 (1.000 kr.)
        (
            "botilbud",
            2024,
            Decimal("10900000.00"),
            Decimal("11000000.00"),
            Decimal("10800000.00"),
            Decimal("10800000.00"),
            Decimal("-200000.00"),
            "2024-12-31",
            "regnskab",
        ),
        (
            "botilbud",
            2025,
            Decimal("11300000.00"),
            Decimal("11400000.00"),
            Decimal("5700000.00"),
            Decimal("11400000.00"),
            Decimal("0.00"),
            "2025-06-30",
            "forventet",
        ),
        # net of refusion: 12 × (270.000 − 90.000) = 2.160.000 against korrigeret 2.300.000
        (
            "forsørgelse",
            2024,
            Decimal("2200000.00"),
            Decimal("2300000.00"),
            Decimal("2160000.00"),
            Decimal("2160000.00"),
            Decimal("-140000.00"),
            "2024-12-31",
            "regnskab",
        ),
        # 6 × 150.000 = 900.000 to date; forecast 900.000 / 0.5 = 1.800.000
        (
            "forsørgelse",
            2025,
            Decimal("2000000.00"),
            Decimal("2000000.00"),
            Decimal("900000.00"),
            Decimal("1800000.00"),
            Decimal("-200000.00"),
            "2025-06-30",
            "forventet",
        ),
    ]


def test_deliveries_and_receipts(loaded):
    rows = query(
        loaded,
        "SELECT filnavn, art, status, raekker, perioder FROM mart.leverancer ORDER BY filnavn",
    )
    assert ("forbrug.xlsx", "forbrug", "accepteret", 133, "2023-01 – 2025-06") in rows
    assert len(rows) == 6 and {r[2] for r in rows} == {"accepteret"}
    assert not list(loaded.indbakke.iterdir())
    assert len(list(loaded.arkiv.glob("*.xlsx"))) == 6
    receipt = next(loaded.kvitteringer.glob("*forbrug.xlsx.txt")).read_text(encoding="utf-8")
    assert "ACCEPTERET" in receipt
    assert "Uden for kontoplanen: 1 række på funktion 5.32.32" in receipt


def test_spending_reconciles_with_the_file(loaded):
    # 133 rows: 12 + 12 + 6 months × 4 rows, + 12 investment rows + 1 outside the mapping
    # (2023: 12 × (1.000.000 + 500.000 + 300.000 − 100.000) = 20.400.000;
    #  2024: 12 × (850.000 + 50.000 + 450.000 + 270.000 − 90.000) = 18.360.000;
    #  2025: 6 × (950.000 + 400.000 + 225.000 − 75.000) = 9.000.000; + 12.345,67)
    assert query(loaded, "SELECT count(*), sum(beloeb) FROM core.forbrug") == [
        (133, Decimal("47772345.67"))
    ]


def test_second_run_changes_nothing(fresh):
    before = checksums(fresh)
    run(fresh)
    assert checksums(fresh) == before


def test_broken_file_is_rejected_and_nothing_changes(fresh):
    before = checksums(fresh)
    book = Workbook()
    sheet = book.active
    sheet.append(["Funktion", "Periode", "Beløb"])
    sheet.append(["5.38.50", "2025-07", 100])
    sheet.append(["5.3x.50", "2025-07", "mange"])
    book.save(fresh.indbakke / "forbrug_juli.xlsx")
    settle([fresh.indbakke / "forbrug_juli.xlsx"])
    run(fresh)
    after = checksums(fresh)
    changed = {t for t in before if before[t] != after[t]}
    # only the delivery log records the rejection (raw log, run log and the mart view of it)
    assert changed == {"raw.leverancer", "raw.koersler", "mart.leverancer"}
    reasons = (fresh.afvist / "forbrug_juli.xlsx.fejl.txt").read_text(encoding="utf-8")
    assert "ark 'Sheet', række 3, kolonne 'Funktion': værdien '5.3x.50'" in reasons
    assert "række 3, kolonne 'Beløb': værdien 'mange'" in reasons
    assert not (fresh.indbakke / "forbrug_juli.xlsx").exists()


def test_rebuild_from_archive_gives_the_same_marts(fresh):
    marts = {
        t: c
        for t, c in checksums(fresh).items()
        # warnings describe deliveries as they arrived; a rebuild records none
        if t.startswith("mart.") and t not in ("mart.leverancer", "mart.opmaerksomhed")
    }
    from pipelines.jobs import REBUILD_CONFIG

    run(fresh, run_config=REBUILD_CONFIG)
    after = checksums(fresh)
    assert {t: after[t] for t in marts} == marts
