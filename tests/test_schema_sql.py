"""The skema check's SQL says what pandera says: the same rows break the same rules."""

from __future__ import annotations

from collections import Counter

import duckdb
import pandas as pd
import pandera.pandas as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.intake.assets import _column_problems, _raw_columns
from assets.intake.loading import schema_sql
from assets.intake.loading.load import create_schemas
from schemas import rules_sql
from schemas.extracts import MODELS

Forbrug = MODELS["forbrug"]

ROWS = st.lists(
    st.tuples(
        st.sampled_from(["5.38.50", "5.3.50", "x5.38.50", "5.38.50 ", None]),  # funktion
        st.sampled_from([None, 0, 1, 7, 8]),  # dranst
        st.sampled_from([1999, 2000, 2100, 2101, None]),  # aar
        st.sampled_from([0, 1, 12, 13, None]),  # maaned
        st.sampled_from([0, 1, 9]),  # kilde_raekke
    ),
    min_size=1,
    max_size=30,
)


def _frame(rows: list[tuple]) -> pd.DataFrame:
    f, d, a, m, k = zip(*rows, strict=True)
    n = len(rows)
    return pd.DataFrame(
        {
            "kilde_ark": pd.array(["Ark"] * n, dtype="string"),
            "kilde_raekke": list(k),
            "funktion": pd.array(f, dtype="string"),
            "dranst": pd.array(d, dtype="Int64"),
            "art": pd.array([None] * n, dtype="string"),
            "gruppering": pd.array([None] * n, dtype="string"),
            "ansvarssted": pd.array([None] * n, dtype="string"),
            "tekst": pd.array(["x"] * n, dtype="string"),
            "aar": pd.array(a, dtype="Int64"),
            "maaned": pd.array(m, dtype="Int64"),
            "beloeb": [1.5] * n,
        }
    )


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(rows=ROWS)
def test_sql_rules_find_what_pandera_finds(rows):
    frame = _frame(rows)
    try:
        Forbrug.validate(frame, lazy=True)
        expected: Counter = Counter()
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        expected = Counter(zip(cases["column"], cases["check"], strict=True))
    con = duckdb.connect()
    create_schemas(con)
    con.execute(
        "INSERT INTO raw.leverancer VALUES (1, 'f.xlsx', 'x', 'forbrug', now()::TIMESTAMP, "
        "'accepteret', 0, NULL, 'kørsel')"
    )
    con.execute("INSERT INTO raw.forbrug BY NAME SELECT 1 AS leverance_nr, * FROM frame")
    rules = rules_sql.rules(Forbrug)
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE NOT ({r.holds}))" for r in rules)
        + " FROM raw.forbrug"
    ).fetchone()
    found = Counter({(r.column, r.check): n for r, n in zip(rules, counts, strict=True) if n})
    assert found == expected
    # and the rows named are the first broken ones, with their Excel row and value
    named = schema_sql.broken(con, "forbrug", rules, "kørsel")
    assert len(named) == min(20, sum(found.values()))
    assert all(file == "f.xlsx" and sheet == "Ark" for _, file, sheet, _, _ in named)


def test_a_model_stays_with_pandera_only_for_a_rule_sql_cannot_say():
    in_sql = {t for t, m in MODELS.items() if rules_sql.rules(m) is not None}
    assert {"forbrug", "statuskommentar"} <= in_sql  # the ledger; str_length in SQL too

    def untranslatable(model) -> bool:
        schema = model.to_schema()
        return bool(schema.checks or schema.unique) or any(
            c.unique or any(k.name not in rules_sql.TRANSLATIONS for k in c.checks)
            for c in schema.columns.values()
        )

    assert {t for t in MODELS if t not in in_sql} == {
        t for t, m in MODELS.items() if untranslatable(m)
    }


def test_a_raw_table_whose_columns_are_not_the_models_is_named_column_by_column():
    # the catalogue is read once for every raw table; raw.budget's seven columns are the
    # model's until one is added and one dropped (pandera's strict: in_schema, in_dataframe)
    con = duckdb.connect()
    create_schemas(con)
    columns = _raw_columns(con)
    assert not any(_column_problems(columns[t], t, model) for t, model in MODELS.items())
    con.execute("ALTER TABLE raw.budget ADD COLUMN ekstra VARCHAR")
    con.execute("ALTER TABLE raw.budget DROP COLUMN budgetaftale")
    columns = _raw_columns(con)
    assert _column_problems(columns["budget"], "budget", MODELS["budget"]) == [
        "Fil 'budget', kolonne 'ekstra': værdien 'ekstra' kan ikke bruges; forventet "
        "column_in_schema.",
        "Fil 'budget', kolonne 'budgetaftale': værdien 'budgetaftale' kan ikke bruges; "
        "forventet column_in_dataframe.",
    ]


@pytest.mark.slow
def test_a_comment_over_its_length_breaks_the_rule_as_in_pandera():
    # statuskommentar's kommentar: at most 1,000 characters (pandera's str_length)
    (rule,) = [
        r
        for r in rules_sql.rules(MODELS["statuskommentar"])
        if r.column == "kommentar" and r.check != "not_nullable"
    ]
    sql = f'SELECT {rule.holds} FROM (SELECT ? AS "kommentar")'
    assert duckdb.execute(sql, ["æ" * 1000]).fetchone() == (True,)
    assert duckdb.execute(sql, ["æ" * 1001]).fetchone() == (False,)
