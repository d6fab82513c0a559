"""Size limits checked before a reader sees a file, so no file can exhaust the machine.

python-calamine builds a dense grid from the first to the last cell of a sheet: one cell
in A1 and one in XFD1048576 make it allocate 512 GiB, and a small zip can inflate to
gigabytes of XML. So a spreadsheet's zip entries are inflated here first, in a stream
that stops at the limit, and the cell positions in the sheet XML are measured. The
limits are Excel's own and, below them, generous bounds on what a real extract needs
(the largest real ledger is about 1,048,575 rows × 12 columns).
"""

from __future__ import annotations

import contextlib
import html
import posixpath
import queue
import re
import threading
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from assets.danish import number

if TYPE_CHECKING:
    from collections.abc import Callable

    from assets.intake.reading.parts import Cutting, SheetCutter

MAX_FILE_BYTES = 1 << 30  # the file as delivered
MAX_UNPACKED_BYTES = 2 << 30  # all of a workbook's zip entries inflated (a 1M-row ledger: ~0.6 GB)
MAX_ZIP_ENTRIES = 10_000
MAX_ROWS = 1_048_576  # Excel's limit
MAX_COLUMNS = 1_000  # Excel allows 16,384; no extract needs more than a few dozen
MAX_CELLS = 30_000_000  # rows × columns of the grid a reader would build
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
MAX_FILLED_CELLS = 15_000_000  # cells a workbook's sheets hold (a full 12-column ledger: 12.6M)
MAX_CELL_BY_CELL = 15_000_000  # cells read as Python objects (~80 bytes each, beside the text)
MAX_SHARED_STRINGS = 4_000_000  # distinct texts in a workbook's shared strings (~0.8 GB read)
MAX_TEXT_BYTES = 512 << 20  # text a workbook's cells hold once read (held twice while read)
CHUNK = 1 << 24


class Refused(Exception):
    """The file exceeds a limit or its zip is damaged; the message is a Danish sentence."""


DAMAGED = (
    "Filen kan ikke åbnes som et regneark ({suffix}). Den er måske beskadiget, "
    "ufuldstændigt kopieret eller gemt i et andet format end endelsen siger."
)


def _letters_to_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _grid(rows: int, columns: int, what: str) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise Refused(
            f"{what} spænder over {number(rows)} rækker × {number(columns)} kolonner; forebyg "
            f"læser højst {number(MAX_ROWS)} rækker, {number(MAX_COLUMNS)} kolonner og "
            f"{number(MAX_CELLS)} celler i alt. Gem kun de udfyldte celler (slet tomme rækker "
            "og kolonner under og til højre for dataene), og aflever filen igen."
        )


def too_large(size: int) -> str | None:
    """Why a file of ``size`` bytes is refused (read from its stat, before any copy)."""
    if size <= MAX_FILE_BYTES:
        return None
    return (
        f"Filen fylder {number(size / 2**20)} MB; forebyg læser filer på højst "
        f"{number(MAX_FILE_BYTES / 2**20)} MB. Del udtrækket op, fx pr. år."
    )


def check_size(path: Path) -> None:
    if reason := too_large(path.stat().st_size):
        raise Refused(reason)


_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,4})\$?(\d{1,9})(?::\$?([A-Z]{1,4})\$?(\d{1,9}))?"'
)
_WIDE_OR_DEEP = re.compile(rb'<c r="(?:[A-Z]{2,}|[A-Z]\d{7,})')
# a cell whose position does not follow '<c r="' at once (none, another spacing or quote)
_UNPLACED_CELL = re.compile(rb'<c(?:[>/\t\n\r]| (?!r="))')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_REF = re.compile(rb'<c r="([A-Z]{1,4})(\d{1,9})"')
_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"""\br\s*=\s*["']([A-Z]{0,4})(\d{0,9})["']""")


class _Again(Exception):
    """Scan the sheet again from its start, more thoroughly."""

    def __init__(self, mode: str):
        self.mode = mode


def _declared(data: bytes, sheet: str) -> None:
    """The <dimension> a sheet declares at its start, within the limits."""
    m = _DIMENSION.search(data, 0, 1 << 16)
    if m:
        last_col, last_row = (m[3], m[4]) if m[3] else (m[1], m[2])
        _grid(int(last_row), _letters_to_index(last_col), f"Det erklærede område i {sheet}")


class _SheetScan:
    """The extent of the cells in one sheet's XML, fed in chunks that end at a '>'.

    "fast": every cell names its position (``<c r="B7"``, as Excel, LibreOffice and the
    usual libraries write), and only references beyond column Z or row 999,999 need a
    look; within 26 columns even a full 1,048,576 rows stay under MAX_CELLS. "rows": as
    fast, but every row number is read, for sheets wider than Z. "walk": cells without
    a position follow the previous one, as readers place them; every tag is read.
    """

    def __init__(self, sheet: str, mode: str = "fast"):
        self.sheet, self.mode = sheet, mode
        self.max_row = self.max_col = self.row = self.col = 0
        self.first = True

    def feed(self, data: bytes) -> None:
        if self.first:
            self.first = False
            _declared(data, self.sheet)
        if self.mode == "walk":
            self._walk(data)
        else:
            # a cell without a leading position, or with a namespace prefix: walk instead
            if _UNPLACED_CELL.search(data) or _PREFIXED_CELL.search(data):
                raise _Again("walk")
            for m in _WIDE_OR_DEEP.finditer(data):
                if ref := _REF.match(data, m.start()):
                    self.max_col = max(self.max_col, _letters_to_index(ref[1]))
                    self.max_row = max(self.max_row, int(ref[2]))
            if self.max_col > 26 and self.mode == "fast":
                raise _Again("rows")
            if self.mode == "rows":
                for ref in _REF.finditer(data):
                    self.max_row = max(self.max_row, int(ref[2]))
        _grid(self.max_row, self.max_col, f"Cellerne i {self.sheet}")

    def _walk(self, data: bytes) -> None:
        for m in _TAG.finditer(data):
            r = _R_ATTR.search(m[2])
            if m[1] == b"row":
                self.row = int(r[2]) if r and r[2] else self.row + 1
                self.col = 0
            else:
                if r and r[1]:
                    self.col = _letters_to_index(r[1])
                    self.row = int(r[2]) if r[2] else self.row
                else:
                    self.col += 1
                self.max_col = max(self.max_col, self.col)
            self.max_row = max(self.max_row, self.row)
            if self.max_col > MAX_COLUMNS or self.max_row > MAX_ROWS:
                return


_ODS_TAG = re.compile(
    rb"<table:table(-row|-cell|-covered-table-cell)?(?=[\s/>])([^>]*?)(/?)>|</table:table-row>"
)
_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="(\d{1,9})"')


_TABLE_NAME = re.compile(rb'table:name="([^"]*)"')


class _OdsScan:
    """ODS content.xml: repeated rows and cells count with their repeats when filled,
    and so does the text of a cell that may hold text (its bytes from its tag to the
    next tag the scan looks at: never less than the text calamine gives it, once for
    every repeat)."""

    def __init__(self):
        self.row = self.col = self.row_repeat = 0
        self.row_filled = False
        self.max_row = self.max_col = 0
        self.table, self.tables = "regnearket", 0
        self.text = self.row_text = 0
        self.cell: tuple[int, int] | None = None  # an open text cell: (start, repeat)

    def feed(self, data: bytes) -> None:
        for m in _ODS_TAG.finditer(data):
            kind, attrs, closed = m[1], m[2], m[3]
            self._close_cell(m.start())
            repeat = int(r[1]) if attrs and (r := _REPEAT.search(attrs)) else 1
            if m[0].startswith(b"</"):
                self.row += self.row_repeat
                if self.row_filled:
                    self.max_row = self.row
                self.text += self.row_text * self.row_repeat
                self.row_text = 0
                if self.text > MAX_TEXT_BYTES:
                    raise Refused(_repeated_text(self.table))
            elif kind is None:  # a new table
                self.row = 0
                self.tables += 1
                self.table = _ods_label(attrs, self.tables)
            elif kind == b"-row":
                self.col, self.row_repeat, self.row_filled = 0, repeat, False
            else:
                self.col += repeat
                if not closed or b"value-type" in attrs:
                    self.row_filled = True
                    self.max_col = max(self.max_col, self.col)
                if not closed and (b"value-type" not in attrs or b'"string"' in attrs):
                    self.cell = (m.start(), repeat)
            _grid(self.max_row, self.max_col, "Cellerne i regnearket")
        if self.cell:  # the cell goes on in the next block: its bytes so far count now
            start, repeat = self.cell
            self.row_text += (len(data) - start) * repeat
            self.cell = (0, repeat)

    def _close_cell(self, end: int) -> None:
        if self.cell:
            start, repeat = self.cell
            self.row_text += (end - start) * repeat
            self.cell = None


def _ods_label(attrs: bytes, nr: int) -> str:
    from assets.intake.reading.cpr import looks_like_cpr

    found = _TABLE_NAME.search(attrs or b"")
    name = html.unescape(found[1].decode("utf-8", "replace")) if found else ""
    return f"arket nr. {nr}" if not name or looks_like_cpr(name) else f"arket '{name}'"


def _repeated_text(sheet: str) -> str:
    return (
        f"Cellerne i {sheet} bliver til over {number(MAX_TEXT_BYTES / 2**20)} MB tekst, når "
        "gentagne celler og rækker foldes ud, som regnearket beder om; det er forebygs "
        "grænse. Gem kun de udfyldte celler, eller del udtrækket op."
    )


def check_zip(path: Path, suffix: str, cutting: Cutting | None = None) -> list[tuple[str, bool]]:
    """Inflate every entry of an xlsx/xlsm/ods within the limits, measuring its sheets;
    ``cutting`` also receives each big sheet's XML as it is inflated (``parts``). Every
    entry is searched for CPR-like numbers on the way: the parts holding one, as
    ``cpr.part_label`` names them."""
    from assets.intake.reading.cpr import PartScan, looks_like_cpr, part_label
    from assets.intake.reading.decoded import SharedStrings, SheetCells, check_text

    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return []  # not a zip (an old .xls, an encrypted workbook): the reader judges it
    found: list[tuple[str, bool]] = []
    with book:
        entries = book.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise Refused(f"Filen består af {number(len(entries))} dele; det er ikke et regneark.")
        declared = sum(e.file_size for e in entries)
        if declared > MAX_UNPACKED_BYTES:
            _unpacked(declared)
        if looks_like_cpr(book.comment.decode("utf-8", "replace")):
            found.append(("filens kommentar", False))
        parts = _parts(book)
        ods = suffix == ".ods"
        tables: list[SharedStrings] = []
        sheet_cells: list[SheetCells] = []
        for entry in entries:
            key = entry.filename.lower()
            if looks_like_cpr(entry.filename):
                found.append(("navnet på en af filens dele", False))
            sheet = None if ods else parts.sheets.get(key)
            cells = _cells(key, ods, sheet)
            scan = PartScan(cells)
            looks = [scan.feed]
            if not ods and key in parts.shared:
                tables.append(SharedStrings(MAX_SHARED_STRINGS))
                looks.append(tables[-1].feed)
            try:
                if ods:
                    if key == "content.xml":
                        looks.append(_OdsScan().feed)
                    _stream(book, entry, lambda data, fs=looks: [f(data) for f in fs])
                elif key in parts.other:
                    _stream(book, entry, lambda data, fs=looks: [f(data) for f in fs])
                else:  # a sheet, or a part the reader might take for one: measured
                    cutter = cutting.cutter(book, entry, sheet) if cutting else None
                    label = parts.labels.get(key, "arket")
                    before = sum(s.cells for s in sheet_cells)
                    sheet_cells.append(
                        SheetCells(entry, label, before, bool(parts.shared), MAX_FILLED_CELLS)
                    )
                    looks.append(sheet_cells[-1].feed)
                    _scan_sheet(book, entry, label, cutter, looks)
            except (
                zipfile.BadZipFile,
                zipfile.LargeZipFile,
                NotImplementedError,
                EOFError,
                ValueError,
                RuntimeError,
                OSError,
                zlib.error,
            ) as exc:
                raise Refused(DAMAGED.format(suffix=suffix)) from exc
            if scan.found:
                found.append(part_label(entry.filename, parts.labels.get(key), ods))
        check_text(
            sheet_cells, tables, lambda entry, feed: _stream(book, entry, feed), MAX_TEXT_BYTES
        )
    return found


def _cells(key: str, ods: bool, sheet: str | None) -> str:
    """What of a member's XML the reader gives as cells (``cpr.in_xml``)."""
    from assets.intake.reading.cpr import COPIES

    if ods:
        return "ods" if key == "content.xml" else ""
    if sheet:
        return "xlsx"
    return "copies" if key.startswith(COPIES) else ""


def _scan_sheet(
    book: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    sheet: str,
    cutter: SheetCutter | None,
    looks: list[Callable[[bytes], object]],
) -> None:
    """One pass that only looks for what could exceed a limit (``_SUSPECT``), in C++ over
    the inflated XML; only a sheet where it finds something is measured cell by cell.
    ``cutter`` sees the same XML (``parts.py``)."""
    first, suspect = True, False

    def feed(data: bytes) -> None:
        nonlocal first, suspect
        if first:
            first = False
            _declared(data, sheet)
        suspect = suspect or _suspect(data)
        for look in looks:
            look(data)
        if cutter is not None:
            cutter.feed(data)

    _stream(book, entry, feed)
    mode = "fast"
    while suspect:
        try:
            return _stream(book, entry, _SheetScan(sheet, mode).feed)
        except _Again as again:
            mode = again.mode


# Anything that could take a sheet beyond a limit or that the one-pass check cannot
# place: a cell whose position does not follow '<c r="' at once, a cell with a namespace
# prefix, a column beyond Z, a row beyond Excel's 1,048,576. Within 26 columns a full
# 1,048,576 rows stay under MAX_CELLS.
_BEYOND_ROWS = "|".join(
    (r"\d{8,}", r"[2-9]\d{6}", r"1[1-9]\d{5}", r"10[5-9]\d{4}", r"1049\d{3}", r"1048[6-9]\d{2}",
     r"10485[89]\d", r"104857[7-9]")
)  # fmt: skip
_SUSPECT = (
    r'<c[>/\t\n\r]|<c (?:[^r]|r[^=]|r=[^"])|:c[ \t\n\r\f\v/>]'
    rf'|<c r="(?:[A-Z]{{2}}|[A-Z](?:{_BEYOND_ROWS})")'
)


def _suspect(data: bytes) -> bool:
    """Whether ``_SUSPECT`` occurs in ``data`` (RE2, through Arrow: no Python per match)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    array = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    return pc.match_substring_regex(array, _SUSPECT)[0].as_py()


_ATTRS = re.compile(rb'([\w:]+)="([^"]*)"')


def _tags(xml: bytes, tag: bytes) -> list[dict[bytes, str]]:
    pattern = re.compile(rb"<(?:\w+:)?" + tag + rb"\s([^>]*)>")
    return [
        {k.split(b":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in
         _ATTRS.findall(m[1])}
        for m in pattern.finditer(xml)
    ]  # fmt: skip


class _Parts:
    """The workbook's parts as the reader finds them (workbook.xml and its relations):
    ``sheets``, member → sheet name; ``labels``, member → "arket 'Forbrug'"; ``other``,
    the members its relations name as something else (shared strings, styles, theme) and
    never as a sheet; ``shared``, the members that may be the shared strings (as named, or
    where a reader looks without a relation). Member names are lower-case: a reader may
    look them up in any case."""

    def __init__(
        self,
        listed: list[tuple[list[str], str]],
        other: set[str],
        names: set[str],
        shared: set[str] = frozenset(),
    ):
        from assets.intake.reading.cpr import looks_like_cpr

        self.sheets: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        for nr, (candidates, sheet) in enumerate(listed, start=1):
            label = f"arket nr. {nr}" if looks_like_cpr(sheet) else f"arket '{sheet}'"
            for member in candidates:
                self.sheets.setdefault(member, sheet)
                self.labels.setdefault(member, label)
        found = all(names & set(candidates) for candidates, _ in listed)
        # a sheet not found where its relation points: every part is measured
        self.other = (other & names) - set(self.sheets) if found else set()
        self.shared = ((shared | {"xl/sharedstrings.xml"}) & names) - set(self.sheets)


def _targets(target: str) -> list[str]:
    """The members a relation's target may name: absolute ('/xl/data/blad1.xml') or
    relative to xl/ ('worksheets/sheet1.xml'), '..' resolved, '\\' as '/', lower-case."""
    target = target.replace("\\", "/").lower()
    out = []
    for path in (target.lstrip("/"), "xl/" + target.lstrip("/"), "xl/" + target):
        normal = posixpath.normpath(path).lstrip("/")
        out += [p for p in (path, normal) if p not in out]
    return out


def _parts(book: zipfile.ZipFile) -> _Parts:
    """The parts of ``book`` (none known when its workbook.xml or relations are odd or
    too big: then every part is measured as a sheet)."""
    names = {n.lower() for n in book.namelist()}
    try:
        infos = [book.getinfo(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
        if any(i.file_size > 1 << 22 for i in infos):
            return _Parts([], set(), names)
        workbook, rels = (book.read(i) for i in infos)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, zlib.error):
        return _Parts([], set(), names)
    relations = _tags(rels, b"Relationship")
    sheet_ids = {r.get(b"Id") for r in relations if r.get(b"Type", "").endswith("/worksheet")}
    targets = {r.get(b"Id"): _targets(r.get(b"Target", "")) for r in relations}
    every_sheet = [m for i in sheet_ids for m in targets.get(i, [])]
    shared = {
        m for r in relations if r.get(b"Type", "").endswith("/sharedStrings")
        for m in targets.get(r.get(b"Id"), [])
    }  # fmt: skip
    other = {m for i, ms in targets.items() if i not in sheet_ids for m in ms}
    listed = [
        (targets.get(s.get(b"id"), []), s.get(b"name", "")) for s in _tags(workbook, b"sheet")
    ]
    if any(not candidates for candidates, _ in listed):  # a sheet without its relation
        return _Parts([], set(), names)
    return _Parts(listed, other - set(every_sheet), names, shared)


def _stream(book: zipfile.ZipFile, entry: zipfile.ZipInfo, feed) -> None:
    """Inflate one entry (Python's zipfile never yields more than the declared size, and
    checks the CRC at the end), feeding whole tags to ``feed``. A thread inflates the next
    chunk while ``feed`` looks at this one (zlib and RE2 both let go of the GIL)."""
    tail = b""
    for chunk in _inflated(book, entry):
        if feed is None:
            continue
        data = tail + chunk
        cut = data.rfind(b">") + 1
        feed(data[:cut])
        tail = data[cut:]
        if len(tail) > CHUNK:
            raise Refused("Filen indeholder et XML-element på over 16 MB; den kan ikke læses.")


def _inflated(book: zipfile.ZipFile, entry: zipfile.ZipInfo):
    """The entry's inflated chunks, read ahead by one thread; its errors are raised here."""
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def inflate() -> None:
        try:
            with book.open(entry) as fh:
                while not stop.is_set() and (chunk := fh.read(CHUNK)):
                    chunks.put(chunk)
            chunks.put(None)
        except BaseException as exc:  # handed to the reading thread, which raises it
            chunks.put(exc)

    worker = threading.Thread(target=inflate, name="forebyg-inflate", daemon=True)
    worker.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a blocked put go, then wait for the thread
            with contextlib.suppress(queue.Empty):
                chunks.get(timeout=0.01)
        worker.join()


def _unpacked(size: int) -> None:
    raise Refused(
        f"Filen fylder {number(size / 2**20)} MB, når den pakkes ud; forebyg læser højst "
        f"{number(MAX_UNPACKED_BYTES / 2**20)} MB. Gem kun de udfyldte celler, eller del "
        "udtrækket op."
    )
