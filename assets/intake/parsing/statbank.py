"""Danmarks Statistik's statbank.dk table export → the long form of its API csv.

The export has title lines ("Folketal den 1. i kvartalet efter område, køn, alder og tid"),
a blank line, a header row with the periods as columns, and the dimensions in the first
columns, where a blank cell means "the same as above". It becomes one row per combination
with the headers OMRÅDE, KØN, …, TID, INDHOLD (and TABEL, the table code of the title),
which the DST kinds read like the API csv. Problems found in the long rows are pointed back
at the export's own row and period.

A file in Danmarks Statistik's layout is also checked against the tables forebyg reads
(``TABLES``): a wrong table is one message naming it, never one message per cell.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assets.intake.problems import Problem
from assets.intake.reading.sheets import Sheet
from schemas.kinds import fold

SCAN_ROWS = 30
MAX_DIMENSIONS = 12  # a DST table has a handful of dimensions; wider rows are no DST header
PERIOD = re.compile(r"^\d{4}(?:[KQ][1-4]|M\d{2})?$")
DIMENSIONS = re.compile(r"\befter\s+(.+?)\s+og\s+tid\b", re.IGNORECASE)
# the code opens the title ("BY2: Folketal …"); "(DB07 10-grp)" later on is a classification
TABLE_CODE = re.compile(r"^\s*([A-ZÆØÅ]{2,}[0-9]+[A-Z]?)\s*:")
EXPECTED = (
    "forebyg læser REGK31 (OMRÅDE, FUNKTION, DRANST, ART, PRISENHED, TID), BUDK32 (REGI07A, "
    "FUNKTION, DRANST, ART, PRISENHED, TID) og FOLK1A (OMRÅDE, KØN, ALDER, TID) fra "
    "Danmarks Statistik"
)
ACCOUNTS = {"FUNKTION", "DRANST", "ART", "PRISENHED"}
TABLES = {  # the tables forebyg reads → the dimensions each may have besides TID
    "REGK31": {"OMRÅDE", *ACCOUNTS},
    "BUDK32": {"REGI07A", "OMRÅDE", *ACCOUNTS},  # an export's title says område
    "FOLK1A": {"OMRÅDE", "KØN", "ALDER"},
}
READS = {  # kind → the tables it takes
    "dst_regnskab": {"REGK31", "BUDK32"},
    "dst_befolkning": {"FOLK1A"},
    "befolkning": {"FOLK1A"},
}


class LongSheet(Sheet):
    """A reshaped export; ``origin[i]`` is (Excel row, period) of long row ``i``."""

    def __init__(
        self,
        name: str,
        visible: bool,
        rows: list[list[object]],
        origin: list[tuple[int, str]],
        title: str,
    ):
        super().__init__(name, visible, rows)
        self.origin, self.title = origin, title


def _rows(sheet: Sheet, limit: int | None = None) -> list[list[object]]:
    """A sheet's first rows as Python lists (all of them only for a real export, which is
    small: a ledger never gets past ``_header``)."""
    return [sheet.row(i) for i in range(min(sheet.height, limit or sheet.height))]


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _is_period_row(texts: list[str], lead: int) -> bool:
    periods = texts[lead:]
    years = [int(p[:4]) for p in periods if PERIOD.match(p)]
    return (
        len(years) == len(periods)
        and all(1900 <= y <= 2100 for y in years)
        and periods == sorted(set(periods))
    )


def _header(rows: list[list[object]]) -> tuple[int, int, list[str]] | None:
    """(row, number of dimension columns, periods) of the export's period header row: only
    title lines (one cell each) above it, periods in order after the dimension columns."""
    for r, cells in enumerate(rows[:SCAN_ROWS]):
        texts = [_text(c) for c in cells]
        while texts and not texts[-1]:
            texts.pop()
        lead = next((i for i, t in enumerate(texts) if PERIOD.match(t)), None)
        if lead and _is_period_row(texts, lead):
            return r, lead, texts[lead:]
        if sum(1 for t in texts if t) > 1:
            return None  # a table started without a period row: not an export
    return None


def _title(rows: list[list[object]]) -> str:
    return " ".join(_text(c) for row in rows for c in row if _text(c))


def _names(title: str, cells: list[str], lead: int) -> list[str] | None:
    """The dimension names: the header row's own cells, else the title's 'efter … og tid'."""
    if all(cells[:lead]):
        return [c.upper() for c in cells[:lead]]
    m = DIMENSIONS.search(title)
    if not m:
        return None
    names = [n.strip().upper() for n in m[1].split(",")]
    return names if len(names) == lead else None


def _reshape(sheet: Sheet) -> LongSheet | None:
    found = _header(_rows(sheet, SCAN_ROWS))
    if found is None:
        return None
    r, lead, periods = found
    all_rows = _rows(sheet)
    title = _title(all_rows[:r])
    names = _names(title, [_text(c) for c in all_rows[r]], lead)
    if names is None:
        return None
    code = TABLE_CODE.match(title)
    table = [code[1]] if code else []
    rows: list[list[object]] = [[*names, "TID", "INDHOLD", *(["TABEL"] if code else [])]]
    origin = [(r + 1, "")]
    above = [""] * lead
    started = False
    for i, cells in enumerate(all_rows[r + 1 :], start=r + 2):
        texts = [*(_text(c) for c in cells), *[""] * lead]
        if not any(texts):
            if started:
                break  # footnotes follow a blank line
            continue
        started = True
        above = [t or above[d] for d, t in enumerate(texts[:lead])]
        for p, period in enumerate(periods):
            value = cells[lead + p] if lead + p < len(cells) else ""
            rows.append([*above, period, value, *table])
            origin.append((i, period))
    return LongSheet(sheet.name, sheet.visible, rows, origin=origin, title=title)


def to_long(sheets: list[Sheet]) -> list[Sheet]:
    """Each sheet that is a statbank.dk export, reshaped; other sheets as they are."""
    return [_reshape(s) or s for s in sheets]


def restore(problems: list[Problem], sheets: list[Sheet]) -> list[Problem]:
    """Point problems in reshaped rows at the export's Excel row and period column."""
    long = {s.name: s for s in sheets if isinstance(s, LongSheet)}
    out = []
    for p in problems:
        sheet = long.get(p.sheet or "")
        if sheet is not None and p.row and p.row <= len(sheet.origin):
            row, period = sheet.origin[p.row - 1]
            column = period if period and p.column in ("TID", "INDHOLD") else p.column
            p = replace(p, row=row, column=column)
        out.append(p)
    return out


def _identify(sheets: list[Sheet]) -> tuple[str | None, list[str], list[str]] | None:
    """(table code, dimensions, periods) of the first sheet in Danmarks Statistik's layout
    (a reshaped export, or a header row with TID and INDHOLD); None for any other file. The
    code is the title's; without a title, REGI07A names BUDK32."""
    for sheet in sheets:
        if isinstance(sheet, LongSheet):
            header = [str(h) for h in sheet.row(0)]
            dims = [h for h in header if h not in ("TID", "INDHOLD", "TABEL")]
            code = TABLE_CODE.match(sheet.title)
            periods = sorted({str(sheet.row(i)[len(dims)]) for i in range(1, sheet.height)})
            return (code[1] if code else None), dims, periods
        for r, row in enumerate(_rows(sheet, SCAN_ROWS)):
            texts = [_text(c) for c in row[:MAX_DIMENSIONS]]
            folded = [fold(t) for t in texts]
            if {"tid", "indhold"} <= set(folded):
                dims = [
                    t.upper()
                    for t, f in zip(texts, folded, strict=True)
                    if t and f not in ("tid", "indhold")
                ]
                tid = folded.index("tid")
                head = _rows(sheet, min(sheet.height, r + 1 + SCAN_ROWS))[r + 1 :]
                periods = sorted({_text(c[tid]) for c in head if tid < len(c) and _text(c[tid])})
                return ("BUDK32" if "REGI07A" in dims else None), dims, periods
    return None


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


def wrong_table(sheets: list[Sheet], kind: str | None = None) -> str | None:
    """Why a file in Danmarks Statistik's layout cannot be the kind ``kind`` (the best
    match, None when none matched): another table, or FOLK1A without its area. None when
    it can, or when the file is not in DST's layout."""
    found = _identify(sheets)
    if found is None:
        for sheet in sheets if kind is None else []:
            rows = _rows(sheet, SCAN_ROWS)
            header = _header(rows)
            code = TABLE_CODE.match(_title(rows[: header[0]])) if header else None
            if code and code[1] not in TABLES:
                return (
                    f"filen er tabellen {code[1]} fra Danmarks Statistik, ikke en af dem, "
                    f"forebyg bruger; {EXPECTED}. Hent en af dem i Statistikbanken, og "
                    "aflever den."
                )
        if kind is None and any(_header(_rows(s, SCAN_ROWS)) for s in sheets):
            return (
                "filen ligner en tabeleksport fra Statistikbanken, men titlen med 'efter … og "
                "tid' mangler, så kolonnerne kan ikke navngives. Hent tabellen igen uden at "
                f"ændre den, eller som csv fra Danmarks Statistiks API; {EXPECTED}."
            )
        return None
    code, dims, periods = found
    reads = READS.get(kind or "", set())
    fits = [t for t in reads if set(dims) <= TABLES[t] and code in (None, t)]
    held = f"{', '.join(dims)} og TID" if dims else "kun TID"
    if code is not None and code not in TABLES:
        return (
            f"filen er tabellen {code} fra Danmarks Statistik (med {held}), ikke en af dem, "
            f"forebyg bruger; {EXPECTED}. Hent en af dem i Statistikbanken, og aflever den."
        )
    if fits and "FOLK1A" in fits and "OMRÅDE" not in dims:
        span = f"{periods[0]}–{periods[-1]}" if len(periods) > 1 else "".join(periods)
        return (
            f"filen er befolkningstal fra Danmarks Statistik (FOLK1A) med {held} ({span}), "
            "men uden OMRÅDE: den siger ikke, hvilket område tallene gælder, og kan derfor "
            "ikke være kommunens befolkning. Hent den igen med OMRÅDE (kommunen), og aflever "
            "den."
        )
    if fits:
        return None
    what = f"tabellen {code}" if code else "en tabel"
    extra = sorted(set(dims) - set().union(*(TABLES[t] for t in ([code] if code else TABLES))))
    why = f"; {_and(extra)} læses ikke" if extra else ""
    return (
        f"filen er {what} fra Danmarks Statistik med {held}{why}; {EXPECTED}. "
        "Hent tabellen med netop de variable i Statistikbanken, og aflever den igen."
    )
