"""A pandera schema's rules as SQL predicates, so that rows already in DuckDB are checked
where they are instead of being pulled into pandas to be checked again.

The schema stays the one source of the rules: its columns, nullability, checks and unique
columns are read from it and translated. A rule SQL cannot say (a check over the whole
frame, a custom function) makes the translation ``None``; the caller then validates with
pandera. The SQL is never laxer than pandera: an empty float (NULL or NaN, which pandas
both reads as missing) counts as empty, and RE2 (DuckDB's regular expressions) knows
fewer digits, letters and line ends than Python's ``re``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa


@dataclass(frozen=True)
class Rule:
    column: str
    check: str  # as pandera names it in a failure case: 'not_nullable', 'in_range(1, 7)'
    holds: str  # SQL that is true for every row that keeps the rule


def literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(value)
    return repr(value)


def empty(quoted: str, is_float: bool) -> str:
    """SQL true for a cell pandas reads as missing: NULL, and for a float also NaN."""
    return f"({quoted} IS NULL OR isnan({quoted}))" if is_float else f"{quoted} IS NULL"


def _in_range(c: str, s: dict) -> str:
    low = ">=" if s.get("include_min", True) else ">"
    high = "<=" if s.get("include_max", True) else "<"
    return f"{c} {low} {literal(s['min_value'])} AND {c} {high} {literal(s['max_value'])}"


def _length(c: str, s: dict) -> str:
    if s.get("exact_value") is not None:
        return f"length({c}) = {literal(s['exact_value'])}"
    parts = [f"length({c}) >= {literal(s['min_value'])}"] if s.get("min_value") is not None else []
    if s.get("max_value") is not None:
        parts.append(f"length({c}) <= {literal(s['max_value'])}")
    return " AND ".join(parts) or "true"


def _matches(c: str, s: dict) -> str:
    pattern = s["pattern"]
    pattern = pattern if pattern.startswith("^") else "^" + pattern  # re.match: at the start
    return f"regexp_matches({c}, {literal(pattern)})"


TRANSLATIONS = {
    "greater_than_or_equal_to": lambda c, s: f"{c} >= {literal(s['min_value'])}",
    "greater_than": lambda c, s: f"{c} > {literal(s['min_value'])}",
    "less_than_or_equal_to": lambda c, s: f"{c} <= {literal(s['max_value'])}",
    "less_than": lambda c, s: f"{c} < {literal(s['max_value'])}",
    "equal_to": lambda c, s: f"{c} = {literal(s['value'])}",
    "not_equal_to": lambda c, s: f"{c} <> {literal(s['value'])}",
    "in_range": _in_range,
    "isin": lambda c, s: f"{c} IN ({', '.join(map(literal, s['allowed_values']))})",
    "notin": lambda c, s: f"{c} NOT IN ({', '.join(map(literal, s['forbidden_values']))})",
    "str_matches": _matches,
    "str_startswith": lambda c, s: f"starts_with({c}, {literal(s['string'])})",
    "str_length": _length,  # characters, as Python's len
}


def _schema(model: type[pa.DataFrameModel] | pa.DataFrameSchema) -> pa.DataFrameSchema:
    return model if isinstance(model, pa.DataFrameSchema) else model.to_schema()


def _is_float(column: pa.Column) -> bool:
    return str(column.dtype).startswith("float")


def rules(
    model: type[pa.DataFrameModel] | pa.DataFrameSchema, unique: bool = False, frame: bool = False
) -> list[Rule] | None:
    """Every column rule of ``model`` in SQL, or None when one cannot be said in SQL. A
    unique column or key is a rule over the whole table (``repeated``): with ``unique``
    False, a schema that has one is not translated. The schema's own checks over the frame
    are rules SQL cannot read from it: with ``frame`` False such a schema is not
    translated; with ``frame`` True the caller says them in SQL itself."""
    schema = _schema(model)
    if (schema.checks and not frame) or (schema.unique and not unique):
        return None
    out = []
    for name, column in schema.columns.items():
        quoted = f'"{name}"'
        if column.unique and not unique:
            return None
        # pandas reads a float's NULL and NaN alike as missing
        missing = empty(quoted, _is_float(column))
        if not column.nullable:
            out.append(Rule(name, "not_nullable", f"NOT ({missing})"))
        for check in column.checks:
            translate = TRANSLATIONS.get(check.name)
            if translate is None or check.ignore_na is False:
                return None
            try:
                sql = translate(quoted, check.statistics)
            except (KeyError, TypeError):
                return None
            # pandera leaves empty cells to nullability: a check holds for them
            out.append(Rule(name, check.error or check.name, f"{missing} OR ({sql})"))
    return out


def repeated(model: type[pa.DataFrameModel] | pa.DataFrameSchema) -> list[list[str]] | None:
    """The column sets whose values may not repeat (each unique column, and the schema's
    ``unique`` key), or None when one holds a float column: SQL groups NULL and NaN apart,
    pandas together."""
    schema = _schema(model)
    keys = [[name] for name, column in schema.columns.items() if column.unique]
    if schema.unique:
        keys.append([schema.unique] if isinstance(schema.unique, str) else list(schema.unique))
    if any(_is_float(schema.columns[name]) for key in keys for name in key):
        return None
    return keys


def repeated_sql(table: str, key: list[str]) -> str:
    """A query for the number of value combinations of ``key`` found more than once in
    ``table`` (GROUP BY, like pandas' duplicated, takes empty cells as equal)."""
    columns = ", ".join(f'"{name}"' for name in key)
    return f"SELECT count(*) FROM (SELECT 1 FROM {table} GROUP BY {columns} HAVING count(*) > 1)"
