"""One delivered file → its kind, clean tables and every problem found in it.

The kind is recognised from header rows (anywhere in the first rows of a sheet, below
title lines), columns are matched through the aliases in ``schemas/kinds``, cells are
parsed by ``values``, and the pandera models in ``schemas.extracts`` judge the result.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from assets.danish import kr, neutral
from assets.intake.parsing import statbank, values
from assets.intake.problems import Problem, from_schema_errors
from assets.intake.reading.cpr import cpr_problems, part_problems
from assets.intake.reading.readers import UnreadableFile, read_workbook
from assets.intake.reading.sheets import Sheet
from schemas.extracts import MODELS
from schemas.kinds import KindSpec, TableSpec, fold, kinds, total_words, units

HEADER_SCAN_ROWS = 30
# A template's guide lists every header in its first column: a kind that requires one
# column only would find it there, so the guide sheet is never read as data.
GUIDE_SHEET = "Vejledning"
MAX_HEADER_CHARS = 200  # longer text is no header (and header_key's regexes stay fast)


@dataclass
class Extract:
    file: str
    kind: KindSpec | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.kind is not None and not self.problems

    def rows(self) -> int:
        return sum(len(t) for t in self.tables.values())


@dataclass
class _Column:
    field: str
    factor: float
    header: str


@dataclass
class _WideColumn:
    """A column of a wide layout: one amount per row, for what the hook's ``tag`` says
    (budget: a year, its type and agreement)."""

    tag: object
    factor: float
    header: str


@dataclass
class _Located:
    sheet: Sheet
    header_row: int  # row index in the sheet (Excel row - 1)
    columns: dict[int, _Column]
    wide: dict[int, _WideColumn]
    found: set[str]


def header_key(cell: str) -> tuple[str, float]:
    """'Beløb (1.000 kr.)' → ('beloeb', 1000.0); case, spaces, æøå and units don't matter."""
    low = cell.lower()
    factor = next((f for pattern, f in units() if pattern.search(low)), 1.0)
    low = re.sub(r"\(.*?\)|\[.*?\]", " ", low)
    low = re.sub(r"\bi\s+(mio\.?\s*|1[.\s]?000\s*|t\.?\s*)?kr\.?", " ", low)
    return fold(low), factor


def _wide(spec: KindSpec):
    """The kind's hook module if it reads a wide layout (``wide`` and ``melt``), or None."""
    hooks = spec.hooks()
    return hooks if hooks is not None and hasattr(hooks, "wide") else None


def _match_header(cells: list[object], table: TableSpec, layout=None) -> _Located | None:
    columns: dict[int, _Column] = {}
    wide: dict[int, _WideColumn] = {}
    for i, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip() or len(cell) > MAX_HEADER_CHARS:
            continue
        key, factor = header_key(cell)
        name = table.field_for_header(key)
        if name and name not in {c.field for c in columns.values()}:
            columns[i] = _Column(name, factor, cell.strip())
            continue
        tag = layout.wide(table.name, key) if layout is not None else None
        if tag is not None:
            wide[i] = _WideColumn(tag, factor, cell.strip())
    found = {c.field for c in columns.values()}
    if wide:
        found |= set(layout.WIDE_FIELDS)
    return _Located(None, -1, columns, wide, found) if found else None  # type: ignore[arg-type]


def _locate(
    sheets: list[Sheet], table: TableSpec, layout=None
) -> tuple[list[_Located], _Located | None]:
    """All sheets holding the table, and the best partial match (for the error message)."""
    if table.sheet:
        candidates = [s for s in sheets if fold(s.name) == fold(table.sheet)]
    else:
        candidates = [s for s in sheets if s.visible and s.name != GUIDE_SHEET]
    hits, best_partial = [], None
    for sheet in candidates:
        best = None
        for r, cells in enumerate(sheet.head[:HEADER_SCAN_ROWS]):
            m = _match_header(cells, table, layout)
            if m is None:
                continue
            m.sheet, m.header_row = sheet, r
            if not table.missing(m.found) and (best is None or len(m.found) > len(best.found)):
                best = m
            if best_partial is None or len(m.found) > len(best_partial.found):
                best_partial = m
        if best:
            hits.append(best)
    return hits, best_partial


def _recognise(sheets: list[Sheet], file: str) -> tuple[KindSpec, dict[str, list[_Located]]]:
    scored = []
    partial: tuple[tuple[int, int], KindSpec, TableSpec, _Located] | None = None
    for spec in kinds():
        located, score = {}, 0
        layout = _wide(spec)
        for table in spec.tables:
            hits, best_partial = _locate(sheets, table, layout)
            if hits:
                located[table.name] = hits
                score += max(len(h.found) for h in hits)
            elif best_partial:
                # closest kind: most columns found, then fewest missing
                score = (len(best_partial.found), -len(table.missing(best_partial.found)))
                if partial is None or score > partial[0]:
                    partial = (score, spec, table, best_partial)
        if len(located) == len(spec.tables):
            scored.append((score, spec, located))
    best = max(scored, key=lambda s: s[0]) if scored else None
    dst = statbank.wrong_table(sheets, best[1].kind if best else None)
    if dst:  # a Danmarks Statistik table is taken only by the kind that reads it
        raise _NotRecognised(Problem(file=file, sentence=dst))
    if best:
        return best[1], best[2]
    if partial:
        raise _NotRecognised(Problem(file=file, sentence=_nearest_kinds(sheets)))
    raise _NotRecognised(
        Problem(
            file=file,
            expected=(
                "en overskriftsrække for en kendt udtrækstype ("
                + _and([k.label for k in kinds()], "eller")
                + f") i de første {HEADER_SCAN_ROWS} rækker"
            ),
            show_value=False,
        )
    )


def _and(words: list[str], last: str = "og") -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]


def _nearest_kinds(sheets: list[Sheet], most: int = 3) -> str:
    """'ligner ikke et kendt udtræk; de nærmeste er …': the kinds whose headers the file
    shares most of, each with what it lacks."""
    near = []
    for spec in (k for k in kinds() if k.offered):
        for table in spec.tables:
            _, loc = _locate(sheets, table, _wide(spec))
            if loc is not None:
                near.append((len(loc.found), -len(table.missing(loc.found)), spec, table, loc))
    near.sort(key=lambda n: n[:2], reverse=True)
    parts: dict[str, str] = {}
    for _, _, spec, table, loc in near:
        if spec.kind not in parts and len(parts) < most:
            parts[spec.kind] = f"{spec.label} (mangler {_and(table.missing(loc.found))})"
    nearest = "den nærmeste er" if len(parts) == 1 else "de nærmeste er"
    return f"ligner ikke et kendt udtræk; {nearest} {_and(list(parts.values()))}."


class _NotRecognised(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _data_rows(loc: _Located) -> tuple[np.ndarray, np.ndarray, list[tuple[int, list]]]:
    """Excel row numbers of the data rows, their positions in the sheet, and the totals rows
    ('I alt', 'Total' … as a row's first filled cell), which are not data."""
    start, sheet = loc.header_row + 1, loc.sheet
    if sheet.height <= start or not sheet.width:
        return np.array([], dtype="int64"), np.array([], dtype="int64"), []
    filled = ~np.vstack([b[start:] for b in sheet.blanks])
    keep = filled.any(axis=0)
    where = filled.argmax(axis=0)  # each row's first filled cell
    words = total_words()
    total = np.zeros(len(keep), dtype=bool)
    for c in np.unique(where[keep]):
        codes, uniques = sheet.distinct[c]
        is_total = [isinstance(u, str) and len(u) < 40 and fold(u) in words for u in uniques]
        rows = keep & (where == c)
        total[rows] = np.append(np.array(is_total, dtype=bool), False)[codes[start:][rows]]
    positions = np.flatnonzero(keep & ~total) + start
    totals = [(int(p) + 1, sheet.row(p)) for p in np.flatnonzero(total) + start]
    return positions + 1, positions, totals


def _cells(loc: _Located, positions: np.ndarray, index: np.ndarray, col: int) -> pd.Series:
    return pd.Series(loc.sheet.cells(col, positions), index=index, dtype=object)


FACTORIZED = {"beloeb", "pris", "tal"}  # amounts are mostly unique: parse them as a whole


def _by_unique(parser, loc: _Located, col: int, positions, index, *args):
    """Parse each distinct cell of a column once, then spread the result over the rows."""
    codes, uniques = loc.sheet.distinct[col]
    codes = codes[positions]
    parsed, bad = parser(pd.Series(uniques, dtype=object), *args)
    if isinstance(parsed, dict):  # a period gives year, month and quarter
        parsed = {
            name: pd.Series(
                pd.array(p.to_numpy(), dtype="Int64").take(codes, allow_fill=True), index=index
            )
            for name, p in parsed.items()
        }
    else:
        take = pd.array(parsed.to_numpy(), dtype=parsed.dtype).take(codes, allow_fill=True)
        parsed = pd.Series(take, index=index)
    return parsed, pd.Series(np.append(bad.to_numpy(dtype=bool), False)[codes], index=index)


def _parse(table: TableSpec, name: str, loc: _Located, col: int, positions, raw: pd.Series):
    kind = table.fields[name].type
    factor = loc.columns[col].factor
    if kind == "valg":
        return _by_unique(values.choice, loc, col, positions, raw.index, table.values.get(name, {}))
    if kind in FACTORIZED:
        return values.PARSERS[kind](raw, factor)
    return _by_unique(values.PARSERS[kind], loc, col, positions, raw.index, factor)


def _empty_column(dtype: str, index: pd.Index) -> pd.Series:
    if dtype == "Int64" or dtype.startswith("string"):
        return pd.Series(pd.NA, index=index, dtype=dtype)
    if dtype.startswith("float"):
        return pd.Series(np.nan, index=index, dtype="float64")
    return pd.Series(None, index=index, dtype=object)


def _frame(
    file: str, table: TableSpec, loc: _Located, layout=None
) -> tuple[pd.DataFrame, pd.DataFrame, dict, list]:
    """Clean frame, raw cells and headers for one located table, plus parse problems."""
    index, positions, totals = _data_rows(loc)
    problems: list[Problem] = []
    raw = pd.DataFrame(index=index)
    parsed: dict[str, pd.Series] = {}
    headers: dict[str, str] = {}
    for col, c in loc.columns.items():
        cells = _cells(loc, positions, index, col)
        raw[c.field] = cells
        headers[c.field] = c.header
        if c.field == "periode":
            dst = table.fields[c.field].type == "tid"
            parts, bad = _by_unique(values.period, loc, col, positions, index, dst)
            for part, series in parts.items():
                if part not in {x.field for x in loc.columns.values()}:
                    parsed[part], raw[part], headers[part] = series, cells, c.header
            expected = (
                "en periode som 2024-03, 202403, marts 2024, 31-03-2024 eller en dato"
                if not dst
                else "en periode som 2024K1 (kvartal), 2024M03 (måned), 2024 (år) eller 2024-03"
            )
        else:
            parsed[c.field], bad = _parse(table, c.field, loc, col, positions, cells)
            expected = MODELS[table.name].to_schema().columns[c.field].description or "en værdi"
        problems += [
            Problem(file, expected, loc.sheet.name, int(r), c.header, cells[r])
            for r in bad[bad].index
        ]
    model_columns = MODELS[table.name].to_schema().columns
    frame = pd.DataFrame(index=index)
    frame["kilde_ark"] = neutral(loc.sheet.name)  # shown in warnings, receipts and reports
    frame["kilde_raekke"] = np.asarray(index, dtype="int64")
    for name, col in model_columns.items():
        if name in ("kilde_ark", "kilde_raekke"):
            continue
        frame[name] = parsed.get(name, _empty_column(str(col.dtype), frame.index))
    if loc.wide:
        frame, wide_problems = _melt_wide(file, table, loc, frame, positions, index, layout)
        problems += wide_problems
    problems += _check_totals(file, table, loc, frame, totals, raw)
    text = [n for n, col in model_columns.items() if str(col.dtype).startswith("string")]
    return frame.astype(dict.fromkeys(text, "string")), raw, headers, problems


def _melt_wide(file, table, loc, frame, positions, index, layout):
    """A wide layout (the ERP's budget: B2024, BO2025 …): each of its columns holds amounts
    of the table's amount field; the kind's hook makes one row per filled cell."""
    columns, problems = [], []
    for col, w in loc.wide.items():
        cells = _cells(loc, positions, index, col)
        amounts, bad = values.amount(cells, w.factor)
        problems += [
            Problem(file, "et beløb i kr.", loc.sheet.name, int(r), w.header, cells[r])
            for r in bad[bad].index
        ]
        columns.append((w.tag, cells.notna(), amounts))
    return layout.melt(table.name, frame, columns).reset_index(drop=True), problems


def _check_totals(
    file: str, table: TableSpec, loc: _Located, frame: pd.DataFrame, totals: list, raw: pd.DataFrame
) -> list[Problem]:
    """A single 'I alt' row must equal the sum of the rows above it, to the øre (the table's
    amount field, of type beloeb). When it does not, the amounts above it written as text
    that reads more than one way ('1.234,5 kr', '1,234') are named too: one of them may be
    the cause. A row below the total is a problem of its own: the total does not cover it
    (often a row copied twice)."""
    col = next((i for i, c in loc.columns.items() if c.field == table.amount), None)
    if col is None or len(totals) != 1 or loc.wide:
        return []
    row, cells = totals[0]
    stated, bad = values.amount(
        pd.Series([cells[col] if col < len(cells) else None]), loc.columns[col].factor
    )
    if bad.iloc[0] or pd.isna(stated.iloc[0]):
        return []
    header, amount = loc.columns[col].header, table.amount
    above = frame["kilde_raekke"] < row
    below = [
        Problem(
            file,
            f"ingen rækker under 'I alt'-rækken (række {row}), som ikke tæller med i den; "
            "flyt rækken op over 'I alt', eller slet den, hvis den står der to gange",
            loc.sheet.name,
            int(r),
            show_value=False,
        )
        for r in sorted(set(frame.loc[~above, "kilde_raekke"]))
    ]
    stated_oere = round(float(stated.iloc[0]) * 100)
    amounts = frame.loc[above, table.amount].fillna(0)
    actual_oere = int(np.rint(amounts * 100).astype("int64").sum())
    if stated_oere == actual_oere:
        return below
    guessed = [
        Problem(
            file,
            f"et entydigt beløb: teksten er læst som {kr(Decimal(str(frame.at[r, amount])))} kr."
            f", men 'I alt' (række {row}) passer ikke med rækkerne; skriv beløbet som tal, "
            "fx 1234,50",
            loc.sheet.name,
            int(r),
            header,
            raw.at[r, amount],
        )
        for r in frame.index[above]
        if amount in raw.columns and values.guessed(raw.at[r, amount])
    ]
    return [
        *guessed,
        Problem(
            file,
            f"summen af rækkerne ovenfor ({kr(Decimal(actual_oere) / 100)}); mangler der rækker?",
            loc.sheet.name,
            row,
            header,
            kr(Decimal(stated_oere) / 100),
        ),
        *below,
    ]


def _validate(file: str, table: TableSpec, frame, raw, headers) -> list[Problem]:
    model = MODELS[table.name]
    frame = frame.reset_index(drop=True)
    try:
        model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        raw = raw.reindex(frame["kilde_raekke"].to_numpy()).reset_index(drop=True)
        return from_schema_errors(err, frame, model, file, headers, raw)
    return []


MONEY_TYPES = {"beloeb", "pris", "tal"}  # amounts and figures: no CPR is looked for in them


def _cpr(
    file: str,
    sheets: list[Sheet],
    located: dict[str, list[_Located]],
    parts: list[tuple[str, bool]],
) -> list[Problem]:
    """CPR-like values in the cells, sheet names and headers, then in the file's other
    parts (``parts``: where, as the reader found them)."""
    amounts: dict[str, set[int]] = {}
    headers: dict[str, list[object]] = {}
    for table in (t for k in kinds() for t in k.tables):
        for loc in located.get(table.name, []):
            money = {i for i, c in loc.columns.items() if table.fields[c.field].type in MONEY_TYPES}
            amounts.setdefault(loc.sheet.name, set()).update(money | set(loc.wide))
            headers[loc.sheet.name] = loc.sheet.row(loc.header_row)
    cells = cpr_problems(file, sheets, amounts, headers)
    return cells + part_problems(file, parts, cells_found=bool(cells))


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A big sheet makes millions of cell objects, and Python's cycle collector rescans all
    live objects again and again while they are made (a million-row sheet: 5.2 s to build
    its rows with it, 1.3 s without). A parse makes no reference cycles, so it is paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_file(path: Path, name: str | None = None) -> Extract:
    """Read, recognise, parse and validate one file; nothing is written anywhere."""
    with _cycle_collector_paused():
        return _parse_file(path, name or path.name)


def _parse_file(path: Path, name: str) -> Extract:
    result = Extract(name)
    try:
        book = read_workbook(path, Path(name).stem)
        sheets = statbank.to_long(book)
    except UnreadableFile as exc:
        result.problems.append(Problem(name, sentence=str(exc)))
        return result
    _parse_sheets(result, sheets, name, book.cpr_parts)
    result.problems = statbank.restore(result.problems, sheets)
    return result


def _parse_sheets(
    result: Extract, sheets: list[Sheet], name: str, parts: list[tuple[str, bool]]
) -> None:
    try:
        result.kind, located = _recognise(sheets, name)
    except _NotRecognised as exc:
        result.problems = _cpr(name, sheets, {}, parts) or [exc.problem]
        return
    result.problems = _cpr(name, sheets, located, parts)
    if result.problems:  # nothing else is said: other messages could repeat the values
        return
    hooks = result.kind.hooks()  # a kind's own defaults and whole-file rules
    finishes = hooks is not None and hasattr(hooks, "finish")
    for table in result.kind.tables:
        frames = []
        for loc in located[table.name]:
            frame, raw, headers, problems = _frame(name, table, loc, _wide(result.kind))
            seen = {p.where for p in problems}
            problems += [
                p for p in _validate(name, table, frame, raw, headers) if p.where not in seen
            ]
            result.problems += sorted(problems, key=lambda p: p.where)
            frames.append(frame)
        frame = pd.concat(frames, ignore_index=True)
        result.tables[table.name] = hooks.finish(table.name, frame) if finishes else frame
    if hooks is not None and hasattr(hooks, "problems"):
        result.problems += hooks.problems(name, result.tables, result.kind)
    if not result.problems and not result.rows():
        loc = next(iter(located.values()))[0]
        result.problems.append(
            Problem(
                name,
                sheet=loc.sheet.name,
                row=loc.header_row + 1,
                sentence=f"ark '{loc.sheet.name}', række {loc.header_row + 1}: overskrifterne "
                "er fundet, men der er ingen datarækker under dem. Aflever udtrækket med data.",
            )
        )
