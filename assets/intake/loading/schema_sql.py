"""A raw table's pandera model checked where its rows are: each column rule of the model
as a SQL predicate, counted over the rows a run loaded in one scan, so a million rows are
never pulled into pandas to be checked again.

The model stays the one source of the rules: its columns, nullability and checks are read
from ``model.to_schema()`` and translated. A model with a rule SQL cannot say (a check
over the whole frame, a custom function, a unique column) is not translated (``None``);
the caller then validates its rows with pandera as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa


@dataclass(frozen=True)
class Rule:
    column: str
    check: str  # as pandera names it in a failure case: 'not_nullable', 'in_range(1, 7)'
    holds: str  # SQL that is true for every row that keeps the rule


def _literal(value: object) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(value)
    return repr(value)


def _in_range(c: str, s: dict) -> str:
    low = ">=" if s.get("include_min", True) else ">"
    high = "<=" if s.get("include_max", True) else "<"
    return f"{c} {low} {_literal(s['min_value'])} AND {c} {high} {_literal(s['max_value'])}"


def _length(c: str, s: dict) -> str:
    if s.get("exact_value") is not None:
        return f"length({c}) = {_literal(s['exact_value'])}"
    parts = [f"length({c}) >= {_literal(s['min_value'])}"] if s.get("min_value") is not None else []
    if s.get("max_value") is not None:
        parts.append(f"length({c}) <= {_literal(s['max_value'])}")
    return " AND ".join(parts) or "true"


def _matches(c: str, s: dict) -> str:
    pattern = s["pattern"]
    pattern = pattern if pattern.startswith("^") else "^" + pattern  # re.match: at the start
    return f"regexp_matches({c}, {_literal(pattern)})"


TRANSLATIONS = {
    "greater_than_or_equal_to": lambda c, s: f"{c} >= {_literal(s['min_value'])}",
    "greater_than": lambda c, s: f"{c} > {_literal(s['min_value'])}",
    "less_than_or_equal_to": lambda c, s: f"{c} <= {_literal(s['max_value'])}",
    "less_than": lambda c, s: f"{c} < {_literal(s['max_value'])}",
    "equal_to": lambda c, s: f"{c} = {_literal(s['value'])}",
    "not_equal_to": lambda c, s: f"{c} <> {_literal(s['value'])}",
    "in_range": _in_range,
    "isin": lambda c, s: f"{c} IN ({', '.join(map(_literal, s['allowed_values']))})",
    "notin": lambda c, s: f"{c} NOT IN ({', '.join(map(_literal, s['forbidden_values']))})",
    "str_matches": _matches,
    "str_length": _length,  # characters, as Python's len
}


def rules(model: type[pa.DataFrameModel]) -> list[Rule] | None:
    """Every column rule of ``model`` in SQL, or None when one cannot be said in SQL."""
    schema = model.to_schema()
    if schema.checks or schema.unique:
        return None
    out = []
    for name, column in schema.columns.items():
        quoted = f'"{name}"'
        if column.unique:
            return None
        if not column.nullable:
            out.append(Rule(name, "not_nullable", f"{quoted} IS NOT NULL"))
        for check in column.checks:
            translate = TRANSLATIONS.get(check.name)
            if translate is None or check.ignore_na is False:
                return None
            try:
                sql = translate(quoted, check.statistics)
            except (KeyError, TypeError):
                return None
            # pandera leaves empty cells to nullability: a check holds for them
            out.append(Rule(name, check.error or check.name, f"{quoted} IS NULL OR ({sql})"))
    return out


RUN_ROWS = "leverance_nr IN (SELECT leverance_nr FROM raw.leverancer WHERE koersel = ?)"


def broken(con, table: str, rules: list[Rule], run_id: str) -> list[tuple]:
    """(rule, file, sheet, Excel row, value) for the first 20 rows of ``raw.<table>`` loaded
    by run ``run_id`` that break a rule; one scan counts them all first."""
    counts = con.execute(
        "SELECT "
        + ", ".join(f"count(*) FILTER (WHERE NOT ({r.holds}))" for r in rules)
        + f" FROM raw.{table} WHERE {RUN_ROWS}",
        [run_id],
    ).fetchone()
    found: list[tuple] = []
    for rule, n in zip(rules, counts, strict=True):
        if n and len(found) < 20:
            found += [
                (rule, *row)
                for row in con.execute(
                    "SELECT l.filnavn, r.kilde_ark, r.kilde_raekke, r.vaerdi FROM ("
                    f'SELECT leverance_nr, kilde_ark, kilde_raekke, "{rule.column}" AS vaerdi '
                    f"FROM raw.{table} WHERE {RUN_ROWS} AND NOT ({rule.holds})"
                    ") r JOIN raw.leverancer l USING (leverance_nr) ORDER BY 1, 2, 3 LIMIT ?",
                    [run_id, 20 - len(found)],
                ).fetchall()
            ]
    return found
