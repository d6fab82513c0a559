"""A csv file read into a ``Sheet``: the first rows by Python's csv module, the rest as
Arrow string columns by pyarrow's csv reader.

The encoding (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252) and the separator
(; , or tab, from the first few kB) are detected first. The first ``HEAD_ROWS`` rows
(titles, the header) and one more are read by the csv module, as Python lists of text,
and checked against the limits with their line numbers. The rest of the file, the body,
is parsed by pyarrow, every column as text: the Danish parsers decide the types later,
as for any sheet. A body pyarrow cannot give exactly as the csv module would (a row of
another width than the first body row, a lone carriage return, a cell over Excel's limit,
more lines than Excel's) is read cell by cell by the csv module instead, which also gives
the Danish message with the row number for whatever limit it breaks.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from assets.danish import number
from assets.intake.reading import limits
from assets.intake.reading.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS
from assets.intake.reading.sheets import HEAD_ROWS, Sheet
from assets.intake.reading.unreadable import UnreadableFile

SNIFF_CHARS = 4096
_BLOCK = 1 << 24
_REAL_UTF8 = re.compile("[^\x00-\x7f\ufffd]")  # a character only UTF-8 could have given


class _CellByCell(Exception):
    """The body cannot be read column by column exactly: read the file cell by cell."""


def read_csv(path: Path, name: str) -> Sheet:
    """The csv's one sheet, named ``name``, or UnreadableFile with a Danish sentence."""
    data = path.read_bytes()
    text, utf8 = _text(data)
    delimiter = separator(text if utf8 is None else _start(utf8))
    try:
        return _columnar(text, utf8, delimiter, name)
    except _CellByCell:
        return Sheet(name, True, cell_by_cell(_lines(text, utf8), delimiter))


def _text(data: bytes) -> tuple[str, bytes | None]:
    """The decoded text, or, when the bytes are UTF-8 already, no text and the bytes
    themselves: a file of 400 MB with one emoji would be 1.6 GB as a Python str (four
    bytes a character), so UTF-8 is checked in blocks and read as it is needed."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            "Filen indeholder binære data og er ikke en tekstfil (csv). Gem udtrækket som "
            "'CSV UTF-8' eller som .xlsx, og aflever det igen."
        )
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _utf8(data):
        return "", data
    text, utf8 = _decode(data)
    if "\x00" in text:
        raise UnreadableFile("Filen indeholder binære data og er ikke en tekstfil (csv).")
    return text, data if utf8 else None


def _utf8(data: bytes) -> bool:
    """Whether ``data`` is valid UTF-8, decoded a block at a time and let go."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for at in range(0, len(data), _BLOCK):
            decoder.decode(view[at : at + _BLOCK], final=at + _BLOCK >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _start(utf8: bytes) -> str:
    """The text of the file's first ``SNIFF_CHARS`` characters (fewer at a cut character)."""
    return utf8[: 4 * SNIFF_CHARS].decode("utf-8-sig", "ignore")[:SNIFF_CHARS]


def _lines(text: str, utf8: bytes | None) -> Iterable[str]:
    """The file's lines, each with its '\\n', as ``io.StringIO(text)`` gives them."""
    if utf8 is None:
        return io.StringIO(text)
    return io.TextIOWrapper(io.BytesIO(utf8), encoding="utf-8-sig", newline="\n")


def _decode(data: bytes) -> tuple[str, bool]:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1252; or say which row fails."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), False
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                "Filen er gemt som UTF-16, men er ufuldstændig eller beskadiget. Gem den igen "
                "som 'CSV UTF-8' og aflever den på ny."
            ) from exc
    try:
        return data.decode("utf-8-sig"), True
    except UnicodeDecodeError as exc:
        if _REAL_UTF8.search(data.decode("utf-8", "replace")):
            # UTF-8 with one bad byte: read as Windows-1252 it would turn 'ø' into 'Ã¸'
            row = data.count(b"\n", 0, exc.start) + 1
            raise UnreadableFile(
                f"Række {row} indeholder et tegn (byte 0x{data[exc.start]:02X}), der ikke er "
                "gyldigt UTF-8, i en fil, der ellers er UTF-8. Gem filen igen som 'CSV UTF-8' "
                "og aflever den på ny."
            ) from exc
    try:
        return data.decode("cp1252"), False
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(
            f"Række {row} indeholder et tegn (byte 0x{data[exc.start]:02X}), der hverken er "
            "gyldigt i UTF-8 eller Windows-1252. Gem filen igen som 'CSV UTF-8' og aflever den "
            "på ny."
        ) from exc


def separator(text: str) -> str:
    """; , or tab, sniffed from the first lines; ';' when the sniffer cannot tell."""
    # csv.Sniffer's regexes take quadratic time on hostile text (26 s for 64 kB of ';"'):
    # a few kB of the start are enough to find the separator
    sample = "\n".join(text[:SNIFF_CHARS].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        return ";"


def cell_by_cell(lines: Iterable[str], delimiter: str) -> list[list[object]]:
    """Every row as a list of text, by the csv module, each checked against the limits
    with its line number (``reader.line_num``: a quoted newline makes a row two lines)."""
    reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list[object]] = []
    cells = 0
    try:
        for row in reader:
            _check_row(row, reader.line_num)
            cells += len(row)
            if cells > limits.MAX_CELL_BY_CELL:
                raise UnreadableFile(_too_many_cells(reader.line_num, 0, limits.MAX_CELL_BY_CELL))
            rows.append(list(row))
    except csv.Error as exc:  # a cell beyond the csv module's own limit (128 kB)
        raise UnreadableFile(_long_cell(reader.line_num)) from exc
    if not any(any(c.strip() for c in r) for r in rows):
        raise UnreadableFile("Filen indeholder ingen data.")
    return rows


def _columnar(text: str, utf8: bytes | None, delimiter: str, name: str) -> Sheet:
    reader = csv.reader(_lines(text, utf8), delimiter=delimiter)
    head: list[list[object]] = []
    lines = 0  # the lines the head's rows take up
    try:
        for row in reader:
            _check_row(row, reader.line_num)
            if len(head) == HEAD_ROWS:
                first = row  # the body's first row: its width is every body row's
                break
            head.append(list(row))
            lines = reader.line_num
        else:
            if not any(any(c.strip() for c in r) for r in head):
                raise UnreadableFile("Filen indeholder ingen data.")
            return Sheet(name, True, head)
    except csv.Error as exc:
        raise UnreadableFile(_long_cell(reader.line_num)) from exc
    body, at = _body_bytes(text, utf8, lines)
    width = len(first) or max(map(len, head)) or 1
    height = lines + body.count(b"\n", at) + (not body.endswith(b"\n", at))
    if height * width > limits.MAX_CELLS:
        raise UnreadableFile(_too_many_cells(height, width, limits.MAX_CELLS))
    if (
        body.count(b"\r", at) != body.count(b"\r\n", at)  # a lone CR: the csv module's way
        or height > MAX_ROWS
    ):
        raise _CellByCell
    columns = _parse_body(memoryview(body)[at:], delimiter, width)
    rows = len(columns[0])
    if any(pc.max(pc.utf8_length(c)).as_py() > MAX_CELL_CHARS for c in columns if rows):
        raise _CellByCell
    if not any(any(c.strip() for c in r) for r in head) and not _any_text(columns):
        raise UnreadableFile("Filen indeholder ingen data.")
    return Sheet(name, True, head, dict(enumerate(columns)), rows)


def _body_bytes(text: str, utf8: bytes | None, lines: int) -> tuple[bytes, int]:
    """The file as UTF-8 and where its body begins, after its first ``lines`` lines (the
    bytes are not copied when they are UTF-8 already)."""
    if utf8 is None:
        pos = 0
        for _ in range(lines):
            pos = text.index("\n", pos) + 1
        return text[pos:].encode("utf-8"), 0
    pos = 0
    for _ in range(lines):
        pos = utf8.index(b"\n", pos) + 1
    return utf8, pos


def _too_many_cells(rows: int, columns: int, limit: int) -> str:
    grid = (
        f"{number(rows)} rækker × {number(columns)} kolonner"
        if columns
        else (f"over {number(limit)} celler allerede i de første {number(rows)} rækker")
    )
    return (
        f"Filen har {grid}; forebyg læser højst {number(limit)} celler fra én csv-fil. Del "
        "udtrækket op, fx pr. år, og aflever delene hver for sig."
    )


def _parse_body(body: memoryview, delimiter: str, width: int) -> list[pa.ChunkedArray]:
    """The body as ``width`` string columns, parsed as the csv module's default dialect
    does (double quotes, "" for a quote, newlines inside quotes, a blank line a row)."""
    names = [str(i) for i in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(
                column_names=names, use_threads=False, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=False,
            ),
        )
    except pa.ArrowException as exc:  # a row of another width, a row over a block
        raise _CellByCell from exc
    return table.columns  # chunked, one chunk per block: Sheet joins each column in turn


def _any_text(columns: list[pa.ChunkedArray]) -> bool:
    """Whether any body cell holds more than whitespace (str.strip's whitespace)."""
    return any(any(v.strip() for v in pc.unique(c).to_pylist()) for c in columns)


def _check_row(row: list[str], line: int) -> None:
    if len(row) > MAX_COLUMNS:
        raise UnreadableFile(
            f"Række {line} har {len(row)} kolonner; forebyg læser højst {MAX_COLUMNS}. Er "
            "skilletegnet forkert, eller er filen ikke et udtræk?"
        )
    if line > MAX_ROWS:
        raise UnreadableFile(f"Filen har over {number(MAX_ROWS)} rækker.")
    if any(len(cell) > MAX_CELL_CHARS for cell in row):
        raise UnreadableFile(_long_cell(line))


def _long_cell(line: int) -> str:
    return (
        f"Række {line} har en celle med over {number(MAX_CELL_CHARS)} tegn, som er Excels grænse "
        "for én celle. Er filen et udtræk? Gem den igen, og aflever den på ny."
    )
