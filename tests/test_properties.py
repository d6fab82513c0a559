"""Properties that hold for any data (hypothesis generates small municipalities).

Each example runs the real job twice (about 2.5 s a run), so the example counts are small
(4, 4 and 3: about 55 s in all; the trace's sums run the job once, 4 examples).
FOREBYG_EKSEMPLER=200 runs that many examples of each property instead, freshly drawn; by
default they are the same on every run, as CI needs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runtime.resources import Home
from tests import builders as b
from tests.conftest import run, settle

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FOREBYG_EKSEMPLER", "0"))


def examples(default: int):
    return settings(
        max_examples=EXAMPLES or default,
        deadline=None,
        derandomize=not EXAMPLES,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


AREA = {"5.38.50": "botilbud", "5.38.52": "botilbud", "5.38.38": "bostøtte"}
FUNCTIONS = [*AREA, "5.32.32"]  # the last is outside the kontoplan
INDICATOR = "Borgere i tilbud"
kroner = st.integers(-50_000_000, 300_000_000).map(lambda oere: Decimal(oere) / 100)
refund = st.integers(0, 75_000_000).map(lambda oere: Decimal(oere) / 100)


@st.composite
def municipality(draw, shared: bool = False, last_month: int | None = None) -> dict:
    """Spending 2023 (whole year) and 2024 (to a drawn month), korrigeret budgets, activity
    and a catalogue of 1-4 initiatives. ``shared``: every initiative is on 5.38.50."""
    last = last_month or draw(st.integers(6, 12))
    months = [(2023, m) for m in range(1, 13)] + [(2024, m) for m in range(1, last + 1)]
    n = draw(st.integers(2 if shared else 1, 4))
    places = [f"900{k}" for k in range(1, n + 1)]
    ledger = []
    for y, m in months:
        for f in FUNCTIONS:
            ledger.append([f, 1, "7100", f"{y}-{m:02d}", draw(kroner)])
            if draw(st.booleans()):
                ledger.append(
                    [f, 2, draw(st.sampled_from(["7100", *places])), f"{y}-{m:02d}", -draw(refund)]
                )
    initiatives, economy = [], []
    for k in range(n):
        ident, method = f"I{k + 1}", draw(st.sampled_from(["budget", "baseline", "aktivitet"]))
        funcs = draw(st.lists(st.sampled_from(list(AREA)), min_size=1, max_size=2, unique=True))
        if shared and "5.38.50" not in funcs:
            funcs.append("5.38.50")
        initiatives.append(
            b.initiative(
                ident,
                method,
                ", ".join(funcs),
                area=AREA[funcs[0]],
                place=places[k],
                baseline=2023 if method != "budget" else None,
                unit_price=100_000 if method == "aktivitet" else None,
                price_level=2024 if method == "aktivitet" else None,
                indicator=INDICATOR if method == "aktivitet" else None,
            )
        )
        for year in (2023, 2024):
            amount = draw(st.integers(0, 2_000_000))
            economy.append(
                [
                    ident,
                    "2024-2027" if year == 2024 else "2023-2026",
                    year,
                    "Besparelse",
                    amount,
                    year,
                ]
            )
        economy.append([ident, "2024-2027", 2024, "Investering", draw(st.integers(0, 10**6)), 2024])
    return {
        "ledger": ledger,
        "korrigeret": [
            [f, y, draw(st.integers(10**6, 4 * 10**7))] for f in AREA for y in (2023, 2024)
        ],
        "activity": {y: draw(st.integers(50, 150)) for y in (2023, 2024)},
        "initiatives": initiatives,
        "economy": economy,
    }


@contextmanager
def homes(count: int) -> Iterator[list[Home]]:
    folder = tempfile.mkdtemp()
    try:
        yield [Home(Path(folder) / f"hjem{k}").create() for k in range(count)]
    finally:
        shutil.rmtree(folder)


def deliver_all_but_spending(
    home: Home, m: dict, initiatives: int | None = None, goals: bool = False
) -> None:
    """``goals``: every initiative has the goal of at most 100 on the indicator in 2024."""
    b.corrected(home.indbakke / "korrigeret.xlsx", m["korrigeret"])
    b.activity(home.indbakke / "aktivitet.xlsx", INDICATOR, m["activity"])
    ids = {i[0] for i in m["initiatives"][:initiatives]}
    b.catalogue(
        home.indbakke / f"indsatser_{len(ids)}.xlsx",
        [i for i in m["initiatives"] if i[0] in ids],
        [e for e in m["economy"] if e[0] in ids],
        [[i, INDICATOR, 2024, 100, "lavere"] for i in sorted(ids)] if goals else [],
    )


def marts(home: Home, without: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Every mart table's content, order-independent; the delivery log and the lineage
    (file names and row numbers) are left out."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mart' "
                "AND table_name NOT IN ('leverancer', 'sporbarhed', 'opmaerksomhed')"
            ).fetchall()
        ]
        out = {}
        for t in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'mart' "
                    "AND table_name = ?",
                    [t],
                ).fetchall()
                if c not in without
            ]
            out[t] = con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(CAST(x AS VARCHAR), chr(10) "
                f"ORDER BY CAST(x AS VARCHAR)), '')) FROM (SELECT {', '.join(columns)} "
                f"FROM mart.{t}) x"
            ).fetchone()
        return out
    finally:
        con.close()


TRACED = """
WITH lineage AS (
    SELECT tabel, noegle, leverance_nr, kilde_ark, unnest(raekker) AS kilde_raekke
    FROM mart.sporbarhed
),
traced AS (
    SELECT l.tabel, l.noegle, sum(r.beloeb) AS beloeb
    FROM lineage l JOIN raw.forbrug r USING (leverance_nr, kilde_ark, kilde_raekke)
    GROUP BY ALL
),
traced_budget AS (
    SELECT l.noegle, sum(r.beloeb) AS beloeb
    FROM lineage l JOIN raw.budget r USING (leverance_nr, kilde_ark, kilde_raekke)
    WHERE l.tabel = 'budgetopfoelgning' AND r.budgettype = 'korrigeret'
    GROUP BY ALL
)
SELECT 'korrigeret budget', u.omraade || '|' || u.aar, u.korrigeret_budget, t.beloeb
FROM mart.budgetopfoelgning u
LEFT JOIN traced_budget t ON t.noegle = u.omraade || '|' || u.aar
WHERE u.korrigeret_budget IS DISTINCT FROM t.beloeb
UNION ALL
SELECT 'aarsoversigt', a.omraade || '|' || a.aar, a.nettoforbrug_loebende_priser, t.beloeb
FROM mart.aarsoversigt a
LEFT JOIN traced t ON t.tabel = 'aarsoversigt' AND t.noegle = a.omraade || '|' || a.aar
WHERE a.opgjort_som = 'regnskab' AND a.nettoforbrug_loebende_priser IS DISTINCT FROM t.beloeb
UNION ALL
SELECT 'budgetopfoelgning', u.omraade || '|' || u.aar, u.forbrug_aar_til_dato, t.beloeb
FROM mart.budgetopfoelgning u
LEFT JOIN traced t ON t.tabel = 'budgetopfoelgning' AND t.noegle = u.omraade || '|' || u.aar
WHERE u.forbrug_aar_til_dato IS DISTINCT FROM t.beloeb
UNION ALL
SELECT 'investeringer', v.indsats_id || '|' || v.budgetaftale || '|' || v.aar,
       v.forbrugt_investering, t.beloeb
FROM mart.investeringer v
LEFT JOIN traced t
  ON t.tabel = 'investeringer' AND t.noegle = v.indsats_id || '|' || v.budgetaftale || '|' || v.aar
WHERE v.forbrugt_investering IS DISTINCT FROM t.beloeb
UNION ALL
SELECT 'besparelser', b.indsats_id || '|' || b.budgetaftale || '|' || b.aar,
       b.realiseret_besparelse, NULL
FROM mart.besparelser b
WHERE b.realiseret_besparelse IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM mart.sporbarhed s JOIN raw.leverancer l USING (leverance_nr)
    WHERE s.tabel = 'besparelser' AND l.art IN ('forbrug', 'aktivitet')
      AND s.noegle = b.indsats_id || '|' || b.budgetaftale || '|' || b.aar)
"""


def untraced(home: Home) -> list[tuple]:
    """Mart amounts that do not add up from the source rows mart.sporbarhed names (spending
    to date, a closed year's spending, the korrigeret budget and investment spending to the
    øre; a realised saving to at least one row of a spending or activity file). No price
    index: every price factor is 1."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        return con.execute(TRACED).fetchall()
    finally:
        con.close()


@examples(3)
@given(m=municipality(), data=st.data())
def test_split_reordered_and_renamed_ledgers_give_the_same_marts(m, data):
    # Home 0 gets the ledger as one file, and the very same file again under another
    # name; home 1 gets it split into up to three files by month (each month in one file,
    # as the replacement rule needs), the rows of each file in a drawn order.
    periods = sorted({r[3] for r in m["ledger"]})
    part = dict(
        zip(
            periods,
            data.draw(st.lists(st.integers(0, 2), min_size=len(periods), max_size=len(periods))),
            strict=True,
        )
    )
    with homes(2) as (whole, split):
        deliver_all_but_spending(whole, m)
        b.spending(whole.indbakke / "forbrug.xlsx", m["ledger"])
        shutil.copy(whole.indbakke / "forbrug.xlsx", whole.indbakke / "forbrug_igen.xlsx")
        settle([whole.indbakke / "forbrug_igen.xlsx"])
        deliver_all_but_spending(split, m)
        for k in sorted(set(part.values())):
            rows = [r for r in m["ledger"] if part[r[3]] == k]
            b.spending(split.indbakke / f"del_{k}.xlsx", data.draw(st.permutations(rows)))
        run(whole)
        run(split)
        assert marts(whole) == marts(split)
        assert untraced(split) == []


def own_measure(m: dict, n: int) -> Decimal:
    """Issue 12's rule by hand for 2024 (a closed year), all n initiatives in one group: the
    budget method if one of them uses it, else baseline, else activity (docs/beregninger.md)."""
    members = m["initiatives"][:n]
    methods = {i[5] for i in members}
    funcs = {f.strip() for i in members for f in i[6].split(",")}
    places = {i[7] for i in m["initiatives"][:n]}

    def spent(year: int, without_places: bool = False) -> Decimal:
        return sum(
            (
                r[4]
                for r in m["ledger"]
                if r[0] in funcs
                and r[3].startswith(str(year))
                and not (without_places and r[2] in places)
            ),
            Decimal(0),
        )

    if "budget" in methods:
        ids = {i[0] for i in members}
        planned = sum(
            e[4]
            for e in m["economy"]
            if e[0] in ids and e[1:4] == ["2024-2027", 2024, "Besparelse"]
        )
        budget = sum(v for f, y, v in m["korrigeret"] if f in funcs and y == 2024)
        return budget + planned - spent(2024)
    if "baseline" in methods:
        return spent(2023, True) - spent(2024, True)
    return Decimal(m["activity"][2023] - m["activity"][2024]) * 100_000


@examples(3)
@given(m=municipality(shared=True, last_month=12))
def test_an_added_initiative_on_a_shared_function_never_claims_beyond_its_measure(m):
    # The catalogue without its last initiative, then with it: each time the initiatives'
    # realised savings for 2024 add up to the group's own measure, computed here by hand.
    n = len(m["initiatives"])
    with homes(1) as (home,):
        b.spending(home.indbakke / "forbrug.xlsx", m["ledger"])
        for count in (n - 1, n):
            deliver_all_but_spending(home, m, count)
            run(home)
            con = duckdb.connect(str(home.warehouse), read_only=True)
            total, members = con.execute(
                "SELECT sum(realiseret_besparelse), count(realiseret_besparelse) "
                "FROM mart.besparelser WHERE aar = 2024"
            ).fetchone()
            con.close()
            assert abs(total - own_measure(m, count)) <= Decimal("0.01") * members


@examples(2)
@given(m=municipality())
def test_a_price_index_of_all_100s_gives_the_same_amounts_as_none(m):
    index = [[y, t, 100] for y in range(2020, 2028) for t in ("Service", "Overførsler")]
    with homes(2) as (without, flat):
        for home in (without, flat):
            deliver_all_but_spending(home, m)
            b.spending(home.indbakke / "forbrug.xlsx", m["ledger"])
        b.workbook(flat.indbakke / "pl.xlsx", ["År", "Type", "Indeks"], index)
        run(without)
        run(flat)
        labels = ("prisniveau", "katalogets_prisniveau")  # the labels differ, not the amounts
        assert marts(without, labels) == marts(flat, labels)


# each additive mart figure and the trace column whose bidrag must add up to it; a figure
# the mart writes as 0 when nothing is planned is compared with 0 for no trace rows
ADDITIVE = """
WITH figures AS (
    SELECT 'budgetopfoelgning' AS tabel, omraade || '|' || aar AS noegle,
           'korrigeret_budget' AS kolonne, korrigeret_budget AS tal, false AS nul
    FROM mart.budgetopfoelgning
    UNION ALL SELECT 'budgetopfoelgning', omraade || '|' || aar, 'oprindeligt_budget',
           oprindeligt_budget, false FROM mart.budgetopfoelgning
    UNION ALL SELECT 'budgetopfoelgning', omraade || '|' || aar, 'forbrug_aar_til_dato',
           forbrug_aar_til_dato, false FROM mart.budgetopfoelgning
    UNION ALL SELECT 'budgetopfoelgning', omraade || '|' || aar, 'forventet_regnskab',
           forventet_regnskab, false FROM mart.budgetopfoelgning
    WHERE forventet_af = 'budgetansvarlig'
    UNION ALL SELECT 'aarsoversigt', omraade || '|' || aar, 'vedtaget_budget',
           vedtaget_budget, false FROM mart.aarsoversigt
    UNION ALL SELECT 'aarsoversigt', omraade || '|' || aar, 'korrigeret_budget',
           korrigeret_budget, false FROM mart.aarsoversigt
    UNION ALL SELECT 'aarsoversigt', a.omraade || '|' || a.aar, 'nettoforbrug_loebende_priser',
           a.nettoforbrug_loebende_priser, false FROM mart.aarsoversigt a
    WHERE a.opgjort_som = 'regnskab' OR EXISTS (SELECT 1 FROM core.forventet_regnskab h
          WHERE h.omraade = a.omraade AND h.aar = a.aar AND h.indsats_id IS NULL)
    UNION ALL SELECT 'investeringer', indsats_id || '|' || budgetaftale || '|' || aar,
           'budgetteret_investering', budgetteret_investering, true FROM mart.investeringer
    UNION ALL SELECT 'investeringer', indsats_id || '|' || budgetaftale || '|' || aar,
           'forbrugt_investering', forbrugt_investering, false FROM mart.investeringer
    UNION ALL SELECT 'besparelser', indsats_id || '|' || budgetaftale || '|' || aar,
           'budgetteret_besparelse', budgetteret_besparelse, true FROM mart.besparelser
    UNION ALL SELECT 'spor_status', spor || '|' || budgetaftale || '|' || aar,
           'budgetteret_besparelse', budgetteret_besparelse, true FROM mart.spor_status
    UNION ALL SELECT 'spor_status', spor || '|' || budgetaftale || '|' || aar,
           'budgetteret_investering', budgetteret_investering, true FROM mart.spor_status
    UNION ALL SELECT 'spor_status', spor || '|' || budgetaftale || '|' || aar,
           'forbrugt_investering', forbrugt_investering, false FROM mart.spor_status
    UNION ALL SELECT 'indsats_status', indsats_id || '|' || budgetaftale, 'budgetteret_i_alt',
           budgetteret_i_alt, true FROM mart.indsats_status
    UNION ALL SELECT 'forventet_realisering', indsats_id || '|' || budgetaftale,
           'budgetteret_i_alt', budgetteret_i_alt, true FROM mart.forventet_realisering
    UNION ALL SELECT 'budgetaftaler', indsats_id || '|' || budgetaftale || '|' || aar,
           'besparelse', besparelse, true FROM mart.budgetaftaler
),
bidrag AS (
    SELECT tabel, noegle, kolonne, sum(bidrag) AS bidrag FROM mart.sporbarhed GROUP BY ALL
)
SELECT f.tabel, f.noegle, f.kolonne, f.tal, b.bidrag
FROM figures f LEFT JOIN bidrag b USING (tabel, noegle, kolonne)
WHERE f.tal IS DISTINCT FROM CASE WHEN f.nul THEN coalesce(b.bidrag, 0) ELSE b.bidrag END
"""

# docs/beregninger.md, "Sporbarhed": an initiative alone in its group, measured by the
# budget method in a year whose spending is final or forecast by its holders, realised =
# korrigeret budget + its planned saving in force − the spending (or the holders' forecast)
REALISED = """
WITH alone AS (
    SELECT gruppe FROM core.indsats_grupper GROUP BY gruppe HAVING count(*) = 1
),
parts AS (
    SELECT noegle, sum(bidrag) FILTER (WHERE indgang IN ('korrigeret_budget', 'planlagt'))
               - coalesce(sum(bidrag) FILTER (WHERE indgang IN ('forbrug', 'forventet')), 0)
               AS udledt
    FROM mart.sporbarhed
    WHERE tabel = 'besparelser' AND kolonne = 'realiseret_besparelse'
    GROUP BY noegle
)
SELECT b.indsats_id, b.aar, b.realiseret_besparelse, p.udledt
FROM mart.besparelser b
JOIN core.indsats_grupper g USING (indsats_id)
JOIN alone USING (gruppe)
LEFT JOIN parts p ON p.noegle = b.indsats_id || '|' || b.budgetaftale || '|' || b.aar
WHERE b.maalt_med = 'budget' AND b.realiseret_besparelse IS NOT NULL
  AND (b.opgjort_som = 'regnskab' OR b.forventet_af = 'budgetansvarlig')
  AND b.realiseret_besparelse IS DISTINCT FROM p.udledt
"""


# docs/beregninger.md, "Sporbarhed": a group's measure in a year follows from the trace of
# any member's realised saving. Budget method (a closed year, or one with the holders'
# forecasts): Σ korrigeret budget + Σ planlagt − Σ forbrug (or Σ forventet: a forecast that
# serves several members is one row, so it is taken off once); baseline in a closed year:
# Σ forbrug_basisaar − Σ forbrug; activity: (Σ aktivitet_basisaar ÷ its rows − Σ aktivitet ÷
# its rows) × enhedspris, one row a month being each month's count. No price index.
MEASURED = """
WITH per_row AS (
    SELECT noegle,
           sum(bidrag) FILTER (WHERE indgang IN ('korrigeret_budget', 'planlagt'))
               - coalesce(sum(bidrag) FILTER (WHERE indgang IN ('forbrug', 'forventet')), 0)
               AS budget,
           coalesce(sum(bidrag) FILTER (WHERE indgang = 'forbrug_basisaar'), 0)
               - coalesce(sum(bidrag) FILTER (WHERE indgang = 'forbrug'), 0) AS baseline,
           sum(bidrag) FILTER (WHERE indgang = 'aktivitet_basisaar')
               / sum(antal_raekker) FILTER (WHERE indgang = 'aktivitet_basisaar')
               - sum(bidrag) FILTER (WHERE indgang = 'aktivitet')
               / sum(antal_raekker) FILTER (WHERE indgang = 'aktivitet') AS fald
    FROM mart.sporbarhed
    WHERE tabel = 'besparelser' AND kolonne = 'realiseret_besparelse'
    GROUP BY noegle
),
derived AS (
    SELECT g.gruppe, b.aar, p.*
    FROM mart.besparelser b
    JOIN core.indsats_grupper g USING (indsats_id)
    JOIN per_row p ON p.noegle = b.indsats_id || '|' || b.budgetaftale || '|' || b.aar
),
expected AS (
    SELECT r.gruppe, r.aar, r.maalemetode, r.resultat,
           CASE r.maalemetode WHEN 'budget' THEN d.budget WHEN 'baseline' THEN d.baseline
                ELSE d.fald * i.enhedspris END AS udledt
    FROM core.gruppe_resultat r
    JOIN core.indsatser i ON i.indsats_id = r.gruppe
    LEFT JOIN derived d USING (gruppe, aar)
    WHERE r.resultat IS NOT NULL AND CASE r.maalemetode
        WHEN 'budget' THEN r.opgjort_som = 'regnskab' OR r.forventet_af = 'budgetansvarlig'
        WHEN 'baseline' THEN r.opgjort_som = 'regnskab'
        ELSE r.aar <> r.baselineaar END
)
SELECT * FROM expected WHERE coalesce(abs(resultat - udledt) >= 0.005, true)
"""

# mart.maal's result is the year's average of the monthly counts: the rows its trace names,
# one a month, summed and divided by their number
GOALS = """
WITH traced AS (
    SELECT noegle, sum(bidrag) / sum(antal_raekker) AS gennemsnit
    FROM mart.sporbarhed WHERE tabel = 'maal' AND kolonne = 'resultat'
    GROUP BY noegle
)
SELECT m.indsats_id, m.aar, m.resultat, t.gennemsnit
FROM mart.maal m
LEFT JOIN traced t ON t.noegle = m.indsats_id || '|' || m.indikator || '|' || m.aar
WHERE m.resultat IS DISTINCT FROM round(t.gennemsnit, 2)
"""


@examples(4)
@given(m=municipality(last_month=8), data=st.data())
def test_every_additive_figure_is_the_sum_of_what_its_trace_rows_contributed(m, data):
    # the municipality with goals, plus the same indicator name counted again, in bostøtte
    # or without område (which counts only for bostøtte's initiatives: botilbud has rows
    # for both years); adopted budgets for 2024 under two agreements (the newer one is the
    # figure) and, for open 2024, maybe the holders' forecasts for botilbud and for every
    # initiative measured on spending (those on the same functions share one), maybe with
    # an earlier follow-up in the same file that the later one replaces
    with homes(1) as (home,):
        deliver_all_but_spending(home, m, goals=True)
        years = data.draw(st.lists(st.sampled_from([2023, 2024]), min_size=1, unique=True))
        b.activity(
            home.indbakke / "aktivitet_2.xlsx",
            INDICATOR,
            {y: data.draw(st.integers(20, 80)) for y in sorted(years)},
            area=data.draw(st.sampled_from(["bostøtte", None])),
        )
        b.spending(home.indbakke / "forbrug.xlsx", m["ledger"])
        for agreement in ("2023-2026", "2024-2027"):
            b.adopted(
                home.indbakke / f"vedtaget_{agreement}.xlsx",
                [[f, 2024, data.draw(st.integers(10**6, 4 * 10**7))] for f in AREA],
                agreement,
            )
        if data.draw(st.booleans()):
            months = ["2024-07", "2024-08"] if data.draw(st.booleans()) else ["2024-08"]
            rows = [
                [month, "botilbud", None, data.draw(st.integers(10**6, 5 * 10**7))]
                for month in months
            ]
            rows += [
                [month, i[3], i[0], data.draw(st.integers(10**5, 4 * 10**7))]
                for month in months
                for i in m["initiatives"]
                if i[5] in ("budget", "baseline")
            ]
            b.forecast(home.indbakke / "forventet.xlsx", rows)
        run(home)
        con = duckdb.connect(str(home.warehouse), read_only=True)
        try:
            assert con.execute(ADDITIVE).fetchall() == []
            assert con.execute(REALISED).fetchall() == []
            assert con.execute(MEASURED).fetchall() == []
            assert con.execute(GOALS).fetchall() == []
        finally:
            con.close()
