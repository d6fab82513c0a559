"""Blocking checks written as a query that returns one line per violation.

The economic invariants (``invariants.py``) and the comparison's rules
(``benchmark_checks.py``) are each such a query; this is the one wrapper around them.
"""

from __future__ import annotations

from typing import Any

import dagster as dg
import duckdb

from assets.table_checks import TableCheck


def sql_check(
    table: str,
    name: str,
    sql: str,
    ok: str,
    description: str,
    additional_deps: tuple[dg.AssetKey, ...] = (),
) -> TableCheck:
    """A blocking check on ``mart.<table>``: it passes when ``sql`` returns no rows;
    otherwise the first line is the check's description in Dagster and up to 50 lines
    are kept as metadata. ``ok`` is the description when it passes."""

    def evaluate(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        lines = [r[0] for r in con.execute(sql).fetchall()]
        return {
            "passed": not lines,
            "description": ok if not lines else lines[0],
            "metadata": {"afvigelser": len(lines), "detaljer": "\n".join(lines[:50])},
        }

    return TableCheck(
        dg.AssetKey(["mart", table]), name, description, evaluate, True, additional_deps
    )
