"""Property-based tests (hypothesis): mutated extracts, random bytes, odd names and links.

For every generated case: intake gives a verdict and never repeats a CPR number; a run
exits 0 with no traceback, the good file beside the bad one is loaded, every input ends
in exactly one of arkiv/, afvist/ or (links, hidden files) the inbox, and a rejected
input leaves the data exactly as a run without it. ``python -m tests.fuzz --examples N``
runs the same properties longer (tests/fuzz.py).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from assets.intake.parsing.extract import parse_file
from assets.intake.reading.cpr import looks_like_cpr
from assets.intake.reading.limits import Refused, check_zip
from pipelines.cli import main
from runtime.resources import Home
from tests.conftest import checksums, query
from tests.fuzz import (
    Sample,
    cpr_numbers,
    examples,
    file_names,
    mutated_file,
    odd_sheet_paths,
    safe_name,
    spending_in_any_digits,
)
from tests.hostile_files import (
    CPR_PLACES,
    HEADER,
    cpr_in_part,
    far_cell,
    good_spending,
    moved_sheet,
    xlsx,
)

pytestmark = pytest.mark.slow

LOGS = {"raw.leverancer", "raw.koersler", "mart.leverancer"}
# CPU seconds of this process (every thread) for one parse: a file of at most some hundred
# kB takes milliseconds; a parse that loops or backtracks for minutes would pass this bound.
# CPU time, not the clock: other work on the machine does not count.
PARSE_CPU_SECONDS = 30
QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]


@settings(max_examples=examples("parse"), deadline=None, database=None, suppress_health_check=QUIET)
@given(mutated_file().map(Sample))
def test_any_file_gets_a_verdict_that_never_repeats_a_cpr_number(sample):
    name, data = sample.name, sample.data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        started = time.process_time()
        extract = parse_file(path, name)
        spent = time.process_time() - started
    assert spent < PARSE_CPU_SECONDS, f"{sample}: {spent:.1f} CPU seconds"
    texts = [p.text() for p in extract.problems]
    assert extract.accepted != bool(texts), f"{sample}: accepted and {len(texts)} problems"
    assert not any(looks_like_cpr(t) for t in texts), f"{sample}: a message repeats a CPR number"


def _data(home: Home) -> dict:
    return {t: c for t, c in checksums(home).items() if t not in LOGS}


def _deliver(folder: Path, good: bytes, name: str, data: bytes, link: bool) -> Home:
    home = Home(folder / "hjem").create()
    (home.indbakke / "god.xlsx").write_bytes(good)
    if name is not None:
        target = home.indbakke / name
        if link:
            outside = folder / "udenfor"
            outside.write_bytes(data)
            target.symlink_to(outside)
        else:
            target.write_bytes(data)
    now = time.time()  # the good file is older, so it is always delivery 1
    os.utime(home.indbakke / "god.xlsx", (now - 120, now - 120))
    if name is not None and not link:
        os.utime(target, (now - 60, now - 60))
    return home


@pytest.fixture(scope="module")
def good_file(tmp_path_factory):
    """The good file's bytes and the data after a run with it alone."""
    folder = tmp_path_factory.mktemp("grundlag")
    good = good_spending(folder / "god.xlsx").read_bytes()
    home = _deliver(folder, good, None, b"", False)
    assert main(["run", "--home", str(home.root)]) == 0
    return good, _data(home)


# A full run per example: no shrinking (minutes), the failing example is printed as found.
@settings(
    max_examples=examples("run"),
    deadline=None,
    database=None,
    suppress_health_check=QUIET,
    phases=[Phase.explicit, Phase.generate],
)
@given(mutated_file().map(Sample), file_names, st.sampled_from(["fil", "fil", "fil", "link"]))
def test_a_bad_file_never_stops_the_good_one(good_file, capsys, sample, stem, form):
    good, alone = good_file
    suffix_name, data = sample.name, sample.data
    name = safe_name(stem, Path(suffix_name).suffix)
    if name == "god.xlsx":
        name = "ny_" + name
    with tempfile.TemporaryDirectory() as folder:
        home = _deliver(Path(folder), good, name, data, form == "link")
        code = main(["run", "--home", str(home.root)])
        said = capsys.readouterr()
        assert code == 0, said.err
        assert "Traceback" not in said.out + said.err
        rows = query(home, "SELECT leverance_nr, status, sha256 FROM raw.leverancer ORDER BY 1")
        assert rows[0][:2] == (1, "accepteret")  # the good file
        assert (home.arkiv / f"{rows[0][2]}.xlsx").read_bytes() == good
        _one_place(home, name, data, form == "link", rows[1:])
        if not any(status == "accepteret" for _, status, _ in rows[1:]):
            assert _data(home) == alone


def _one_place(home: Home, name: str, data: bytes, link: bool, rows: list) -> None:
    """The bad input is in exactly one of arkiv/, afvist/ or the inbox."""
    digest = hashlib.sha256(data).hexdigest()
    in_inbox = os.path.lexists(home.indbakke / name)
    in_archive = any(p.name.startswith(digest) for p in home.arkiv.iterdir())
    in_rejected = [
        p for p in home.afvist.iterdir() if p.is_file() and not p.name.endswith(".fejl.txt")
    ]
    hidden = name.startswith((".", "~$"))  # Excel's owner files and hidden files
    if link or hidden:  # never read: stays where it is
        assert in_inbox and not in_archive and not in_rejected and rows == []
        if link and not hidden:  # said in a receipt
            assert list(home.kvitteringer.glob("ikke-laest_*"))
        return
    [(_, status, sha)] = rows
    assert sha == digest and not in_inbox
    if status == "accepteret":
        assert in_archive and not in_rejected
    else:
        assert status == "afvist" and not in_archive
        [kept] = in_rejected
        assert kept.read_bytes() == data and kept.with_name(kept.name + ".fejl.txt").exists()


FORMS = settings(
    max_examples=examples("forms"), deadline=None, database=None, suppress_health_check=QUIET
)


@FORMS
@given(spending_in_any_digits(), st.sampled_from([".xlsx", ".csv"]))
def test_digits_of_any_script_are_read_as_the_plain_digits(rows, suffix):
    """Function, period and amount in digits of drawn scripts read as written in 0-9: the
    expected values are the ASCII text the drawn one was made from."""
    plain, written = rows
    note(f"{len(written)} rows, {suffix}: {[c for r in written for c in r]!r}"[:300])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"cifre{suffix}"
        if suffix == ".csv":
            lines = [";".join(HEADER), *(";".join(r) for r in written)]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        else:
            xlsx(path, {"Forbrug": [HEADER, *written]})
        extract = parse_file(path)
    assert extract.accepted, [p.text() for p in extract.problems][:3]
    frame = extract.tables["forbrug"]
    found = [
        (f, int(y), int(m), Decimal(str(b)))
        for f, y, m, b in zip(frame["funktion"], frame["aar"], frame["maaned"], frame["beloeb"],
                              strict=True)
    ]  # fmt: skip
    assert found == [(f, y, m, Decimal(a.replace(",", "."))) for f, y, m, a in plain]


@FORMS
@given(cpr_numbers(), st.sampled_from([*CPR_PLACES, "celle"]))
def test_a_cpr_number_in_any_form_and_part_is_found_and_never_repeated(cpr, where):
    note(f"{where}: {cpr!r}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.xlsx"
        if where == "celle":
            xlsx(path, {"Forbrug": [[*HEADER, "Tekst"], ["5.38.50", "2025-01", 1, cpr]]})
        else:
            cpr_in_part(path, where, cpr)
        extract = parse_file(path)
    said = " ".join(p.text() for p in extract.problems)
    assert not extract.accepted and "ligner CPR-numre" in said, f"{where}: not found"
    date = "".join(str(unicodedata.digit(ch)) for ch in cpr if ch.isdigit())[:6]
    assert date not in said, f"{where}: a message repeats the number"


@FORMS
@given(odd_sheet_paths(), st.booleans())
def test_a_sheet_at_any_path_is_measured_before_it_is_read(paths, far):
    """A far cell (XFD1048576) is refused by the size guard alone (the reader is never
    asked: it would abort the process); the same sheet without it is read."""
    member, target = paths
    note(f"{member} ← {target}, far cell: {far}")
    with tempfile.TemporaryDirectory() as folder:
        path = moved_sheet(Path(folder) / "f.xlsx", member, target,
                           far_cell if far else good_spending)  # fmt: skip
        if far:
            with pytest.raises(Refused, match=r"1\.048\.576 rækker × 16\.384 kolonner"):
                check_zip(path, ".xlsx")
        else:
            extract = parse_file(path)
            assert extract.accepted, [p.text() for p in extract.problems]
