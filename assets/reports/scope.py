"""A report for one political committee (udvalg) or one initiative owner (ansvarlig).

The published warehouse is copied and the copy cut down to the committee's or owner's
initiatives and their områder; the tables that sum over initiatives (per track, and the
follow-ups per track and in total) are computed again from what is left with their own
SQL, so every figure of the smaller report is made the same way as the full one's.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from runtime import settings

# mart tables that add initiatives together: recomputed from the remaining rows
RECOMPUTED = ("spor_status", "opfoelgning_aendringer")
# core tables the reports read per område
AREA_TABLES = ("core.forbrug", "core.budget")


@dataclass(frozen=True)
class Scope:
    column: str  # "udvalg" or "ansvarlig" (a column of core.indsatser)
    name: str

    @property
    def noun(self) -> str:
        return "udvalg" if self.column == "udvalg" else "indsatsleder"

    @property
    def title(self) -> str:
        """'status for Social- og Sundhedsudvalget' or 'status for indsatsleder Anna Holm'."""
        return (
            f"status for {self.name}"
            if self.column == "udvalg"
            else f"status for {self.noun} {self.name}"
        )

    @property
    def subject(self) -> str:
        """Whose figures the headlines give: never "Strategien" for a part of it."""
        return "Udvalgets indsatser" if self.column == "udvalg" else "Indsatslederens indsatser"

    @property
    def file_stem(self) -> str:
        """'udvalg_social_og_sundhedsudvalget': the report's file name without suffix."""
        text = self.name.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
        return f"{self.column}_" + (re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "uden_navn")


def known(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """The committees (or owners) the catalogue names, as written there."""
    return [
        v
        for (v,) in con.execute(
            f"SELECT DISTINCT trim({column}) FROM core.indsatser "
            f"WHERE nullif(trim({column}), '') IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]


def resolve(con: duckdb.DuckDBPyConnection, column: str, name: str) -> Scope | None:
    """The catalogue's own spelling of ``name`` (case and spacing aside), or None."""
    wanted = " ".join(name.split()).casefold()
    return next(
        (Scope(column, v) for v in known(con, column) if " ".join(v.split()).casefold() == wanted),
        None,
    )


@contextlib.contextmanager
def scoped(warehouse: Path, scope: Scope, work: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a copy of ``warehouse`` holding only ``scope``'s initiatives and
    their områder; the copy lives in a temporary folder under ``work`` and is removed."""
    with tempfile.TemporaryDirectory(dir=work, prefix=".udsnit-") as tmp:
        copy = Path(tmp) / "udsnit.duckdb"
        shutil.copyfile(warehouse, copy)
        con = duckdb.connect(str(copy))
        try:
            _cut(con, scope)
            yield con
        finally:
            con.close()


def _cut(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    con.execute(
        "CREATE TEMP TABLE udsnit AS SELECT indsats_id, omraade FROM core.indsatser "
        f"WHERE lower(trim({scope.column})) = lower(?)",
        [scope.name],
    )
    columns = con.execute(
        "SELECT table_schema, table_name, list(column_name) FROM information_schema.columns "
        "WHERE table_schema IN ('mart', 'raw') AND table_catalog = current_database() "
        "GROUP BY ALL"
    ).fetchall()
    for schema, table, names in columns:
        if table in RECOMPUTED:
            continue
        if "indsats_id" in names and (schema == "mart" or table == "besparelser_opfoelgning"):
            con.execute(
                f"DELETE FROM {schema}.{table} WHERE indsats_id IS NULL "
                "OR indsats_id NOT IN (SELECT indsats_id FROM udsnit)"
            )
        elif schema == "mart" and "omraade" in names:
            con.execute(
                f"DELETE FROM {schema}.{table} WHERE omraade NOT IN (SELECT omraade FROM udsnit)"
            )
    for table in AREA_TABLES:
        con.execute(
            f"DELETE FROM {table} WHERE omraade IS NULL "
            "OR omraade NOT IN (SELECT omraade FROM udsnit)"
        )
    for table in RECOMPUTED:
        con.execute((settings.MART_SQL / f"{table}.sql").read_text(encoding="utf-8"))
