"""Property: hostile text in any text cell or file name of a good delivery never reaches a
person raw (docs/valg.md, "Tekst fra filer").

Hypothesis draws text of control characters, ANSI sequences, line breaks and bidi marks and
puts it in one place of the small municipality's delivery: a track name, an initiative's
name, an indicator (in the catalogue and the activity file alike), a status comment, or the
comment file's name. Each example runs the job once (about 5 s), so there are 5 of them.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from assets.danish import UNSAFE
from pipelines.cli import main
from tests import fixtures
from tests.conftest import settle
from tests.test_properties import examples, homes

pytestmark = pytest.mark.slow

MARK = "FORFALSKET"
PIECES = [
    "\x1b[31m",  # red
    "\x1b[2J",  # clear the screen
    "\x1b]0;titel\x07",  # the terminal's title
    "\x9b0m",  # the one-byte C1 CSI
    f"\r\nAdvarsel: {MARK}",
    f"\nAfvist: {MARK}",
    f"\rAFVIST: {MARK}",
    "\u2028",
    "\u2029",
    "\u202e",
    "\u2066",
    "\x85",
    "\x7f",
    "\t",
    "\x00",
]
hostile = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text("abc æø;-", min_size=1, max_size=4)),
    min_size=1,
    max_size=5,
).map(lambda parts: "Tekst " + "".join(parts) + "".join(PIECES[:1]))
# openpyxl refuses the C0 characters XML cannot hold; Excel writes them as _xHHHH_, which
# every reader turns back into the character
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_text(text: str) -> str:
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m[0]):04X}_", text)


def _set(path: Path, sheet: str, header: str, rows: list[int], text: str) -> None:
    """Put ``text`` in column ``header`` (row 3 holds the headers) of the given rows."""
    book = load_workbook(path)
    ws = book[sheet]
    column = next(c.column for c in ws[3] if c.value == header)
    for row in rows:
        ws.cell(row, column).value = _xlsx_text(text)
    book.save(path)


def _deliver(indbakke: Path, place: str, text: str) -> None:
    fixtures.inbox(indbakke)
    catalogue, activity = indbakke / "indsatser.xlsx", indbakke / "aktivitet.xlsx"
    if place == "spornavn":
        _set(catalogue, "Indsatser", "Spornavn", [4], text)
    elif place == "indsats":
        _set(catalogue, "Indsatser", "Indsats", [4, 5], text)
    elif place == "indikator":  # the catalogue's A1 (row 7) and every activity row
        _set(catalogue, "Indsatser", "Aktivitetsindikator", [7], text)
        _set(activity, "Aktivitet", "Indikator", list(range(4, 4 + 30)), text)
    comment = text if place == "kommentar" else "På sporet."
    name = (text.replace("/", "-").replace("\x00", "") if place == "filnavn" else "status") + ".csv"
    quoted = comment.replace('"', '""')
    (indbakke / name).write_text(
        f'Indsats ID;Opfølgning;Kommentar\nB1;2025-06;"{quoted}"\n', encoding="utf-8"
    )
    settle(sorted(p for p in indbakke.iterdir() if p.is_file()))


def _forged(text: str) -> list[str]:
    starts = (f"Advarsel: {MARK}", f"Afvist: {MARK}", f"AFVIST: {MARK}")
    return [line for line in text.split("\n") if line.lstrip().startswith(starts)]


@examples(5)
@given(place=st.sampled_from(["spornavn", "indsats", "indikator", "kommentar", "filnavn"]),
       text=hostile)  # fmt: skip
def test_hostile_text_in_a_good_delivery_reaches_no_person_raw(place, text):
    with homes(1) as [home]:
        _deliver(home.indbakke, place, text)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["run", "--home", str(home.root)])
        said = out.getvalue() + err.getvalue()
        assert code == 0, said
        written = {
            "terminal": said,
            "kvitteringer": "".join(p.read_text("utf-8") for p in home.kvitteringer.iterdir()),
            "afvist": "".join(p.read_text("utf-8") for p in home.afvist.glob("*.fejl.txt")),
        }
        for stem in ("styregruppe", "styregruppe_bilag"):  # the report and its appendix
            written[f"{stem}.html"] = (home.rapporter / f"{stem}.html").read_text("utf-8")
            with zipfile.ZipFile(home.rapporter / f"{stem}.xlsx") as book:
                written[f"{stem}.xlsx"] = "".join(
                    book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")
                )
        for where, shown in written.items():
            raw = UNSAFE.search(shown.replace("\n", ""))
            assert raw is None, f"{where}: {raw[0]!r}"
            assert _forged(shown) == [], where
