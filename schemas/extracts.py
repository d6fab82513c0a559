"""pandera models for the clean form of every extract table, generated from the kinds'
TOML (schemas/kinds.py): one column per field, the field type's rules and the field's
own, and the row rules the TOML declares.

The reader turns cells into these columns; the models decide what is allowed. Each
field's ``description`` is the Danish "what was expected" of a rejection message, and
each row rule's ``error`` starts with the field it is about ("field: what is wrong").
"""

from __future__ import annotations

import importlib
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, reduce

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas import kinds, rules_sql

OMRAADER = kinds.shared_list("omraade")

# Text columns are pandas' string dtype: pandera then checks the dtype once instead of
# asking every cell whether it is a str (seconds on a million-row ledger).
Text = pd.StringDtype
DTYPES = {"text": Text, "int": pd.Int64Dtype, "float": float}
SOURCE = ("kilde_ark", "kilde_raekke")


class Source(pa.DataFrameModel):
    """Where each row came from: sheet and Excel row number."""

    kilde_ark: Series[Text]
    kilde_raekke: Series[int] = pa.Field(ge=1)


def _field(spec: kinds.FieldSpec):
    """A column's pandera field: the type's rules, then the field's own."""
    rules, kind = spec.rules, spec.kind
    low, high = rules.get("min", kind.min), rules.get("max", kind.max)
    checks: dict[str, object] = {}
    if low is not None and high is not None:
        checks["in_range"] = {"min_value": low, "max_value": high}
    elif low is not None:
        checks["ge"] = low
    elif high is not None:
        checks["le"] = high
    if "above" in rules:
        checks["gt"] = rules["above"]
    if spec.allowed:
        checks["isin"] = list(spec.allowed)
    if rules.get("pattern", kind.pattern):
        checks["str_matches"] = rules.get("pattern", kind.pattern)
    if "max_length" in rules:
        checks["str_length"] = {"max_value": rules["max_length"]}
    return pa.Field(
        nullable=spec.nullable,
        unique=rules.get("unique", False),
        description=spec.description,
        **checks,
    )


def _four_years(agreement: pd.Series) -> pd.Series:
    """An agreement covers four consecutive years: 2024-2027, not 2024-2030."""
    first = pd.to_numeric(agreement.str[:4], errors="coerce")
    last = pd.to_numeric(agreement.str[5:], errors="coerce")
    return agreement.isna() | first.isna() | last.isna() | (last == first + 3)


def _in_agreement(year: pd.Series, agreement: pd.Series) -> pd.Series:
    first = pd.to_numeric(agreement.str[:4], errors="coerce")
    return year.isna() | first.isna() | year.between(first, first + 3)


def _filled(alternatives: tuple[tuple[str, ...], ...]):
    def holds(df: pd.DataFrame) -> pd.Series:
        return reduce(operator.or_, (df[list(alt)].notna().all(axis=1) for alt in alternatives))

    return holds


@dataclass(frozen=True)
class RowRule:
    """A rule over a row (or the table) the TOML declares: the error pandera reports
    ("field: what is expected", so a rejection names the field's column), the check on a
    frame, and the same rule as SQL true for a row that keeps it. The SQL may read the
    table's other rows through a window; it is never laxer than the check (a row it keeps,
    the check keeps), which tests/test_row_rules_sql.py holds it to."""

    error: str
    check: Callable[[pd.DataFrame], pd.Series]
    holds: str


def _row_rules(table: kinds.TableSpec) -> list[RowRule]:
    """Each rule over a row (or the table) the TOML declares."""

    def label(name: str) -> str:
        return table.header(name).lower()

    def q(name: str) -> str:
        return f'"{name}"'

    def empty(name: str) -> str:
        return rules_sql.empty(q(name), table.fields[name].kind.dtype == "float")

    def first_year(name: str) -> str:
        return f"TRY_CAST(substr({q(name)}, 1, 4) AS INTEGER)"

    rules: list[RowRule] = []
    for f in table.fields.values():
        name = f.name
        if f.type == "budgetaftale":
            rules.append(
                RowRule(
                    f"{name}: {f.description}",
                    lambda df, n=name: _four_years(df[n]),
                    # digits where pandas reads two years, else SQL leaves it to pandera
                    f"{empty(name)} OR (regexp_full_match({q(name)}, '[0-9]{{4}}-[0-9]{{4}}') "
                    f"AND TRY_CAST(substr({q(name)}, 6, 4) AS INTEGER) = {first_year(name)} + 3)",
                )
            )
        if f.agreement:
            a = f.agreement
            rules.append(
                RowRule(
                    f"{name}: skal ligge i budgetaftalens fire år",
                    lambda df, n=name, a=a: _in_agreement(df[n], df[a]),
                    f"{empty(name)} OR {empty(a)} OR (regexp_matches({q(a)}, '^[0-9]{{4}}') "
                    f"AND {q(name)} BETWEEN {first_year(a)} AND {first_year(a)} + 3)",
                )
            )
        for other, values in f.required_when.items():
            when = kinds.join_words(list(values), "og")
            listed = ", ".join(rules_sql.literal(v) for v in values)
            rules.append(
                RowRule(
                    f"{name}: skal udfyldes for {label(other)} {when}",
                    lambda df, n=name, o=other, v=list(values): ~df[o].isin(v) | df[n].notna(),
                    f"NOT ({empty(name)}) OR {empty(other)} OR {q(other)} NOT IN ({listed})",
                )
            )
        if f.once:
            value = f.once["value"]
            v = rules_sql.literal(value)
            rules.append(
                RowRule(
                    f"{name}: {f.once['message']}",
                    lambda df, n=name, v=value: (
                        ~((df[n] == v) & ((df[n] == v).sum() > 1)).fillna(False)
                    ),
                    f"{q(name)} IS DISTINCT FROM {v} "
                    f"OR count(*) FILTER (WHERE {q(name)} = {v}) OVER () <= 1",
                )
            )
    for group in (g for g in table.filled if len(g) > 1):
        said = " eller ".join(" og ".join(label(n) for n in alt) for alt in group)
        rules.append(
            RowRule(
                f"{group[0][0]}: {said} skal udfyldes",
                _filled(group),
                " OR ".join(
                    "(" + " AND ".join(f"NOT ({empty(n)})" for n in alt) + ")" for alt in group
                ),
            )
        )
    return rules


def row_rules_sql(name: str) -> list[str] | None:
    """The SQL of each row rule of table ``name``'s model, or None where a hand-written
    model holds rules the TOML does not declare."""
    table = next(t for t in kinds.tables() if t.name == name)
    return None if table.model else [r.holds for r in _row_rules(table)]


def model_for(table: kinds.TableSpec) -> type[pa.DataFrameModel]:
    """The pandera model of a table, generated from its fields (or, where the TOML names
    one with ``model = "package.module:Class"``, that class)."""
    if table.model:  # "Class" alone: a class in this module
        module, _, attr = table.model.rpartition(":")
        return getattr(importlib.import_module(module or __name__), attr)
    columns = [f for f in table.fields.values() if f.column]
    namespace: dict[str, object] = {
        "__annotations__": {f.name: Series[DTYPES[f.kind.dtype]] for f in columns},
        **{f.name: _field(f) for f in columns},
        "Config": type("Config", (), {"strict": True, "name": table.name}),
    }
    for i, rule in enumerate(_row_rules(table)):
        namespace[f"regel_{i}"] = pa.dataframe_check(error=rule.error)(
            lambda cls, df, c=rule.check: c(df)
        )
    return type(_class_name(table.name), (Source,), namespace)


def _class_name(table: str) -> str:
    return "".join(part.capitalize() for part in table.split("_"))


@cache
def table_model(name: str) -> type[pa.DataFrameModel]:
    return model_for(next(t for t in kinds.tables() if t.name == name))


class _Models(Mapping):
    """Table → pandera model, as the kinds' metadata names them (schemas/kinds.py)."""

    def __getitem__(self, table: str) -> type[pa.DataFrameModel]:
        return table_model(table)

    def __iter__(self) -> Iterator[str]:
        return iter(t.name for t in kinds.tables())

    def __len__(self) -> int:
        return len(kinds.tables())


MODELS: Mapping[str, type[pa.DataFrameModel]] = _Models()


def columns(table: str) -> list[str]:
    """The clean columns of a table, in model order, without the source columns."""
    return [c for c in MODELS[table].to_schema().columns if c not in SOURCE]
