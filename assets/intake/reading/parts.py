"""What rides along while the size guard inflates a sheet: its value cells counted, and a
big sheet cut into parts of whole rows, so fastexcel reads them side by side.

calamine (under fastexcel) parses a sheet's XML on one core and holds the whole sheet as a
grid of cells while the Arrow columns are built: for a million-row ledger about 6 s and
1.1 GB. The size guard inflates every sheet anyway; while it does, a sheet of more than
``MIN_BYTES`` of XML is also written into up to ``MAX_PARTS`` stored (uncompressed)
workbooks of about equal size, each holding the sheet's rows after the head (``HEAD_ROWS``)
in whole ``<row>`` elements. The parts are read on every core at once, each into a grid of
its own rows only.

Nothing is trusted that the reading cannot show. A part is read from its first row's
number, and the head of a sheet from a copy cut after its first rows (``columnar.py``): a
cell placed above where it is read from (rows out of order, a cell naming another row
than its own) would be left out. So the cells that end in ``c>`` (every cell holding a
value ends in ``</c>``; a few without a value do too) are counted in the XML, for the head
and for each part, and compared with the values read; a count that differs makes the
sheet be read cell by cell, as before. The count can only be too high, never too low, so
a lost cell always shows.
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import re
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assets.intake.reading.sheets import HEAD_ROWS

MIN_BYTES = 64 << 20  # a sheet's XML below this is read whole: one core is fast enough
PART_BYTES = 96 << 20  # about this much XML per part
MAX_PARTS = 8
MAX_HEAD_TAGS = 1_000  # row elements looked at before the body must have begun
MAX_PREFIX = 1 << 20  # the sheet's XML before its first row, written again in every part
CELL_END = b"c>"
_ROW = re.compile(rb"<row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d{1,9})["']""")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s[^>]*/>")
_END = b"</sheetData></worksheet>"
_EMPTY_SHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'


class Whole(Exception):
    """The sheet is not read in parts: read it whole."""


@dataclass
class Part:
    path: Path
    first_row: int  # the index of the part's first row (Excel's row number - 1)
    cell_ends: int = 0  # ``CELL_END`` in the part's rows, counted as they are written


def _is_sheet(member: str) -> bool:
    return member.startswith("xl/worksheets/") and member.endswith(".xml")


def _row_number(tag: re.Match) -> int:
    found = _ROW_NUMBER.search(tag[1])
    if not found:
        raise Whole("a row without its number")
    return int(found[1])


class SheetCutter:
    """Fed one sheet's inflated XML in blocks of whole tags: counts ``CELL_END`` outside
    the parts (``cell_ends``) and writes the parts of a big sheet (``cut``)."""

    def __init__(
        self, book: zipfile.ZipFile, member: str, size: int, folder: Path | None, cut: bool
    ):
        self.member, self.folder = member, folder
        # the workbook's other members, as every part repeats them (another sheet's XML
        # as an empty sheet); read now, while the guard's zip is open
        self.others = [
            (item.filename, _EMPTY_SHEET if _is_sheet(item.filename) else book.read(item))
            for item in (book.infolist() if cut else [])
            if item.filename != member
        ]
        count = min(MAX_PARTS, max(2, -(-size // PART_BYTES)))
        self.targets = [size * k // count for k in range(1, count)]
        self.parts: list[Part] = []
        self.cell_ends = 0
        self.prefix = b""
        # "prefix", "head", "body" while cutting; "count" when the sheet is read whole
        self.state = "prefix" if cut else "count"
        self.seen = 0  # bytes of the sheet's XML fed so far
        self.head_tags = 0
        self.written = 0
        self._zip: zipfile.ZipFile | None = None
        self._out = None
        # a big sheet's parts are written by a thread of their own, while the guard's
        # pass looks at the next block and another thread inflates the one after
        self._blocks: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._writer = threading.Thread(target=self._write_parts, name="forebyg-dele")
        if cut:
            self._writer.start()

    def feed(self, data: bytes) -> None:
        if self._writer.is_alive():
            self._blocks.put(data)
        elif self._error is None:
            self._step(data)

    def _write_parts(self) -> None:
        try:
            while (data := self._blocks.get()) is not None:
                self._step(data)
        except BaseException as exc:  # raised by ``finish``, in the reading thread
            self._error = exc
            while self._blocks.get() is not None:  # the guard's pass never waits on it
                pass

    def _step(self, data: bytes) -> None:
        try:
            self._feed(data, self.seen)
        except (Whole, OSError):  # nothing of ``data`` was counted or written
            self._uncut(data)
        self.seen += len(data)

    def _feed(self, data: bytes, base: int) -> None:
        """``base``: where ``data`` begins in the sheet's XML."""
        if self.state == "prefix":
            first = _ROW.search(data)
            if first is None:
                if len(self.prefix) + len(data) > MAX_PREFIX:
                    raise Whole("no rows")
                self.prefix += data
                return
            self.prefix = _DIMENSION.sub(b"", self.prefix + data[: first.start()], count=1)
            self.cell_ends += self.prefix.count(CELL_END)  # none, unless a hostile prefix
            data, base = data[first.start() :], base + first.start()
            self.state = "head"
        if self.state == "head":
            for tag in _ROW.finditer(data):
                self.head_tags += 1
                if self.head_tags > MAX_HEAD_TAGS:
                    raise Whole("no body after many rows")
                if (number := _row_number(tag)) > HEAD_ROWS:
                    self.cell_ends += data.count(CELL_END, 0, tag.start())
                    self._open(number - 1)
                    self.state = "body"
                    data, base = data[tag.start() :], base + tag.start()
                    break
            else:
                self.cell_ends += data.count(CELL_END)
                return
        if self.state == "count":
            self.cell_ends += data.count(CELL_END)
            return
        try:
            self._body(data, base)
        except (Whole, OSError):  # nothing of this rest of ``data`` was written (a full
            self._uncut(data)  # disk is not the file's fault: it is read whole)

    def _body(self, data: bytes, start: int) -> None:
        """Write ``data`` (at ``start`` in the sheet's XML), opening the next part at the
        first row that begins after each target size."""
        cuts = []
        for target in self.targets:
            if start + len(data) <= target:
                break
            found = _ROW.search(data, max(cuts[-1][0] if cuts else 0, target - start))
            if found is None:
                break
            cuts.append((found.start(), _row_number(found) - 1))
        pos = 0
        for at, first_row in cuts:
            self.targets.pop(0)
            if at == pos and not self.written:  # the part begins here: no empty part
                continue
            self._write(data[pos:at])
            self._open(first_row)
            pos = at
        self._write(data[pos:])

    def _write(self, rows: bytes) -> None:
        """Rows into the open part (blocks end at a tag's '>', parts begin at a tag: a
        ``CELL_END`` is never split)."""
        self._out.write(rows)
        self.parts[-1].cell_ends += rows.count(CELL_END)
        self.written += len(rows)

    def _uncut(self, rest: bytes) -> None:
        """Cutting failed: count what the parts hold and ``rest``, and go on counting; the
        sheet is read whole."""
        with contextlib.suppress(OSError):
            self._close(_END)
        self.cell_ends += sum(part.cell_ends for part in self.parts)
        self.cell_ends += rest.count(CELL_END) + (
            self.prefix.count(CELL_END) if self.state == "prefix" else 0
        )
        self.parts = []
        self.state = "count"

    def _open(self, first_row: int) -> None:
        self._close(_END)
        path = self.folder / f"del{len(self.parts) + 1}.xlsx"
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True)
        for name, data in self.others:
            self._zip.writestr(name, data)
        self._out = self._zip.open(self.member, "w", force_zip64=True)
        self._out.write(self.prefix)
        self.written = 0  # bytes of rows in the part
        self.parts.append(Part(path, first_row))

    def _close(self, end: bytes = b"") -> None:
        if self._out is not None:
            self._out.write(end)
            self._out.close()
            self._zip.close()
        self._out = self._zip = None

    def finish(self) -> list[Part]:
        """The parts, once the whole sheet was fed (the last part ends as the sheet does);
        none when the sheet is read whole."""
        self.stop()
        if self._error is not None:
            raise self._error
        try:
            self._close()
        except OSError:
            self._uncut(b"")
        return self.parts if self.state == "body" else []

    def stop(self) -> None:
        """Let the writing thread finish what it was given."""
        if self._writer.is_alive():
            self._blocks.put(None)
            self._writer.join()


_SCRATCH: contextvars.ContextVar[Path | None] = contextvars.ContextVar("scratch", default=None)


@contextlib.contextmanager
def written_in(folder: Path) -> Iterator[None]:
    """Parts of the sheets read in this block are written in ``folder`` (the intake: the
    data home's private work folder), not in the system's temporary folder."""
    token = _SCRATCH.set(folder)
    try:
        yield
    finally:
        _SCRATCH.reset(token)


class Cutting:
    """The passes over every sheet of one workbook, the parts in a temporary folder (made
    for the user alone, and only for a workbook with a sheet to cut) in the folder of
    ``written_in``, else the system's (``TMPDIR``)."""

    def __init__(self):
        self._folder: tempfile.TemporaryDirectory | None = None
        self._cutters: dict[str, SheetCutter] = {}
        self.parts: dict[str, list[Part]] = {}
        self.cell_ends: dict[str, int] = {}

    def __enter__(self) -> Cutting:
        return self

    def __exit__(self, *exc) -> None:
        for cutter in self._cutters.values():
            cutter.stop()
            with contextlib.suppress(OSError):
                cutter._close()
        if self._folder is not None:
            self._folder.cleanup()

    def cutter(
        self, book: zipfile.ZipFile, entry: zipfile.ZipInfo, sheet: str | None
    ) -> SheetCutter | None:
        """The pass for one sheet's XML member (none when its name is not known)."""
        if not sheet or sheet in self._cutters:
            return None
        cut = entry.file_size >= MIN_BYTES
        folder = None
        if cut:
            if self._folder is None:
                self._folder = tempfile.TemporaryDirectory(
                    prefix="forebyg-dele-", dir=_SCRATCH.get()
                )
            folder = Path(self._folder.name) / str(len(self._cutters))
            folder.mkdir()
        self._cutters[sheet] = SheetCutter(book, entry.filename, entry.file_size, folder, cut)
        return self._cutters[sheet]

    def finish(self) -> None:
        """After the guard's pass: each sheet's parts (big sheets only) and its count of
        ``CELL_END`` outside the parts."""
        for sheet, cutter in self._cutters.items():
            if parts := cutter.finish():
                self.parts[sheet] = parts
            self.cell_ends[sheet] = cutter.cell_ends
