"""The extract kinds as data: the one registry of what the inbox can read.

Each ``<kind>.toml`` in a folder of ``KINDS_DIRS`` describes one extract kind: column
aliases, value spellings, wide layouts, the pandera model of each table, its replacement
rule, the template's guidance and, where a kind needs code, its hook module. Everything
that lists kinds (recognition, models, raw tables, core replacement, lineage, receipts,
templates) derives from this registry; docs/bidrag.md shows how to add a kind.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

KINDS_DIR = Path(__file__).parent / "kinds"
KINDS_DIRS: list[Path] = [KINDS_DIR]  # the registry: every <kind>.toml in these folders

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


def fold(text: str) -> str:
    """Lower-case, æøå → ae/oe/aa, and drop everything but letters and digits."""
    return re.sub(r"[^a-z0-9]", "", str(text).strip().lower().translate(_FOLD))


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class WideSpec:
    pattern: re.Pattern[str]
    budgettype: str
    budgetaftale: str  # "serie", "aar" or "" (none)


@dataclass(frozen=True)
class TableSpec:
    name: str
    sheet: str | None
    required: tuple[tuple[tuple[str, ...], ...], ...]  # groups → alternatives → fields
    fields: dict[str, FieldSpec]
    values: dict[str, dict[str, str]]  # field → folded spelling → canonical value
    model: str = ""  # "Forbrug" (in schemas.extracts) or "package.module:Class"
    replace_key: tuple[str, ...] = ()  # the generated replacement rule (assets/core/kinds.py)
    period: str = ""  # "maaned" or "aar": how mart.leverancer shows the file's periods
    example: dict[str, object] = field(default_factory=dict)  # the template's example row
    wide: tuple[WideSpec, ...] = ()

    @cached_property
    def _by_alias(self) -> dict[str, str]:
        """Folded alias → field, the first field naming it winning (folded once, not per
        header cell)."""
        out: dict[str, str] = {}
        for spec in self.fields.values():
            for alias in spec.aliases:
                out.setdefault(fold(alias), spec.name)
        return out

    def field_for_header(self, key: str) -> str | None:
        return self._by_alias.get(key)

    def missing(self, found: set[str]) -> list[str]:
        """Required groups not satisfied by ``found``, as readable alternatives."""
        out = []
        for group in self.required:
            if not any(set(alt) <= found for alt in group):
                out.append(" eller ".join(" + ".join(self.header(f) for f in alt) for alt in group))
        return out

    def template_fields(self) -> list[str]:
        """Fields of a blank template: all of them, but only the first of alternatives."""
        later = {f for group in self.required for alt in group[1:] for f in alt}
        first = {f for group in self.required for f in group[0]}
        return [f for f in self.fields if f not in later or f in first]

    def header(self, field_name: str) -> str:
        """The canonical (first) header for a field, as users write it."""
        return self.fields[field_name].aliases[0]


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str
    tables: tuple[TableSpec, ...] = field(default_factory=tuple)
    danmarks_statistik: bool = False  # takes Danmarks Statistik's tables (TID, INDHOLD)
    # False for tables downloaded as they are: no blank template, and not named among the
    # nearest kinds of a file nobody recognises (a DST table gets its own message)
    offered: bool = True
    guide: str = ""  # the template's one-paragraph guidance, in Danish
    hook: str = ""  # module with finish(table, frame) and/or problems(file, tables, spec)
    in_use: str = ""  # core table whose leverance_nr marks the kind's files in use

    def hooks(self):
        """The kind's hook module, or None."""
        return importlib.import_module(self.hook) if self.hook else None


def _parse_required(items: list[str]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    return tuple(
        tuple(tuple(f.strip() for f in alt.split("+")) for alt in item.split("|")) for item in items
    )


def _values(raw: dict[str, list[str]]) -> dict[str, str]:
    return {fold(spelling): canonical for canonical, sp in raw.items() for spelling in sp}


@cache
def _common() -> dict:
    return tomllib.loads((KINDS_DIR / "_common.toml").read_text(encoding="utf-8"))


def units() -> list[tuple[re.Pattern[str], float]]:
    return [(re.compile(u["pattern"]), float(u["factor"])) for u in _common()["units"]]


def total_words() -> set[str]:
    return set(_common()["totals"]["words"])


@cache
def kinds() -> tuple[KindSpec, ...]:
    common = _common()
    common_values = {f: _values(v) for f, v in common["values"].items()}
    specs = []
    for path in sorted((p for d in KINDS_DIRS for p in d.glob("[!_]*.toml")), key=lambda p: p.name):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        tables = []
        for t in raw["table"]:
            values = dict(common_values)
            values.update({f: _values(v) for f, v in t.get("values", {}).items()})
            tables.append(
                TableSpec(
                    name=t["name"],
                    sheet=t.get("sheet"),
                    required=_parse_required(t["required"]),
                    fields={
                        name: FieldSpec(name, f["type"], tuple(f["aliases"]))
                        for name, f in t["fields"].items()
                    },
                    values=values,
                    model=t["model"],
                    replace_key=tuple(t.get("replace_key", ())),
                    period=t.get("period", ""),
                    example=dict(t.get("example", {})),
                    wide=tuple(
                        WideSpec(re.compile(w["pattern"]), w["budgettype"], w["budgetaftale"])
                        for w in t.get("wide", ())
                    ),
                )
            )
        specs.append(
            KindSpec(
                raw["kind"],
                raw["label"],
                tuple(tables),
                raw.get("danmarks_statistik", False),
                raw.get("offered", True),
                guide=raw.get("guide", ""),
                hook=raw.get("hook", ""),
                in_use=raw.get("in_use", tables[0].name),
            )
        )
    return tuple(specs)


def tables() -> tuple[TableSpec, ...]:
    """Every table of every kind, in registry order."""
    return tuple(t for k in kinds() for t in k.tables)


@cache
def table_model(name: str):
    """The pandera model a table's metadata names."""
    ref = next(t.model for t in tables() if t.name == name)
    module, _, attr = ref.rpartition(":")
    return getattr(importlib.import_module(module or "schemas.extracts"), attr)


def reload() -> None:
    """Forget the registry read so far (after KINDS_DIRS changed)."""
    for cached in (_common, kinds, table_model):
        cached.cache_clear()


def kind(name: str) -> KindSpec:
    return next(k for k in kinds() if k.kind == name)


def template_headers(kind_name: str, table_name: str) -> list[str]:
    """The canonical headers of a table, in template order."""
    table = next(t for t in kind(kind_name).tables if t.name == table_name)
    return [table.header(f) for f in table.template_fields()]
