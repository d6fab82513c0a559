"""The mart tables' contracts: one TOML file beside each mart SQL file.

``assets/marts/sql/<table>.toml`` declares the table's Danish description, its key and,
per column, its type, Danish header, description, format and unit, nullability and value
checks; ``_common.toml`` in the same folder declares the columns several tables share.
From the contracts come the pandera schemas (the blocking ``skema`` check), the data
dictionary (``schemas/dictionary.py``), the report's headers and formats and the tables
the checksum tests cover. docs/bidrag.md describes the format.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from runtime import settings
from schemas import kinds

if TYPE_CHECKING:  # pandera only where a schema is built: not for a run with nothing new
    import pandera.pandas as pa

MART_SQL = settings.MART_SQL
MART_DIRS: list[Path] = [MART_SQL]  # the registry: every <table>.toml in these folders
COMMON = "_common.toml"

# contract type → the pandera dtype a frame read back from DuckDB is checked as (amounts
# are DECIMAL in DuckDB and validated as floats, see schemas/frames.py)
DTYPES = {
    "DECIMAL": "float64",
    "DOUBLE": "float64",
    "INTEGER": "Int64",
    "VARCHAR": "str",
    "BOOLEAN": "boolean",
    "DATE": "datetime64[ns]",
    "TIMESTAMP": "datetime64[ns]",
    "LIST": "object",
}
# format → the unit a column is in when the contract names none
FORMATS = {
    "kr": "kr.",
    "kroner": "kr.",  # whole kroner, not mio. kr.
    "pct": "andel",
    "procent": "%",  # a figure already in per cent
    "antal": "antal",
    "tal": "",
    "heltal": "",
    "tekst": "",
    "dato": "",
    "janej": "",
}
CHECKS = ("isin", "str_matches", "str_startswith", "ge", "le")
# isin = "omraader": the areas every kind accepts
NAMED_VALUES = {"omraader": kinds.shared_list("omraade")}
_KEYS = {"type", "header", "format", "unit", "description", "nullable", "unique", "varies"}
_OVERRIDES = {"description", "nullable", "varies"}


class ContractError(ValueError):
    """A contract that cannot be read: names the file and the column."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a key of DTYPES
    header: str  # the report's Danish header
    format: str  # a key of FORMATS: how the report shows the values
    unit: str
    description: str
    nullable: bool = False
    unique: bool = False
    varies: bool = False  # differs between runs by nature: left out of the checksums
    checks: tuple[tuple[str, object], ...] = ()

    def pandera(self) -> pa.Column:
        import pandera.pandas as pa

        return pa.Column(
            DTYPES[self.type],
            checks=[getattr(pa.Check, name)(value) for name, value in self.checks],
            nullable=self.nullable,
            unique=self.unique,
            title=self.header,
            description=self.description,
            metadata={"format": self.format, "unit": self.unit},
        )


@dataclass(frozen=True)
class Contract:
    table: str
    description: str
    key: tuple[str, ...]
    columns: dict[str, Column]
    path: Path

    def schema(self) -> pa.DataFrameSchema:
        import pandera.pandas as pa

        return pa.DataFrameSchema(
            {name: c.pandera() for name, c in self.columns.items()},
            strict=True,
            unique=list(self.key) or None,
            name=f"mart.{self.table}",
            description=self.description,
        )


def _keys(where: str, spec: dict, allowed: set[str], required: set[str]) -> None:
    unknown, missing = set(spec) - allowed, required - set(spec)
    if unknown or missing:
        raise ContractError(f"{where}: unknown keys {sorted(unknown)}, missing {sorted(missing)}")


def _column(name: str, spec: dict, where: str) -> Column:
    _keys(where, spec, _KEYS | set(CHECKS), {"type", "header", "format", "description"})
    if isinstance(spec.get("isin"), str):
        if spec["isin"] not in NAMED_VALUES:
            raise ContractError(f"{where}: isin names no list of values: {spec['isin']!r}")
        spec = {**spec, "isin": NAMED_VALUES[spec["isin"]]}
    if spec["type"] not in DTYPES or spec["format"] not in FORMATS:
        raise ContractError(f"{where}: unknown type {spec['type']!r} or format {spec['format']!r}")
    return Column(
        name=name,
        type=spec["type"],
        header=spec["header"],
        format=spec["format"],
        unit=spec.get("unit", FORMATS[spec["format"]]),
        description=spec["description"],
        nullable=spec.get("nullable", False),
        unique=spec.get("unique", False),
        varies=spec.get("varies", False),
        checks=tuple((c, spec[c]) for c in CHECKS if c in spec),
    )


def _read(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _common(folder: Path) -> dict[str, dict]:
    path = folder / COMMON
    return _read(path).get("column", {}) if path.exists() else {}


def read_contract(path: Path, common: dict[str, dict]) -> Contract:
    """One table's contract; a column listed in ``columns`` is defined by its own
    ``[column.<name>]`` (with a type), or in ``_common.toml`` (a block here without a type
    then only overrides its description, nullability or varies)."""
    data = _read(path)
    _keys(path.name, data, {"description", "key", "columns", "column"}, {"description", "columns"})
    own = data.get("column", {})
    columns = {}
    for name in data["columns"]:
        spec = own.get(name, {})
        where = f"{path.name}, column {name}"
        if "type" not in spec:
            if name not in common:
                raise ContractError(f"{where}: defined neither here nor in {COMMON}")
            if set(spec) - _OVERRIDES:
                raise ContractError(f"{where}: only {sorted(_OVERRIDES)} may be given here")
            spec = {**common[name], **spec}
        columns[name] = _column(name, spec, where)
    stray = set(own) - set(columns)
    key = tuple(data.get("key", ()))
    stray |= set(key) - set(columns)
    if stray:
        raise ContractError(f"{path.name}: columns not listed in 'columns': {sorted(stray)}")
    return Contract(path.stem, data["description"], key, columns, path)


@cache
def _contracts(folders: tuple[Path, ...]) -> dict[str, Contract]:
    out = {}
    for folder in folders:
        common = _common(MART_SQL) | _common(folder)
        for path in sorted(folder.glob("*.toml")):
            if path.name != COMMON:
                out[path.stem] = read_contract(path, common)
    return out


def contracts() -> dict[str, Contract]:
    """table → its contract, for every contract in ``MART_DIRS``."""
    return _contracts(tuple(MART_DIRS))


def mart_schemas() -> dict[str, pa.DataFrameSchema]:
    """table → its pandera schema, generated from the contract."""
    return {table: c.schema() for table, c in contracts().items()}


@cache
def _formats(folders: tuple[Path, ...]) -> dict[str, tuple[str, str]]:
    return {
        n: (c.header, c.format) for t in _contracts(folders).values() for n, c in t.columns.items()
    }


def column_formats() -> dict[str, tuple[str, str]]:
    """column → (Danish header, format) over every contract; a column name means the same
    in every table (a test holds the contracts to it)."""
    return _formats(tuple(MART_DIRS))


def contract_type(duckdb_type: str) -> str:
    """DuckDB's type of a column as a contract type: DECIMAL(38,2) → DECIMAL, BIGINT →
    INTEGER, INTEGER[] → LIST."""
    if duckdb_type.endswith("]"):
        return "LIST"
    base = duckdb_type.split("(")[0]
    if base.endswith("INT") or base in ("INTEGER", "HUGEINT"):
        return "INTEGER"
    if base in ("FLOAT", "REAL"):
        return "DOUBLE"
    return "TIMESTAMP" if base.startswith("TIMESTAMP") else base


def type_problems(contract: Contract, types: dict[str, str]) -> list[str]:
    """Danish lines for every column whose DuckDB type (``types``: column → type, in the
    table's order) is not the contract's, and for columns the two do not share."""
    if list(types) != list(contract.columns):
        return [
            f"mart.{contract.table} har kolonnerne {', '.join(types)}, men kontrakten "
            f"{contract.path.name} siger {', '.join(contract.columns)}"
        ]
    return [
        f"mart.{contract.table}.{name} er {types[name]} i lageret, men {c.type} i kontrakten"
        for name, c in contract.columns.items()
        if contract_type(types[name]) != c.type
        or (c.type == "DECIMAL" and not types[name].endswith(",2)"))
    ]
