"""A sheet's cells as columns: the first rows as Python objects, the rest as Arrow columns.

Header rows, title lines and the "I alt" checks need the cells of a few rows as Python
values; the body of a large extract stays in the typed Arrow columns fastexcel builds in
Rust. Per column, ``distinct`` gives a code per cell and the distinct values, so blanks,
the CPR scan and the parsers work on distinct values, not on a Python object per cell.

Every text value is read in plain form (``plain``) before anything looks at it: a text
that is not ASCII in its NFKC form (full-width '５．３８' → '5.38', a no-break space → a
space) with every decimal digit of any script as 0-9 (Arabic-Indic '٥' → '5'). Function
codes, amounts, periods and years in other digits are then read as any other, and a
CPR number in them is found.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

HEAD_ROWS = 30  # rows read as Python objects; the header must lie within them


class Sheets(list):
    """A file's sheets, and the parts outside its cells holding CPR-like numbers
    (``cpr.part_label``: where, and whether the part also holds cells)."""

    def __init__(self, sheets=(), cpr_parts: list[tuple[str, bool]] | None = None):
        super().__init__(sheets)
        self.cpr_parts = cpr_parts or []


class Sheet:
    """``head`` holds Excel rows 1… as lists; ``body`` (if any) the rows after
    ``HEAD_ROWS``, one Arrow array per column, keyed by the column's index (A = 0)."""

    def __init__(
        self,
        name: str,
        visible: bool,
        head: list[list[object]],
        body: dict[int, pa.Array | pa.ChunkedArray] | None = None,
        body_rows: int = 0,
    ):
        self.name, self.visible = name, visible
        self.body = body or {}
        self.body_rows = body_rows if body is not None else 0
        if body is not None:
            head = [*head[:HEAD_ROWS], *[[]] * (HEAD_ROWS - len(head))]
        self.head = head
        self.width = max(max(map(len, head), default=0), max(self.body, default=-1) + 1)
        self.height = len(head) + self.body_rows

    def row(self, index: int) -> list[object]:
        """One row's cells (a few rows only: each cell becomes a Python object)."""
        if index < len(self.head):
            return [plain(cell) for cell in self.head[index]]
        out: list[object] = [""] * self.width
        for c, (codes, uniques) in enumerate(self.distinct):
            if codes[index] >= 0:
                out[c] = uniques[codes[index]]
        return out

    @cached_property
    def _head_columns(self) -> list[np.ndarray]:
        grid = np.full((len(self.head), self.width), "", dtype=object)
        for r, cells in enumerate(self.head):
            grid[r, : len(cells)] = cells
        return [np.ascontiguousarray(grid[:, c]) for c in range(self.width)]

    @cached_property
    def distinct(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per column, a code per cell and the distinct values (an object array), empty
        cells coded -1. The head's and the body's distinct values are kept side by side
        (a value may be in both; each is looked at on its own)."""
        out = []
        for c in range(self.width):
            codes, uniques = _factorize(self._head_columns[c])
            if self.body_rows:
                more, extra = _encode(self.body.get(c), self.body_rows)
                codes = np.concatenate([codes, np.where(more >= 0, more + len(uniques), -1)])
                uniques = np.concatenate([uniques, extra])
            out.append((codes, uniques))
        return out

    @cached_property
    def blanks(self) -> list[np.ndarray]:
        """Per column, which cells are empty."""
        return [codes < 0 for codes, _ in self.distinct]

    def cells(self, column: int, positions: np.ndarray) -> np.ndarray:
        """The cells of one column at ``positions`` (None where empty), as delivered."""
        codes, uniques = self.distinct[column]
        return np.append(uniques, None)[codes[positions]]


_DIGIT = re.compile(r"\d")  # a str pattern's \d is every Unicode decimal digit (Nd)
# a text holding a decimal digit other than 0-9 (RE2, through Arrow)
_OTHER_DIGIT = r"[^0-9\P{Nd}]"


def _ascii_digits(text: str) -> str:
    return _DIGIT.sub(lambda m: str(unicodedata.decimal(m[0])), text)


def plain(cell: object) -> object:
    """A text cell in NFKC form with its digits as 0-9; an ASCII text or another value as
    it is."""
    if type(cell) is not str or cell.isascii():
        return cell
    return _ascii_digits(unicodedata.normalize("NFKC", cell))


def _plain_strings(strings: pa.Array) -> np.ndarray:
    """``plain`` over an Arrow string array, in C++ but for the rare text with digits of
    another script: an object array."""
    out = strings.to_numpy(zero_copy_only=False).astype(object)
    odd = pc.indices_nonzero(pc.invert(pc.fill_null(pc.string_is_ascii(strings), True)))
    if len(odd):
        normal = pc.utf8_normalize(strings.take(odd), form="NFKC")
        values = normal.to_numpy(zero_copy_only=False).astype(object)
        for i in pc.indices_nonzero(pc.match_substring_regex(normal, _OTHER_DIGIT)).to_pylist():
            values[i] = _ascii_digits(values[i])
        out[odd.to_numpy()] = values
    return out


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.array([plain(v) for v in uniques], dtype=object)
    empty = np.flatnonzero(uniques == "")  # calamine gives '' for an empty cell
    if len(empty):
        codes[codes == empty[0]] = -1
    return codes, uniques


def _encode(array: pa.Array | pa.ChunkedArray | None, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """An Arrow column → codes and distinct values, computed in C. A column read in parts
    is joined into one array here, for as long as its codes are made."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array is None or array.null_count == len(array):
        return np.full(rows, -1, dtype=np.int64), np.array([], dtype=object)
    kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        encoded = pc.dictionary_encode(array)
        codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
        uniques = _plain_strings(encoded.dictionary)
        empty = np.flatnonzero(uniques == "")
        if len(empty):
            codes[codes == empty[0]] = -1
        return codes, uniques
    if pa.types.is_floating(kind):
        codes, uniques = pd.factorize(array.to_numpy(zero_copy_only=False), use_na_sentinel=True)
        return codes.astype(np.int64), np.asarray(uniques, dtype=np.float64).astype(object)
    if pa.types.is_boolean(kind) or pa.types.is_integer(kind):
        codes, uniques = pd.factorize(array.to_pandas(), use_na_sentinel=True)
        return codes.astype(np.int64), np.array(list(uniques), dtype=object)
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        codes, uniques = pd.factorize(array.to_pandas(), use_na_sentinel=True)
        return codes.astype(np.int64), np.array([_date(t) for t in uniques], dtype=object)
    raise TypeError(f"column type {kind} is read cell by cell")


def _date(stamp: pd.Timestamp) -> dt.date | dt.datetime:
    """As python-calamine gives it: a date at midnight is a date, else a datetime."""
    value = stamp.to_pydatetime()
    return value.date() if value.time() == dt.time(0) else value
