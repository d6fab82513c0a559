"""Fast SQL unit tests of every mart on one tiny hand-made municipality, no Dagster run.

The files are read and loaded as intake does and the job's SQL runs on an in-memory
warehouse (tests/warehouse_sql.py). The municipality, in current prices (no price index):

* the catalogue: one initiative S1-01 (spor 1, botilbud, method budget, function 5.38.50,
  owner "Leder"), agreement 2024-2027 with a planned saving of 1.000.000 kr. in 2024 and in
  2025 and an investment of 200.000 kr. in 2024, and a goal: "Borgere i botilbud" at most
  95 in 2024;
* spending on 5.38.50: 900.000 kr. a month all of 2024 (10.800.000), 950.000 kr. a month
  January to June 2025 (5.700.000 to date);
* korrigeret budget for 5.38.50: 11.000.000 kr. in 2024, 11.500.000 kr. in 2025;
* activity "Borgere i botilbud": 90 every month of 2024.

mart.benchmark's SQL unit test on tiny tables is tests/test_sammenligning.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assets.followups import store
from tests import builders as b
from tests.warehouse_sql import build, from_files

MONTHS_2025 = range(1, 7)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    d = tmp_path_factory.mktemp("kommune")
    economy = [
        ["S1-01", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
        ["S1-01", "2024-2027", 2025, "Besparelse", 1_000_000, 2024],
        ["S1-01", "2024-2027", 2024, "Investering", 200_000, 2024],
    ]
    goals = [["S1-01", "Borgere i botilbud", 2024, 95, "lavere"]]
    con = from_files(
        b.catalogue(d / "indsatser.xlsx", [b.initiative("S1-01", "budget", "5.38.50")],
                    economy, goals),
        b.spending(d / "forbrug.xlsx", b.monthly("5.38.50", 2024, 900_000)
                   + b.monthly("5.38.50", 2025, 950_000, months=MONTHS_2025)),
        b.corrected(d / "korrigeret.xlsx",
                    [["5.38.50", 2024, 11_000_000], ["5.38.50", 2025, 11_500_000]]),
        b.activity(d / "aktivitet.xlsx", "Borgere i botilbud", {2024: 90}),
    )  # fmt: skip
    yield con
    con.close()


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_besparelser(con):
    # budget method: realised = korrigeret budget + planned saving − spending
    # 2024: 11.000.000 + 1.000.000 − 10.800.000 = 1.200.000, 1,2 of the budget: grøn, regnskab
    # 2025 (open): spending forecast 5.700.000 × 12 / 6 = 11.400.000, so
    #       11.500.000 + 1.000.000 − 11.400.000 = 1.100.000, 1,1: grøn, forventet (beregnet)
    assert rows(con, "SELECT aar, realiseret_besparelse, afvigelse, maalopfyldelse, status, "
                "opgjort_som, forventet_af FROM mart.besparelser ORDER BY aar") == [
        (2024, Decimal("1200000.00"), Decimal("200000.00"), 1.2, "grøn", "regnskab", None),
        (2025, Decimal("1100000.00"), Decimal("100000.00"), 1.1, "grøn", "forventet", "beregnet"),
    ]  # fmt: skip


def test_investeringer(con):
    # 200.000 planned in 2024; nothing was spent on the initiative's ansvarssted (9-01): empty
    assert rows(con, "SELECT aar, budgetteret_investering, forbrugt_investering "
                "FROM mart.investeringer WHERE aar = 2024") == [
        (2024, Decimal("200000.00"), None)
    ]  # fmt: skip


def test_spor_status(con):
    # 2024: planned net effect 1.000.000 − 200.000 = 800.000; one initiative, measured
    assert rows(con, "SELECT aar, budgetteret_besparelse, realiseret_besparelse, "
                "nettoeffekt_budgetteret, indsatser_opgjort, indsatser "
                "FROM mart.spor_status WHERE spor = 1 AND aar = 2024") == [
        (2024, Decimal("1000000.00"), Decimal("1200000.00"), Decimal("800000.00"), 1, 1)
    ]  # fmt: skip


def test_indsats_status(con):
    # to date: planned 1.000.000 + 1.000.000 = 2.000.000, realised 1.200.000 + 1.100.000 =
    # 2.300.000, 2.300.000 / 2.000.000 = 1,15: grøn, so no reason is missing
    assert rows(con, "SELECT budgetteret_til_dato, realiseret_til_dato, maalopfyldelse, "
                "status, ansvarlig, begrundelse_mangler FROM mart.indsats_status") == [
        (Decimal("2000000.00"), Decimal("2300000.00"), 1.15, "grøn", "Leder", False)
    ]  # fmt: skip


def test_budgetopfoelgning(con):
    # 2025: to date 6 × 950.000 = 5.700.000, forecast × 12 / 6 = 11.400.000,
    # afvigelse 11.400.000 − 11.500.000 = −100.000 (mindreforbrug), data to 30-06-2025
    assert rows(con, "SELECT aar, forbrug_aar_til_dato, forventet_regnskab, afvigelse, "
                "opgjort_til, opgjort_som FROM mart.budgetopfoelgning ORDER BY aar") == [
        (2024, Decimal("10800000.00"), Decimal("10800000.00"), Decimal("-200000.00"),
         dt.date(2024, 12, 31), "regnskab"),
        (2025, Decimal("5700000.00"), Decimal("11400000.00"), Decimal("-100000.00"),
         dt.date(2025, 6, 30), "forventet"),
    ]  # fmt: skip


def test_budgetaftaler(con):
    # one agreement: no previous one, so the change is empty, never 0
    assert rows(con, "SELECT aar, budgetaftale, besparelse, forrige_budgetaftale, aendring "
                "FROM mart.budgetaftaler ORDER BY aar") == [
        (2024, "2024-2027", Decimal("1000000.00"), None, None),
        (2025, "2024-2027", Decimal("1000000.00"), None, None),
    ]  # fmt: skip


def test_forventet_realisering(con):
    # realised to date 1.200.000 + 1.100.000 = 2.300.000; 2026 and 2027 remain and plan
    # nothing: 2.300.000 + 0 = 2.300.000 (no year extrapolated), against 2.000.000 planned:
    # +300.000, on realised and planned amounts
    assert rows(con, "SELECT budgetteret_i_alt, realiseret_til_dato, senest_opgjort, "
                "resterende_aar, planlagt_resterende, forventet_i_alt, forventet_afvigelse, "
                "grundlag FROM mart.forventet_realisering") == [
        (Decimal("2000000.00"), Decimal("2300000.00"), 2025, 2, Decimal("0.00"),
         Decimal("2300000.00"), Decimal("300000.00"), "realiseret og planlagt")
    ]  # fmt: skip


def test_budgetbro(con):
    # no adopted budget and no corrections: the korrigeret budget stands alone, every type
    # is 0 kr., and the unexplained part and the reference are empty (never 0)
    assert rows(con, "SELECT aar, budgetaftale, vedtaget_budget, teknisk, tillaegsbevilling, "
                "korrigeret_budget, uforklaret, reference, antal_korrektioner "
                "FROM mart.budgetbro ORDER BY aar") == [
        (2024, None, None, Decimal("0.00"), Decimal("0.00"), Decimal("11000000.00"), None,
         None, 0),
        (2025, None, None, Decimal("0.00"), Decimal("0.00"), Decimal("11500000.00"), None,
         None, 0),
    ]  # fmt: skip


def test_aarsoversigt(con):
    # 2025 against 2024: 11.400.000 − 10.800.000 = 600.000, 600.000 / 10.800.000 = 5,56 %;
    # no adopted budget delivered: vedtaget_budget is empty
    assert rows(con, "SELECT aar, nettoforbrug_loebende_priser, aendring_kr, aendring_pct, "
                "vedtaget_budget FROM mart.aarsoversigt ORDER BY aar") == [
        (2024, Decimal("10800000.00"), None, None, None),
        (2025, Decimal("11400000.00"), Decimal("600000.00"), 5.56, None),
    ]  # fmt: skip


def test_maal(con):
    # 2024: 90 on average, the goal at most 95 ("lavere"): met
    assert rows(con, "SELECT indikator, aar, maal, resultat, opfyldt FROM mart.maal") == [
        ("Borgere i botilbud", 2024, 95.0, 90.0, True)
    ]


def test_leverancer(con):
    # the spending file: 12 + 6 = 18 rows from 2024-01 to 2025-06
    assert rows(con, "SELECT leverance_nr, art, status, raekker, perioder FROM mart.leverancer "
                "WHERE filnavn = 'forbrug.xlsx'") == [
        (2, "forbrug", "accepteret", 18, "2024-01 – 2025-06")
    ]  # fmt: skip


def test_sporbarhed(con):
    # the realised saving of 2024 rests on the 12 spending rows (10.800.000), the one
    # korrigeret budget row (11.000.000) and the catalogue's planned saving (1.000.000)
    assert rows(con, "SELECT indgang, filnavn, antal_raekker, bidrag FROM mart.sporbarhed "
                "WHERE tabel = 'besparelser' AND noegle = 'S1-01|2024-2027|2024' "
                "AND kolonne = 'realiseret_besparelse' ORDER BY indgang") == [
        ("forbrug", "forbrug.xlsx", 12, Decimal("10800000.00")),
        ("korrigeret_budget", "korrigeret.xlsx", 1, Decimal("11000000.00")),
        ("planlagt", "indsatser.xlsx", 1, Decimal("1000000.00")),
    ]  # fmt: skip


def test_opmaerksomhed(con):
    # only the receipt's warnings, not its other lines ('Erstatter …'); the module's
    # warehouse is put back as it was at the end
    con.execute("INSERT INTO raw.advarsler VALUES (2, 1, 'Erstatter 2024-01'), "
                "(2, 2, 'Advarsel: marts er 40 % over februar')")  # fmt: skip
    build(con)
    assert rows(con, "SELECT leverance_nr, filnavn, advarsel FROM mart.opmaerksomhed") == [
        (2, "forbrug.xlsx", "Advarsel: marts er 40 % over februar")
    ]
    con.execute("DELETE FROM raw.advarsler")
    build(con)


def test_the_follow_up_marts(con):
    """Follow-up 31-12-2024 freezes mart.besparelser (2 rows); pretend it then showed
    1.000.000 realised for 2024. Now 1.200.000: the change is +200.000 for the initiative,
    the track and in all; 2025 is unchanged (1.100.000 both times). The module's warehouse
    is put back as it was at the end."""
    store.freeze(con, dt.date(2024, 12, 31), dt.datetime(2025, 1, 10, 9))
    con.execute("UPDATE raw.besparelser_opfoelgning SET realiseret_besparelse = 1000000 "
                "WHERE aar = 2024")  # fmt: skip
    build(con)
    assert rows(con, "SELECT opfoelgning, raekker FROM mart.opfoelgninger") == [
        (dt.date(2024, 12, 31), 2)
    ]
    assert rows(con, "SELECT aar, realiseret_besparelse FROM mart.besparelser_opfoelgning "
                "ORDER BY aar") == [
        (2024, Decimal("1000000.00")), (2025, Decimal("1100000.00"))
    ]  # fmt: skip
    assert rows(con, "SELECT niveau, aar, forrige_realiseret, aendring_realiseret "
                "FROM mart.opfoelgning_aendringer WHERE tilstand = 'aktuel' "
                "ORDER BY niveau, aar") == [
        ("i alt", 2024, Decimal("1000000.00"), Decimal("200000.00")),
        ("i alt", 2025, Decimal("1100000.00"), Decimal("0.00")),
        ("indsats", 2024, Decimal("1000000.00"), Decimal("200000.00")),
        ("indsats", 2025, Decimal("1100000.00"), Decimal("0.00")),
        ("spor", 2024, Decimal("1000000.00"), Decimal("200000.00")),
        ("spor", 2025, Decimal("1100000.00"), Decimal("0.00")),
    ]  # fmt: skip
    con.execute("DELETE FROM raw.besparelser_opfoelgning")
    con.execute("DELETE FROM raw.opfoelgninger")
    build(con)


def test_budgetaftaler_against_the_previous_agreement(tmp_path):
    """Two agreements both covering 2024: 2023-2026 plans 500.000, 2024-2027 plans 800.000.
    2024 under 2024-2027 has 2023-2026 before it: 800.000 − 500.000 = +300.000; 2023 is
    covered by 2023-2026 alone (no previous, empty change); 2027 by 2024-2027 alone."""
    economy = [
        ["S1-01", "2023-2026", 2023, "Besparelse", 400_000, 2024],
        ["S1-01", "2023-2026", 2024, "Besparelse", 500_000, 2024],
        ["S1-01", "2024-2027", 2024, "Besparelse", 800_000, 2024],
        ["S1-01", "2024-2027", 2027, "Besparelse", 900_000, 2024],
    ]
    con = from_files(
        b.catalogue(tmp_path / "indsatser.xlsx", [b.initiative("S1-01", "budget", "5.38.50")],
                    economy),
    )  # fmt: skip
    assert rows(con, "SELECT aar, budgetaftale, besparelse, forrige_budgetaftale, aendring "
                "FROM mart.budgetaftaler WHERE aar IN (2023, 2024, 2027) ORDER BY aar, "
                "budgetaftale") == [
        (2023, "2023-2026", Decimal("400000.00"), None, None),
        (2024, "2023-2026", Decimal("500000.00"), None, None),
        (2024, "2024-2027", Decimal("800000.00"), "2023-2026", Decimal("300000.00")),
        (2027, "2024-2027", Decimal("900000.00"), None, None),
    ]  # fmt: skip
