"""Blocking checks written as a query that returns one line per violation.

The economic invariants (``invariants.py``) and the comparison's rules
(``benchmark_checks.py``) are each such a query; this is the one wrapper around them.
"""

from __future__ import annotations

import dagster as dg

from runtime.resources import Warehouse


def sql_check(
    table: str,
    name: str,
    sql: str,
    ok: str,
    description: str,
    additional_deps: tuple[dg.AssetKey, ...] = (),
) -> dg.AssetChecksDefinition:
    """A blocking check on ``mart.<table>``: it passes when ``sql`` returns no rows;
    otherwise the first line is the check's description in Dagster and up to 50 lines
    are kept as metadata. ``ok`` is the description when it passes."""

    @dg.asset_check(
        asset=dg.AssetKey(["mart", table]),
        name=name,
        blocking=True,
        additional_deps=list(additional_deps),
        description=description,
    )
    def _check(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            lines = [r[0] for r in con.execute(sql).fetchall()]
        return dg.AssetCheckResult(
            passed=not lines,
            description=ok if not lines else lines[0],
            metadata={"afvigelser": len(lines), "detaljer": "\n".join(lines[:50])},
        )

    return _check
