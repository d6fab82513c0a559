"""Issue 23's rules, each case built from scratch and computed by hand: a krone counted
once through a chain of initiatives, holders' forecasts never summed, each område's own
horizon, activity keyed by (område, indikator) and a price index with a missing year."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from io import StringIO

import pytest

from assets.reports.content import read_content
from assets.reports.summary import files_lines
from pipelines.cli import execute, main
from runtime.resources import read_published
from tests import builders as b
from tests.conftest import query, run
from tests.test_invariant_checks import break_sql, failed_checks

pytestmark = pytest.mark.slow

FORECAST = ["Område", "Opfølgning", "Indsats ID", "Forventet regnskab"]


def chain(home) -> None:
    """A (budget) and B (budget) on 5.38.50; C (aktivitet) on 5.38.50 and D (aktivitet) on
    5.38.42 count the same indicator; E (aktivitet, its own indicator) also sits on
    5.38.42. 2024: korrigeret 10.000.000 (5.38.50) + 4.900.000 (5.38.42) = 14.900.000,
    spending 12 × 800.000 + 12 × 400.000 = 14.400.000; planned A 400.000, B 300.000,
    C 100.000, D 100.000, E 100.000; E's indicator falls from 10 to 6 at 100.000 kr."""
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 800_000) + b.monthly("5.38.42", 2024, 400_000),
    )
    b.corrected(
        home.indbakke / "korrigeret.xlsx",
        [["5.38.50", 2024, 10_000_000], ["5.38.42", 2024, 4_900_000]],
    )
    b.activity(home.indbakke / "aktivitet.xlsx", "Borgere i forsorgshjem", {2023: 10, 2024: 6})
    act = {"baseline": 2023, "unit_price": 100_000, "price_level": 2024}
    planned = {"A": 400_000, "B": 300_000, "C": 100_000, "D": 100_000, "E": 100_000}
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative("A", "budget", "5.38.50"),
            b.initiative("B", "budget", "5.38.50"),
            b.initiative("C", "aktivitet", "5.38.50", indicator="Borgere i botilbud", **act),
            b.initiative("D", "aktivitet", "5.38.42", indicator="Borgere i botilbud", **act),
            b.initiative("E", "aktivitet", "5.38.42", indicator="Borgere i forsorgshjem", **act),
        ],
        [[i, "2024-2027", 2024, "Besparelse", kr, 2024] for i, kr in planned.items()],
    )


def test_rule6_grouping_is_transitive_through_any_measured_function(home):
    # {A, B, C, D} is one group (A and C share 5.38.50, C and D an indicator) measured by
    # the budget method over 5.38.50 and D's 5.38.42. E sits on 5.38.42, so its spending is
    # already measured: E joins the group. The group's measure with every planned saving:
    # 14.900.000 + 1.000.000 − 14.400.000 = 1.500.000. E has its own indicator and unit
    # price: its measured (10 − 6) × 100.000 = 400.000; the rest, 1.100.000, split 4:3:1:1
    # → A 488.888,89, B 366.666,67, C and D 122.222,22 each (C and D share an indicator,
    # and it has no data: no own measure). (E apart: the group 14.900.000 + 900.000 −
    # 14.400.000 = 1.400.000 plus E's 400.000 = 1.800.000.)
    chain(home)
    run(home)
    assert query(home, "SELECT DISTINCT gruppe FROM core.indsats_grupper") == [("A",)]
    assert query(
        home,
        "SELECT indsats_id, realiseret_besparelse FROM mart.besparelser WHERE aar = 2024 "
        "ORDER BY indsats_id",
    ) == [
        ("A", Decimal("488888.89")),
        ("B", Decimal("366666.67")),
        ("C", Decimal("122222.22")),
        ("D", Decimal("122222.22")),
        ("E", Decimal("400000.00")),
    ]
    assert query(home, "SELECT realiseret_besparelse FROM mart.spor_status WHERE aar = 2024") == [
        (Decimal("1500000.00"),)
    ]


def test_rule6_the_attribution_check_sees_a_krone_counted_twice_through_a_chain(
    home, tmp_path, monkeypatch
):
    # The grouping of before issue 23 (a function links a pair only when one of the pair is
    # measured on spending) leaves E outside {A, B, C, D}: the group's measure 1.400.000
    # and E's 400.000 each add up, but 5.38.42's spending is counted by both groups.
    chain(home)
    break_sql(
        tmp_path,
        monkeypatch,
        "core/indsats_grupper.sql",
        (
            "ON a.funktion = b.funktion\n",
            "ON a.funktion = b.funktion\n"
            "    WHERE a.metode IN ('budget', 'baseline') OR b.metode IN ('budget', 'baseline')\n",
        ),
    )
    result = execute(home)
    assert not result.success
    assert failed_checks(result) == [
        ("tildeling", "funktion 5.38.42 er delt mellem grupperne A, E")
    ]
    assert not home.warehouse.exists()


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
                "X",
                "aktivitet",
                None,
                baseline=2023,
                unit_price=100_000,
                price_level=2024,
                indicator="Helårspersoner",
            )
        ],
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


def shared_function(home) -> None:
    """G1 and G2 (budget) share 5.38.52. 2025 is open: 6 × 200.000 = 1.200.000 January-June,
    no closed year, so the mechanical forecast is 1.200.000 / (6/12) = 2.400.000.
    Korrigeret 2025 2.600.000; planned G1 100.000, G2 100.000."""
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.52", 2025, 200_000, range(1, 7)))
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.52", 2025, 2_600_000]])
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("G1", "budget", "5.38.52"), b.initiative("G2", "budget", "5.38.52")],
        [[i, "2024-2027", 2025, "Besparelse", 100_000, 2024] for i in ("G1", "G2")],
    )


def realised_2025(home) -> list[tuple]:
    return query(
        home,
        "SELECT indsats_id, realiseret_besparelse, forventet_af FROM mart.besparelser "
        "WHERE aar = 2025 ORDER BY indsats_id",
    )


def test_rule7_two_holders_forecasts_of_one_function_are_used_once(home):
    # Each holder forecasts 5.38.52 at 2.300.000 for June: one forecast of one function.
    # Group: 2.600.000 + 200.000 − 2.300.000 = 500.000, 250.000 each (not 2.800.000 −
    # 4.600.000 = −1.800.000, −900.000 each). The same figure twice is no conflict.
    shared_function(home)
    b.workbook(
        home.indbakke / "forventet.xlsx",
        FORECAST,
        [["botilbud", "2025-06", "G1", 2_300_000], ["botilbud", "2025-06", "G2", 2_300_000]],
    )
    run(home)
    assert realised_2025(home) == [
        ("G1", Decimal("250000.00"), "budgetansvarlig"),
        ("G2", Decimal("250000.00"), "budgetansvarlig"),
    ]
    assert query(home, "SELECT count(*) FROM mart.opmaerksomhed") == [(0,)]


def test_rule7_two_different_forecasts_warn_and_the_newest_file_wins(home, tmp_path, capsys):
    # G1's holder forecasts 5.38.52 at 2.300.000 for June; later G2's holder delivers
    # 2.500.000 for the same function and month. The newest file wins: 2.600.000 +
    # 200.000 − 2.500.000 = 300.000, 150.000 each, and the second file gets an Advarsel.
    shared_function(home)
    b.workbook(home.indbakke / "g1.xlsx", FORECAST, [["botilbud", "2025-06", "G1", 2_300_000]])
    run(home)
    g2 = b.workbook(tmp_path / "g2.xlsx", FORECAST, [["botilbud", "2025-06", "G2", 2_500_000]])
    assert main(["check", str(g2), "--home", str(home.root)]) == 0  # a warning never fails
    # the terminal wraps a warning at 80 columns, its continuation lines indented: join them
    out = re.sub(r"\n  +", " ", capsys.readouterr().out)
    checked = [x for x in out.splitlines() if x.startswith("Advarsel")]
    shutil.copy(g2, home.indbakke / "g2.xlsx")
    run(home)
    assert realised_2025(home) == [
        ("G1", Decimal("150000.00"), "budgetansvarlig"),
        ("G2", Decimal("150000.00"), "budgetansvarlig"),
    ]
    assert query(home, "SELECT filnavn, advarsel FROM mart.opmaerksomhed") == [
        (
            "g2.xlsx",
            "Advarsel: g2.xlsx, ark 'Ark1', række 2: forventet regnskab for funktion "
            "5.38.52 (indsats G2) 2025-06 er 2.500.000,00 kr., men g1.xlsx har 2.300.000,00 "
            "kr. (indsats G1) for det samme og samme måned; et forventet regnskab lægges "
            "aldrig sammen med et andet, den nyeste fil gælder.",
        )
    ]
    assert checked == [query(home, "SELECT advarsel FROM mart.opmaerksomhed")[0][0]]


def test_rule13_a_year_without_a_price_index_is_a_warning_and_named_in_the_price_line(home):
    # The index has 2024 and 2025 (service 100 and 105, overførsler 100 and 102), not 2026.
    # botilbud spends 12 × 1.000.000 in 2025 and 3 × 1.000.000 January-March 2026, so the
    # marts are in 2026 prices, and 2026 is moved with 2025's index: 2025's 12.000.000 is
    # 12.000.000 × 105 / 105 = 12.000.000 in "2026 prices", unadjusted. That is said in the
    # run, in Opmærksomhed (once per index) and in the report's price line.
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2025, 1_000_000) + b.monthly("5.38.50", 2026, 1_000_000, range(1, 4)),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [["B", "2024-2027", 2025, "Besparelse", 100_000, 2025]],
    )
    b.workbook(
        home.indbakke / "pl.xlsx",
        ["År", "Type", "Indeks"],
        [
            [2024, "Service", 100],
            [2025, "Service", 105],
            [2024, "Overførsler", 100],
            [2025, "Overførsler", 102],
        ],
    )
    run(home)
    assert query(
        home,
        "SELECT nettoforbrug_faste_priser, prisniveau FROM mart.aarsoversigt WHERE aar = 2025",
    ) == [(Decimal("12000000.00"), "2026")]
    warning = (
        "Advarsel: prisindekset ({}) har intet tal for 2026; 2026 er regnet med indekset for "
        "2025, så beløb fra eller til 2026 er ikke prisreguleret mellem 2025 og 2026. Aflever "
        "et prisindeks med 2026."
    )
    with read_published(home) as con:
        content = read_content(con)
        (run_id,) = con.execute("SELECT max(koersel) FROM raw.leverancer").fetchone()
        summary = " ".join(x.strip() for x in files_lines(con, run_id, home.afvist, StringIO()))
    assert (
        content.level_text
        == "2026-priser (intet prisindeks for 2026: regnet med indekset for 2025)"
    )
    attention = list(content.table("Opmærksomhed").frame["advarsel"])
    assert attention == [warning.format("overførsler"), warning.format("service")]
    assert warning.format("service") in summary
