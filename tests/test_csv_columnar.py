"""CSV read column by column gives the same rows as the csv module cell by cell, or the same
Danish message; row numbers in messages stay the file's line numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from assets.intake.parsing.extract import parse_file
from assets.intake.reading import csvtext
from assets.intake.reading.limits import MAX_ROWS
from assets.intake.reading.readers import UnreadableFile, read_workbook
from assets.intake.reading.sheets import HEAD_ROWS, plain


def _padded(rows: list[list[object]], width: int) -> list[list[object]]:
    return [[*r, *[""] * (width - len(r))] for r in rows]


def _read(path: Path) -> tuple[list[list[object]] | str, str]:
    """The rows as forebyg now reads them (padded to the sheet's width), or the message;
    and which way they were read."""
    try:
        (sheet,) = read_workbook(path)
    except UnreadableFile as exc:
        return str(exc), "refused"
    rows = _padded([sheet.row(i) for i in range(sheet.height)], sheet.width)
    return (
        rows,
        "columnar" if sheet.body else "cell by cell" if sheet.height > HEAD_ROWS else "small",
    )


def _sheet_rows(path: Path) -> list[list[object]] | str:
    return _read(path)[0]


def _csv_module_rows(path: Path) -> list[list[object]] | str:
    """The rows as the csv module reads them, cell by cell (the reader before columns)."""
    try:
        data = path.read_bytes()
        text, utf8 = csvtext._text(data)
        if utf8 is not None:  # UTF-8 is read from its bytes; here as one str, as before
            text = data.decode("utf-8-sig")
        rows = csvtext.cell_by_cell(io.StringIO(text), csvtext.separator(text))
    except UnreadableFile as exc:
        return str(exc)
    # every text cell in plain form (NFKC, digits as 0-9), as any sheet gives it
    return _padded([[plain(c) for c in r] for r in rows], max(map(len, rows)))


CELLS = st.one_of(
    st.sampled_from(
        ["", " ", "5.38.50", "2025-03", "1.234,50", "-34,50", "0,5", "I alt", "Løn og kørsel",
         "010190-1234", "a;b", "a,b", 'sagt "ja"', "to\nlinjer", "to\r\nlinjer", "\t", "æøå€"]
    ),
    st.text(alphabet=st.characters(codec="cp1252", exclude_characters="\x00"), max_size=8),
)  # fmt: skip


@st.composite
def csv_files(draw) -> tuple[bytes, str]:
    """csv text of 20 to 50 rows, mostly of one width: quoted or bare cells, blank lines,
    ragged rows now and then, CRLF or LF, in one of the encodings finance staff save."""
    sep = draw(st.sampled_from([";", ",", "\t"]))
    width = draw(st.integers(1, 5))
    lines = []
    for _ in range(draw(st.integers(HEAD_ROWS - 10, HEAD_ROWS + 20))):
        shape = draw(st.sampled_from(["row"] * 60 + ["blank"] * 4 + ["short", "long"]))
        n = {"row": width, "blank": 0, "short": max(width - 1, 1), "long": width + 1}[shape]
        cells = [draw(CELLS) for _ in range(n)]
        quoted = [
            '"' + c.replace('"', '""') + '"'
            if draw(st.booleans()) or any(ch in c for ch in f'{sep}"\r\n')
            else c
            for c in cells
        ]
        lines.append(sep.join(quoted))
    if draw(st.integers(0, 3)) == 0:  # something odd: a bare quote inside a cell, or a lone CR
        at = draw(st.integers(0, len(lines) - 1))
        lines[at] += draw(st.sampled_from(['x"y', "\r", '"open']))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    text = end.join(lines) + draw(st.sampled_from([end, "", end * 2]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    try:
        return text.encode(encoding), sep
    except UnicodeEncodeError:
        return text.encode("utf-8"), sep


@pytest.mark.slow
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(csv_files())
def test_columnar_csv_gives_the_csv_modules_rows_or_its_message(tmp_path_factory, file):
    data, _ = file
    path = tmp_path_factory.mktemp("csv") / "udtraek.csv"
    path.write_bytes(data)
    found, way = _read(path)
    event(way)
    assert found == _csv_module_rows(path)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.integers(HEAD_ROWS - 5, HEAD_ROWS + 5),
    st.sampled_from(["a;b\n", "a;b\r\n", '"a";"b"\n']),
    st.text(alphabet='a;"\r\n ', max_size=80),
)
def test_any_text_below_the_head_gives_the_csv_modules_rows(tmp_path_factory, n, line, tail):
    """Rows of two cells, then any mix of separators, quotes, CR, LF and spaces."""
    path = tmp_path_factory.mktemp("csv") / "rest.csv"
    path.write_text(line * n + tail, encoding="utf-8", newline="")
    found, way = _read(path)
    event(way)
    assert found == _csv_module_rows(path)


def _export(rows: int, extra: dict[int, str] | None = None) -> str:
    """A Danish ledger export: a title, a blank line, the header, ``rows`` postings, each
    ``;``-separated with a decimal comma; ``extra`` replaces posting i's line."""
    lines = ["Posteringer 2025 (testdata);;", ";;", "Funktion;Periode;Beløb"]
    for i in range(rows):
        line = f'5.38.50;2025-{1 + i % 12:02d};"{i},50"'
        lines.append((extra or {}).get(i, line))
    return "\r\n".join(lines) + "\r\n"


def test_a_realistic_export_is_read_in_columns_with_the_same_rows(tmp_path):
    """Quoted texts with separators and a newline, a blank line and CRLF below the head,
    saved as Windows-1252: read column by column, row for row as the csv module reads it."""
    text = _export(60, {40: '5.38.52;2025-02;"1.234,50"', 45: "", 50: '"I alt;\nsum";;"99,00"'})
    path = tmp_path / "hovedbog.csv"
    path.write_bytes(text.encode("cp1252"))
    (sheet,) = read_workbook(path)
    assert sheet.body  # the rows after the 30th as Arrow columns
    expected = _padded(list(csv.reader(io.StringIO(text), delimiter=";")), 3)
    assert _sheet_rows(path) == expected
    # title, blank, header and 60 postings: 63 rows; posting 45 (row 49) is blank
    assert sheet.height == 63 and sheet.row(48) == ["", "", ""]
    assert sheet.row(53) == ["I alt;\nsum", "", "99,00"]


def test_a_ragged_body_row_is_read_cell_by_cell(tmp_path):
    """A row of two cells below the head: the csv module's rows, not Arrow columns."""
    path = tmp_path / "skæv.csv"
    path.write_text(_export(50, {40: "5.38.50;2025-01"}), encoding="utf-8")
    (sheet,) = read_workbook(path)
    assert not sheet.body
    assert sheet.row(43) == ["5.38.50", "2025-01"]  # posting 40 is row 3 + 40 + 1 = 44


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('5;1;"' + "9" * 40_000 + '"', "Række 40 har en celle med over 32.767 tegn"),
        (";".join(["1"] * 1_001), "Række 40 har 1001 kolonner; forebyg læser højst 1000"),
    ],
)
def test_a_limit_broken_below_the_head_names_the_files_line(tmp_path, line, message):
    """Posting 10 spans two lines (a quoted newline), so posting 35 is record 3 + 35 + 1 =
    39 but line 40 of the file: the message names the line, as the csv module counts it."""
    text = _export(50, {10: '5.38.50;"2025-\n01";"1,00"', 35: line})
    path = tmp_path / "graense.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=message):
        read_workbook(path)


def test_cpr_below_the_head_is_found_with_its_row(tmp_path):
    """A CPR-like text in posting 45 (row 3 + 45 + 1 = 49) of a file read in columns."""
    text = _export(60, {45: "5.38.50;2025-01;010190-1234"})
    path = tmp_path / "cpr.csv"
    path.write_text(text, encoding="utf-8")
    (sheet,) = read_workbook(path)
    assert sheet.body
    found = [p.sentence for p in parse_file(path).problems if "CPR" in (p.sentence or "")]
    assert found and "kolonne C ('Beløb'), række 49:" in found[0]


def test_a_body_of_blank_cells_only_is_no_data(tmp_path):
    """31 blank lines and more: the same message as the csv module's reader gives."""
    path = tmp_path / "tom.csv"
    path.write_text(";;\n" * 40 + " ;\t;\n" * 5, encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"Filen indeholder ingen data\."):
        read_workbook(path)


@pytest.mark.slow  # two files of a million lines
def test_excels_row_limit_counts_the_files_lines(tmp_path):
    """1,048,576 one-cell lines are read in columns; the same rows with one cell of two
    lines (a quoted newline) are 1,048,577 lines: over Excel's limit, as the csv module
    counts lines."""
    path = tmp_path / "grænse.csv"
    path.write_text("x\n" * MAX_ROWS, encoding="utf-8")
    (sheet,) = read_workbook(path)
    assert sheet.body and sheet.height == MAX_ROWS
    path.write_text("x\n" * (MAX_ROWS - 1) + '"a\nb"\n', encoding="utf-8")
    with pytest.raises(UnreadableFile, match=r"Filen har over 1\.048\.576 rækker\."):
        read_workbook(path)
