"""Personal identifiers must never be stored: find CPR-like values anywhere in a file.

A CPR number is ddmmyy-xxxx, ddmmyyxxxx or ddmmyy xxxx with a real date, in digits of any
script, the two parts apart by nothing, a space (also a no-break space) or a dash of any
kind. It must stand on its own among digits: ten digits inside a longer number, or after
a number and a '.', ',' or '-' (a PSP element ``XG-0000003040-00046``, an account
string, a decimal), are not one; glued to letters ('CPR2311853391') it is. Text cells,
header cells and sheet names are searched in every column; whole numbers only outside
amount columns (a 10-digit amount is not a person). Every other part of a workbook is
searched as text too (``PartScan``): comments, names, document properties, headers and
footers, links, data validations, shared strings no cell uses. The values themselves
are never repeated in a message or a log.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import defaultdict

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assets.intake.problems import Problem
from assets.intake.reading.sheets import Sheet, plain

# dashes (hyphen, non-breaking hyphen, figure, en and em dash, minus, small and
# full-width hyphen-minus) and spaces (no-break, figure, narrow no-break)
SEPARATOR = "[-\u2010-\u2015\u2212\ufe58\ufe63\uff0d \u00a0\u2007\u202f]"
# a str pattern's \d is every decimal digit (Unicode Nd), and int() reads each
CPR = re.compile(r"(?<!\d)(?<!\d[.,-])(\d{2})(\d{2})(\d{2})" + SEPARATOR + r"?\d{4}(?!\d|[-.,]\d)")


def _real_date(day: str, month: str, year: str) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + int(year), int(month), int(day))
            return True
        except ValueError:
            continue
    return False


def looks_like_cpr(cell: object) -> bool:
    if isinstance(cell, float) and cell.is_integer():
        cell = f"{int(cell):010d}" if 10**8 <= cell < 10**10 else ""
    if not isinstance(cell, str):
        return False
    return any(_real_date(*m.groups()) for m in CPR.finditer(cell))


def mask(text: str) -> str:
    """``text`` with every CPR-like number replaced, for logs of unforeseen errors."""
    return CPR.sub(lambda m: "##########" if _real_date(*m.groups()) else m[0], text)


def sheet_label(sheets: list[Sheet], index: int) -> str:
    """A sheet's name, or 'nr. N' when the name itself looks like a CPR number."""
    name = sheets[index].name
    return f"nr. {index + 1}" if looks_like_cpr(name) else name


def cpr_problems(
    file: str,
    sheets: list[Sheet],
    amount_columns: dict[str, set[int]],
    header_rows: dict[str, list[object]],
) -> list[Problem]:
    """One problem per sheet and column holding CPR-like values, listing the Excel rows.

    ``amount_columns`` are column indexes per sheet whose numbers are money; a header row
    per sheet, where known, lets the message name the column by its header too.
    """
    found: dict[tuple[int, int], list[int]] = defaultdict(list)
    out = [
        Problem(
            file,
            sheet=sheet_label(sheets, i),
            sentence=f"ark {sheet_label(sheets, i)}: arkets navn ligner et CPR-nummer. "
            "Personnumre må ikke afleveres; omdøb arket, og aflever filen igen.",
        )
        for i, sheet in enumerate(sheets)
        if looks_like_cpr(sheet.name)
    ]
    for i, sheet in enumerate(sheets):
        skip = amount_columns.get(sheet.name, set())
        for c, (codes, uniques) in enumerate(sheet.distinct):
            hit = _hits(uniques, numbers=c not in skip)
            if not hit.any():
                continue
            rows = np.flatnonzero(np.append(hit, False)[codes]) + 1
            if len(rows):
                found[(i, c)] = rows.tolist()
    for (i, c), rows in sorted(found.items()):
        label = sheet_label(sheets, i)
        column = _column_name(c, header_rows.get(sheets[i].name, []))
        shown = f"'{label}'" if label == sheets[i].name else label
        out.append(
            Problem(
                file,
                sheet=label,
                column=column,
                sentence=(
                    f"ark {shown}, kolonne {column}, række {_ranges(rows)}: indeholder noget, "
                    "der ligner CPR-numre. Personnumre må ikke afleveres; fjern dem, og "
                    "aflever filen igen."
                ),
            )
        )
    return out


def part_problems(file: str, parts: list[tuple[str, bool]], cells_found: bool) -> list[Problem]:
    """One problem per part holding CPR-like values (``part_label``); a part that also
    holds cells only when no cell was named."""
    wheres = dict.fromkeys(w for w, cells in parts if not (cells and cells_found))
    return [
        Problem(
            file,
            sentence=f"{where}: indeholder noget, der ligner CPR-numre. Personnumre må ikke "
            "afleveres; fjern dem, og aflever filen igen.",
        )
        for where in wheres
    ]


# Every CPR number in ASCII digits holds six digits, at most one character and four
# digits: RE2 (through Arrow) sifts a column's ASCII texts with this in C++, and only those
# it keeps, and the texts that are not ASCII, are searched with ``CPR`` in Python.
_SIFT = r"[0-9]{6}.?[0-9]{4}"


def _hits(distinct: np.ndarray, numbers: bool) -> np.ndarray:
    """Which of a column's distinct values look like a CPR number; whole numbers only when
    ``numbers`` (not an amount column)."""
    hit = np.zeros(len(distinct), dtype=bool)
    if pd.api.types.infer_dtype(distinct, skipna=False) == "string":
        texts, floats = np.ones(len(distinct), dtype=bool), np.zeros(len(distinct), dtype=bool)
    else:
        texts = np.fromiter((isinstance(v, str) for v in distinct), bool, len(distinct))
        floats = np.fromiter((isinstance(v, float) for v in distinct), bool, len(distinct))
    if texts.any():
        cells = pa.array(distinct[texts], type=pa.string())
        keep = pc.or_(pc.match_substring_regex(cells, _SIFT), pc.invert(pc.string_is_ascii(cells)))
        maybe = np.flatnonzero(texts)[keep.to_numpy(zero_copy_only=False)]
        hit[maybe] = [looks_like_cpr(v) for v in distinct[maybe]]
    if numbers and floats.any():
        values = distinct[floats].astype(np.float64)
        whole = (values >= 1e8) & (values < 1e10) & (values == np.floor(values))
        maybe = np.flatnonzero(floats)[whole]
        hit[maybe] = [looks_like_cpr(v) for v in distinct[maybe]]
    return hit


def _column_name(index: int, header: list[object]) -> str:
    letter = _column_letter(index)
    text = header[index] if index < len(header) else None
    if not isinstance(text, str) or not text.strip() or looks_like_cpr(text):
        return letter
    return f"{letter} ('{text}')"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ranges(rows: list[int]) -> str:
    """[3, 4, 5, 9] → '3-5, 9'."""
    out, start, prev = [], rows[0], rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        out.append(f"{start}-{prev}" if prev > start else f"{start}")
        if r is not None:
            start = prev = r
    return ", ".join(out)


# A quick look at a part's XML, in C++ (RE2 through Arrow, UTF-8): six digits, at most
# three other characters, four digits; not after a digit, nor after a digit and '.', ','
# or '-' (a decimal such as 8548.559999999999), nor right after '<v>' (a cell's value,
# which the reader gives and the cells' scan judges); or a character reference ('&#50;').
_LOOK = (
    r"(?:^|[^>.,\-\p{Nd}]|(?:^|[^\p{Nd}])[.,\-]|(?:^|[^v])>|(?:^|[^<])v>)"
    r"\p{Nd}{6}[^\p{Nd}<>]{0,3}\p{Nd}{4}|&#"
)
_CELL_VALUES = re.compile(r"<((?:\w+:)?(?:v|is))>.*?</\1>", re.S)
# a copy of cell values (a chart's or pivot table's cache, a link to another workbook):
# a whole number there is judged as the cells judge numbers, not as text
_NUMBERS = re.compile(r'(?<=[>"])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?=["<])')
COPIES = ("xl/charts/", "xl/pivotcache/", "xl/externallinks/")
# ODS: a cell's value attribute, and the text a number cell shows (its first paragraph)
_ODS_VALUES = re.compile(
    r'\boffice:value="[^"]*"|(<table:table-cell\b[^>]*\boffice:value-type='
    r'"(?:float|currency|percentage)"[^>]*>)<text:p>[^<]*</text:p>'
)
_LAST_TAG = 1 << 16  # the previous block's last tag is looked at again, up to this size


def _look(data: bytes) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    array = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    return pc.match_substring_regex(array, _LOOK)[0].as_py()


def in_xml(data: bytes, cells: str = "") -> bool:
    """Whether XML text ``data`` holds a CPR-like number in any text or attribute, outside
    the cell values the reader gives (``cells``: "xlsx" for a sheet's <v> and <is>,
    "ods" for a table's value attributes and number cells' text, "copies" for the numbers
    in a copy of cell values)."""
    text = data.decode("utf-8", "replace")
    if cells == "xlsx":
        text = _CELL_VALUES.sub("", text)
    elif cells == "ods":
        text = _ODS_VALUES.sub(lambda m: m[1] or "", text)
    elif cells == "copies":
        text = _NUMBERS.sub("", text)
    return looks_like_cpr(plain(html.unescape(text)))


class PartScan:
    """Fed one zip member's inflated XML in blocks that end at a '>': whether it holds a
    CPR-like number. Each block is looked at with the previous block's last tag before it,
    so a '<v>' that ends one block still hides the value that begins the next."""

    def __init__(self, cells: str = ""):
        self.cells, self.found, self._tail = cells, False, b""

    def feed(self, data: bytes) -> None:
        if self.found:
            return
        window = self._tail + data
        last = data.rfind(b"<")
        self._tail = data[last:] if last >= 0 and len(data) - last <= _LAST_TAG else b""
        if _look(window) and in_xml(window, self.cells):
            self.found = True


# an 8-bit or UTF-16LE string of a legacy .xls (BIFF) or its document properties
_RAW_8BIT = re.compile(rb"(?<![0-9])([0-9]{6})[- \xa0\x96\x97]?([0-9]{4})(?![0-9])")
_RAW_UTF16 = re.compile(
    rb"(?<![0-9]\x00)((?:[0-9]\x00){6})(?:[- \xa0]\x00|[\x10-\x15\x12\x2f]\x20)?"
    rb"((?:[0-9]\x00){4})(?![0-9]\x00)"
)


def in_raw(data: bytes) -> bool:
    """Whether the raw bytes of a legacy workbook hold a CPR-like number as text."""
    for pattern, width in ((_RAW_8BIT, 1), (_RAW_UTF16, 2)):
        for m in pattern.finditer(data):
            digits = (m[1] + m[2])[::width].decode("ascii")
            if _real_date(digits[0:2], digits[2:4], digits[4:6]):
                return True
    return False


def part_label(member: str, sheet: str | None, ods: bool) -> tuple[str, bool]:
    """Where a zip member is, in Danish, for the message; and whether it also holds cell
    values the cells' scan names better (shared strings, sheet names, an ODS table): such
    a part is named only when no cell is. ``sheet``: "arket 'Forbrug'" for a sheet's XML."""
    low = member.lower()
    if sheet:
        return f"{sheet} uden for cellerne (sidehoved, sidefod, datavalidering, formler)", False
    if ods:
        return {
            "content.xml": ("regnearkets indhold (celler, kommentarer, navne)", True),
            "styles.xml": ("sidehoved eller sidefod", False),
            "meta.xml": ("dokumentegenskaberne (forfatter, titel m.m.)", False),
        }.get(low, ("en af filens dele", False))
    for pattern, where, cells in _PARTS:
        if re.search(pattern, low):
            return where, cells
    return "en af filens dele", False


_PARTS = [
    (r"^docprops/core\.xml$", "dokumentegenskaberne (forfatter, titel m.m.)", False),
    (r"^docprops/app\.xml$", "dokumentegenskaberne (firma, leder m.m.)", False),
    (r"^docprops/", "de brugerdefinerede dokumentegenskaber", False),
    (r"^xl/workbook\.xml$", "projektmappens navne (arknavne, definerede navne)", True),
    (r"sharedstrings", "projektmappens tekster (også tekster, ingen celle bruger)", True),
    (r"comment", "en kommentar", False),
    (r"\.rels$", "et link (hyperlink eller anden henvisning)", False),
]
