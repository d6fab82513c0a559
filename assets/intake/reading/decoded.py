"""The text a workbook's reader will build, measured while the size guard inflates it.

calamine gives every cell its own copy of its text: 200,000 cells pointing at one shared
string of 32,767 characters become 6.5 GB of text from a 0.3 MB file, and 20 million
unused shared strings fill the memory before a cell is read. So the guard's pass counts
the shared strings and bounds each one's length (the bytes from its ``<si>`` to the next:
the decoded UTF-8 text is never longer than its XML), counts the cells that may point at
one (every ``"s"`` in a sheet's XML), and, only when cells × the longest string could
exceed ``limits.MAX_TEXT_BYTES``, reads the sheet once more for the strings its cells name.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable

import numpy as np

from assets.danish import number

_SI_END = np.frombuffer(b">/ \t\r\n", np.uint8)  # what may follow '<si'
_PREFIXED_SI = re.compile(rb"<\w+:si[\s/>]")
_S_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>""")
_S_VALUE = re.compile(
    rb"""<(?:\w+:)?c\s[^>]*?\bt\s*=\s*["']s["'][^>]*>\s*<(?:\w+:)?v>\s*(\d{1,10})\s*<"""
)


class Exceeded(Exception):
    """What the file becomes once read passes a limit; the message is a Danish sentence.
    (The limits are ``limits.py``'s, handed in: that module feeds these classes.)"""


class SharedStrings:
    """One shared-strings part, fed in blocks of whole tags: where each string starts,
    at most ``limit`` strings."""

    def __init__(self, limit: int):
        self.starts: list[np.ndarray] = []
        self.count = self.seen = 0
        self.limit = limit

    def feed(self, data: bytes) -> None:
        if _PREFIXED_SI.search(data):
            at = np.array([m.start() for m in _PREFIXED_SI.finditer(data)], np.int64)
            at = np.union1d(at, _plain_si(data))
        else:
            at = _plain_si(data)
        self.count += len(at)
        if self.count > self.limit:
            raise Exceeded(
                f"Projektmappens tabel over tekster har over {number(self.limit)} "
                "forskellige tekster; forebyg læser højst så mange. Er filen et udtræk? Gem den "
                "igen fra Excel, og aflever den på ny."
            )
        self.starts.append(at + self.seen)
        self.seen += len(data)

    def lengths(self) -> np.ndarray:
        """Per string, in order, at least its decoded UTF-8 length."""
        starts = np.concatenate([*self.starts, np.array([self.seen], np.int64)])
        return np.diff(starts)


def _plain_si(data: bytes) -> np.ndarray:
    a = np.frombuffer(data, np.uint8)
    if len(a) < 4:
        return np.empty(0, np.int64)
    hit = (a[:-3] == ord("<")) & (a[1:-2] == ord("s")) & (a[2:-1] == ord("i"))
    hit &= np.isin(a[3:], _SI_END)
    return np.flatnonzero(hit).astype(np.int64)


class SheetCells:
    """A sheet's XML, fed in blocks: how many cells hold a value (``cells``: every ``c>``,
    as ``parts.py`` counts them), within ````limit`` with the ``before`` of the
    workbook's earlier sheets; and at most how many of them name a shared string
    (``most``: every quoted ``s``, the only value of ``t`` that does; not looked for when
    the workbook has no shared strings). Each value becomes about 80 bytes in the
    reader's grid, and its column is built beside it."""

    def __init__(self, entry: zipfile.ZipInfo, label: str, before: int, strings: bool, limit: int):
        self.entry, self.label, self.before, self.strings = entry, label, before, strings
        self.limit = limit
        self.cells = self.most = 0

    def feed(self, data: bytes) -> None:
        self.cells += data.count(b"c>")
        if self.before + self.cells > self.limit:
            raise Exceeded(
                f"Projektmappen har over {number(self.limit)} udfyldte celler "
                f"(talt til og med {self.label}); forebyg læser højst så mange. Del "
                "udtrækket op, fx pr. år, og aflever delene hver for sig."
            )
        if self.strings:
            self.most += data.count(b'"s"') + (data.count(b"'s'") if b"'" in data else 0)


def check_text(
    sheets: list[SheetCells], tables: list[SharedStrings], stream: Callable, limit: int
) -> None:
    """The shared strings the sheets' cells name, summed over the workbook, within
    ``limit`` bytes; ``stream(entry, feed)`` inflates a part again."""
    if not tables or not any(s.most for s in sheets):
        return
    lengths = _longest_each([t.lengths() for t in tables])
    longest = int(lengths.max(initial=0))
    total = 0
    for sheet in sheets:
        text = sheet.most * longest
        if total + text > limit:
            text = _named(sheet, lengths, longest, stream)
        total += text
        if total > limit:
            raise Exceeded(
                f"Cellerne i {sheet.label} henviser til så mange og så lange tekster, at "
                f"projektmappen bliver til over {number(limit / 2**20)} MB "
                "tekst, når den læses; det er forebygs grænse. Gem kun de udfyldte celler, "
                "eller del udtrækket op."
            )


def _longest_each(tables: list[np.ndarray]) -> np.ndarray:
    """Per index, the longest of the tables' strings (a workbook with more than one)."""
    out = np.zeros(max(len(t) for t in tables), np.int64)
    for t in tables:
        out[: len(t)] = np.maximum(out[: len(t)], t)
    return out


def _named(sheet: SheetCells, lengths: np.ndarray, longest: int, stream: Callable) -> int:
    """The text of the strings the sheet's cells name; a cell whose index is not found
    where it is looked for counts as the longest string."""
    cells = named = 0
    total = 0

    def feed(data: bytes) -> None:
        nonlocal cells, named, total
        cells += len(_S_CELL.findall(data))
        found = _S_VALUE.findall(data)
        named += len(found)
        if found:
            index = np.array(found).astype(np.int64)
            total += int(lengths[index[index < len(lengths)]].sum())

    stream(sheet.entry, feed)
    return total + (cells - named) * longest
