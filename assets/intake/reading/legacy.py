"""A legacy .xls measured before calamine reads it: its value cells, and the text they
become (``decoded.py`` does the same for xlsx and ODS).

The workbook stream is found in the compound file by hand (its FAT, no library), and its
BIFF records are walked: the shared string table (SST and its CONTINUE records) gives each
string's character count, LABELSST cells name a string by index, LABEL and RSTRING hold
their own. A string's UTF-8 is at most 3 bytes a character. A table that cannot be walked
counts every string as long as the table, or as Excel's longest cell.
"""

from __future__ import annotations

import struct
from pathlib import Path

from assets.danish import number
from assets.intake.reading import limits

_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
_STREAMS = ("workbook", "book")
_VALUES = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}  # one value cell each
_MULRK, _SST, _CONTINUE, _LABELSST, _LABEL, _RSTRING = (
    0x00BD, 0x00FC, 0x003C, 0x00FD, 0x0204, 0x00D6
)  # fmt: skip


def check_xls(path: Path) -> None:
    """Refused (``limits.Refused``) when the workbook's cells or text pass the limits; a
    file that is no compound file is left to the reader."""
    data = path.read_bytes()
    stream = _workbook(data) if data.startswith(_MAGIC) else None
    if stream is None:
        return
    cells, text = _measure(stream)
    if cells > limits.MAX_FILLED_CELLS:
        raise limits.Refused(
            f"Projektmappen har over {number(limits.MAX_FILLED_CELLS)} udfyldte celler; "
            "forebyg læser højst så mange. Del udtrækket op, og aflever delene hver for sig."
        )
    if text > limits.MAX_TEXT_BYTES:
        raise limits.Refused(
            f"Cellerne i projektmappen henviser til så mange og så lange tekster, at den "
            f"bliver til over {number(limits.MAX_TEXT_BYTES / 2**20)} MB tekst, når den læses; "
            "det er forebygs grænse. Gem kun de udfyldte celler, eller del udtrækket op."
        )


def _chain(fat: list[int], start: int, limit: int) -> list[int]:
    out, seen = [], set()
    while start < len(fat) and start not in seen and len(out) < limit:
        seen.add(start)
        out.append(start)
        start = fat[start]
    return out


def _workbook(data: bytes) -> bytes | None:
    """The compound file's workbook stream (None when it is not found where the format
    puts it, or is in the mini stream: then it is under 4 kB)."""
    try:
        size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        sectors = (len(data) - 512) // size
        n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
        cutoff = struct.unpack_from("<I", data, 0x38)[0]
        difat_start, n_difat = struct.unpack_from("<II", data, 0x44)
        at = lambda s: 512 + s * size  # noqa: E731
        heads = list(struct.unpack_from("<109I", data, 0x4C))
        for s in _chain(list(range(1, sectors + 1)), difat_start, n_difat):
            heads += struct.unpack_from(f"<{size // 4 - 1}I", data, at(s))
        fat: list[int] = []
        for s in heads[: min(n_fat, sectors)]:
            fat += struct.unpack_from(f"<{size // 4}I", data, at(s))
        directory = b"".join(data[at(s) : at(s) + size] for s in _chain(fat, first_dir, sectors))
        for e in range(0, len(directory) - 127, 128):
            entry = directory[e : e + 128]
            length = struct.unpack_from("<H", entry, 64)[0]
            name = entry[: max(0, length - 2)].decode("utf-16-le", "replace").lower()
            if entry[66] == 2 and name in _STREAMS:
                start, bytes_ = struct.unpack_from("<II", entry, 116)
                if bytes_ < cutoff:
                    return None
                chain = _chain(fat, start, sectors)
                return b"".join(data[at(s) : at(s) + size] for s in chain)[:bytes_]
    except (struct.error, IndexError, ValueError, OverflowError):
        return None
    return None


def _measure(stream: bytes) -> tuple[int, int]:
    """The value cells and an upper bound on their text in UTF-8 bytes."""
    cells = text = 0
    table: list[bytes] = []
    named: list[int] = []
    pos, last = 0, None
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind in _VALUES:
            cells += 1
        if kind == _MULRK:
            cells += max(0, (size - 6) // 6)
        elif kind == _SST or (kind == _CONTINUE and last == _SST):
            table.append(body)
            kind = _SST
        elif kind == _LABELSST and size >= 10:
            named.append(struct.unpack_from("<I", body, 6)[0])
        elif kind in (_LABEL, _RSTRING):
            text += 2 * size  # its own characters, 1 or 2 bytes each in the record
        last = kind
    lengths = _string_lengths(table)
    longest = max(lengths, default=0)
    text += sum(3 * lengths[i] if i < len(lengths) else 3 * longest for i in named)
    return cells, text


def _string_lengths(blocks: list[bytes]) -> list[int]:
    """Each shared string's characters; when the table cannot be walked, every string
    as long as the table allows (its bytes, at most Excel's longest cell)."""
    try:
        return _walk(blocks)
    except (struct.error, IndexError):
        total = sum(map(len, blocks))
        count = struct.unpack_from("<I", blocks[0], 4)[0] if blocks and len(blocks[0]) >= 8 else 0
        return [min(total, limits.MAX_CELL_CHARS)] * min(count, total + 1)


def _walk(blocks: list[bytes]) -> list[int]:
    if not blocks:
        return []
    unique = struct.unpack_from("<I", blocks[0], 4)[0]
    b, pos, data = 0, 8, blocks[0]
    out: list[int] = []

    def next_block() -> bytes:
        nonlocal b
        b += 1
        return blocks[b]  # IndexError: the table ends inside a string

    while len(out) < unique:
        if pos >= len(data):
            data, pos = next_block(), 0
        cch, flags = struct.unpack_from("<HB", data, pos)
        pos += 3
        runs = ext = 0
        if flags & 8:
            runs = struct.unpack_from("<H", data, pos)[0]
            pos += 2
        if flags & 4:
            ext = struct.unpack_from("<I", data, pos)[0]
            pos += 4
        left, width = cch, 2 if flags & 1 else 1
        while True:
            take = min(left, (len(data) - pos) // width)
            pos, left = pos + take * width, left - take
            if not left:
                break
            data = next_block()
            width, pos = 2 if data[0] & 1 else 1, 1
        skip = 4 * runs + ext
        while skip:
            take = min(skip, len(data) - pos)
            pos, skip = pos + take, skip - take
            if skip:
                data, pos = next_block(), 0
        out.append(cch)
    return out
