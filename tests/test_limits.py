"""The size guard's one-pass check: whatever could exceed a limit sends the sheet to the
cell-by-cell measurement; a sheet within the limits is passed in one pass."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assets.intake.reading.limits import MAX_ROWS, _letters_to_index, _suspect

LETTERS = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=3)


@pytest.mark.slow
@given(letters=LETTERS, row=st.integers(min_value=1, max_value=10**9))
def test_a_position_beyond_z_or_excels_last_row_is_suspect(letters, row):
    cell = f'<row r="{row}"><c r="{letters}{row}" t="n"><v>1</v></c></row>'.encode()
    beyond = _letters_to_index(letters.encode()) > 26 or row > MAX_ROWS
    assert _suspect(cell) == beyond


def test_the_last_row_of_excel_in_column_z_is_within_the_limits():
    # 26 columns × 1,048,576 rows = 27,262,976 cells, under MAX_CELLS (30,000,000)
    assert not _suspect(b'<c r="Z1048576" t="n"><v>1</v></c>')
    assert _suspect(b'<c r="Z1048577" t="n"><v>1</v></c>')


def test_cells_the_one_pass_cannot_place_are_suspect():
    for cell in (
        b"<c><v>1</v></c>",  # no position: it follows the previous cell
        b"<c/>",
        b'<c s="1" r="A1"><v>1</v></c>',  # the position not first
        b'<c\tr="A1"><v>1</v></c>',
        b"<c r='A1'><v>1</v></c>",
        b'<x:c r="A1"><x:v>1</x:v></x:c>',  # a namespace prefix
    ):
        assert _suspect(cell), cell
    assert not _suspect(b'<cols><col min="1" max="2"/></cols><c r="L7" s="1"><v>1</v></c>')
