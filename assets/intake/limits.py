"""Size limits checked before a reader sees a file, so no file can exhaust the machine.

python-calamine builds a dense grid from the first to the last cell of a sheet: one cell
in A1 and one in XFD1048576 make it allocate 512 GiB, and a small zip can inflate to
gigabytes of XML. So a spreadsheet's zip entries are inflated here first, in a stream
that stops at the limit, and the cell positions in the sheet XML are measured. The
limits are Excel's own and, below them, generous bounds on what a real extract needs
(the largest real ledger is about 1,048,575 rows × 12 columns).
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from pathlib import Path

from assets.danish import number

MAX_FILE_BYTES = 1 << 30  # the file as delivered
MAX_UNPACKED_BYTES = 2 << 30  # all of a workbook's zip entries inflated (a 1M-row ledger: ~0.6 GB)
MAX_ZIP_ENTRIES = 10_000
MAX_ROWS = 1_048_576  # Excel's limit
MAX_COLUMNS = 1_000  # Excel allows 16,384; no extract needs more than a few dozen
MAX_CELLS = 30_000_000  # rows × columns of the grid a reader would build
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
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


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise Refused(
            f"Filen fylder {number(size / 2**20)} MB; forebyg læser filer på højst "
            f"{number(MAX_FILE_BYTES / 2**20)} MB. Del udtrækket op, fx pr. år."
        )


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
            m = _DIMENSION.search(data, 0, 1 << 16)
            if m:
                last_col, last_row = (m[3], m[4]) if m[3] else (m[1], m[2])
                _grid(
                    int(last_row),
                    _letters_to_index(last_col),
                    f"Det erklærede område i {self.sheet}",
                )
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


class _OdsScan:
    """ODS content.xml: repeated rows and cells count with their repeats when filled."""

    def __init__(self):
        self.row = self.col = self.row_repeat = 0
        self.row_filled = False
        self.max_row = self.max_col = 0

    def feed(self, data: bytes) -> None:
        for m in _ODS_TAG.finditer(data):
            kind, attrs, closed = m[1], m[2], m[3]
            repeat = int(r[1]) if attrs and (r := _REPEAT.search(attrs)) else 1
            if m[0].startswith(b"</"):
                self.row += self.row_repeat
                if self.row_filled:
                    self.max_row = self.row
            elif kind is None:  # a new table
                self.row = 0
            elif kind == b"-row":
                self.col, self.row_repeat, self.row_filled = 0, repeat, False
            else:
                self.col += repeat
                if not closed or b"value-type" in attrs:
                    self.row_filled = True
                    self.max_col = max(self.max_col, self.col)
            _grid(self.max_row, self.max_col, "Cellerne i regnearket")


def check_zip(path: Path, suffix: str) -> None:
    """Inflate every entry of an xlsx/xlsm/ods within the limits, measuring its sheets."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip (an old .xls, an encrypted workbook): the reader judges it
    with book:
        entries = book.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise Refused(f"Filen består af {number(len(entries))} dele; det er ikke et regneark.")
        declared = sum(e.file_size for e in entries)
        if declared > MAX_UNPACKED_BYTES:
            _unpacked(declared)
        sheets = _sheet_names(book)
        for entry in entries:
            name = entry.filename
            try:
                if suffix == ".ods" and name == "content.xml":
                    _stream(book, entry, _OdsScan().feed)
                elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    _scan_sheet(book, entry, sheets.get(name, "arket"))
                else:
                    _stream(book, entry, None)
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


def _scan_sheet(book: zipfile.ZipFile, entry: zipfile.ZipInfo, sheet: str) -> None:
    mode = "fast"
    while True:
        try:
            return _stream(book, entry, _SheetScan(sheet, mode).feed)
        except _Again as again:
            mode = again.mode


_ATTRS = re.compile(rb'([\w:]+)="([^"]*)"')


def _tags(xml: bytes, tag: bytes) -> list[dict[bytes, str]]:
    pattern = re.compile(rb"<(?:\w+:)?" + tag + rb"\s([^>]*)>")
    return [
        {k.split(b":")[-1]: html.unescape(v.decode("utf-8", "replace")) for k, v in
         _ATTRS.findall(m[1])}
        for m in pattern.finditer(xml)
    ]  # fmt: skip


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet XML member → "arket 'Forbrug'" (or "arket nr. 2" when the name looks like a
    CPR number), read from workbook.xml and its relations; {} when they are odd."""
    from assets.intake.cpr import looks_like_cpr

    try:
        infos = [book.getinfo(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
        if any(i.file_size > 1 << 22 for i in infos):
            return {}
        workbook, rels = (book.read(i) for i in infos)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError, zlib.error):
        return {}
    targets = {
        r.get(b"Id"): "xl/" + r.get(b"Target", "").lstrip("/").removeprefix("xl/")
        for r in _tags(rels, b"Relationship")
    }
    out = {}
    for nr, sheet in enumerate(_tags(workbook, b"sheet"), start=1):
        name = sheet.get(b"name", "")
        label = f"arket nr. {nr}" if looks_like_cpr(name) else f"arket '{name}'"
        out[targets.get(sheet.get(b"id"), "")] = label
    return out


def _stream(book: zipfile.ZipFile, entry: zipfile.ZipInfo, feed) -> None:
    """Inflate one entry (Python's zipfile never yields more than the declared size, and
    checks the CRC at the end), feeding whole tags to ``feed``."""
    tail = b""
    with book.open(entry) as fh:
        while chunk := fh.read(CHUNK):
            if feed is None:
                continue
            data = tail + chunk
            cut = data.rfind(b">") + 1
            feed(data[:cut])
            tail = data[cut:]
            if len(tail) > CHUNK:
                raise Refused("Filen indeholder et XML-element på over 16 MB; den kan ikke læses.")


def _unpacked(size: int) -> None:
    raise Refused(
        f"Filen fylder {number(size / 2**20)} MB, når den pakkes ud; forebyg læser højst "
        f"{number(MAX_UNPACKED_BYTES / 2**20)} MB. Gem kun de udfyldte celler, eller del "
        "udtrækket op."
    )
