"""Every part the reader may open as a sheet is measured first (issue 24, item 9).

Before, the size guard measured only members named xl/worksheets/*.xml: a sheet stored
elsewhere (the workbook's relationship pointing at /xl/data/blad1.xml, relative or
absolute, or at the shared strings' member) or named sheet1.XML passed, and its one cell
in XFD1048576 made the reader ask for 512 GiB: the process aborted (exit -6). Each file
is therefore read in a process of its own here, so an abort is a failure, not pytest's end.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import settle
from tests.hostile_files import BUILDERS, good_spending, moved_sheet

MOVED = ["ark_andetsteds.xlsx", "ark_relativt.xlsx", "ark_store_bogstaver.xlsx",
         "ark_som_delte_tekster.xlsx"]  # fmt: skip
FAR = "spænder over 1.048.576 rækker × 16.384 kolonner"  # XFD = column 16,384


def _limited() -> None:
    """At most 16 GiB of address space: a reader asking for far more fails at once, never
    making the machine swap."""
    resource.setrlimit(resource.RLIMIT_AS, (16 << 30, 16 << 30))


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limited,
        cwd=Path(__file__).parents[1],
    )


PARSE = """
import json, sys
from assets.intake.extract import parse_file
extract = parse_file(__import__("pathlib").Path(sys.argv[1]))
print(json.dumps({"accepted": extract.accepted, "problems": [p.text() for p in extract.problems]}))
"""


@pytest.mark.parametrize("name", MOVED)
def test_a_far_cell_in_a_sheet_at_another_path_is_refused_not_read(tmp_path, name):
    path = BUILDERS[name](tmp_path / name)
    done = _python(PARSE, str(path))
    assert done.returncode == 0, done.stderr[-2000:]
    verdict = json.loads(done.stdout)
    assert not verdict["accepted"]
    assert FAR in " ".join(verdict["problems"])


@pytest.mark.parametrize(
    ("member", "target"),
    [("xl/data/blad1.xml", "/xl/data/blad1.xml"), ("xl/data/blad1.xml", "data/blad1.xml"),
     ("xl/worksheets/sheet1.XML", "worksheets/sheet1.XML")],
)  # fmt: skip
def test_a_good_sheet_at_another_path_is_read(tmp_path, member, target):
    """One row of 100 kr. on 5.38.50 (``good_spending``), stored at an odd path."""
    path = moved_sheet(tmp_path / "god.xlsx", member, target, good_spending)
    done = _python(PARSE, str(path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == {"accepted": True, "problems": []}


RUN = "import sys; from pipelines.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.slow
def test_sheets_at_odd_paths_beside_a_good_file_never_stop_the_run(home):
    good = good_spending(home.indbakke / "god.xlsx")
    hostile = [BUILDERS[name](home.indbakke / name) for name in MOVED]
    settle([good, *hostile])
    done = _python(RUN, "run", "--home", str(home.root))
    said = done.stdout + done.stderr
    assert done.returncode == 0, said[-2000:]
    # the good file and the four hostile ones
    assert "5 filer i denne kørsel: 1 accepteret, 4 afvist." in said
    for name in MOVED:
        assert FAR in (home.afvist / f"{name}.fejl.txt").read_text()
