"""A CPR-like number anywhere in a file is that file's rejection (issue 24, item 10).

Before, only cells, headers, sheet names and file names were searched: a number in a
comment, a defined name, the document properties, an unused shared string, a page
header, a link or a data-validation list was accepted and archived; written with a
no-break space, an en dash or glued to letters it reached the warehouse. The number used
is 231185-3391 (23 November 1985, a real date); none of the messages may repeat it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.intake.parsing.extract import parse_file
from assets.intake.reading.cpr import PartScan, _hits, in_xml, looks_like_cpr
from pipelines.cli import main
from tests.conftest import query, settle
from tests.fuzz import cpr_numbers
from tests.hostile_files import (
    CPR_DIGITS,
    CPR_PLACES,
    HEADER,
    cpr_in_ods_meta,
    cpr_in_part,
    cpr_in_xls_formula,
    cpr_text,
    good_spending,
    xlsx,
)

PLACE_SAYS = {
    "kommentar": "en kommentar",
    "defineret_navn": "projektmappens navne",
    "forfatter": "dokumentegenskaberne (forfatter",
    "firma": "dokumentegenskaberne (firma",
    "ubrugt_tekst": "projektmappens tekster",
    "sidehoved": "arket 'Forbrug' uden for cellerne",
    "link": "et link",
    "datavalidering": "arket 'Forbrug' uden for cellerne",
}
SEPARATORS = ["", " ", "-", "\u00a0", "\u202f", "\u2010", "\u2011", "\u2013", "\u2014", "\u2212"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _said(path: Path) -> str:
    extract = parse_file(path)
    assert not extract.accepted
    return " ".join(p.text() for p in extract.problems)


def _hidden(text: str) -> None:
    """Neither part of the number is repeated, in any of the forms written."""
    assert CPR_DIGITS[:6] not in text and CPR_DIGITS[6:] not in text


@pytest.mark.parametrize("where", CPR_PLACES)
def test_a_cpr_number_outside_the_cells_is_found_and_named_by_its_part(tmp_path, where):
    said = _said(cpr_in_part(tmp_path / f"{where}.xlsx", where))
    assert f"{PLACE_SAYS[where]}" in said and "ligner CPR-numre" in said
    _hidden(said)


@pytest.mark.parametrize("where", ["kommentar", "forfatter"])  # an XML text of its own
@pytest.mark.parametrize("separator", SEPARATORS)
def test_every_separator_is_found_outside_the_cells(tmp_path, where, separator):
    said = _said(cpr_in_part(tmp_path / "f.xlsx", where, cpr_text(separator)))
    assert PLACE_SAYS[where] in said
    _hidden(said)


@pytest.mark.parametrize(
    "cell",
    [*(f"Borger {cpr_text(s)}" for s in SEPARATORS), f"CPR{CPR_DIGITS}", f"cpr{cpr_text()}x",
     f"CPR-{CPR_DIGITS}", cpr_text().translate(FULL_WIDTH)],
)  # fmt: skip
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_every_separator_and_letters_glued_on_are_found_in_a_cell(tmp_path, cell, suffix):
    rows = [[*HEADER, "Tekst"], ["5.38.50", "2025-01", 1, cell]]
    path = tmp_path / f"f{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(";".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    else:
        xlsx(path, {"Forbrug": rows})
    said = _said(path)
    assert "kolonne D ('Tekst'), række 2: indeholder noget, der ligner CPR-numre" in said
    _hidden(said)


def test_an_ods_author_and_an_xls_formula_are_found(tmp_path):
    said = _said(cpr_in_ods_meta(tmp_path / "f.ods"))
    assert "dokumentegenskaberne (forfatter" in said
    _hidden(said)
    said = _said(cpr_in_xls_formula(tmp_path / "f.xls"))
    assert "filens tekster uden for cellerne" in said
    _hidden(said)


@pytest.mark.parametrize(
    "value",
    [2311853391, 2311853391.5, "2.311.853.391,00", "2311853391,50", "+45 98 92 22 22",
     "98922222", "XG-0000003040-00046", "0,2311853391", "12311853391", "1-2311853391"],
)  # fmt: skip
def test_amounts_phone_numbers_and_codes_are_no_cpr_numbers(tmp_path, value):
    """A 10-digit amount in the amount column, amounts written as text, a phone number, a
    PSP element, a decimal, eleven digits, and ten digits after a number and a dash: none
    is a person."""
    note = value if isinstance(value, str) else "x"
    amount = value if not isinstance(value, str) else 1
    path = xlsx(
        tmp_path / "f.xlsx",
        {"Forbrug": [[*HEADER, "Tekst"], ["5.38.50", "2025-01", amount, note]]},
    )
    extract = parse_file(path)
    assert extract.accepted, [p.text() for p in extract.problems]


def test_numbers_in_a_copy_of_cell_values_are_judged_as_numbers():
    """A chart's or pivot table's cache holds the cells' numbers (amounts): a whole number
    there is no text; text there is searched as anywhere."""
    assert not in_xml(b'<c:pt idx="0"><c:v>2311853391</c:v></c:pt>', "copies")
    assert not in_xml(b'<n v="2311853391"/>', "copies")
    assert in_xml(b'<s v="borger 2311853391"/>', "copies")
    assert in_xml(b'<n v="2311853391"/>')  # the same number in another part


def test_a_cell_value_at_the_start_of_a_block_is_still_a_cell_value():
    """The size guard feeds a sheet's XML in blocks ending at a '>': a 10-digit amount in
    <v> whose '<v>' ended the previous block is a cell's value (judged by the cells' scan),
    while the same digits after another tag are text of the part."""
    split = PartScan("xlsx")
    split.feed(b'<c r="C2"><v>')
    split.feed(CPR_DIGITS.encode() + b"</v></c>")
    assert not split.found
    header = PartScan("xlsx")
    header.feed(b"<oddHeader>")
    header.feed(CPR_DIGITS.encode() + b"</oddHeader>")
    assert header.found


def _everything_but(root: Path, skip: set[Path]) -> bytes:
    """Every file's name and bytes under ``root`` but ``skip``; links are not followed."""
    out = []
    for folder, dirs, files in os.walk(root):
        for name in files + dirs:
            path = Path(folder) / name
            out.append(os.fsencode(name))
            if path not in skip and path.is_file() and not path.is_symlink():
                out.append(path.read_bytes())
    return b"\n".join(out)


@pytest.mark.slow
def test_files_with_cpr_numbers_anywhere_beside_a_good_file(home, capsys):
    """Every place and separator above in one inbox with a good file (5.38.50, 2025-01,
    100 kr.): the run exits 0, the good file alone is loaded, each other file is in
    afvist/ with its reason, and no other file of the data home (archive, warehouse,
    logs, Dagster's storage, receipts) holds the number in any of its forms."""
    good = good_spending(home.indbakke / "god.xlsx")
    hostile = [cpr_in_part(home.indbakke / f"{w}.xlsx", w) for w in CPR_PLACES]
    for i, separator in enumerate(["\u00a0", "\u2013", "\u2014", ""]):
        hostile.append(cpr_in_part(home.indbakke / f"kommentar_{i}.xlsx", "kommentar",
                                   cpr_text(separator)))  # fmt: skip
    hostile.append(xlsx(home.indbakke / "limet.xlsx", {"Forbrug": [
        [*HEADER, "Tekst"], ["5.38.52", "2025-02", 1, f"CPR{CPR_DIGITS}"]]}))  # fmt: skip
    hostile += [cpr_in_ods_meta(home.indbakke / "meta.ods"),
                cpr_in_xls_formula(home.indbakke / "formel.xls")]  # fmt: skip
    settle([good, *hostile])
    code = main(["run", "--home", str(home.root)])
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    n = len(hostile)  # 8 places, 4 separators, 1 glued, the ODS and the xls: 15
    assert f"{n + 1} filer i denne kørsel: 1 accepteret, {n} afvist." in said.out
    assert query(home, "SELECT funktion, beloeb FROM raw.forbrug") == [("5.38.50", 100)]
    rejected = {home.afvist / p.name for p in hostile}
    assert all(p.exists() for p in rejected)
    everything = _everything_but(home.root, rejected) + said.out.encode() + said.err.encode()
    for form in (CPR_DIGITS[:6], CPR_DIGITS[:6].encode("utf-16-le").decode("latin-1")):
        assert form.encode("latin-1") not in everything


CELL_VALUES = st.one_of(
    cpr_numbers(),
    st.text("0123456789 -.,/", max_size=14),  # near misses: runs of digits, decimals
    st.text(max_size=12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(10**8, 10**10 - 1).map(float),  # ten-digit whole numbers, some real dates
    st.none(),
    st.dates(),
)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(CELL_VALUES, max_size=10), st.booleans())
def test_the_sifted_scan_finds_what_the_regex_finds_in_every_value(cells, numbers):
    # a column's distinct values are sifted in C++ before the Python regex looks at them;
    # the hits must be those of the regex on every value (whole numbers only outside
    # amount columns), as the scan found before the sift
    distinct = np.array(cells, dtype=object)
    expected = [looks_like_cpr(v) and (numbers or not isinstance(v, float)) for v in cells]
    assert _hits(distinct, numbers).tolist() == expected, f"{len(cells)} values"
    texts = np.array([v for v in cells if isinstance(v, str)], dtype=object)  # all text
    assert _hits(texts, numbers).tolist() == [looks_like_cpr(v) for v in texts]
