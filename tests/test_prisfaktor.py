"""core.indeks, under core.prisfaktor (assets/macros/prisfaktor.sql): the index of the
type's nearest year, the later of two as near, the latest for no year, none without an
index of the type. The macro finds the nearest year once per query for every year an index
can have; these tests hold it to the rule itself, written here in Python."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.kinds import TYPES

MACROS = Path(__file__).parents[1] / "assets" / "macros" / "prisfaktor.sql"
FIRST, LAST = int(TYPES["aar"].min), int(TYPES["aar"].max)  # an index year's range

index_rows = st.dictionaries(
    st.tuples(st.sampled_from(["service", "overførsler"]), st.integers(FIRST, LAST)),
    st.floats(50, 150),
    max_size=8,
)
asked = st.lists(
    st.tuples(
        st.sampled_from(["service", "overførsler", "ukendt"]),
        st.none() | st.integers(FIRST - 100, LAST + 100),
    ),
    min_size=1,
    max_size=10,
)


def nearest(rows: dict, typ: str, year: int | None) -> float | None:
    """The rule: the smallest distance, then the later year; no year is the latest."""
    years = [y for t, y in rows if t == typ]
    if not years:
        return None
    if year is None:
        return rows[(typ, max(years))]
    return rows[(typ, min(years, key=lambda y: (abs(y - year), -y)))]


CON = duckdb.connect()  # one warehouse for every example: core.prisindeks is refilled
CON.execute("CREATE SCHEMA core")
CON.execute("CREATE TABLE core.prisindeks (type VARCHAR, aar INTEGER, indeks DOUBLE)")
CON.execute(MACROS.read_text(encoding="utf-8"))


def connection(rows: dict) -> duckdb.DuckDBPyConnection:
    CON.execute("DELETE FROM core.prisindeks")
    values = [(typ, year, index) for (typ, year), index in rows.items()]
    if values:
        CON.executemany("INSERT INTO core.prisindeks VALUES (?, ?, ?)", values)
    return CON


@settings(max_examples=50, deadline=None)
@given(index_rows, asked)
def test_the_index_is_the_nearest_years(rows, questions):
    con = connection(rows)
    for typ, year in questions:
        (found,) = con.execute("SELECT core.indeks(?, ?)", [typ, year]).fetchone()
        assert found == nearest(rows, typ, year), (typ, year)


def test_a_factor_by_hand():
    # service 2020 = 100, 2024 = 110: 2019 → 2026 uses 2020 and 2024: 110 / 100 = 1.1;
    # 2022 is as near 2020 as 2024 and takes 2024 (the later): 110 / 110 = 1; no index of
    # overførsler: 1 (current prices)
    con = connection({("service", 2020): 100.0, ("service", 2024): 110.0})
    sql = "SELECT round(core.prisfaktor(?, ?, ?), 10)"
    assert con.execute(sql, ["service", 2019, 2026]).fetchone() == (1.1,)
    assert con.execute(sql, ["service", 2022, 2024]).fetchone() == (1.0,)
    assert con.execute(sql, ["overførsel", 2019, 2026]).fetchone() == (1.0,)


def test_the_macro_covers_the_years_an_index_can_have():
    text = MACROS.read_text(encoding="utf-8")
    assert f"range({FIRST}, {LAST + 1})" in text
    clamp = rf"least\(greatest\(coalesce\(y, {LAST}\), {FIRST}\), {LAST}\) - {FIRST - 1}"
    assert re.search(clamp, text)
