"""Issue 16: Danmarks Statistik's files as downloaded, in every layout, give one
mart.benchmark; totals are never added to their parts; a wrong table is named.

The figures are invented (tests/dst_files.py, which also shows the hand computation).
Each layout is built through the real SQL files on an in-memory warehouse; one full run
of the job checks that the comparison is published behind its blocking checks.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.core.kinds import generated
from assets.intake.loading.load import create_schemas, insert_rows
from assets.intake.parsing.extract import parse_file
from assets.sql_assets import SHIPPED_CSV, standard_mapping
from runtime.resources import Home
from tests import dst_files as d
from tests.builders import workbook
from tests.conftest import query, run, settle

ASSETS = Path(__file__).resolve().parents[1] / "assets"
SQL = [
    "macros/beloeb.sql",
    "core/sql/prisindeks.sql",
    "core/sql/kontoplan.sql",
    "macros/kontering.sql",
    "core/sql/kommuner.sql",
    "macros/dst.sql",
    "strukturforhold",  # generated from the kind (schemas/kinds/strukturforhold.toml)
    "core/sql/sammenligningsgruppe.sql",
    "core/sql/dst_regnskab_raekker.sql",
    "core/sql/dst_regnskab.sql",
    "core/sql/dst_befolkning_raekker.sql",
    "core/sql/dst_befolkning.sql",
    "core/sql/dst_drift.sql",
    "udgiftsbehov",  # generated from the kind (schemas/kinds/udgiftsbehov.toml)
    "marts/sql/benchmark.sql",
]
COLUMNS = (
    "kommunenr, omraade, aar, nettodrift, indbyggere, kr_pr_indbygger, rang, antal_kommuner, "
    "rang_i_gruppen, antal_i_gruppen, gruppens_median, gruppens_nedre_kvartil, "
    "over_median_kr, over_nedre_kvartil_kr"
)


def warehouse(*files: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with mart.benchmark from ``files``, through the same SQL the
    job runs."""
    con = duckdb.connect()
    create_schemas(con)
    con.register("standard_kontoplan", standard_mapping())
    for name, csv in SHIPPED_CSV.items():
        con.register(name, pd.read_csv(csv, dtype={"kommunenr": "int64"}))
    for nr, path in enumerate(files, start=1):
        extract = parse_file(path)
        assert extract.accepted, [str(p) for p in extract.problems]
        for table, frame in extract.tables.items():
            insert_rows(con, table, frame, nr)
    for sql in SQL:
        con.execute(generated().get(sql) or (ASSETS / sql).read_text(encoding="utf-8"))
    return con


def benchmark(*files: Path, columns: str = COLUMNS) -> list[tuple]:
    """mart.benchmark's ``columns`` from ``files``."""
    return (
        warehouse(*files).execute(f"SELECT {columns} FROM mart.benchmark ORDER BY ALL").fetchall()
    )


def kr(x) -> Decimal:
    return Decimal(x).quantize(Decimal("0.01"))


# Hand computed in tests/dst_files.py. Group (default): 810, 813, 849 of the file, 860 itself.
# Jammerbugt (849) has '..' for dranst 2: its nettodrift is empty, never the partial 23.100.000
# (which would be 1.050 kr. and rank 3rd), and it has no rank (issue 23, rule 14). So 4
# municipalities are ranked, 3 in the group. Others' botilbud per inhabitant 1.000 and
# 1.300: median 1.150; lower quartile (quantile_cont) 1.000 + 0,25 × 300 = 1.075. Hjørring
# 1.200: 50 × 40.000 = 2.000.000 over the median, 125 × 40.000 = 5.000.000 over the quartile.
# Ranks among all: Aalborg 800 (1), Brønderslev (2), Hjørring (3), Frederikshavn (4); in the
# group 810, 860, 813. Børn og unge: only Hjørring (30.000.000 / 15.000 = 2.000) and Aalborg
# (60.000.000 / 40.000 = 1.500); no other group member, so no median (empty, not 0).
M, Q = kr(1150), kr(1075)
EXPECTED = sorted(
    [
        (810, "botilbud", 2024, kr(19_500_000), 19_500.0, kr(1000), 2, 4, 1, 3, M, Q,
         kr(-150 * 19_500), kr(-75 * 19_500)),
        (813, "botilbud", 2024, kr(39_000_000), 30_000.0, kr(1300), 4, 4, 3, 3, M, Q,
         kr(150 * 30_000), kr(225 * 30_000)),
        (849, "botilbud", 2024, None, 22_000.0, None, None, 4, None, 3, M, Q, None, None),
        (851, "botilbud", 2024, kr(96_000_000), 120_000.0, kr(800), 1, 4, None, 3, M, Q,
         kr(-350 * 120_000), kr(-275 * 120_000)),
        (860, "botilbud", 2024, kr(48_000_000), 40_000.0, kr(1200), 3, 4, 2, 3, M, Q,
         kr(2_000_000), kr(5_000_000)),
        (851, "børn og unge", 2024, kr(60_000_000), 40_000.0, kr(1500), 1, 2, None, 1,
         None, None, None, None),
        (860, "børn og unge", 2024, kr(30_000_000), 15_000.0, kr(2000), 2, 2, 1, 1,
         None, None, None, None),
    ],
    key=lambda r: (r[0], r[1]),
)  # fmt: skip


def _files(tmp_path: Path, how: str) -> tuple[Path, Path]:
    if how == "statbank":
        return (
            d.statbank_export(tmp_path / "REGK31.csv", "regnskab"),
            d.statbank_export(tmp_path / "FOLK1A.csv", "befolkning"),
        )
    return (
        d.api_csv(tmp_path / "regk31.csv", "regnskab", how),
        d.api_csv(tmp_path / "folk1a.csv", "befolkning", how),
    )


@pytest.mark.parametrize("how", ["koder", "tekster", "begge", "statbank"])
def test_every_layout_gives_the_same_hand_computed_benchmark(tmp_path, how):
    assert benchmark(*_files(tmp_path, how)) == EXPECTED


def test_arts_and_sexes_without_their_total_are_summed(tmp_path):
    # Hjørring 5.38.50 dranst 1 without 'I alt': Udgifter 53.000 + Indtægter −3.000 = 50.000;
    # its population without 'Køn i alt': men + women = the same 1.000 + 39.000 at 18-64.
    regnskab = [
        r
        for r in d.REGNSKAB
        if not (
            r[0] == "860" and r[3] == "TOT" and r[2] == "1" and r[1] == "53850" and r[4] == "LOBM"
        )
    ]
    befolkning = [r for r in d.BEFOLKNING if not (r[0] == "860" and r[1] == "TOT")]
    rows = benchmark(
        d.api_csv(tmp_path / "regk31.csv", "regnskab", "begge", regnskab),
        d.api_csv(tmp_path / "folk1a.csv", "befolkning", "begge", befolkning),
    )
    hjoerring = next(r for r in rows if r[0] == 860 and r[1] == "botilbud")
    assert hjoerring[3:6] == (kr(48_000_000), 40_000.0, kr(1200))


def test_a_delivered_group_replaces_the_default(tmp_path):
    # Group Aalborg (800) and Frederikshavn (1.300): median 1.050, lower quartile
    # 800 + 0,25 × 500 = 925; Hjørring 1.200 is 2nd of 3 in the group.
    group = workbook(tmp_path / "gruppe.xlsx", ["Kommunenr", "Rolle"],
                     [[860, "egen"], [851, None], [813, None]])  # fmt: skip
    rows = benchmark(*_files(tmp_path, "koder"), group)
    hjoerring = next(r for r in rows if r[0] == 860 and r[1] == "botilbud")
    assert hjoerring[8:12] == (2, 3, kr(1050), kr(925))
    assert hjoerring[12:] == (kr(150 * 40_000), kr(275 * 40_000))


def test_a_wrong_dst_table_says_what_it_is_and_what_is_expected(tmp_path):
    path = tmp_path / "regk11.csv"
    path.write_text(
        "OMRÅDE;HOVEDKONTO;DRANST;ART;PRISENHED;TID;INDHOLD\n860;5;1;TOT;LOBM;2024;123\n",
        encoding="utf-8",
    )
    [problem] = parse_file(path).problems
    assert "tabel fra Danmarks Statistik med OMRÅDE, HOVEDKONTO" in problem.sentence
    assert "HOVEDKONTO læses ikke" in problem.sentence
    assert "REGK31 (OMRÅDE, FUNKTION" in problem.sentence
    assert "BUDK32 (REGI07A, FUNKTION" in problem.sentence
    assert "FOLK1A (OMRÅDE, KØN, ALDER, TID)" in problem.sentence
    export = d.statbank_export(
        tmp_path / "by1.csv",
        "befolkning",
        "BY1: Folketal 1. januar efter område, køn, alder, byområde og tid",
    )
    [problem] = parse_file(export).problems  # 5 names, 3 columns: named by the title
    assert problem.sentence.startswith("filen er tabellen BY1 fra Danmarks Statistik")


def test_a_statbank_export_names_its_own_row_and_period(tmp_path):
    path = d.statbank_export(tmp_path / "FOLK1A.csv", "befolkning")
    lines = path.read_text(encoding="cp1252").splitlines()
    assert lines[4] == ";;18 år;1000;1100"  # Excel row 5: Hjørring, I alt, 18 år
    lines[4] = ";;18 år;tusind;1100"
    path.write_text("\n".join(lines) + "\n", encoding="cp1252")
    [problem] = parse_file(path).problems
    assert (problem.row, problem.column, problem.value) == (5, "2024K1", "tusind")


def test_a_many_area_population_without_sex_points_at_the_comparison_kind(tmp_path):
    path = tmp_path / "folk1a.csv"
    path.write_text(
        "OMRÅDE;ALDER;TID;INDHOLD\nHjørring;18 år;2024K1;1000\nAalborg;18 år;2024K1;5000\n",
        encoding="utf-8",
    )
    [problem] = parse_file(path).problems
    assert "2 områder" in problem.sentence and "tag KØN med" in problem.sentence


@pytest.mark.slow
@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 5000), min_size=1, max_size=12))
def test_ranks_are_one_to_n_with_one_the_lowest(tmp_path_factory, spending):
    # Each municipality spends its drawn 1.000 kr. on 5.38.50 and has 1.000 adults (18 år):
    # per inhabitant = the drawn number of kroner; rang orders them, ties by number.
    tmp = tmp_path_factory.mktemp("rang")
    codes = [101, 147, 151, 153, 155, 157, 159, 161, 163, 165, 167, 169][: len(spending)]
    reg = [
        (str(c), "53850", "1", "TOT", "LOBM", "2024", str(s))
        for c, s in zip(codes, spending, strict=True)
    ]
    pop = [(str(c), "TOT", "18", "2024K1", "1000") for c in codes]
    rows = benchmark(
        d.api_csv(tmp / "r.csv", "regnskab", "koder", reg),
        d.api_csv(tmp / "b.csv", "befolkning", "koder", pop),
    )
    by_rank = sorted(rows, key=lambda r: r[6])
    assert [r[6] for r in by_rank] == list(range(1, len(codes) + 1))
    assert [r[5] for r in by_rank] == sorted(kr(s) for s in spending)


@pytest.fixture(scope="module")
def published(tmp_path_factory):

    home = Home(tmp_path_factory.mktemp("dst") / "hjem").create()
    settle(list(_files(home.indbakke, "statbank")))
    result = run(home)
    return home, result


@pytest.mark.slow
def test_the_job_publishes_the_comparison_behind_its_checks(published):
    home, result = published
    assert [r for r in query(home, f"SELECT {COLUMNS} FROM mart.benchmark ORDER BY ALL")] == (
        EXPECTED
    )
    checks = {
        e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.asset_check_evaluation_data.asset_key.path == ["mart", "benchmark"]
    }
    assert checks == {"skema": True, "rang": True, "ingen_totaler": True}
    # 'Kr. pr. indbygger' is kept as DST's own per-inhabitant figure (778 kr., not × 1000)
    assert query(
        home,
        "SELECT enhed, beloeb FROM core.dst_regnskab WHERE kommunenr = 860 "
        "AND funktion = '5.38.50' AND dranst = 1 ORDER BY enhed",
    ) == [("kr.", Decimal("50000000.00")), ("kr. pr. indbygger", Decimal("778.00"))]
    # both files are in use (not "erstattet"), with the years they hold
    assert query(home, "SELECT filnavn, status, perioder FROM mart.leverancer ORDER BY 1") == [
        ("FOLK1A.csv", "accepteret", "2024 – 2024"),
        ("REGK31.csv", "accepteret", "2024 – 2024"),
    ]


HEADLINE = (
    "Sammenligning 2024, botilbud: Hjørring brugte 1.200 kr. pr. indbygger (18-64 år), nr. 3 "
    "af 4 kommuner (1 = lavest); med gruppens median ville kommunen bruge 2,0 mio. kr. mindre "
    "(ikke korrigeret for udgiftsbehov)."
)


@pytest.mark.slow
def test_the_page_shows_rank_and_gap_in_chromium(published):
    # botilbud 2024 (hand computed above): 1.200 kr. against the median 1.150, the quartiles
    # 1.075 and 1.000 + 0,75 × 300 = 1.225; rank 3 of 4 and 2 of 3 in the group (Jammerbugt
    # has no figure); 50 × 40.000 = 2,0 and 125 × 40.000 = 5,0 mio. kr. over
    from playwright.sync_api import sync_playwright

    from tests.test_reports import CHROMIUM, need

    need(CHROMIUM, "Chromium")
    home, _ = published
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((home.rapporter / "styregruppe.html").as_uri())
        text = page.inner_text("#sammenligning")
        headlines = page.locator("#sammenligning p.sammenligning").all_inner_texts()
        captions = page.locator("#sammenligning figcaption").all_inner_texts()
        browser.close()
    assert HEADLINE in headlines
    assert (
        "botilbud\t2024\tHjørring\t18-64\t1.200\t1.075\t1.150\t1.225\t3 af 4\t2 af 3\t2,0\t5,0"
        in (text)
    )
    assert "børn og unge\t2024\tHjørring\t0-17\t2.000\t–\t–\t–\t2 af 2\t1 af 1\t–\t–" in text
    assert captions == [
        "botilbud (kr. pr. indbygger), 2024",
        "børn og unge (kr. pr. indbygger), 2024",
    ]


@pytest.mark.slow
def test_the_workbook_shows_rank_and_gap_in_libreoffice(published, tmp_path):
    import csv
    import zipfile

    from tests.test_reports import SOFFICE, need, soffice

    need(SOFFICE, "LibreOffice")
    home, _ = published
    path = home.rapporter / "styregruppe.xlsx"
    soffice(
        path,
        tmp_path,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
    )
    with (tmp_path / "styregruppe-Sammenligning.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert HEADLINE in rows[2][0]  # the comparison's sentences head its own sheet
    top = next(i for i, r in enumerate(rows) if r[0] == "Område")
    table = {(r[0], r[1]): dict(zip(rows[top], r, strict=True)) for r in rows[top + 1 :] if r[0]}
    botilbud = table[("botilbud", "2024")]
    assert botilbud["Rang blandt alle kommuner (1 = lavest)"] == "3 af 4"
    assert botilbud["Rang i gruppen (1 = lavest)"] == "2 af 3"
    assert Decimal(botilbud["Over gruppens median (mio. kr.)"]) == 2_000_000  # raw kroner
    assert Decimal(botilbud["Gruppens median pr. indbygger (kr.)"]) == 1150
    assert table[("børn og unge", "2024")]["Over gruppens median (mio. kr.)"] == ""
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    wanted = ["botilbud (kr. pr. indbygger), 2024", "børn og unge (kr. pr. indbygger), 2024"]
    titles = [t for c in charts for t in wanted if t in c]
    assert titles == wanted
