"""Every part the reader may open as a sheet is measured first (issue 24, item 9).

Before, the size guard measured only members named xl/worksheets/*.xml: a sheet stored
elsewhere (the workbook's relationship pointing at /xl/data/blad1.xml, relative or
absolute, or at the shared strings' member) or named sheet1.XML passed, and its one cell
in XFD1048576 made the reader ask for 512 GiB: the process aborted (exit -6). The files
are therefore read in a child process (one for all of them, a line of verdict each as it
is done), so an abort is a failure naming the file, not pytest's end.
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
from pathlib import Path
from assets.intake.parsing.extract import parse_file
for name in sys.argv[1:]:
    print(name, file=sys.stderr, flush=True)  # the file being read, should the process abort
    extract = parse_file(Path(name))
    verdict = {"accepted": extract.accepted, "problems": [p.text() for p in extract.problems]}
    print(json.dumps(verdict), flush=True)
"""
GOOD = [("xl/data/blad1.xml", "/xl/data/blad1.xml"), ("xl/data/blad1.xml", "data/blad1.xml"),
        ("xl/worksheets/sheet1.XML", "worksheets/sheet1.XML")]  # fmt: skip


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, dict]:
    """Every file of the cases below, parsed in one child process: case → verdict. A file
    that aborts the process (and those after it) has none; its test fails with the
    child's exit status and the end of its stderr."""
    folder = tmp_path_factory.mktemp("dele")
    paths = {name: BUILDERS[name](folder / name) for name in MOVED}
    for i, (member, target) in enumerate(GOOD):
        paths[member, target] = moved_sheet(folder / f"god{i}.xlsx", member, target, good_spending)
    done = _python(PARSE, *map(str, paths.values()))
    found = dict(zip(paths, map(json.loads, done.stdout.splitlines()), strict=False))
    failed = f"exit {done.returncode}: {done.stderr[-2000:]}"
    return {case: found.get(case, failed) for case in paths}


@pytest.mark.parametrize("name", MOVED)
def test_a_far_cell_in_a_sheet_at_another_path_is_refused_not_read(verdicts, name):
    verdict = verdicts[name]
    assert isinstance(verdict, dict), verdict
    assert not verdict["accepted"]
    assert FAR in " ".join(verdict["problems"])


@pytest.mark.parametrize(("member", "target"), GOOD)
def test_a_good_sheet_at_another_path_is_read(verdicts, member, target):
    """One row of 100 kr. on 5.38.50 (``good_spending``), stored at an odd path."""
    assert verdicts[member, target] == {"accepted": True, "problems": []}


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
