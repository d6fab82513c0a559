"""The blocking checks written as SQL files (assets/marts/checks/*.sql): each is read from
its header, runs against the real schema, and finds what it is for on tiny tables.

Fast: the job's SQL on an in-memory warehouse (tests/warehouse_sql.py), no Dagster run.
"""

from __future__ import annotations

import pytest

from assets.marts.sql_checks import CHECKS_DIR, _tables, additional_deps, read_check, read_checks
from pipelines.progress import step_name
from schemas.marts import contracts
from tests.warehouse_sql import build, empty_warehouse

CHECKS = {c.name: c for c in read_checks()}


@pytest.fixture(scope="module")
def built():
    con = empty_warehouse()
    build(con)
    yield con
    con.close()


def test_every_check_guards_a_contracted_mart_and_names_its_step():
    assert {c.table for c in CHECKS.values()} <= set(contracts())
    assert step_name("mart__besparelser_tildeling") == "Tjekker tildelingen i besparelser"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_each_check_runs_on_the_real_schema_and_passes_on_empty_marts(built, name):
    assert built.execute(CHECKS[name].sql).fetchall() == []


def test_a_check_waits_for_the_tables_its_sql_names_not_for_macros_or_comments():
    deps = {k.to_user_string() for k in additional_deps(CHECKS["daekning"], _tables())}
    # COVERAGE names mart.daekker (a macro) and four marts besides its own budgetaftaler
    assert "mart/daekker" not in deps and "mart/budgetaftaler" not in deps
    assert {"mart/besparelser", "mart/spor_status", "mart/aarsoversigt"} <= deps


def test_a_check_file_without_its_header_lines_is_refused(tmp_path):
    path = tmp_path / "uden.sql"
    path.write_text("-- Noget.\n-- Tabel: besparelser\nSELECT 1 WHERE false\n", "utf-8")
    with pytest.raises(ValueError, match=r"uden\.sql.*Godkendt"):
        read_check(path)
    assert read_check(CHECKS_DIR / "rang.sql").ok == "Rangene er 1 til n i hvert område og år."


def test_the_spending_reconciliation_names_a_lost_row():
    """One accepted file (delivery 1) with two rows of 5.38.50, January 2025: 100 + 50 kr.,
    its own total 150 kr. core.forbrug is then made to lose the 50 kr. row, so the
    current rows are 1 (100 kr.) where the replacement rule keeps 2 (150 kr.)."""
    con = empty_warehouse()
    con.execute(
        "INSERT INTO raw.leverancer (leverance_nr, filnavn, sha256, modtaget, status, raekker) "
        "VALUES (1, 'forbrug.xlsx', 'x', TIMESTAMP '2025-02-01', 'accepteret', 2)"
    )
    con.execute("INSERT INTO raw.kontrolsummer VALUES (1, 'forbrug', 2, 150)")
    con.execute(
        "INSERT INTO raw.forbrug (leverance_nr, funktion, aar, maaned, dranst, beloeb, "
        "kilde_ark, kilde_raekke) VALUES (1, '5.38.50', 2025, 1, 1, 100, 'Ark1', 2), "
        "(1, '5.38.50', 2025, 1, 1, 50, 'Ark1', 3)"
    )
    build(con)
    con.execute("DELETE FROM core.forbrug WHERE beloeb = 50")
    lines = [r[0] for r in con.execute(CHECKS["afstemning"].sql).fetchall()]
    assert lines[0] == (
        "forbrug funktion 5.38.50 2025-1 fra leverance 1: 1 gældende rækker mod 2 efter "
        "erstatningsreglen: 100.00 kr. mod 150.00 kr."
    )
