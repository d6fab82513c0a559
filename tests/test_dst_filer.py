"""Issue 24: Danmarks Statistik's files as downloaded (tests/data/dst, README.md there), DST
rows replaced per (table, municipality, year), and (issue 23, rule 14) a figure with a
missing component is empty and unranked.

Every figure below is computed by hand from the files (tests/data/dst/lav.py writes them).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from assets.intake.parsing.extract import parse_file
from tests import dst_files as d
from tests import fixtures
from tests.test_sammenligning import benchmark

DATA = Path(__file__).parent / "data" / "dst"
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"

ACCEPTED = {  # file → (kind, table code where it has one, sum of INDHOLD in raw)
    # 12 areas × 13 years × 2 sexes × (1.000 + 2.000 + 3.000) = 1.872.000; Aalborg 2020
    # has instead of 2 × 6.000 its own 1.000 + 67.000 + 1.081 + 67.500 + 2 × 1.000 = 138.581
    "folk1a_api_tekster_mange_omraader.csv": ("dst_befolkning", None,
                                              1_872_000 - 12_000 + 138_581),
    # two municipalities × 4 quarters: (57.000 + 40.500) × 4 + 4 ages × 10 × (0+1+2+3) × 2
    "folk1a_api_koder_kvartaler.csv": ("dst_befolkning", None, 97_500 * 4 + 480),
    # (700 + 650 + 800 + 820) + (that + 4 × 100)
    "folk1a_api_begge_uden_koen.csv": ("befolkning", None, 2_970 * 2 + 400),
    # (55.000 + 24.500) × 2 + 6 × 5
    "folk1a_statbank.csv": ("dst_befolkning", None, 79_500 * 2 + 30),
    # 48.000 − 2.000 + 566.306 + 900.000
    "regk31_api_tekster.csv": ("dst_regnskab", "REGK31", 1_512_306),
    # 2019: 48.000 − 2.000; 2020: each + 100
    "regk31_statbank.csv": ("dst_regnskab", "REGK31", 46_000 * 2 + 200),
    # 51.000 − 2.500 + 5.100.000
    "budk32_api_koder.csv": ("dst_regnskab", "BUDK32", 5_148_500),
    # 48.000 − 2.000
    "budk32_statbank.csv": ("dst_regnskab", "BUDK32", 46_000),
}  # fmt: skip

REJECTED = {  # file → what its one message must say
    "by2_api.csv": "filen er en tabel fra Danmarks Statistik med KOMK, BYST, ALDER, KØN og TID",
    "by2_statbank.csv": "filen er tabellen BY2 fra Danmarks Statistik",
    "erhv2_statbank.csv": "filen er tabellen ERHV2 fra Danmarks Statistik",
    "straf11_api.csv": "OVERTRÆD læses ikke",
    "folk1a_api_engelsk_uden_omraade.csv": "med KØN, ALDER og TID (2021Q2), men uden OMRÅDE",
    "folk1a_api_kun_2_kvartal.csv": "for 2021 først tal fra et senere kvartal (2021K2)",
    "regk31_api_ukendt_kommune.csv": "værdien 'Vesthimmerland' kan ikke bruges; forventet en "
    "kommune, en region eller en total, som Danmarks Statistik skriver den (nærmest: "
    "'Vesthimmerlands')",
}


def test_every_file_of_the_set_is_small_and_judged():
    files = {p.name for p in DATA.glob("*.csv")}
    assert files == set(ACCEPTED) | set(REJECTED)
    assert all((DATA / f).stat().st_size < 200_000 for f in files)


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_an_accepted_file_gives_its_figures(name):
    kind, table, total = ACCEPTED[name]
    extract = parse_file(DATA / name)
    assert extract.accepted, [p.text() for p in extract.problems]
    assert extract.kind.kind == kind
    [frame] = extract.tables.values()
    figure = "indhold" if kind == "dst_regnskab" else "antal"
    assert frame[figure].sum() == total
    if table:
        assert set(frame["tabel"]) == {table}


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_a_rejected_file_gets_one_message_naming_what_it_is(name):
    extract = parse_file(DATA / name)
    assert not extract.accepted
    [problem] = extract.problems  # one message, never one per cell
    assert REJECTED[name] in problem.text()


def test_a_title_classification_is_not_a_table_code():
    [problem] = parse_file(DATA / "erhv2_statbank.csv").problems
    assert "tabellen DB07" not in problem.text()


def test_budk32_is_never_told_to_choose_another_table():
    for name in ("budk32_api_koder.csv", "budk32_statbank.csv"):
        assert parse_file(DATA / name).accepted


@pytest.mark.slow
def test_the_cli_check_rejects_a_wrong_table_with_exit_1(tmp_path, capsys):
    from pipelines.cli import main

    code = main(["check", str(DATA / "by2_statbank.csv"), "--home", str(tmp_path / "hjem")])
    out = capsys.readouterr()
    assert code == 1
    assert (out.out + out.err).count("tabellen BY2") == 1


def _pop(rows: list[tuple], year: int) -> dict[int, float]:
    """Population 18-64 per municipality in ``year``, from the benchmark's botilbud rows."""
    return {r[0]: r[4] for r in rows if r[1] == "botilbud" and r[2] == year}


def test_a_many_area_folk1a_after_the_sample_data_replaces_only_its_own_cells():
    # The sample data hold all 98 municipalities 2015-2025 (invented). The FOLK1A file then
    # holds the country, five regions and six municipalities (København 101, Frederiksberg
    # 147, Odense 461, Esbjerg 561, Aarhus 751, Aalborg 851), 2008-2020. Replacement is per
    # (municipality, year): the 92 other municipalities keep their 2020 population;
    # Aalborg's 2020 18-64 becomes 1.000 + 67.000 + 1.081 + 67.500 = 136.581. The REGK31
    # file then replaces Aalborg's 2020 accounts only: botilbud is 5.38.50's 566.306
    # (1.000 kr.) = 566.306.000 kr.; 566.306.000 / 136.581 = 4.146,30 kr.
    in_file = {101, 147, 461, 561, 751, 851}
    sample = fixtures.SAMPLE_DST_API
    before = _pop(benchmark(*sample), 2020)
    rows = benchmark(
        *sample,
        DATA / "folk1a_api_tekster_mange_omraader.csv",
        DATA / "regk31_api_tekster.csv",
    )
    after = _pop(rows, 2020)
    assert len(before) == 98
    assert after[851] == 136_581
    assert {k: v for k, v in after.items() if k not in in_file} == {
        k: v for k, v in before.items() if k not in in_file
    }
    assert all(v is not None for v in after.values())
    aalborg = next(r for r in rows if r[:3] == (851, "botilbud", 2020))
    assert aalborg[3:6] == (Decimal("566306000.00"), 136_581, Decimal("4146.30"))
    # Hjørring 2020 keeps its sample botilbud but gets the REGK31 file's 5.38.50 only:
    # 48.000 − 2.000 = 46.000 (1.000 kr.) replaces every sample row of Hjørring 2020
    hjoerring = next(r for r in rows if r[:3] == (860, "botilbud", 2020))
    assert hjoerring[3] == Decimal("46000000.00")
    # 2021 is in no later file: every municipality's 2021 is the sample data's
    assert _pop(rows, 2021) == _pop(benchmark(*sample), 2021)


def test_a_missing_component_makes_the_figure_empty_and_unranked(tmp_path):
    # Issue 23, rule 14. Three municipalities on 5.38.50 in 2024 (1.000 kr.), 18-64 from
    # tests/dst_files.py (ages 18 + 64 of 2024K1):
    #   860 Hjørring      50.000 − 2.000 = 48.000.000 / 40.000 = 1.200 kr.  rank 2
    #   813 Frederikshavn 40.000 − 1.000 = 39.000.000 / 30.000 = 1.300 kr.  rank 3
    #   810 Brønderslev   20.000 + '..'  = empty: not 20.000.000 / 19.500 = 1.025,64 kr.
    #                                      (which would rank 1st), no rank
    #   851 Aalborg      100.000 − 4.000 = 96.000.000 / 120.000 = 800 kr.  rank 1
    rows = [r for r in d.REGNSKAB if r[0] in ("860", "813", "810", "851") and r[1] == "53850"]
    rows = [(*r[:6], "..") if r[0] == "810" and r[2] == "2" else r for r in rows]
    result = benchmark(
        d.api_csv(tmp_path / "regk31.csv", "regnskab", "koder", rows),
        d.api_csv(tmp_path / "folk1a.csv", "befolkning", "koder"),
    )
    ranked = {r[0]: (r[3], r[5], r[6], r[7]) for r in result if r[1] == "botilbud"}
    assert ranked[810] == (None, None, None, 3)
    assert ranked[851] == (Decimal("96000000.00"), Decimal("800.00"), 1, 3)
    assert ranked[860] == (Decimal("48000000.00"), Decimal("1200.00"), 2, 3)
    assert ranked[813] == (Decimal("39000000.00"), Decimal("1300.00"), 3, 3)


def test_a_budget_is_loaded_but_never_compared_with_accounts():
    # BUDK32 gives Hjørring 2025 51.000 − 2.500 in core (tabel BUDK32), but mart.benchmark
    # compares accounts only (DST: budgets and accounts cannot be compared): no 2025 row.
    rows = benchmark(DATA / "budk32_api_koder.csv", DATA / "folk1a_api_koder_kvartaler.csv")
    assert [r for r in rows if r[2] == 2025] == []


@pytest.mark.slow
def test_a_many_area_folk1a_after_the_sample_data_gives_a_report_and_a_later_run(tmp_path):
    # The whole job: the sample data with its DST files, then the FOLK1A file for the
    # country, the regions and six municipalities and the REGK31 file; both runs succeed,
    # no municipality of the sample data loses its 2020 population, and the report of the
    # second run is written (it crashed on NaN populations before).
    import shutil

    from runtime.resources import Home
    from tests.conftest import query, run, settle

    home = Home(tmp_path / "hjem").create()
    first = [*SAMPLE.glob("*.xlsx"), *fixtures.SAMPLE_DST_API]
    settle([Path(shutil.copy2(p, home.indbakke / p.name)) for p in first])
    run(home)
    later = ["folk1a_api_tekster_mange_omraader.csv", "regk31_api_tekster.csv"]
    settle([Path(shutil.copy2(DATA / n, home.indbakke / n)) for n in later])
    run(home)
    sql = "SELECT kommunenr, indbyggere FROM mart.benchmark WHERE omraade = 'botilbud' AND aar = "
    populations = dict(query(home, sql + "2020"))
    assert len(populations) == 98 and None not in populations.values()
    assert populations[851] == 136_581  # 1.000 + 67.000 + 1.081 + 67.500
    assert (home.rapporter / "styregruppe.html").exists()
    assert query(home, "SELECT count(*) FROM mart.leverancer WHERE status = 'afvist'") == [(0,)]


@pytest.mark.parametrize(
    ("tid", "year", "month", "quarter"),
    [("2023", 2023, None, None), ("2024K1", 2024, None, 1), ("2024M03", 2024, 3, None)],
)
def test_tid_is_a_year_a_quarter_or_a_month(tmp_path, tid, year, month, quarter):
    path = tmp_path / "folk1a.csv"
    path.write_text(f"OMRÅDE;KØN;ALDER;TID;INDHOLD\n860;TOT;18;{tid};1000\n", encoding="utf-8")
    extract = parse_file(path)
    assert extract.accepted, [p.text() for p in extract.problems]
    row = extract.tables["dst_befolkning"].iloc[0]
    parsed = [None if pd.isna(row[c]) else int(row[c]) for c in ("aar", "maaned", "kvartal")]
    assert parsed == [year, month, quarter]
