"""A raw table's pandera model checked where its rows are: each column rule of the model
as a SQL predicate (``schemas/rules_sql.py``), counted over the rows a run loaded in one
scan, so a million rows are never pulled into pandas to be checked again. A model with a
rule SQL cannot say has no rules (``None``); the caller then validates its rows with
pandera as before.
"""

from __future__ import annotations

from schemas.rules_sql import Rule

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
