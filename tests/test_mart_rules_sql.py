"""The mart tables' ``skema`` check counts the contract's rules in SQL before it asks
pandera (assets/marts/checks.py). SQL may be stricter than pandera (a table it fails is
read into pandas and pandera decides) but never laxer: a table SQL passes, pandera passes.
On values both regular expression languages read alike (no line end, ASCII digits) they
give the same verdict, so the SQL is not a rule that fails everything; a float's NaN is
missing in both, as pandas reads it."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import duckdb
import pandera.pandas as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.marts.checks import rows_if_kept
from schemas.frames import as_model_types
from schemas.marts import Column, Contract
from schemas.rules_sql import repeated, rules


def _column(name: str, type_: str, nullable: bool = False, unique: bool = False, **checks):
    return Column(name, type_, name, "tal", "", "", nullable, unique, checks=tuple(checks.items()))


# one column per kind of rule a contract can hold (schemas/marts.py: CHECKS), a unique
# column and a key of two columns
TOY = Contract(
    table="toy",
    description="",
    key=("indsats_id", "aar"),
    columns={
        c.name: c
        for c in [
            _column("indsats_id", "VARCHAR", str_matches=r"^S\d-\d{2}$"),
            _column("aar", "INTEGER", ge=2020, le=2030),
            _column("andel", "DOUBLE", nullable=True, ge=0, le=1),
            _column("beloeb", "DECIMAL", nullable=True, ge=0),
            _column("omraade", "VARCHAR", nullable=True, isin=["botilbud", "bostøtte"]),
            _column("spor", "VARCHAR", nullable=True, str_startswith="S"),
            _column("nr", "INTEGER", nullable=True, unique=True),
        ]
    },
    path=Path("toy.toml"),
)
DDL = (
    "CREATE SCHEMA mart; CREATE TABLE mart.toy (indsats_id VARCHAR, aar INTEGER, "
    "andel DOUBLE, beloeb DECIMAL(18,2), omraade VARCHAR, spor VARCHAR, nr INTEGER)"
)
NAN = float("nan")
# (tame values, values Python's re and DuckDB's RE2 read differently)
VALUES = {
    "indsats_id": (["S1-01", "S2-10", "S1-1", "x", None], ["S1-01\n", "S١-01", "S1-0\n1"]),
    "aar": ([2019, 2020, 2030, 2031, None], []),
    "andel": ([0.0, 0.5, 1.0, -0.1, 1.5, math.inf, NAN, None], []),
    "beloeb": ([Decimal("0"), Decimal("-0.01"), Decimal("2.50"), None], []),
    "omraade": (["botilbud", "bostøtte", "botilbud ", "x", None], []),
    "spor": (["S1", "s1", "", "xS", None], []),
    "nr": ([1, 2, 3, None], []),
}


def rows(wild: bool) -> st.SearchStrategy[list[tuple]]:
    cells = [
        st.sampled_from(tame + (odd if wild else [])) for tame, odd in VALUES.values()
    ]
    return st.lists(st.tuples(*cells), min_size=1, max_size=6)


CON = duckdb.connect()  # one warehouse for every example: mart.toy is emptied each time
CON.execute(DDL)
SCHEMA = TOY.schema()


def verdicts(table: list[tuple]) -> tuple[bool, bool]:
    """(SQL passes, pandera passes) for ``table`` as mart.toy."""
    con, schema = CON, SCHEMA
    con.execute("DELETE FROM mart.toy")
    con.executemany("INSERT INTO mart.toy VALUES (?, ?, ?, ?, ?, ?, ?)", table)
    sql = rows_if_kept(con, "toy", rules(schema, unique=True), repeated(schema))
    frame = con.execute("SELECT * FROM mart.toy").df()
    try:
        schema.validate(as_model_types(frame, schema), lazy=True)
        by_pandera = True
    except pa.errors.SchemaErrors:
        by_pandera = False
    if sql is not None:
        assert sql == len(table)  # the check's row count
    return sql is not None, by_pandera


@settings(max_examples=25, deadline=None)
@given(rows(wild=True))
def test_a_table_sql_passes_pandera_passes(table):
    by_sql, by_pandera = verdicts(table)
    assert by_pandera or not by_sql


@settings(max_examples=25, deadline=None)
@given(rows(wild=False))
def test_on_values_both_read_alike_sql_and_pandera_agree(table):
    by_sql, by_pandera = verdicts(table)
    assert by_sql == by_pandera


def test_each_kind_of_rule_is_said_in_sql_and_each_fails_its_own_table():
    # one good row; then the same row with one rule broken at a time (each by hand)
    good = ("S1-01", 2024, 0.5, Decimal("10.00"), "botilbud", "S2", 1)
    assert verdicts([good]) == (True, True)
    assert verdicts([good, ("S1-02", *good[1:6], 2)]) == (True, True)  # another key
    broken = {
        "indsats_id": "S1-1",  # str_matches
        "aar": 2031,  # le
        "andel": -0.1,  # ge
        "beloeb": Decimal("-0.01"),  # ge
        "omraade": "x",  # isin
        "spor": "xS",  # str_startswith
    }
    names = list(VALUES)
    for name, value in broken.items():
        row = tuple(value if n == name else v for n, v in zip(names, good, strict=True))
        assert verdicts([row]) == (False, False), name
    assert verdicts([(None, *good[1:])]) == (False, False)  # not nullable
    assert verdicts([good, (*good[:6], 2)]) == (False, False)  # the key repeated
    assert verdicts([good, ("S1-02", *good[1:])]) == (False, False)  # nr repeated
    assert verdicts([(*good[:2], NAN, *good[3:])]) == (True, True)  # NaN: missing, allowed
    # Python's re lets "$" match before a last line end and "\d" match any script's digits,
    # RE2 does not: SQL fails the table and pandera decides
    assert verdicts([("S1-01\n", *good[1:])]) == (False, True)
    assert verdicts([("S١-01", *good[1:])]) == (False, True)
