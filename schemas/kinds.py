"""The extract kinds as data: the one registry of what the inbox can read.

Each ``<kind>.toml`` in a folder of ``KINDS_DIRS`` describes one extract kind: its tables'
fields (type, header aliases, rules, Danish description), value spellings, which columns
must be found and filled, the replacement rule, the template's guidance and, where a kind
needs code, its hook module. Everything that lists kinds (recognition, the pandera models
generated in ``schemas.extracts``, raw tables, core replacement, lineage, receipts,
templates) derives from this registry; docs/bidrag.md documents every key and type.
"""

from __future__ import annotations

import importlib
import re
import sys
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
class FieldType:
    """What a field type makes of a column: its clean dtype ("text", "int" or "float"),
    its rules and Danish description unless the field says otherwise, and whether it is
    money (DECIMAL(18, 2) in the warehouse) and summed (the file's 'I alt' row and
    control sum)."""

    dtype: str
    description: str | None = None
    help: str | None = None  # the template's text when a field has no description
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    money: bool = False
    summed: bool = False
    parts: tuple[str, ...] = ()  # a period: no column of its own, it fills these fields


FUNKTION = r"^\d\.\d{2}\.\d{2}$"
AFTALE = r"^\d{4}-\d{4}$"
PERIOD_PARTS = ("aar", "maaned", "kvartal")

# The field vocabulary (docs/bidrag.md lists it with an example of each); the cell parser
# of each type is in assets/intake/parsing/values.py.
TYPES: dict[str, FieldType] = {
    "tekst": FieldType("text", help="fri tekst"),
    "kode": FieldType("text", help="en kode, fx 9001"),
    "valg": FieldType("text", help="en værdi fra listen"),
    "funktion": FieldType("text", "et funktionsnummer som 5.38.50", pattern=FUNKTION),
    "funktioner": FieldType("text", "funktioner som 5.38.50, 5.38.52"),
    "budgetaftale": FieldType("text", "en aftale på fire år i træk, fx 2024-2027", pattern=AFTALE),
    "aar": FieldType("int", "et årstal som 2024", min=2000, max=2100),
    "maaned": FieldType("int", "en måned 1-12", min=1, max=12),
    "kvartal": FieldType("int", "et kvartal 1-4", min=1, max=4),
    "alder": FieldType("int", "en alder i år", min=0, max=125),
    "heltal": FieldType("int", help="et helt tal"),
    "tal": FieldType("float", help="et tal"),
    "dst_tal": FieldType(
        "float", "et tal fra Danmarks Statistik, fx 1234,5 (eller .. for intet tal)"
    ),
    "beloeb": FieldType("float", "et beløb i kr.", money=True, summed=True),
    "pris": FieldType("float", "en pris i kr.", money=True),
    "periode": FieldType(
        "", help="en periode som 2025-03 (eller År og Måned i hver sin kolonne)", parts=PERIOD_PARTS
    ),
    "tid": FieldType(
        "",
        help="en periode som 2025-03, eller Danmarks Statistiks TID (2025K1, 2025M03, 2025)",
        parts=PERIOD_PARTS,
    ),
}

FIELD_KEYS = {
    "type", "aliases", "description", "list", "open", "allowed", "min", "max", "above",
    "pattern", "max_length", "unique", "required_when", "agreement", "once",
}  # fmt: skip
TABLE_KEYS = {
    "name", "sheet", "model", "period", "example", "required", "filled", "replace_key",
    "fields", "values",
}  # fmt: skip
KIND_KEYS = {"kind", "label", "guide", "hook", "in_use", "danmarks_statistik", "offered", "table"}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    aliases: tuple[str, ...]  # none: filled by a period field or a hook, not by a header
    description: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # valg: folded spelling → value
    allowed: tuple = ()  # the only values a column may hold (valg: its list's values)
    nullable: bool = True
    rules: dict = field(default_factory=dict)  # min, max, above, pattern, max_length, unique
    required_when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    agreement: str = ""  # an aar field: lies within this budgetaftale field's four years
    once: dict[str, str] = field(default_factory=dict)  # value, message: at most one row

    @property
    def kind(self) -> FieldType:
        return TYPES[self.type]

    @property
    def column(self) -> bool:
        """Whether the field is a column of the clean table (a period is not)."""
        return not self.kind.parts


@dataclass(frozen=True)
class TableSpec:
    name: str
    sheet: str | None
    required: tuple[tuple[tuple[str, ...], ...], ...]  # groups → alternatives → fields
    fields: dict[str, FieldSpec]
    filled: tuple[tuple[tuple[str, ...], ...], ...] = ()  # the same, for each row's values
    model: str = ""  # only where a kind needs a hand-written model: "package.module:Class"
    replace_key: tuple[str, ...] = ()  # the generated replacement rule (assets/core/kinds.py)
    period: str = ""  # "maaned" or "aar": how mart.leverancer shows the file's periods
    example: dict[str, object] = field(default_factory=dict)  # the template's example row

    @cached_property
    def _by_alias(self) -> dict[str, str]:
        """Folded alias → field, the first field naming it winning (folded once, not per
        header cell)."""
        out: dict[str, str] = {}
        for spec in self.fields.values():
            for alias in spec.aliases:
                out.setdefault(fold(alias), spec.name)
        return out

    @property
    def values(self) -> dict[str, dict[str, str]]:
        """Field → folded spelling → canonical value, for the choice fields."""
        return {f.name: f.values for f in self.fields.values() if f.values}

    @property
    def amount(self) -> str | None:
        """The table's summed money field (type beloeb), if it has one."""
        return next((f.name for f in self.fields.values() if f.kind.summed), None)

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
        """Fields of a blank template: all with a header, but only the first of
        alternatives."""
        later = {f for group in self.required for alt in group[1:] for f in alt}
        first = {f for group in self.required for f in group[0]}
        return [f for f, s in self.fields.items() if s.aliases and (f not in later or f in first)]

    def header(self, field_name: str) -> str:
        """The canonical (first) header for a field, as users write it."""
        aliases = self.fields[field_name].aliases
        return aliases[0] if aliases else field_name


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
    hook: str = ""  # module with finish, problems and/or wide (assets/intake/hooks)
    in_use: str = ""  # core table whose leverance_nr marks the kind's files in use

    def hooks(self):
        """The kind's hook module, or None."""
        return importlib.import_module(self.hook) if self.hook else None


class KindError(ValueError):
    """A kind's TOML says something the registry cannot read (names the file)."""


def _parse_required(items: list[str]) -> tuple[tuple[tuple[str, ...], ...], ...]:
    return tuple(
        tuple(tuple(f.strip() for f in alt.split("+")) for alt in item.split("|")) for item in items
    )


def _values(raw: dict[str, list[str]]) -> dict[str, str]:
    return {fold(spelling): canonical for canonical, sp in raw.items() for spelling in sp}


@cache
def _common() -> dict:
    return tomllib.loads((KINDS_DIR / "_common.toml").read_text(encoding="utf-8"))


def shared_list(name: str) -> list[str]:
    """The canonical values of a shared list in _common.toml (e.g. the områder)."""
    return list(_common()["values"][name])


def units() -> list[tuple[re.Pattern[str], float]]:
    return [(re.compile(u["pattern"]), float(u["factor"])) for u in _common()["units"]]


def total_words() -> set[str]:
    return set(_common()["totals"]["words"])


def join_words(words: list[str], last: str) -> str:
    """['a', 'b', 'c'] → 'a, b {last} c', as a Danish sentence lists them."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def _unknown(where: str, keys, allowed: set[str]) -> None:
    wrong = sorted(set(keys) - allowed)
    if wrong:
        raise KindError(f"{where}: unknown key(s) {', '.join(wrong)}; known: {sorted(allowed)}")


def _field(where: str, name: str, raw: dict, local: dict, filled: set[str]) -> FieldSpec:
    where = f"{where}, field {name}"
    _unknown(where, raw, FIELD_KEYS)
    if raw.get("type") not in TYPES:
        raise KindError(f"{where}: type must be one of {', '.join(TYPES)}")
    spellings: dict[str, list[str]] = {}
    if raw["type"] == "valg":
        if name in local:
            spellings = local[name]
        elif raw.get("list") in _common()["values"]:
            spellings = _common()["values"][raw["list"]]
        else:
            raise KindError(f"{where}: a valg field needs [table.values.{name}] or list = '…'")
    allowed = tuple(spellings) if not raw.get("open") else ()
    allowed = tuple(raw.get("allowed", allowed))
    described = raw.get("description", TYPES[raw["type"]].description)
    if raw["type"] == "valg" and described is None:
        described = "{values}"
    if described is not None and "{values}" in described:
        described = described.replace("{values}", join_words([str(v) for v in spellings], "eller"))
    return FieldSpec(
        name,
        raw["type"],
        tuple(raw.get("aliases", ())),
        described,
        _values(spellings),
        allowed,
        name not in filled,
        {k: raw[k] for k in ("min", "max", "above", "pattern", "max_length", "unique") if k in raw},
        {f: tuple(v) for f, v in raw.get("required_when", {}).items()},
        raw.get("agreement", ""),
        dict(raw.get("once", {})),
    )


def _table(path: Path, t: dict) -> TableSpec:
    where = f"{path.name}, table {t.get('name')}"
    _unknown(where, t, TABLE_KEYS)
    required = _parse_required(t["required"])
    filled = _parse_required(t.get("filled", t["required"]))
    always = {f for group in filled if len(group) == 1 for f in group[0]}
    fields = {
        name: _field(where, name, f, t.get("values", {}), always) for name, f in t["fields"].items()
    }
    columns = {n for n, f in fields.items() if f.column}
    named = {f for group in filled for alt in group for f in alt}
    if named - columns:
        raise KindError(f"{where}: filled names {sorted(named - columns)}, no column fields")
    if sum(f.kind.summed for f in fields.values()) > 1:
        raise KindError(f"{where}: at most one field of type beloeb (the summed amount)")
    return TableSpec(
        name=t["name"],
        sheet=t.get("sheet"),
        required=required,
        fields=fields,
        filled=filled,
        model=t.get("model", ""),
        replace_key=tuple(t.get("replace_key", ())),
        period=t.get("period", ""),
        example=dict(t.get("example", {})),
    )


@cache
def kinds() -> tuple[KindSpec, ...]:
    specs = []
    for path in sorted((p for d in KINDS_DIRS for p in d.glob("[!_]*.toml")), key=lambda p: p.name):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        _unknown(path.name, raw, KIND_KEYS)
        tables = tuple(_table(path, t) for t in raw["table"])
        specs.append(
            KindSpec(
                raw["kind"],
                raw["label"],
                tables,
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


def reload() -> None:
    """Forget the registry read so far (after KINDS_DIRS changed)."""
    for cached in (_common, kinds):
        cached.cache_clear()
    extracts = sys.modules.get("schemas.extracts")  # its models are made from the registry
    if extracts is not None:
        extracts.table_model.cache_clear()


def kind(name: str) -> KindSpec:
    return next(k for k in kinds() if k.kind == name)


def template_headers(kind_name: str, table_name: str) -> list[str]:
    """The canonical headers of a table, in template order."""
    table = next(t for t in kind(kind_name).tables if t.name == table_name)
    return [table.header(f) for f in table.template_fields()]
