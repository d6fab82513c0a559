"""Spreadsheets read into columns: python-calamine for the first rows, fastexcel for the rest.

The first ``HEAD_ROWS`` rows (titles, the header, the first data rows) are read as Python
values; for xlsx/xlsm from a copy of the workbook cut after those rows, so the sheet is
parsed once in full, by fastexcel, for the body (a big sheet in parts, on every core:
``parts.py``). fastexcel infers one type per column; a column whose body holds several
types (text beside numbers, a date written as text) would lose its cells' types, so such
a sheet is read cell by cell instead (``Mixed``), as is an xlsx sheet whose values read
are not as many as its XML holds (a cell out of order, left out by the cut head or a part).
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor

import fastexcel
import pyarrow as pa
import python_calamine as calamine

from assets.intake.reading.parts import Cutting, Part, Whole
from assets.intake.reading.sheets import HEAD_ROWS, Sheet

_ROW_END = re.compile(rb"</(\w+:)?(row|sheetData)>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*/>")
CUT_CHUNK = 1 << 16
# an empty column below the head "falls back to string": expected, not for the terminal
logging.getLogger("fastexcel").setLevel(logging.ERROR)


def _typed(kind) -> bool:
    return any(
        test(kind)
        for test in (
            pa.types.is_string,
            pa.types.is_large_string,
            pa.types.is_floating,
            pa.types.is_integer,
            pa.types.is_boolean,
            pa.types.is_timestamp,
            pa.types.is_date,
            pa.types.is_null,
        )
    )


class Mixed(Exception):
    """A sheet fastexcel cannot give typed columns for: read it cell by cell."""


def _cut_sheet(stream, rows: int) -> bytes:
    """A sheet's XML up to the end of its ``rows``-th filled row, closed again."""
    data, seen, pos = b"", 0, 0
    while chunk := stream.read(CUT_CHUNK):
        data += chunk
        for m in _ROW_END.finditer(data, pos):
            seen += m[2] == b"row"
            if m[2] == b"sheetData" or seen == rows:
                prefix = m[1] or b""
                end = b"" if m[2] == b"sheetData" else b"</" + prefix + b"sheetData>"
                return data[: m.end()] + end + b"</" + prefix + b"worksheet>"
            pos = m.end()
    raise Mixed("sheet XML without an end")


def _head_book(path) -> calamine.CalamineWorkbook:
    """The workbook with each sheet cut after its first ``HEAD_ROWS`` filled rows."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for item in src.infolist():
            name = item.filename
            with src.open(item) as fh:
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    data = _DIMENSION.sub(b"", _cut_sheet(fh, HEAD_ROWS), count=1)
                else:
                    data = fh.read()
            dst.writestr(name, data)
    out.seek(0)
    return calamine.CalamineWorkbook.from_filelike(out)


def read_columnar(
    path, suffix: str, book: calamine.CalamineWorkbook, names, cutting: Cutting
) -> list[Sheet]:
    """``names``: (name, visible) of the worksheets, in order; ``cutting``: what the size
    guard's pass over each sheet's XML gave (``parts.py``). Anything this way of reading
    cannot do (mixed columns, an odd workbook, a cell not where it was looked for, even a
    panic in Rust) is ``Mixed``: the caller reads cell by cell instead, as forebyg always
    did."""
    try:
        return _read(path, suffix, book, names, cutting)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3's PanicException is a BaseException
        raise Mixed(f"{type(exc).__name__}: {exc}") from exc


def _read(path, suffix: str, book: calamine.CalamineWorkbook, names, cutting) -> list[Sheet]:
    cut_head = suffix in (".xlsx", ".xlsm")
    head_book = _head_book(path) if cut_head else book
    reader = fastexcel.read_excel(str(path))
    sheets = []
    for name, visible in names:
        part = head_book.get_sheet_by_name(name)
        head = part.to_python(skip_empty_area=False, nrows=HEAD_ROWS)
        parts = cutting.parts.get(name, [])
        body, rows = None, 0
        if part.end is not None and part.end[0] >= HEAD_ROWS - 1:  # more than the head
            try:
                body, rows = _in_parts(name, parts) if parts else _whole(reader, name)
            except Whole:
                body, rows, parts = *_whole(reader, name), []
        if cut_head:  # the head and the body read are every value cell of the sheet
            _all_there(name, head, body, cutting, parts)
        sheets.append(Sheet(name, visible, head, body, rows))
    return sheets


def _values(body: dict[int, pa.Array | pa.ChunkedArray] | None) -> int:
    return sum(len(a) - a.null_count for a in (body or {}).values())


def _all_there(name: str, head, body, cutting, parts: list[Part]) -> None:
    """The head's filled cells and the body's values are as many as the sheet's XML holds
    cells ending in ``c>`` (``parts.py``). ``parts``: the parts the body was read from,
    each already checked; the sheet's other parts, if it was read whole after all, are
    counted here."""
    if name not in cutting.cell_ends:
        raise Mixed("the sheet's XML was not counted")
    found = sum(value != "" for row in head for value in row)
    expected = cutting.cell_ends[name]
    if not parts:
        found += _values(body)
        expected += sum(p.cell_ends for p in cutting.parts.get(name, []))
    if found != expected:
        raise Mixed(f"{expected} cells in the XML, {found} read")


def _columns(reader, sheet: str, skip: int) -> tuple[dict[int, pa.Array], int]:
    """The sheet's columns (by index, A = 0) from row index ``skip`` on, as fastexcel types
    them, and their length."""
    loaded = reader.load_sheet(
        sheet,
        header_row=None,
        skip_rows=skip,
        dtype_coercion="strict",  # a column of mixed types raises: read cell by cell
        schema_sample_rows=None,
    )
    batch = loaded.to_arrow()
    body = {info.absolute_index: batch.column(i) for i, info in enumerate(loaded.selected_columns)}
    if not all(_typed(a.type) for a in body.values()):
        raise Mixed(f"column types {batch.schema}")
    return body, batch.num_rows


def _whole(reader, name: str) -> tuple[dict[int, pa.Array], int]:
    return _columns(reader, name, HEAD_ROWS)


def _in_parts(name: str, parts: list[Part]) -> tuple[dict[int, pa.ChunkedArray], int]:
    """The body of a sheet cut into parts, read on every core, joined again. ``Mixed``
    when a part's values are not all where they were looked for (or a column's type
    differs between parts, as reading it whole would find); ``Whole`` when fastexcel
    refuses a part or the parts' rows overlap."""
    workers = min(len(parts), len(os.sched_getaffinity(0)))  # the cores this process may use
    with ThreadPoolExecutor(workers, thread_name_prefix="forebyg-del") as pool:
        read = list(pool.map(lambda part: _part(name, part), parts))
    columns: dict[int, list[pa.Array]] = {}
    kinds: dict[int, pa.DataType] = {}
    at = HEAD_ROWS
    for part, (body, rows) in zip(parts, read, strict=True):
        if part.first_row < at:
            raise Whole("parts overlap")
        for c, array in body.items():
            if array.null_count < len(array) and kinds.setdefault(c, array.type) != array.type:
                raise Mixed(f"column {c}: {kinds[c]} and {array.type} in one sheet")
        for c in set(columns) | set(body):
            pieces = columns.setdefault(c, [])
            # empty rows: those before this part where the column was missing, and those
            # between the previous part and this one
            pieces.append(pa.nulls(part.first_row - HEAD_ROWS - sum(map(len, pieces))))
            pieces.append(body[c] if c in body else pa.nulls(rows))
        at = part.first_row + rows
    out = {}
    for c, pieces in columns.items():
        kind = kinds.get(c, pa.string())  # fastexcel's type for a column with no value
        pieces.append(pa.nulls(at - HEAD_ROWS - sum(map(len, pieces))))
        # the parts' arrays as they are, not copied into one: a column is joined only
        # when its distinct values are taken (sheets.py), one column at a time
        out[c] = pa.chunked_array(
            [p if p.type == kind else pa.nulls(len(p), kind) for p in pieces if len(p)], kind
        )
    return out, at - HEAD_ROWS


def _part(name: str, part: Part) -> tuple[dict[int, pa.Array], int]:
    try:
        body, rows = _columns(fastexcel.read_excel(str(part.path)), name, part.first_row)
    except Mixed:
        raise
    except Exception as exc:
        if part.cell_ends == 0:  # rows of empty cells only: fastexcel finds no rows
            return {}, 0
        raise Whole(f"{type(exc).__name__}: {exc}") from exc
    if _values(body) != part.cell_ends:  # a cell above the part's first row, say
        raise Mixed("a part's values are not all in its rows")
    return body, rows
