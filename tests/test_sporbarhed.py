"""mart.sporbarhed traces every figure to the files and rows behind it (issue 23, holes 1-4):
one home built from scratch, each figure's trace computed by hand from the files.

The home (no price index, so every figure stays in the files' own kroner):
  forbrug.xlsx           5.38.50 Jan-Jun 2025 at 1.000.000 (rows 2-7), 5.38.52 Jan-Jun 2025
                         at 30.000 (rows 8-13): 2025 is open (6 months)
  vedtaget_2024-2027     5.38.50 2025 11.000.000 (row 2), 2026 11.200.000 (row 3)
  vedtaget_2025-2028     5.38.50 2025 11.500.000 (row 2), 2026 11.800.000 (row 3): the newest
                         agreement starting in or before the year is the one in use
  korrigeret.xlsx        5.38.50 2025 12.000.000 (row 2), 2026 12.200.000 (row 3),
                         5.38.52 2025 500.000 (row 4)
  forventet.xlsx         botilbud 2025-06 15.100.000 (row 2); initiative B 400.000 (row 3)
  indsatser.xlsx         B, budget method on 5.38.52, plans 100.000 for 2025 (2025-2028)
  regnskab.csv, befolkning.csv  Danmarks Statistik's tables (tests/dst_files.py)
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from runtime.resources import Home
from tests import builders as b
from tests import dst_files
from tests.conftest import query, run, settle

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def traced(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("spor") / "hjem").create()
    inbox = home.indbakke
    b.spending(
        inbox / "forbrug.xlsx",
        b.monthly("5.38.50", 2025, 1_000_000, range(1, 7))
        + b.monthly("5.38.52", 2025, 30_000, range(1, 7)),
    )
    b.adopted(
        inbox / "vedtaget_2024-2027.xlsx",
        [["5.38.50", 2025, 11_000_000], ["5.38.50", 2026, 11_200_000]],
        "2024-2027",
    )
    b.adopted(
        inbox / "vedtaget_2025-2028.xlsx",
        [["5.38.50", 2025, 11_500_000], ["5.38.50", 2026, 11_800_000]],
        "2025-2028",
    )
    b.corrected(
        inbox / "korrigeret.xlsx",
        [["5.38.50", 2025, 12_000_000], ["5.38.50", 2026, 12_200_000], ["5.38.52", 2025, 500_000]],
    )
    b.forecast(
        inbox / "forventet.xlsx",
        [["2025-06", "botilbud", None, 15_100_000], ["2025-06", "botilbud", "B", 400_000]],
    )
    b.catalogue(
        inbox / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.52")],
        [["B", "2025-2028", 2025, "Besparelse", 100_000, 2025]],
    )
    settle([
        dst_files.api_csv(inbox / "regnskab.csv", "regnskab", "koder"),
        dst_files.api_csv(inbox / "befolkning.csv", "befolkning", "koder"),
    ])  # fmt: skip
    run(home)
    return home


def trace(home: Home, table: str, key: str, column: str) -> list[tuple]:
    return query(
        home,
        "SELECT indgang, filnavn, kilde_ark, raekker, bidrag FROM mart.sporbarhed "
        "WHERE tabel = ? AND noegle = ? AND kolonne = ? ORDER BY filnavn",
        [table, key, column],
    )


def test_hole1_a_year_with_budgets_and_no_spending_is_traced(traced):
    # botilbud 2026 has no spending: its adopted budget (2025-2028's row 3, 11.800.000) and
    # korrigeret budget (row 3, 12.200.000) are the row's figures and its trace
    assert query(
        traced,
        "SELECT vedtaget_budget, korrigeret_budget, nettoforbrug_loebende_priser "
        "FROM mart.aarsoversigt WHERE omraade = 'botilbud' AND aar = 2026",
    ) == [(Decimal("11800000.00"), Decimal("12200000.00"), None)]
    assert trace(traced, "aarsoversigt", "botilbud|2026", "vedtaget_budget") == [
        ("vedtaget_budget", "vedtaget_2025-2028.xlsx", "Ark1", [3], Decimal("11800000.00"))
    ]
    assert trace(traced, "aarsoversigt", "botilbud|2026", "korrigeret_budget") == [
        ("korrigeret_budget", "korrigeret.xlsx", "Ark1", [3], Decimal("12200000.00"))
    ]


def test_hole2_the_follow_up_names_only_the_adopted_budget_in_use(traced):
    # 2025 is covered by 2024-2027 (11.000.000) and 2025-2028 (11.500.000); the newer
    # agreement's figure is used, so its file alone is named
    assert query(
        traced,
        "SELECT oprindeligt_budget FROM mart.budgetopfoelgning "
        "WHERE omraade = 'botilbud' AND aar = 2025",
    ) == [(Decimal("11500000.00"),)]
    assert trace(traced, "budgetopfoelgning", "botilbud|2025", "oprindeligt_budget") == [
        ("vedtaget_budget", "vedtaget_2025-2028.xlsx", "Ark1", [2], Decimal("11500000.00"))
    ]


def test_hole3_holders_forecasts_are_traced_where_they_are_the_figure(traced):
    # botilbud's forventet regnskab for open 2025 is the holders' 15.100.000 (row 2), in the
    # follow-up and the annual overview; B's realised saving is korrigeret 500.000 + planned
    # 100.000 − the holders' forecast of B's spending 400.000 (row 3) = 200.000
    assert query(
        traced,
        "SELECT forventet_regnskab, forventet_af FROM mart.budgetopfoelgning "
        "WHERE omraade = 'botilbud' AND aar = 2025",
    ) == [(Decimal("15100000.00"), "budgetansvarlig")]
    forecast = [("forventet", "forventet.xlsx", "Forventet", [2], Decimal("15100000.00"))]
    assert trace(traced, "budgetopfoelgning", "botilbud|2025", "forventet_regnskab") == forecast
    assert trace(traced, "aarsoversigt", "botilbud|2025", "nettoforbrug_loebende_priser") == (
        forecast
    )
    assert query(
        traced,
        "SELECT realiseret_besparelse FROM mart.besparelser WHERE indsats_id = 'B' AND aar = 2025",
    ) == [(Decimal("200000.00"),)]
    assert trace(traced, "besparelser", "B|2025-2028|2025", "realiseret_besparelse") == [
        ("forventet", "forventet.xlsx", "Forventet", [3], Decimal("400000.00")),
        ("planlagt", "indsatser.xlsx", "Økonomi", [2], Decimal("100000.00")),
        ("korrigeret_budget", "korrigeret.xlsx", "Ark1", [4], Decimal("500000.00")),
    ]


def test_hole4_the_comparison_is_traced_to_danmarks_statistiks_rows(traced):
    # Hjørring botilbud 2024: 5.38.50 dranst 1 (csv line 2, 50.000 × 1.000 kr.) and
    # dranst 2 (line 3, −2.000 × 1.000 kr.) = 48.000.000; the aggregate 5.38 (line 4),
    # dranst 3 (line 5) and the arts beside their total are not used. 18-64-year-olds: 18
    # år (line 3, 1.000) + 64 år (line 4, 39.000) of 2024K1 = 40.000
    assert query(
        traced,
        "SELECT nettodrift, indbyggere FROM mart.benchmark "
        "WHERE kommunenr = 860 AND omraade = 'botilbud' AND aar = 2024",
    ) == [(Decimal("48000000.00"), 40000)]
    assert trace(traced, "benchmark", "860|botilbud|2024", "nettodrift") == [
        ("dst_regnskab", "regnskab.csv", "regnskab", [2, 3], Decimal("48000000.00"))
    ]
    assert trace(traced, "benchmark", "860|botilbud|2024", "indbyggere") == [
        ("dst_befolkning", "befolkning.csv", "befolkning", [3, 4], Decimal("40000.00"))
    ]


def test_the_report_traces_a_figure_to_its_file_in_the_archive(traced):
    # docs/brugervejledning.md's walk-through: the sheet Sporbarhed of styregruppe_bilag.xlsx
    # names, for botilbud's oprindeligt budget 2025 in Budgetopfølgning, the file, its
    # sha256 and the row; arkiv/<sha256>.xlsx is that file, and its row 2 holds the figure
    sheet = load_workbook(traced.rapporter / "styregruppe_bilag.xlsx")["Sporbarhed"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    top = next(i for i, r in enumerate(rows) if r[0] == "Tabel")
    table = [dict(zip(rows[top], r, strict=True)) for r in rows[top + 1 :]]
    (row,) = [
        r
        for r in table
        if (r["Tabel"], r["Indsats eller område"], r["År"], r["Tal"])
        == ("Budgetopfølgning", "botilbud", 2025, "Oprindeligt budget")
    ]
    assert (row["Fil"], row["Ark"], row["Rækker i filen"], row["Antal rækker"]) == (
        "vedtaget_2025-2028.xlsx",
        "Ark1",
        "2",
        1,
    )
    archived = load_workbook(traced.arkiv / f"{row['sha256 (navnet i arkiv/)']}.xlsx")
    assert [c.value for c in archived["Ark1"][2]] == [
        "5.38.50",
        2025,
        "Oprindeligt",
        "2025-2028",
        11_500_000,
    ]
    # the spending behind botilbud's year to date 2025: forbrug.xlsx rows 2-13 as one range
    # (6 months of 5.38.50 and 6 of 5.38.52), 6 × 1.000.000 + 6 × 30.000 = 6.180.000
    (spent,) = [
        r
        for r in table
        if (r["Tabel"], r["Indsats eller område"], r["År"], r["Tal"])
        == ("Budgetopfølgning", "botilbud", 2025, "Forbrug år til dato")
    ]
    assert (spent["Fil"], spent["Rækker i filen"], spent["Bidrag (mio. kr.)"]) == (
        "forbrug.xlsx",
        "2–13",
        6_180_000,
    )
    page = (traced.rapporter / "styregruppe_bilag.html").read_text(encoding="utf-8")
    assert "vedtaget_2025-2028.xlsx" in page[page.index("Sporbarhed") :]


def traced_rows(home: Home, table: str, key: str, column: str) -> list[tuple]:
    return query(
        home,
        "SELECT indgang, filnavn, kilde_ark, raekker, bidrag FROM mart.sporbarhed "
        "WHERE tabel = ? AND noegle = ? AND kolonne = ? ORDER BY filnavn, indgang",
        [table, key, column],
    )


def test_rule9_activity_is_traced_in_the_initiatives_own_area(home):
    # 'Helårspersoner' (sheet Aktivitet, one row a month): botilbud.xlsx 100 in 2023 (rows
    # 2-13) and 90 in 2024 (rows 14-25); bostoette.xlsx 50 and 60 under the same name;
    # uden_omraade.xlsx, without område, 70 in 2024 (rows 2-13) and 80 in 2025 (rows 14-25).
    # X (aktivitet, botilbud, 100.000 kr.) is measured on botilbud's rows; the rows without
    # område count only in 2025, when botilbud has none; bostøtte's never.
    #   2024: (100 − 90) × 100.000 = 1.000.000; trace 12 × 100 = 1.200 and 12 × 90 = 1.080
    #   2025: (100 − 80) × 100.000 = 2.000.000; trace 1.200 and 12 × 80 = 960
    #   goal 2024 at most 92: result 1.080 / 12 = 90, met; goal 2025: 960 / 12 = 80
    b.activity(home.indbakke / "botilbud.xlsx", "Helårspersoner", {2023: 100, 2024: 90})
    b.activity(
        home.indbakke / "bostoette.xlsx", "Helårspersoner", {2023: 50, 2024: 60}, area="bostøtte"
    )
    b.activity(
        home.indbakke / "uden_omraade.xlsx", "Helårspersoner", {2024: 70, 2025: 80}, area=None
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative(
                "X",
                "aktivitet",
                None,
                baseline=2023,
                unit_price=100_000,
                price_level=2024,
                indicator="Helårspersoner",
            )
        ],
        [["X", "2024-2027", y, "Besparelse", 1_000_000, 2024] for y in (2024, 2025)],
        [["X", "Helårspersoner", y, 92, "lavere"] for y in (2024, 2025)],
    )
    run(home)
    assert query(
        home,
        "SELECT aar, realiseret_besparelse FROM mart.besparelser WHERE indsats_id = 'X' "
        "ORDER BY aar",
    ) == [(2024, Decimal("1000000.00")), (2025, Decimal("2000000.00"))]
    assert query(
        home, "SELECT aar, resultat, opfyldt FROM mart.maal WHERE indsats_id = 'X' ORDER BY aar"
    ) == [(2024, 90, True), (2025, 80, True)]
    base = ("aktivitet_basisaar", "botilbud.xlsx", "Aktivitet", list(range(2, 14)), Decimal(1200))
    assert traced_rows(home, "besparelser", "X|2024-2027|2024", "realiseret_besparelse") == [
        ("aktivitet", "botilbud.xlsx", "Aktivitet", list(range(14, 26)), Decimal(1080)),
        base,
    ]
    assert traced_rows(home, "besparelser", "X|2024-2027|2025", "realiseret_besparelse") == [
        base,
        ("aktivitet", "uden_omraade.xlsx", "Aktivitet", list(range(14, 26)), Decimal(960)),
    ]
    assert traced_rows(home, "maal", "X|Helårspersoner|2024", "resultat") == [
        ("aktivitet", "botilbud.xlsx", "Aktivitet", list(range(14, 26)), Decimal(1080))
    ]
    assert traced_rows(home, "maal", "X|Helårspersoner|2025", "resultat") == [
        ("aktivitet", "uden_omraade.xlsx", "Aktivitet", list(range(14, 26)), Decimal(960))
    ]


def test_rule7_a_forecast_serving_two_initiatives_is_traced_to_its_one_row(home):
    # G1 and G2 (budget) share 5.38.52: forbrug.xlsx 6 × 200.000 January-June 2025 (rows
    # 2-7), korrigeret.xlsx 2.600.000 (row 2), planned 100.000 each (Økonomi rows 2-3).
    # forventet.xlsx (sheet Forventet): row 2 G2 March 2.200.000, rows 3 and 4 G1 and G2
    # June 2.300.000, row 5 botilbud March 14.000.000, row 6 botilbud June 15.000.000.
    # The forecast of 5.38.52 is June's, the file's last row for it: row 4 (G2's), used
    # once for both initiatives: 2.600.000 + 200.000 − 2.300.000 = 500.000, 250.000 each.
    # Each initiative's trace names row 4 once (2.300.000, not 4.600.000 nor row 2's
    # 2.200.000 beside it); botilbud's forecast is row 6 alone (15.000.000).
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.52", 2025, 200_000, range(1, 7)))
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.52", 2025, 2_600_000]])
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("G1", "budget", "5.38.52"), b.initiative("G2", "budget", "5.38.52")],
        [[i, "2024-2027", 2025, "Besparelse", 100_000, 2024] for i in ("G1", "G2")],
    )
    b.forecast(
        home.indbakke / "forventet.xlsx",
        [
            ["2025-03", "botilbud", "G2", 2_200_000],
            ["2025-06", "botilbud", "G1", 2_300_000],
            ["2025-06", "botilbud", "G2", 2_300_000],
            ["2025-03", "botilbud", None, 14_000_000],
            ["2025-06", "botilbud", None, 15_000_000],
        ],
    )
    run(home)
    assert query(
        home,
        "SELECT indsats_id, realiseret_besparelse, forventet_af FROM mart.besparelser "
        "WHERE aar = 2025 ORDER BY indsats_id",
    ) == [
        ("G1", Decimal("250000.00"), "budgetansvarlig"),
        ("G2", Decimal("250000.00"), "budgetansvarlig"),
    ]
    for ident in ("G1", "G2"):
        assert traced_rows(
            home, "besparelser", f"{ident}|2024-2027|2025", "realiseret_besparelse"
        ) == [
            ("forventet", "forventet.xlsx", "Forventet", [4], Decimal("2300000.00")),
            ("planlagt", "indsatser.xlsx", "Økonomi", [2, 3], Decimal("200000.00")),
            ("korrigeret_budget", "korrigeret.xlsx", "Ark1", [2], Decimal("2600000.00")),
        ]
    area = [("forventet", "forventet.xlsx", "Forventet", [6], Decimal("15000000.00"))]
    assert traced_rows(home, "budgetopfoelgning", "botilbud|2025", "forventet_regnskab") == area
    assert traced_rows(home, "aarsoversigt", "botilbud|2025", "nettoforbrug_loebende_priser") == (
        area
    )
