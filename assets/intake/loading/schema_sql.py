"""A raw table's pandera model checked where its rows are: each column rule of the model
as a SQL predicate (``schemas/rules_sql.py``), counted over the rows a run loaded in one
scan, so a million rows are never pulled into pandas to be checked again. A model with a
rule SQL cannot say has no rules (``None``); the caller then validates its rows with
pandera as before.

A model with rules over a row or the table (the TOML's ``filled``, ``required_when``,
``agreement``, ``once``) is first counted in SQL as a whole (``kept``): its column rules,
its row rules' SQL (``schemas.extracts.RowRule``) and its unique columns. Only rows that
SQL does not show kept are validated by pandera, whose failure cases are the messages.
"""

from __future__ import annotations

from schemas.rules_sql import Rule, repeated, rules

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


def predicates(model, row_rules: list[str] | None) -> list[str] | None:
    """Every rule of ``model`` as SQL true for a row that keeps it (its column rules, its row
    rules ``row_rules``, each unique column or key), or None when one cannot be said."""
    column_rules, keys = rules(model, unique=True, frame=True), repeated(model)
    if column_rules is None or keys is None or row_rules is None:
        return None
    if len(row_rules) != len(model.to_schema().checks):
        return None  # a check of the model's own that the TOML does not declare
    unique = [
        "count(*) OVER (PARTITION BY " + ", ".join(f'"{c}"' for c in key) + ") <= 1"
        for key in keys  # rows with the key empty count as repeated: stricter than pandera
    ]
    return [r.holds for r in column_rules] + row_rules + unique


def kept(con, table: str, holds: list[str], run_id: str) -> bool:
    """Whether every row of ``raw.<table>`` loaded by run ``run_id`` keeps every rule of
    ``holds`` (SQL that a row's rule is unknown, NULL, counts as broken); one scan, the
    windows of rules over the table within the run's rows."""
    if not holds:
        return True
    kept_each = ", ".join(f"coalesce(({h}), false) AS k{i}" for i, h in enumerate(holds))
    every = " AND ".join(f"k{i}" for i in range(len(holds)))
    (broken_rows,) = con.execute(
        f"SELECT count(*) FROM (SELECT {kept_each} FROM raw.{table} WHERE {RUN_ROWS}) "
        f"WHERE NOT ({every})",
        [run_id],
    ).fetchone()
    return broken_rows == 0
