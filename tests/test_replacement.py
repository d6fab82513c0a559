"""The replacement rule, duplicates and receipts (docs/kontrakt.md, "Replacement")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tests import fixtures
from tests.conftest import checksums, query, run, settle

pytestmark = pytest.mark.slow

LOGS = {"raw.leverancer", "raw.koersler", "mart.leverancer"}


def march_botilbud(path, amount):
    book = Workbook()
    book.active.append(["Funktion", "Dranst", "Periode", "Beløb"])
    book.active.append(["5.38.50", 1, "2025-03", amount])
    book.save(path)
    return settle([path])[0]


def test_a_redelivered_month_replaces_that_month_and_area_only(home, small_inbox):
    run(home)
    before = dict(
        query(
            home,
            "SELECT omraade || ' ' || aar || '-' || maaned, sum(beloeb) "
            "FROM core.forbrug GROUP BY ALL",
        )
    )
    march_botilbud(home.indbakke / "botilbud_marts.xlsx", 1_000_000)
    run(home)
    after = dict(
        query(
            home,
            "SELECT omraade || ' ' || aar || '-' || maaned, sum(beloeb) "
            "FROM core.forbrug GROUP BY ALL",
        )
    )
    # botilbud March 2025 was 950.000; now it is the new file's 1.000.000; nothing else moved
    assert before.pop("botilbud 2025-3") == Decimal("950000.00")
    assert after.pop("botilbud 2025-3") == Decimal("1000000.00")
    assert after == before
    receipt = next(home.kvitteringer.glob("*botilbud_marts.xlsx.txt")).read_text("utf-8")
    assert "Erstatter:  forbrug.xlsx (forbrug): 1 række" in receipt


def test_a_newer_catalogue_replaces_the_old_one_whole(home, small_inbox):
    run(home)
    path = fixtures.catalogue(home.indbakke / "indsatser_v2.xlsx")
    book = load_workbook(path)
    book["Indsatser"].delete_rows(7)  # A1 is dropped from the strategy
    book["Økonomi"].delete_rows(13, 2)
    book["Mål"].delete_rows(4, 2)
    book.save(path)
    settle([path])
    run(home)
    assert query(home, "SELECT DISTINCT indsats_id FROM mart.besparelser ORDER BY 1") == [
        ("B1",),
        ("B2",),
        ("L1",),
    ]
    assert query(home, "SELECT status FROM mart.leverancer WHERE filnavn = 'indsatser.xlsx'") == [
        ("erstattet",)
    ]


def test_the_same_file_twice_changes_nothing(home, small_inbox):
    content = march_botilbud(home.indbakke / "marts.xlsx", 1_000_000).read_bytes()
    run(home)
    before = {t: c for t, c in checksums(home).items() if t not in LOGS}
    (home.indbakke / "marts_igen.xlsx").write_bytes(content)  # the very same file again
    settle([home.indbakke / "marts_igen.xlsx"])
    run(home)
    after = {t: c for t, c in checksums(home).items() if t not in LOGS}
    assert after == before
    assert query(home, "SELECT status FROM mart.leverancer WHERE filnavn = 'marts_igen.xlsx'") == [
        ("dublet",)
    ]
    receipt = next(home.kvitteringer.glob("*marts_igen.xlsx.txt")).read_text("utf-8")
    # the receipt names the earlier file it repeats, and when that came
    received = query(home, "SELECT modtaget FROM raw.leverancer WHERE filnavn = 'marts.xlsx'")
    assert (
        f"Status:     DUBLET – samme indhold som marts.xlsx (modtaget "
        f"{received[0][0]:%d-%m-%Y %H:%M}), der gælder nu; filen ændrer intet." in receipt
    )
    assert not (home.indbakke / "marts_igen.xlsx").exists()
