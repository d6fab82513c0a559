"""The columnar reader gives every cell exactly as reading cell by cell with python-calamine
does: same value, same type, same Excel row and column; a sheet whose columns mix types
below the head is read cell by cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
import python_calamine as calamine
import xlsxwriter
from openpyxl import Workbook

from assets.intake.reading import columnar
from assets.intake.reading.readers import UnreadableFile, read_workbook
from assets.intake.reading.sheets import HEAD_ROWS
from tests.awkward_files import write_all

SAMPLE = Path(__file__).parents[1] / "sample_data"


def _grid_as_calamine_reads_it(path: Path, sheet: str) -> list[list]:
    return (
        calamine.CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(sheet)
        .to_python(skip_empty_area=False)
    )


def _differences(path: Path) -> list[tuple]:
    out = []
    for sheet in read_workbook(path):
        rows = _grid_as_calamine_reads_it(path, sheet.name)
        width = max([sheet.width, *map(len, rows)])
        for c in range(width):
            codes, uniques = sheet.distinct[c] if c < sheet.width else ([], [])
            for r in range(max(len(rows), sheet.height)):
                old = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
                new = uniques[codes[r]] if r < len(codes) and codes[r] >= 0 else ""
                if old != new or type(old) is not type(new):
                    out.append((sheet.name, r + 1, c, old, new))
    return out


def _layout(path: Path, top: int, left: int, rows: int) -> Path:
    """A title, a header at row ``top``, typed columns from column ``left`` down to row
    ``top + rows``: text, numbers, dates, date-times, booleans, gaps and CPR-like numbers."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Data")
    date, stamp = (
        book.add_format({"num_format": "dd-mm-yyyy"}),
        book.add_format({"num_format": "dd-mm-yyyy hh:mm"}),
    )
    sheet.write_string(0, left, "Udtræk (testdata)")
    for c, head in enumerate(["Tekst", "Tal", "Dato", "Tidspunkt", "Ja/nej", "Borger", "Tom"]):
        sheet.write_string(top - 1, left + c, head)
    for i in range(rows):
        r = top + i
        if i % 11:
            sheet.write_string(r, left, f"tekst {i % 5} æøå")
        sheet.write_number(r, left + 1, i * 1.25 - 7)
        sheet.write_datetime(r, left + 2, dt.datetime(2025, 1, 1) + dt.timedelta(days=i), date)
        sheet.write_datetime(r, left + 3, dt.datetime(2025, 1, 1, 8, 30) + dt.timedelta(i), stamp)
        sheet.write_boolean(r, left + 4, i % 3 == 0)
        sheet.write_number(r, left + 5, 101851234.0 if i == 40 else i)
    sheet.write_formula(top + rows, left + 1, f"=SUM(B{top + 1}:B{top + rows})", None, 1.5)
    book.close()
    return path


@pytest.fixture
def mixed(monkeypatch) -> list[Path]:
    """The files read cell by cell because their columns mix types below the head."""
    found = []
    real = columnar.read_columnar

    def spy(*args):
        try:
            return real(*args)
        except columnar.Mixed:
            found.append(args[0])
            raise

    monkeypatch.setattr("assets.intake.reading.readers.read_columnar", spy)
    return found


@pytest.mark.parametrize(
    ("top", "left", "rows"),
    [(3, 0, 100), (1, 2, HEAD_ROWS), (HEAD_ROWS - 1, 0, 5), (HEAD_ROWS, 1, 60), (5, 0, 2)],
)
def test_typed_layouts_read_cell_for_cell(tmp_path, mixed, top, left, rows):
    assert _differences(_layout(tmp_path / "data.xlsx", top, left, rows)) == []
    assert mixed == []  # read column by column


def test_sample_data_and_awkward_files_read_cell_for_cell(tmp_path):
    paths = [*SAMPLE.glob("*.xlsx"), *write_all(tmp_path)]
    for path in paths:
        if path.suffix not in {".xlsx", ".xlsm", ".xls", ".ods"}:
            continue
        try:
            assert _differences(path) == [], path.name
        except UnreadableFile:
            continue


def test_a_column_of_text_and_numbers_below_the_head_is_read_cell_by_cell(tmp_path, mixed):
    book = Workbook()
    for i in range(HEAD_ROWS + 20):
        book.active.append(
            ["1.234,50" if i == HEAD_ROWS + 5 else 1.234, "45747" if i % 2 else 45747]
        )
    book.save(tmp_path / "blandet.xlsx")
    assert _differences(tmp_path / "blandet.xlsx") == []
    assert mixed, "a sheet of mixed columns must not be read column by column"
    [sheet] = read_workbook(tmp_path / "blandet.xlsx")
    codes, uniques = sheet.distinct[0]
    cells = np.append(uniques, None)[codes]
    assert cells[HEAD_ROWS + 5] == "1.234,50" and cells[HEAD_ROWS + 6] == 1.234
