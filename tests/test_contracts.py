"""Each mart table has one contract beside its SQL, and the contract is what the SQL builds.

Fast: the job's SQL runs on an empty in-memory warehouse (tests/warehouse_sql.py), which
gives every mart table its columns and DuckDB types without data. A new mart is its SQL
file and its contract: the last test adds one from a temporary folder and runs the same
generic checks on it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import dagster as dg
import pandera.pandas as pa
import pytest

from assets.reports import comparison, content
from pipelines import graph
from runtime.resources import Home
from schemas import marts
from schemas.dictionary import dictionary
from schemas.frames import as_model_types
from schemas.marts import ContractError, contracts, read_contract, type_problems
from tests.test_mart_values import RECORDED, mart_checksums
from tests.warehouse_sql import build, column_types, empty_warehouse


@pytest.fixture(scope="module")
def built():
    con = empty_warehouse()
    build(con)
    yield con
    con.close()


def test_every_mart_table_the_sql_builds_has_a_contract(built):
    found = built.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'mart'")
    assert {t for (t,) in found.fetchall()} == set(contracts())


@pytest.mark.parametrize("table", sorted(contracts()))
def test_the_contract_names_the_columns_and_types_the_sql_builds(built, table):
    assert type_problems(contracts()[table], column_types(built, table)) == []


def test_every_contracted_mart_has_recorded_checksums():
    """The sample data's recording covers exactly the contracted tables, so a new mart
    cannot go unchecked (record tests/mart_checksums.json again when adding one)."""
    assert sorted(json.loads(RECORDED.read_text(encoding="utf-8"))) == sorted(contracts())


def test_a_column_name_means_one_header_and_format_in_every_table():
    """The report finds a column's header by its name alone."""
    seen: dict[str, set] = {}
    for contract in contracts().values():
        for name, c in contract.columns.items():
            seen.setdefault(name, set()).add((c.header, c.format))
    assert {n: v for n, v in seen.items() if len(v) > 1} == {}


def test_the_report_has_a_header_for_every_column_of_every_table_it_shows(built):
    """Each of the report's tables, read from the (empty) marts by the report's own query:
    every column has a Danish header and kind; none shows its raw name."""
    queries = [sql for _, sql in content.LEVELS.values()]
    queries += [content.OVERVIEW_SQL, content.TOTALS_SQL, comparison.SQL]
    for sql in queries:
        for name in built.execute(sql).df().columns:
            header, kind = content.column(name)
            assert header and header != name and kind in marts.FORMATS


def test_a_column_without_a_contract_or_header_is_an_error():
    with pytest.raises(KeyError, match="ny_kolonne"):
        content.column("ny_kolonne")
    assert content.column("besparelse_2024_2027") == ("Besparelse 2024-2027", "kr")


def test_the_report_does_not_declare_a_header_a_contract_declares():
    assert set(content.COLUMNS) & set(marts.column_formats()) == set()


def _contract(folder: Path, text: str) -> Path:
    path = folder / "x.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('description = "d"\ncolumns = ["ukendt"]\n', "defined neither here nor in"),
        ('description = "d"\nkolonner = ["aar"]\n', "keys ['kolonner'], missing ['columns']"),
        (
            'description = "d"\ncolumns = ["a"]\n[column.a]\ntype = "TEKST"\nheader = "A"\n'
            'format = "tekst"\ndescription = "a"\n',
            "unknown type 'TEKST'",
        ),
        (
            'description = "d"\ncolumns = ["a"]\n[column.a]\ntype = "VARCHAR"\nheader = "A"\n'
            'format = "tekst"\ndescription = "a"\nmin = 3\n',
            "unknown keys ['min']",
        ),
        ('description = "d"\ncolumns = ["aar"]\n[column.aar]\nheader = "Året"\n', "only"),
        (
            'description = "d"\ncolumns = ["a"]\n[column.a]\ntype = "VARCHAR"\nheader = "A"\n'
            'format = "tekst"\ndescription = "a"\nisin = "omraadr"\n',
            "isin names no list of values: 'omraadr'",
        ),
        ('description = "d"\ncolumns = ["aar"]\nkey = ["aar", "b"]\n', "not listed"),
    ],
)
def test_a_contract_that_cannot_be_read_names_its_file_and_column(tmp_path, text, message):
    common = marts._common(marts.MART_SQL)
    with pytest.raises(ContractError, match=re.escape(message)) as err:
        read_contract(_contract(tmp_path, text), common)
    assert str(err.value).startswith("x.toml")


def test_a_wrong_type_in_the_warehouse_is_named():
    contract = contracts()["opfoelgninger"]
    types = {
        "opfoelgning": "DATE",
        "lukket": "TIMESTAMP",
        "forrige_opfoelgning": "DATE",
        "raekker": "DECIMAL(18,3)",
    }
    assert type_problems(contract, types) == [
        "mart.opfoelgninger.raekker er DECIMAL(18,3) i lageret, men INTEGER i kontrakten"
    ]


# A toy mart in a temporary folder: files per year and status, from raw.leverancer.
# Its rows (hand-made): file 1 and 2 accepted in 2025, file 3 rejected in 2025, file 4
# accepted in 2026, so: (2025, accepteret, 2), (2025, afvist, 1), (2026, accepteret, 1).
TOY_SQL = """-- Antal afleverede filer pr. år og status.
-- Navn: filer pr. år
CREATE OR REPLACE TABLE mart.filer_pr_aar AS
SELECT CAST(year(modtaget) AS INTEGER) AS aar, status, CAST(count(*) AS INTEGER) AS filer
FROM raw.leverancer
GROUP BY ALL
ORDER BY ALL;
"""
TOY_CONTRACT = """
description = "Én række pr. år og status: antal afleverede filer."
key = ["aar", "status"]
columns = ["aar", "status", "filer"]

[column.status]
type = "VARCHAR"
header = "Status"
format = "tekst"
description = "Filens status"
isin = ["accepteret", "afvist", "erstattet", "dublet"]

[column.filer]
type = "INTEGER"
header = "Filer"
format = "antal"
description = "Antal filer"
ge = 1
"""


@pytest.fixture
def toy_mart(tmp_path, monkeypatch):
    folder = tmp_path / "marts"
    folder.mkdir()
    (folder / "filer_pr_aar.sql").write_text(TOY_SQL, encoding="utf-8")
    (folder / "filer_pr_aar.toml").write_text(TOY_CONTRACT, encoding="utf-8")
    monkeypatch.setattr(marts, "MART_DIRS", [*marts.MART_DIRS, folder])
    return folder


def test_a_new_mart_is_its_sql_and_its_contract(toy_mart):
    con = empty_warehouse()
    rows = [
        (1, "2025-01-05", "accepteret"),
        (2, "2025-02-05", "accepteret"),
        (3, "2025-03-05", "afvist"),
        (4, "2026-01-05", "accepteret"),
    ]
    for nr, day, status in rows:
        con.execute(
            "INSERT INTO raw.leverancer (leverance_nr, filnavn, sha256, modtaget, status, "
            "raekker) VALUES (?, 'f.xlsx', 'x', ?, ?, 0)",
            [nr, dt.datetime.fromisoformat(day), status],
        )
    build(con, (toy_mart,))
    contract = contracts()["filer_pr_aar"]
    assert contract.columns["aar"].header == "År"  # the shared column, declared once
    assert type_problems(contract, column_types(con, "filer_pr_aar")) == []
    frame = con.execute("SELECT * FROM mart.filer_pr_aar").df()
    assert frame.values.tolist() == [[2025, "accepteret", 2], [2025, "afvist", 1],
                                     [2026, "accepteret", 1]]  # fmt: skip
    schema = contract.schema()
    schema.validate(as_model_types(frame, schema), lazy=True)  # the blocking skema check
    broken = frame.assign(status=["accepteret", "lilla", "afvist"])
    with pytest.raises(pa.errors.SchemaErrors):
        schema.validate(as_model_types(broken, schema), lazy=True)
    assert "## mart.filer_pr_aar" in dictionary()
    assert content.column("filer") == ("Filer", "antal")
    assert "filer_pr_aar" in marts.mart_schemas()


def test_the_checksums_cover_a_new_mart(toy_mart, tmp_path):
    """mart_checksums reads the contracted tables: the toy's too."""
    con = empty_warehouse()
    build(con, (toy_mart,))
    path = tmp_path / "lager.duckdb"
    con.execute(f"ATTACH '{path}' AS ud")
    con.execute("CREATE SCHEMA ud.mart")
    for table in contracts():
        con.execute(f"CREATE TABLE ud.mart.{table} AS SELECT * FROM mart.{table}")
    con.close()
    sums = mart_checksums(SimpleNamespace(warehouse=path))
    assert set(sums) == set(contracts()) and "filer_pr_aar" in sums
    # an empty table: no rows, and the md5 of the empty string
    assert sums["filer_pr_aar"] == [0, "d41d8cd98f00b204e9800998ecf8427e"]


def test_the_graph_makes_a_new_mart_an_asset_with_its_blocking_schema_check(
    toy_mart, tmp_path, monkeypatch
):
    """With the toy's SQL among the mart SQL files, the definitions hold its asset (after
    intake's last step, plausibility: the SQL reads raw.leverancer) and its blocking schema
    check from the contract."""
    folder = tmp_path / "alle"
    shutil.copytree(marts.MART_SQL, folder)
    shutil.copy(toy_mart / "filer_pr_aar.sql", folder)
    real = graph.sql_folders
    monkeypatch.setattr(graph, "sql_folders", lambda root: {**real(root), "mart": folder})
    assets = graph.build_definitions(Home(tmp_path / "hjem").create()).resolve_asset_graph()
    key = dg.AssetKey(["mart", "filer_pr_aar"])
    assert assets.get(key).parent_keys == {dg.AssetKey("plausibilitet")}
    check = assets.get_check_spec(dg.AssetCheckKey(key, "skema"))
    assert check.blocking
