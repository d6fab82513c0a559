"""Hypothesis strategies that mutate valid extracts, and the long-running command.

``python -m tests.fuzz --examples 500`` runs the property tests of tests/test_fuzz.py
with that many examples each (the default suite runs a bounded number, see
``examples``). Nothing is stored between runs: a failure prints its smallest example.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from openpyxl import Workbook

DEFAULT_EXAMPLES = {"parse": 150, "run": 8, "forms": 30}


def examples(kind: str) -> int:
    """Examples per property: FOREBYG_FUZZ_EXAMPLES if set, else the bounded default."""
    wanted = os.environ.get("FOREBYG_FUZZ_EXAMPLES")
    if not wanted:
        return DEFAULT_EXAMPLES[kind]
    return max(1, int(wanted) // (10 if kind == "run" else 1))


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Valid extracts of other kinds and periods than the good file (botilbud 5.38.50, 2025-01),
# so an accepted mutant never replaces the good file's rows.
BASES: dict[str, bytes] = {
    ".csv": (
        "Funktion;Periode;Beløb;Tekst\n5.38.38;2024-06;1.234,50;Bostøtte\n"
        "5.38.38;2024-07;-34,50;Bostøtte\nI alt;;1.200,00;\n"
    ).encode(),
    ".xlsx": _xlsx(
        [
            ["Periode", "Indikator", "Antal", "Område"],
            ["2024-06", "Unge på uddannelseshjælp", 12, "forsørgelse"],
            ["2024-07", "Unge på uddannelseshjælp", 14, "forsørgelse"],
        ]
    ),
}
SUFFIXES = [".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".txt"]
CELL_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["0101851234", "010185-1234", "XG-0000003040-00046", "31-02-2024",
                     "2023-2027", "=HYPERLINK(\"x\")", "I alt", "1.234,50", "\x00"]),
)  # fmt: skip


def _rezip(data: bytes, change) -> bytes:
    """Apply ``change`` to the first sheet's XML of an xlsx and zip it again."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            dst.writestr(item.filename, content)
    return out.getvalue()


def _rezip_or_keep(data: bytes, change) -> bytes:
    """The changed workbook, or ``data`` as it is when it is no longer a readable zip."""
    try:
        return _rezip(data, change)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error):
        return data


@st.composite
def _mutation(draw, data: bytes, suffix: str) -> bytes:
    op = draw(st.sampled_from(["truncate", "flip", "insert", "repeat", "encoding", "cells", "xml"]))
    if op == "truncate":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    if op == "flip" and data:
        pos = draw(st.integers(0, len(data) - 1))
        return data[:pos] + bytes([data[pos] ^ draw(st.integers(1, 255))]) + data[pos + 1 :]
    if op == "insert":
        pos = draw(st.integers(0, len(data)))
        return data[:pos] + draw(st.binary(min_size=1, max_size=64)) + data[pos:]
    if op == "repeat" and data:  # a few bytes many times over: long cells, long lines
        pos = draw(st.integers(0, len(data) - 1))
        piece = data[pos : pos + draw(st.integers(1, 8))]
        return data[:pos] + piece * draw(st.integers(100, 20_000)) + data[pos:]
    if suffix == ".csv" and op == "encoding":
        text = data.decode("utf-8", "replace")
        codec = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
        return text.encode(codec, "replace")
    if suffix == ".csv" and op == "cells":
        lines = data.split(b"\n")
        row = ";".join(draw(st.lists(CELL_TEXT, min_size=1, max_size=6)))
        lines.insert(draw(st.integers(0, len(lines))), row.encode("utf-8", "surrogatepass"))
        return b"\n".join(lines)
    if suffix == ".xlsx" and op == "cells":  # a cell anywhere, up to Excel's last one
        col = draw(st.sampled_from(["A", "E", "Z", "AA", "ALL", "XFD"]))
        row = draw(st.sampled_from([1, 2, 5, 1000, 1_048_576]))
        text = draw(CELL_TEXT).replace("&", "&amp;").replace("<", "&lt;")
        cell = f'<row r="{row}"><c r="{col}{row}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        new = cell.encode("utf-8", "surrogatepass") + b"</sheetData>"
        return _rezip_or_keep(data, lambda x: x.replace(b"</sheetData>", new))
    if suffix == ".xlsx" and op == "xml":
        pos = draw(st.integers(0, 2000))
        junk = draw(st.binary(min_size=1, max_size=16))
        return _rezip_or_keep(data, lambda x: x[:pos] + junk + x[pos:])
    return data


@st.composite
def mutated_file(draw) -> tuple[str, bytes]:
    """(file name, bytes): a valid extract changed one to three times, or random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return "tilfældig" + draw(st.sampled_from(SUFFIXES)), draw(st.binary(max_size=4096))
    suffix = draw(st.sampled_from(sorted(BASES)))
    data = BASES[suffix]
    for _ in range(draw(st.integers(1, 3))):
        data = draw(_mutation(data, suffix))
    if draw(st.integers(0, 4)) == 0:  # saved under another suffix
        suffix = draw(st.sampled_from(SUFFIXES))
    return "mutant" + suffix, data


@dataclass(frozen=True)
class Sample:
    """A generated file, shown by its name, size and digest, so a failing example's report
    stays one line long instead of repeating up to megabytes of bytes."""

    name: str
    data: bytes

    def __init__(self, file: tuple[str, bytes]):
        object.__setattr__(self, "name", file[0])
        object.__setattr__(self, "data", file[1])

    def __repr__(self) -> str:
        digest = hashlib.sha256(self.data).hexdigest()[:12]
        return f"Sample({self.name!r}, {len(self.data)} bytes, sha256 {digest}…)"


# The zero of some scripts' decimal digits (Unicode Nd): ASCII, full-width, Arabic-Indic,
# extended Arabic-Indic, Devanagari, Bengali, Thai, Myanmar, mathematical bold
ZEROS = [0x30, 0xFF10, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1040, 0x1D7CE]
FULL_WIDTH_MARKS = str.maketrans(".,-", "．，－")


@st.composite
def digits_in_any_script(draw, text: str) -> str:
    """``text`` with each digit written in a drawn script, and its '.', ',' and '-'
    perhaps in full width."""
    out = "".join(
        chr(draw(st.sampled_from(ZEROS)) + int(ch)) if ch.isdigit() else ch for ch in text
    )
    return out.translate(FULL_WIDTH_MARKS) if draw(st.booleans()) else out


@st.composite
def spending_in_any_digits(draw) -> tuple[list[tuple[str, int, int, str]], list[list[str]]]:
    """Rows of spending (function, year, month, amount as 'kr,øre' text) and the same rows
    written in digits of drawn scripts."""
    rows = draw(st.lists(st.tuples(
        st.sampled_from(["5.38.50", "5.38.52", "5.38.38"]), st.integers(2015, 2035),
        st.integers(1, 12), st.integers(-10**7, 10**7)), min_size=1, max_size=5))  # fmt: skip
    plain = [(f, y, m, f"{oere // 100},{oere % 100:02d}") for f, y, m, oere in rows]
    written = [
        [draw(digits_in_any_script(f)), draw(digits_in_any_script(f"{y}-{m:02d}")),
         draw(digits_in_any_script(a))]
        for f, y, m, a in plain
    ]  # fmt: skip
    return plain, written


CPR_SEPARATORS = ["", " ", "-", "\u00a0", "\u202f", "\u2007", "\u2010", "\u2011", "\u2012",
                  "\u2013", "\u2014", "\u2015", "\u2212", "\ufe63", "\uff0d"]  # fmt: skip


@st.composite
def cpr_numbers(draw) -> str:
    """A CPR-like number: a real date ddmmyy and four digits, apart by a drawn separator,
    perhaps glued to letters, its digits in a drawn script."""
    day = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    number = (
        f"{day:%d%m%y}"
        + draw(st.sampled_from(CPR_SEPARATORS))
        + f"{draw(st.integers(0, 9999)):04d}"
    )
    if draw(st.booleans()):
        number = draw(digits_in_any_script(number))
    before, after = draw(st.sampled_from([("", ""), ("CPR", ""), ("cpr.nr. ", ""), ("x", "y")]))
    return before + number + after


@st.composite
def odd_sheet_paths(draw) -> tuple[str, str]:
    """(member, target): a sheet's XML stored at a drawn path, and the workbook's
    relationship to it, absolute or relative to xl/."""
    folder = draw(st.sampled_from(["xl/worksheets/", "xl/data/", "xl/", "xl/a/b/", "andet/"]))
    stem = draw(st.text("abcXYZ19_", min_size=1, max_size=8))
    member = folder + stem + draw(st.sampled_from([".xml", ".XML", ".Xml", ".bin", ""]))
    relative = member.startswith("xl/") and draw(st.booleans())
    return member, member[3:] if relative else "/" + member


file_names = st.one_of(
    st.just(""),
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]), max_size=60),
    st.binary(min_size=1, max_size=60).map(
        lambda b: os.fsdecode(b.replace(b"/", b"_").replace(b"\x00", b"_"))
    ),
    st.sampled_from(["010185-1234", "f" * 240, "..", "~$låst", ".skjult"]),
)


def safe_name(stem: str, suffix: str) -> str:
    """A name the file system takes: at most 255 bytes, not '.' or '..'."""
    raw = os.fsencode(stem)[: 255 - len(suffix.encode()) - 4]
    while True:
        try:
            stem = os.fsdecode(raw)
            break
        except UnicodeDecodeError:
            raw = raw[:-1]
    name = f"{stem}{suffix}" if stem.strip(".") else f"x{suffix}"
    return name


def main(argv: list[str]) -> int:
    import pytest

    n = int(argv[argv.index("--examples") + 1]) if "--examples" in argv else 500
    os.environ["FOREBYG_FUZZ_EXAMPLES"] = str(n)
    here = Path(__file__).resolve().parent
    return pytest.main([str(here / "test_fuzz.py"), "-q", "-p", "no:cacheprovider"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
