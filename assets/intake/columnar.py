"""Spreadsheets read into columns: python-calamine for the first rows, fastexcel for the rest.

The first ``HEAD_ROWS`` rows (titles, the header, the first data rows) are read as Python
values; for xlsx/xlsm from a copy of the workbook cut after those rows, so the sheet is
parsed once in full, by fastexcel, for the body. fastexcel infers one type per column; a
column whose body holds several types (text beside numbers, a date written as text) would
lose its cells' types, so such a sheet is read cell by cell instead (``Mixed``).
"""

from __future__ import annotations

import io
import logging
import re
import zipfile

import fastexcel
import pyarrow as pa
import python_calamine as calamine

from assets.intake.sheets import HEAD_ROWS, Sheet

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


def read_columnar(path, suffix: str, book: calamine.CalamineWorkbook, names) -> list[Sheet]:
    """``names``: (name, visible) of the worksheets, in order. Anything this way of reading
    cannot do (mixed columns, an odd workbook, even a panic in Rust) is ``Mixed``: the
    caller reads cell by cell instead, as forebyg always did."""
    try:
        return _read(path, suffix, book, names)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # pyo3's PanicException is a BaseException
        raise Mixed(f"{type(exc).__name__}: {exc}") from exc


def _read(path, suffix: str, book: calamine.CalamineWorkbook, names) -> list[Sheet]:
    head_book = _head_book(path) if suffix in (".xlsx", ".xlsm") else book
    reader = fastexcel.read_excel(str(path))
    sheets = []
    for name, visible in names:
        part = head_book.get_sheet_by_name(name)
        head = part.to_python(skip_empty_area=False, nrows=HEAD_ROWS)
        if part.end is None or part.end[0] < HEAD_ROWS - 1:  # the whole sheet is in the head
            sheets.append(Sheet(name, visible, head))
            continue
        loaded = reader.load_sheet(
            name,
            header_row=None,
            skip_rows=HEAD_ROWS,
            dtype_coercion="strict",  # a column of mixed types raises: read cell by cell
            schema_sample_rows=None,
        )
        batch = loaded.to_arrow()
        body = {
            info.absolute_index: batch.column(i) for i, info in enumerate(loaded.selected_columns)
        }
        if not all(_typed(a.type) for a in body.values()):
            raise Mixed(f"column types {batch.schema}")
        sheets.append(Sheet(name, visible, head, body, batch.num_rows))
    return sheets
