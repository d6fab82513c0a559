"""A run with nothing new ends before Dagster is imported, and says exactly what the job's
own run with nothing new says (docs/valg.md, "A run with nothing new")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import _run, main
from pipelines.instance import instance
from pipelines.jobs import INBOX_ONLY_CONFIG

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[1]


def test_nothing_new_prints_what_the_job_would_and_records_no_run(home, small_inbox, capsys):
    assert main(["run", "--home", str(home.root)]) == 0
    first = capsys.readouterr().out
    os.symlink(home.root / "forebyg.duckdb", home.indbakke / "genvej.xlsx")
    published = home.warehouse.stat().st_mtime_ns

    assert main(["run", "--home", str(home.root)]) == 0
    short = capsys.readouterr().out
    assert _run(home, run_config=INBOX_ONLY_CONFIG) == 0  # the job, with nothing new
    assert capsys.readouterr().out == short

    assert "Ikke læst: genvej.xlsx – Filen er en genvej" in short
    assert (home.kvitteringer / "ikke-laest_genvej.xlsx.txt").exists()
    assert "Ingen nye filer." in short.splitlines()
    # the headline figures are the first run's, from the same warehouse, untouched
    assert short.split("\n\n", 1)[1] == first.split("\n\n", 1)[1]
    assert home.warehouse.stat().st_mtime_ns == published
    with instance(home.root) as ui:  # the first run and the job's; the short one is not there
        assert len(ui.get_runs()) == 2


def test_nothing_new_never_imports_dagster(home, small_inbox):
    assert main(["run", "--home", str(home.root)]) == 0
    probe = (
        "import sys\nfrom pipelines.cli import main\n"
        f"assert main(['run', '--home', {str(home.root)!r}]) == 0\n"
        "print(sorted(m for m in ('dagster', 'pandera') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-1] == "[]"
