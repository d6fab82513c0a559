"""Checks of a table, run in the step that builds the table, or in a step of their own.

A ``TableCheck`` is what a check asks of the warehouse (``evaluate``) with its name,
description and the tables it reads. ``sql_assets.py`` runs it at the end of its table's
step (an ``AssetCheckSpec`` of that asset), because a Dagster step of its own costs more
than most checks do; a check that reads a table not upstream of its own table gets a step
of its own (``standalone``), after both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dagster as dg
import duckdb

from runtime.resources import Warehouse


@dataclass(frozen=True)
class TableCheck:
    """A check on the asset ``key``: ``evaluate`` gets a warehouse connection and returns
    the ``AssetCheckResult``'s fields (passed, description, metadata, severity)."""

    key: dg.AssetKey
    name: str
    description: str
    evaluate: Callable[[duckdb.DuckDBPyConnection], dict[str, Any]]
    blocking: bool = True
    additional_deps: tuple[dg.AssetKey, ...] = ()

    @property
    def check_key(self) -> dg.AssetCheckKey:
        return dg.AssetCheckKey(self.key, self.name)

    def spec(self) -> dg.AssetCheckSpec:
        return dg.AssetCheckSpec(
            self.name,
            asset=self.key,
            description=self.description,
            blocking=self.blocking,
            additional_deps=list(self.additional_deps),
        )

    def result(self, con: duckdb.DuckDBPyConnection) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(asset_key=self.key, check_name=self.name, **self.evaluate(con))

    def __call__(self, warehouse: Warehouse) -> dg.AssetCheckResult:
        """The check on its own, against ``warehouse``."""
        with warehouse.connect() as con:
            return self.result(con)

    def standalone(self) -> dg.AssetChecksDefinition:
        """The check as a step of its own."""

        @dg.asset_check(
            asset=self.key,
            name=self.name,
            blocking=self.blocking,
            additional_deps=list(self.additional_deps),
            description=self.description,
        )
        def _check(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
            return self(warehouse)

        return _check
