"""The intake's ``skema`` check counts a table's rules over a row or the table (the TOML's
``filled``, ``required_when``, ``agreement``, ``once``) in SQL before it asks pandera
(assets/intake/assets.py, ``schema_sql.kept``). SQL may be stricter than pandera (the
run's rows are then validated by pandera, which decides) but never laxer: rows SQL shows
kept, pandera passes. On values both read alike, they give the same verdict, so the SQL is
not a rule that fails everything.

The rows are the sample data's own, as the reader makes them, with the columns the rules
read replaced by drawn values: empty, NaN, the sample's values, a year or an agreement
just outside, and (wild) text that Python and DuckDB read differently."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.intake.assets import _pandera_problems
from assets.intake.loading import schema_sql
from assets.intake.loading.load import create_schemas
from assets.intake.parsing.extract import parse_file
from schemas import kinds
from schemas.extracts import MODELS, row_rules_sql

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"
FILES = {  # a sample file that holds each table with row rules
    "aktivitet": "aktivitet.xlsx",
    "befolkning": "befolkning.xlsx",
    "budget": "budget_vedtaget_2024-2027.xlsx",
    "indsatser": "indsatser.xlsx",
    "indsats_oekonomi": "indsatser.xlsx",
    "prisindeks": "prisindeks.xlsx",
    "sammenligningsgruppe": "sammenligningsgruppe.xlsx",
}
RUN = "kørsel"
NAN = float("nan")
# values of an agreement that pandas and DuckDB read differently: other scripts' digits, a
# line end, a letter O for a zero, no dash, a dash too many
ODD_AGREEMENTS = ["2024-2O27", "٢٠٢٤-٢٠٢٧", "2024-2027\n", "20242027", "2024-", "2024-2027-"]


def _spec(table: str) -> kinds.TableSpec:
    return next(t for t in kinds.tables() if t.name == table)


def test_every_table_with_row_rules_is_here_and_said_in_sql():
    with_rules = {t.name for t in kinds.tables() if MODELS[t.name].to_schema().checks}
    assert with_rules == set(FILES)
    for table in FILES:
        holds = schema_sql.predicates(MODELS[table], row_rules_sql(table))
        assert holds is not None, table


@cache
def _base(table: str) -> pd.DataFrame:
    frame = parse_file(SAMPLE / FILES[table]).tables[table]
    assert len(frame), table
    return frame


def _rule_columns(spec: kinds.TableSpec) -> list[str]:
    """The columns a table's row rules read."""
    out: list[str] = []
    for f in spec.fields.values():
        if f.type == "budgetaftale" or f.once:
            out.append(f.name)
        if f.agreement:
            out += [f.name, f.agreement]
        for other in f.required_when:
            out += [f.name, other]
    out += [name for group in spec.filled if len(group) > 1 for alt in group for name in alt]
    return list(dict.fromkeys(out))


def _pool(table: str, column: str, wild: bool) -> list:
    spec = _spec(table)
    field = spec.fields[column]
    seen = [v for v in _base(table)[column].dropna().unique()[:4]]
    pool: list = [None, *seen]
    if field.kind.dtype == "float":
        pool.append(NAN)
    if field.type == "budgetaftale":
        pool += ["2024-2030", "2023-2026", "2024-2027"] + (ODD_AGREEMENTS if wild else [])
    if any(
        f.agreement == column or (f.name == column and f.agreement) for f in spec.fields.values()
    ):
        pool += [2022, 2023, 2024, 2027, 2028] if field.kind.dtype == "int" else []
    if field.once:
        pool.append(field.once["value"])
    return pool


@st.composite
def runs(draw, table: str, wild: bool) -> pd.DataFrame:
    """The rows one run loaded into ``table``: sample rows, each rule column's cell either
    kept or drawn from the column's pool."""
    base = _base(table)
    picks = draw(st.lists(st.integers(0, len(base) - 1), min_size=1, max_size=4))
    frame = base.iloc[picks].reset_index(drop=True).copy()
    for column in _rule_columns(_spec(table)):
        pool = _pool(table, column, wild)
        cells = [
            draw(st.one_of(st.just(frame[column].iloc[i]), st.sampled_from(pool)))
            for i in range(len(frame))
        ]
        frame[column] = pd.array(
            [None if v is None or v is pd.NA else v for v in cells], dtype=frame[column].dtype
        )
    return frame


CON = duckdb.connect()  # one warehouse for every example: the table is emptied each time
create_schemas(CON)
CON.execute(
    "INSERT INTO raw.leverancer VALUES (1, 'f.xlsx', 'x', 'x', now()::TIMESTAMP, "
    f"'accepteret', 0, NULL, '{RUN}')"
)


def verdicts(table: str, frame: pd.DataFrame) -> tuple[bool, list[str]]:
    """(SQL shows every row kept, pandera's problems) for ``frame`` as the run's rows."""
    CON.execute(f"DELETE FROM raw.{table}")
    CON.execute(f"INSERT INTO raw.{table} BY NAME SELECT 1 AS leverance_nr, * FROM frame")
    holds = schema_sql.predicates(MODELS[table], row_rules_sql(table))
    return schema_sql.kept(CON, table, holds, RUN), _pandera_problems(
        CON, table, MODELS[table], RUN
    )


@pytest.mark.slow
@pytest.mark.parametrize("wild", [True, False], ids=["vilde", "tamme"])
@pytest.mark.parametrize("table", sorted(FILES))
@settings(max_examples=24, deadline=None)
@given(data=st.data())
def test_rows_sql_keeps_pandera_passes_and_where_both_read_alike_they_agree(table, wild, data):
    by_sql, problems = verdicts(table, data.draw(runs(table, wild)))
    assert not by_sql or not problems, problems[:1]  # never laxer
    if not wild:
        assert by_sql == (not problems), problems[:1]  # and not a rule that fails everything


def _with(table: str, rows: list[int], **cells) -> pd.DataFrame:
    """Sample rows ``rows`` of ``table`` with ``cells`` (column → one value per row)."""
    frame = _base(table).iloc[rows].reset_index(drop=True).copy()
    for column, values in cells.items():
        frame[column] = pd.array(values, dtype=frame[column].dtype)
    return frame


def test_each_row_rule_breaks_in_both_and_the_message_is_pandera_s():
    # sammenligningsgruppe.xlsx: row 0 is Hjørring with rolle "egen", rows 1-2 "sammenligning"
    assert verdicts("sammenligningsgruppe", _with("sammenligningsgruppe", [0, 1, 2])) == (
        True,
        [],
    )
    by_sql, problems = verdicts(
        "sammenligningsgruppe", _with("sammenligningsgruppe", [0, 1], rolle=["egen", "egen"])
    )
    assert not by_sql
    assert problems and "kun én kommune kan have rollen egen" in problems[0]
    # indsatser.xlsx, indsats_oekonomi: an agreement of seven years, a year after its four
    first = _base("indsats_oekonomi").iloc[0]
    agreement = first["budgetaftale"]  # four years, "2024-2027" or another
    start = int(agreement[:4])
    for cells in (
        {"budgetaftale": [f"{start}-{start + 6}"]},
        {"aar": [start + 4]},
        {"aar": [start - 1]},
    ):
        by_sql, problems = verdicts("indsats_oekonomi", _with("indsats_oekonomi", [0], **cells))
        assert (by_sql, bool(problems)) == (False, True), cells
    for year in range(start, start + 4):  # each of its four years is in it
        assert verdicts("indsats_oekonomi", _with("indsats_oekonomi", [0], aar=[year])) == (
            True,
            [],
        )
    # prisindeks.xlsx: an index row with neither indeks nor pct (NaN is empty, as in pandas)
    by_sql, problems = verdicts("prisindeks", _with("prisindeks", [0], indeks=[NAN], pct=[None]))
    assert (by_sql, bool(problems)) == (False, True)
    # indsatser.xlsx: the first initiative (metode budget) without funktioner
    assert _base("indsatser").iloc[0]["metode"] == "budget"
    by_sql, problems = verdicts("indsatser", _with("indsatser", [0], funktioner=[None]))
    assert not by_sql and "funktioner" in problems[0]
    # the same initiative twice: indsats_id is unique
    by_sql, problems = verdicts("indsatser", _with("indsatser", [0, 0]))
    assert (by_sql, bool(problems)) == (False, True)


def test_an_agreement_in_other_digits_is_left_to_pandera():
    # Python's \d and int() read Arabic-Indic digits, RE2's [0-9] does not: SQL does not keep
    # the row, and pandera decides (it passes it: the pattern and four years in a row)
    assert verdicts("budget", _with("budget", [0], budgetaftale=["٢٠٢٤-٢٠٢٧"])) == (False, [])
