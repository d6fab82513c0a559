"""Issue 27: the report's section "Effekt" says in one sentence per område what the
strategy did, from its newest year with a counterfactual (mio. kr. with one decimal)."""

from __future__ import annotations

import pandas as pd

from assets.reports.effect import sentence

COLUMNS = ["aar", "budgetbaseret_besparelse", "besparelse_syntetisk_kontrol",
           "besparelse_forskel_i_forskelle", "p_vaerdi", "vurdering"]  # fmt: skip
USABLE = "kan bruges: forskellen er større end hos de fleste placebokommuner"
CHANCE = "kan bruges, men forskellen kan skyldes tilfældigheder (placebotesten)"
POOR = "kan ikke bruges: den syntetiske kontrol rammer kommunen for dårligt før aftalen"


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


def test_a_usable_counterfactual_is_the_answer_and_the_budget_stands_beside_it():
    # 2025 is the newest year with a synthetic control (2026 has the budget only):
    # 25.400.000 → 25,4 mio. kr. less; DiD 26.700.000 → 26,7; budget 15.700.000 → 15,7
    rows = frame(
        (2025, 15_700_000, 25_400_000, 26_700_000, 1 / 98, USABLE),
        (2026, 21_000_000, None, None, None, None),
    )
    assert sentence("botilbud", rows) == (
        "Effekt 2025, botilbud: kommunen brugte 25,4 mio. kr. mindre end lignende kommuner "
        "vægtet sammen (p = 0,01), forskel-i-forskelle siger 26,7 mio. kr. mindre; budgettet "
        "viser en realiseret besparelse på 15,7 mio. kr."
    )


def test_a_gap_within_the_placebos_is_called_possible_chance_and_more_is_more():
    # −900.000 saved is 0,9 mio. kr. more; p = 84/98 = 0,857… → 0,86
    rows = frame((2025, None, -900_000, -400_000, 84 / 98, CHANCE))
    assert sentence("børn og unge", rows) == (
        "Effekt 2025, børn og unge: kommunen brugte 0,9 mio. kr. mere end lignende kommuner "
        "vægtet sammen (p = 0,86; kan skyldes tilfældigheder), forskel-i-forskelle siger "
        "0,4 mio. kr. mere."
    )


def test_a_poor_fit_and_a_missing_comparison_are_said_as_such():
    poor = frame((2024, 1_000_000, 3_000_000, 2_000_000, 0.5, POOR))
    assert sentence("bostøtte", poor).startswith(
        "Effekt 2024, bostøtte: den syntetiske kontrol kan ikke bruges (den rammer kommunen "
        "for dårligt før aftalen), forskel-i-forskelle siger 2,0 mio. kr. mindre"
    )
    none = frame((2026, 3_700_000, None, None, None, None))
    assert sentence("forsørgelse", none) == (
        "Effekt 2026, forsørgelse: ingen sammenligning med andre kommuner (Danmarks "
        "Statistiks tal for året mangler); budgettet viser en realiseret besparelse på "
        "3,7 mio. kr."
    )


def _marts(con, adjusted: bool) -> None:
    """The three marts the section reads, with only the columns it uses: botilbud 2024 in
    agreements 2023-2026 (1.000.000 realised) and 2024-2027 (1.200.000, the one in force)."""
    extra = ", CAST(900000 AS DECIMAL(18, 2)) AS demografireguleret" if adjusted else ""
    con.execute("CREATE SCHEMA mart")
    con.execute(
        "CREATE TABLE mart.besparelser AS SELECT * FROM (VALUES "
        "('botilbud', 2024, '2023-2026', CAST(1000000 AS DECIMAL(18, 2))), "
        "('botilbud', 2024, '2024-2027', CAST(1200000 AS DECIMAL(18, 2)))) "
        "t(omraade, aar, budgetaftale, realiseret_besparelse)"
    )
    if extra:
        con.execute(
            f"CREATE OR REPLACE TABLE mart.besparelser AS SELECT *{extra} FROM mart.besparelser"
        )
    con.execute(
        "CREATE TABLE mart.udgiftsudvikling (omraade VARCHAR, aar INTEGER, "
        "sammenlignet_med VARCHAR, aendring DECIMAL(18, 2), del_pris DECIMAL(18, 2), "
        "del_demografi DECIMAL(18, 2), del_hyppighed DECIMAL(18, 2), "
        "del_enhedsomkostning DECIMAL(18, 2))"
    )
    con.execute(
        "CREATE TABLE mart.kontrafaktisk (omraade VARCHAR, aar INTEGER, periode VARCHAR, "
        "forskel_kr DECIMAL(18, 2), did_forskel_kr DECIMAL(18, 2), p_vaerdi DOUBLE, "
        "vurdering VARCHAR)"
    )


def test_the_section_takes_the_agreement_in_force_and_a_demography_adjusted_saving_if_any():
    import duckdb

    from assets.reports.effect import SQL

    for adjusted, expected in ((False, None), (True, 900_000)):
        con = duckdb.connect()
        _marts(con, adjusted)
        # 2024-2027 is the newest agreement covering 2024: 1.200.000, never 2.200.000
        ((area, year, budget, demo, *_),) = con.execute(SQL).fetchall()
        assert (area, year, float(budget)) == ("botilbud", 2024, 1_200_000)
        # 900.000 on each of the two rows, the one in force counted: 900.000
        assert (demo if demo is None else float(demo)) == expected


def test_the_waterfall_walks_from_the_base_year_through_the_four_parts():
    import re
    from types import SimpleNamespace

    from assets.reports.effect import waterfall

    # 10,0 mio. kr. in 2022, + 2,0 price − 1,0 demography + 0,5 frequency − 0,5 unit cost
    # = 11,0 mio. kr. in 2025; the lowest level reached is 10,0 (start), so the bars start
    # at 10,0 − (12,0 − 10,0) × 0,5 = 9,0 mio. kr.
    row = SimpleNamespace(omraade="botilbud", fra_aar=2022, aar=2025,
                          nettoforbrug_fra=10e6, del_pris=2e6, del_demografi=-1e6,
                          del_hyppighed=0.5e6, del_enhedsomkostning=-0.5e6,
                          nettoforbrug=11e6)  # fmt: skip
    svg = waterfall(row)
    shown = re.findall(r'class="value"[^>]*>([^<]+)<', svg)
    assert shown == ["10,0", "2,0", "-1,0", "0,5", "-0,5", "11,0"]
    labels = re.findall(r'font-size="10">([^<]+)<', svg)
    assert labels == ["2022", "Pris", "Demografi", "Hyppighed", "Enhedsomkostning", "2025"]
    assert "søjlerne starter ved 9,0 mio. kr., ikke 0" in svg


def test_the_report_shows_each_areas_newest_year_with_an_estimate():
    from assets.reports.effect import newest

    # botilbud: 2025 has the synthetic control, 2026 (open year) not → 2025;
    # forsørgelse: never one → its newest year, 2026
    frame = pd.DataFrame(
        {
            "omraade": ["botilbud", "botilbud", "forsørgelse", "forsørgelse"],
            "aar": [2025, 2026, 2025, 2026],
            "besparelse_syntetisk_kontrol": [25e6, None, None, None],
        }
    )
    assert newest(frame)[["omraade", "aar"]].values.tolist() == [
        ["botilbud", 2025],
        ["forsørgelse", 2026],
    ]
