"""The blocking invariant checks catch a future change that breaks them: each test runs the
real job with one SQL file changed back to a known mistake (issue 12) and sees the check
fail and the warehouse stay as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines import graph as definitions
from pipelines.cli import _failure_text, execute
from tests import builders as b
from tests.conftest import checksums, run

pytestmark = pytest.mark.slow

ASSETS = Path(__file__).resolve().parents[1] / "assets"


def break_sql(tmp_path, monkeypatch, file: str, *changes: tuple[str, str]) -> None:
    """The job's SQL with each (old, new) replaced in one file (e.g. 'core/budget.sql')."""
    folder = tmp_path / "assets"
    shutil.copytree(ASSETS / "macros", folder / "macros")
    for stage in ("core", "marts"):
        shutil.copytree(ASSETS / stage / "sql", folder / stage / "sql")
    path = folder / file.replace("/", "/sql/")
    sql = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in sql, f"{old!r} not in {file}"
        sql = sql.replace(old, new)
    path.write_text(sql, encoding="utf-8")
    monkeypatch.setattr(definitions, "ASSETS_DIR", folder)


def failed_checks(result) -> list[tuple[str, str]]:
    return [
        (e.check_name, e.description)
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (  # initiatives grouped only with initiatives of their own method
            "core/indsats_grupper.sql",
            "ON a.funktion = b.funktion\n",
            "ON a.funktion = b.funktion AND a.metode = b.metode\n",
            "funktion 5.38.50 er delt mellem grupperne A, B, L",
        ),
        (  # each share counted twice: the group's 11.000.000 + 3 × 100.000 − 10.800.000 =
            # 500.000, all of it A's own measure ((100 − 90) × 100.000 = 1.000.000, capped
            # at the group's 500.000), becomes 2 × 500.000 = 1.000.000
            "marts/besparelser.sql",
            "core.kr(a.andel * a.resultat",
            "core.kr(2 * a.andel * a.resultat",
            "gruppe A 2024: indsatserne er tildelt 1000000.00 kr., men gruppens eget mål er "
            "500000.00",
        ),
    ],
)
def test_attribution_check_blocks_a_krone_counted_twice(
    home, tmp_path, monkeypatch, file, old, new, message
):
    b.mixed_methods(home, {"B": 100_000, "A": 100_000, "L": 100_000})
    break_sql(tmp_path, monkeypatch, file, (old, new))
    result = execute(home)
    assert not result.success
    assert failed_checks(result) == [("tildeling", message)]
    assert not home.warehouse.exists()  # nothing published
    assert (home.indbakke / "indsatser.xlsx").exists()  # the files wait in the inbox


def test_a_failed_blocking_check_stops_only_what_is_built_from_its_table(
    home, tmp_path, monkeypatch
):
    # `tildeling` on mart.besparelser fails: the table and the check are recorded, nothing
    # built from the table follows, and everything beside it is still built
    b.mixed_methods(home, {"B": 100_000, "A": 100_000, "L": 100_000})
    break_sql(
        tmp_path,
        monkeypatch,
        "marts/besparelser.sql",
        ("core.kr(a.andel * a.resultat", "core.kr(2 * a.andel * a.resultat"),
    )
    result = execute(home)
    graph = definitions.build_definitions(home).resolve_asset_graph()
    besparelser = dg.AssetKey(["mart", "besparelser"])
    after = graph.get(besparelser).child_keys
    todo = list(after)
    while todo:
        for child in graph.get(todo.pop()).child_keys - after:
            after.add(child)
            todo.append(child)
    built = {e.asset_key for e in result.get_asset_materialization_events()}
    assert dg.AssetKey("publicering") in after and dg.AssetKey(["mart", "maal"]) not in after
    assert built == graph.get_all_asset_keys() - after
    assert [name for name, _ in failed_checks(result)] == ["tildeling"]
    # the user reads the check's own Danish description, not an unexpected error
    text = _failure_text(home, result)
    assert text.startswith("Tjek tildeling på mart/besparelser fejlede: gruppe A 2024")
    assert "uventet fejl" not in text


def test_conservation_check_blocks_a_lost_row(home, tmp_path, monkeypatch):
    # the replacement key without the function: a file replaces whole months (issue 12,
    # case 3, and issue 23, rule 12)
    break_sql(
        tmp_path,
        monkeypatch,
        "core/forbrug.sql",
        # both places the key is formed: the newest delivery per key, and the join to it
        ("SELECT funktion, aar, maaned, max(", "SELECT aar, maaned, max("),
        (
            "SELECT DISTINCT funktion, aar, maaned, leverance_nr",
            "SELECT DISTINCT aar, maaned, leverance_nr",
        ),
        ("g.funktion = r.funktion AND g.aar", "g.aar"),
    )
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 900_000) + b.monthly("5.32.32", 2024, 50_000, place="9001"),
    )
    run(home)  # one file: nothing to replace yet, so nothing wrong
    before = checksums(home)
    b.spending(home.indbakke / "andet.xlsx", [["5.32.33", 1, "7400", "2024-03", 1_000]])
    result = execute(home)
    assert not result.success
    # forbrug.xlsx's 5.32.32 row for March 2024 (50.000 kr.) is gone, though andet.xlsx
    # covers 5.32.33 only (so is 5.38.50's; the check names the first function)
    [(name, text)] = failed_checks(result)
    assert name == "afstemning"
    assert text == (
        "forbrug funktion 5.32.32 2024-3 fra leverance 1: 0 gældende rækker mod 1 efter "
        "erstatningsreglen: 0.00 kr. mod 50000.00 kr."
    )
    assert checksums(home) == before
    assert (home.indbakke / "andet.xlsx").exists()


def test_budget_check_blocks_a_corrected_budget_summed_across_agreements(
    home, tmp_path, monkeypatch
):
    # the korrigeret budget keyed by agreement again (issue 12, case 2)
    break_sql(
        tmp_path,
        monkeypatch,
        "core/budget.sql",
        (
            "CASE WHEN budgettype = 'oprindeligt' THEN coalesce(budgetaftale, '') ELSE '' END",
            "coalesce(budgetaftale, '')",
        ),
        (
            "CASE WHEN k.budgettype = 'oprindeligt' THEN coalesce(k.budgetaftale, '') ELSE '' END",
            "coalesce(k.budgetaftale, '')",
        ),
    )
    b.corrected(home.indbakke / "k1.xlsx", [["5.38.50", 2024, 12_000_000]])
    run(home)
    before = checksums(home)
    b.corrected(home.indbakke / "k2.xlsx", [["5.38.50", 2024, 12_600_000]], "2024-2027")
    result = execute(home)
    assert not result.success
    assert failed_checks(result) == [
        ("korrigeret_budget", "funktion 5.38.50 2024: det korrigerede budget kommer fra 2 filer")
    ]
    assert checksums(home) == before


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (  # a year the agreement does not cover counted as 0 (issue 12, case 5)
            "marts/budgetaftaler.sql",
            "JOIN aftaler a ON mart.daekker(a.budgetaftale, b.aar)",
            "CROSS JOIN aftaler a",
            "budgetaftaler B 2023 2024-2027: aftalen dækker ikke året, men besparelsen er 0.00",
        ),
        (  # a missing year before counted as 0 (issue 12, case 4)
            "marts/aarsoversigt.sql",
            "f.faste - foer.faste AS aendring_kr",
            "f.faste - coalesce(foer.faste, 0) AS aendring_kr",
            "aarsoversigt botilbud 2023: ændringen er 12000000.00, men år 2022 har ingen data",
        ),
    ],
)
def test_coverage_check_blocks_a_zero_for_no_data(
    home, tmp_path, monkeypatch, file, old, new, message
):
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.50", 2023, 1_000_000))
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("B", "budget", "5.38.50")],
        [
            ["B", "2023-2026", 2023, "Besparelse", 100_000, 2023],
            ["B", "2024-2027", 2024, "Besparelse", 200_000, 2024],
        ],
    )
    break_sql(tmp_path, monkeypatch, file, (old, new))
    result = execute(home)
    assert not result.success
    assert failed_checks(result) == [("daekning", message)]
    assert not home.warehouse.exists()


def test_trace_check_blocks_a_mart_row_without_files(home, tmp_path, monkeypatch):
    # botilbud has spending in 2025 only, and budgets for 2026 (adopted 11.800.000,
    # korrigeret 12.200.000): the annual overview's row for 2026 rests on the two budget
    # files alone. With their lines taken out of mart.sporbarhed (issue 23's hole 1) the
    # row has no trace, and the run stops before publishing
    b.spending(home.indbakke / "forbrug.xlsx", b.monthly("5.38.50", 2025, 1_000_000))
    b.adopted(home.indbakke / "vedtaget.xlsx", [["5.38.50", 2026, 11_800_000]], "2025-2028")
    b.corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2026, 12_200_000]])
    break_sql(
        tmp_path,
        monkeypatch,
        "marts/sporbarhed.sql",
        (
            "FROM omraadebudget b\n    UNION ALL\n    SELECT 'aarsoversigt', a.omraade",
            "FROM omraadebudget b WHERE false\n    UNION ALL\n    SELECT 'aarsoversigt', a.omraade",
        ),
    )
    result = execute(home)
    assert not result.success
    assert failed_checks(result) == [
        ("sporing", "aarsoversigt botilbud|2026: rækken har ingen kildefil i sporbarhed")
    ]
    assert not home.warehouse.exists()
