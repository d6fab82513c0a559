"""Blocking checks written as SQL files: ``checks/<name>.sql`` is check ``<name>``.

A check's query returns one Danish line per violation (none when the rule holds). Its
leading ``--`` comment is the check's description, with three lines of their own:

    -- Tabel: besparelser                         the mart table the check guards
    -- Godkendt: Hver krone er tildelt én gang.   the description when it passes
    -- Trin: Tjekker tildelingen i {}             the step on the progress line

Besides its own table, a check waits for every mart and core table its SQL names, so the
graph cannot drift from the SQL (as for the SQL assets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from assets.core.kinds import generated
from assets.sql_assets import sql_folders
from runtime import settings
from runtime.resources import Warehouse

CHECKS_DIR = Path(__file__).parent / "checks"
_FIELD = re.compile(r"^-- (Tabel|Godkendt|Trin): (.+)$")
_TABLE = re.compile(r"\b(core|mart)\.([a-z_]+)\b")


@dataclass(frozen=True)
class SqlCheck:
    name: str
    table: str
    ok: str  # the description when it passes
    step: str  # the progress line's verb, "{}" standing for the table's Danish name
    description: str
    sql: str


def read_check(path: Path) -> SqlCheck:
    sql = path.read_text(encoding="utf-8")
    fields, text = {}, []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        if found := _FIELD.match(line):
            fields[found[1]] = found[2].strip()
        else:
            text.append(line[2:].strip())
    missing = {"Tabel", "Godkendt", "Trin"} - set(fields)
    if missing:
        raise ValueError(f"{path.name}: the leading comment lacks {sorted(missing)}")
    return SqlCheck(
        path.stem, fields["Tabel"], fields["Godkendt"], fields["Trin"], " ".join(text), sql
    )


def read_checks(folder: Path = CHECKS_DIR) -> list[SqlCheck]:
    return [read_check(p) for p in sorted(folder.glob("*.sql"))]


def _tables() -> set[tuple[str, str]]:
    """Every core and mart table of the graph (macros share the schemas, but not this)."""
    folders = sql_folders(settings.ASSETS)
    found = {("core", t) for t in generated()}
    found |= {("core", p.stem) for p in folders["core"].glob("*.sql")}
    return found | {("mart", p.stem) for p in folders["mart"].glob("*.sql")}


def additional_deps(check: SqlCheck, tables: set[tuple[str, str]]) -> list[dg.AssetKey]:
    code = re.sub(r"--[^\n]*", "", check.sql)
    named = {ref for ref in _TABLE.findall(code) if ref in tables} - {("mart", check.table)}
    return [dg.AssetKey(list(ref)) for ref in sorted(named)]


def sql_check(check: SqlCheck, tables: set[tuple[str, str]]) -> dg.AssetChecksDefinition:
    """A blocking check on ``mart.<table>``: it passes when the SQL returns no rows;
    otherwise the first line is the check's description in Dagster and up to 50 lines
    are kept as metadata."""

    @dg.asset_check(
        asset=dg.AssetKey(["mart", check.table]),
        name=check.name,
        blocking=True,
        additional_deps=additional_deps(check, tables),
        description=check.description,
    )
    def _check(warehouse: dg.ResourceParam[Warehouse]) -> dg.AssetCheckResult:
        with warehouse.connect() as con:
            lines = [r[0] for r in con.execute(check.sql).fetchall()]
        return dg.AssetCheckResult(
            passed=not lines,
            description=check.ok if not lines else lines[0],
            metadata={"afvigelser": len(lines), "detaljer": "\n".join(lines[:50])},
        )

    return _check


def sql_checks() -> list[dg.AssetChecksDefinition]:
    tables = _tables()
    return [sql_check(c, tables) for c in read_checks()]
