"""A big sheet read in parts on every core gives exactly the cells of reading it whole:
same value, type, Excel row and column. Parts that cannot show that (rows out of order,
an error cell) make the sheet be read whole. The sheets here are small; the thresholds
are lowered so that they are cut into many parts of a few kB."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.intake.reading import columnar, parts
from assets.intake.reading.readers import UnreadableFile, read_workbook
from assets.intake.reading.sheets import HEAD_ROWS
from tests.awkward_files import write_all
from tests.test_columnar import SAMPLE, _differences, _layout


@pytest.fixture
def small_parts(monkeypatch, tmp_path) -> dict[str, list]:
    """Every sheet cut into parts of about 2 kB of XML, their temporary folders under
    ``tmp_path``; records how each sheet was read."""
    monkeypatch.setattr(parts, "MIN_BYTES", 0)
    monkeypatch.setattr(parts, "PART_BYTES", 2_000)
    monkeypatch.setattr(parts, "MAX_PARTS", 50)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    seen: dict[str, list] = {"parts": [], "whole": [], "mixed": []}
    real = columnar._in_parts

    def spy(name, cut):
        try:
            out = real(name, cut)
        except parts.Whole as exc:
            seen["whole"].append(str(exc))
            raise
        except columnar.Mixed as exc:
            seen["mixed"].append(str(exc))
            raise
        seen["parts"].append(len(cut))
        return out

    monkeypatch.setattr(columnar, "_in_parts", spy)
    return seen


def _leftover(tmp_path: Path) -> list[Path]:
    return list(tmp_path.glob("forebyg-dele-*"))


@pytest.mark.parametrize(("top", "left", "rows"), [(3, 0, 400), (HEAD_ROWS, 1, 300), (5, 2, 90)])
def test_a_sheet_in_parts_reads_cell_for_cell(tmp_path, small_parts, top, left, rows):
    path = _layout(tmp_path / "data.xlsx", top, left, rows)
    assert _differences(path) == []
    # 400 rows of 7 typed cells are about 100 kB of XML: dozens of 2 kB parts
    assert small_parts["parts"] and min(small_parts["parts"]) > 2, small_parts
    assert _leftover(tmp_path) == []  # the parts are deleted after reading


def test_sample_data_and_awkward_files_in_parts_read_cell_for_cell(tmp_path, small_parts):
    files = [p for p in [*SAMPLE.glob("*.xlsx"), *write_all(tmp_path)] if p.suffix == ".xlsx"]
    for path in files:
        try:
            assert _differences(path) == [], path.name
        except UnreadableFile:
            continue  # refused whole, as in tests/test_columnar.py
    # the sample ledgers (forbrug_*.xlsx) have hundreds of rows: they were read in parts
    assert len(small_parts["parts"]) >= 4, small_parts


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_BOOK = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
        '.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook {_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, kind: int, value: int) -> str:
    return [
        f'<c r="{ref}"><v>{value * 1.5}</v></c>',
        f'<c r="{ref}" t="inlineStr"><is><t>tekst {value % 7}</t></is></c>',
        f'<c r="{ref}" t="e"><v>#N/A</v></c>',  # an error: no value, in parts or whole
        f'<c r="{ref}" s="1"/>',  # a styled cell without a value
        f'<c r="{ref}" t="inlineStr"><is><t></t></is></c>',  # empty text
    ][kind]


def _workbook(rows: list[tuple[int, list[tuple[int, int, int]]]]) -> bytes:
    """An xlsx written by hand: ``rows`` are (row number, [(column, kind, value)]) in the
    order given, so rows may be out of order, as a hostile or odd writer could have them."""
    xml = "".join(
        f'<row r="{r}">'
        + "".join(_cell(f"{'ABCDEF'[c]}{r}", kind, v) for c, kind, v in sorted(cells))
        + "</row>"
        for r, cells in rows
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _BOOK.items():
            book.writestr(name, text)
        book.writestr("xl/worksheets/sheet1.xml", f"<worksheet {_NS}><sheetData>{xml}"
                      "</sheetData></worksheet>")  # fmt: skip
    return out.getvalue()


_CELL = st.tuples(st.integers(0, 5), st.sampled_from([0, 0, 0, 1, 1, 2, 3, 4]), st.integers(0, 99))
_ROWS = st.lists(
    st.tuples(st.integers(1, 400), st.lists(_CELL, max_size=6, unique_by=lambda c: c[0])),
    min_size=1,
    max_size=150,
    unique_by=lambda row: row[0],
)


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=_ROWS, ordered=st.booleans())
def test_whole_or_in_parts_every_cell_is_where_calamine_puts_it(
    tmp_path_factory, monkeypatch, rows, ordered
):
    """Whatever the rows, their order, gaps, error cells and empty cells: read whole and
    read in parts of 500 bytes, each cell is the one calamine gives reading cell by cell."""
    path = tmp_path_factory.mktemp("deler") / "data.xlsx"
    path.write_bytes(_workbook(sorted(rows) if ordered else rows))
    for min_bytes in (1 << 40, 0):
        monkeypatch.setattr(parts, "MIN_BYTES", min_bytes)
        monkeypatch.setattr(parts, "PART_BYTES", 500)
        monkeypatch.setattr(parts, "MAX_PARTS", 40)
        try:
            assert _differences(path) == [], min_bytes
        except UnreadableFile as exc:
            assert str(exc) == "Filen indeholder ingen data."  # only empty or error cells


def test_rows_out_of_order_are_read_cell_by_cell(tmp_path, small_parts):
    # rows 31..230 with a number each in column A; row 10 (text in B) written after row
    # 180 and row 20 (a number in B) at the very end: a head cut after the first rows and
    # parts read from their first row would both leave them out
    rows = [(r, [(0, 0, r)]) for r in range(31, 231)]
    rows = [*rows[:150], (10, [(1, 1, 3)]), *rows[150:], (20, [(1, 0, 7)])]
    path = tmp_path / "uorden.xlsx"
    path.write_bytes(_workbook(rows))
    [sheet] = read_workbook(path)
    assert small_parts["mixed"], small_parts
    # row 10 (index 9), column B: 'tekst 3' (3 % 7); row 20, column B: 7 × 1.5 = 10.5;
    # the last row, 230: 230 × 1.5
    assert sheet.row(9)[1] == "tekst 3" and sheet.row(19)[1] == 10.5
    assert sheet.row(229)[0] == 230 * 1.5 and sheet.height == 230


def test_a_head_row_out_of_order_is_not_lost_in_a_small_sheet(tmp_path):
    # no parts (the sheet is far below MIN_BYTES): row 5 comes after rows 31..80
    rows = [(r, [(0, 0, r)]) for r in range(31, 81)] + [(5, [(2, 1, 4)])]
    path = tmp_path / "uorden.xlsx"
    path.write_bytes(_workbook(rows))
    assert _differences(path) == []
    [sheet] = read_workbook(path)
    assert sheet.row(4)[2] == "tekst 4"


def test_an_error_cell_makes_the_sheet_read_whole_with_the_same_cells(tmp_path, small_parts):
    rows = [(r, [(0, 0, r), (1, 2 if r == 150 else 1, r)]) for r in range(1, 300)]
    path = tmp_path / "fejl.xlsx"
    path.write_bytes(_workbook(rows))
    [sheet] = read_workbook(path)
    assert small_parts["mixed"] == ["a part's values are not all in its rows"]
    assert sheet.row(149)[1] == ""  # #N/A has no value, read cell by cell as in parts
    assert sheet.row(148)[1] == "tekst 2"  # row 149 holds "tekst {149 % 7}"


def test_parts_are_written_in_the_folder_the_intake_names_and_deleted(
    tmp_path, small_parts, monkeypatch
):
    folder = tmp_path / "privat"
    folder.mkdir(mode=0o700)
    seen = []
    real = columnar._in_parts

    def spy(name, cut):
        seen.extend(part.path for part in cut)
        return real(name, cut)

    monkeypatch.setattr(columnar, "_in_parts", spy)
    path = _layout(tmp_path / "data.xlsx", 3, 0, 300)
    with parts.written_in(folder):
        read_workbook(path)
    assert seen and all(folder in p.parents for p in seen)
    assert list(folder.iterdir()) == []  # deleted once the file is read
