"""Faults that belong to no file: a corrupt warehouse, a full disk, a run config that
tries to move the warehouse; and the permissions of what a run creates."""

from __future__ import annotations

import errno
import os
import shutil
import stat

import dagster as dg
import pytest

from pipelines.cli import execute, main
from pipelines.graph import build_definitions
from tests import fixtures
from tests.conftest import checksums, settle
from tests.hostile_files import good_spending

pytestmark = pytest.mark.slow

# delivery logs; the plausibility warnings describe deliveries as they arrived, against the
# warehouse of that moment, so a rebuild (with no earlier state) records none
LOGS = {
    "raw.leverancer",
    "raw.koersler",
    "mart.leverancer",
    "raw.advarsler",
    "mart.opmaerksomhed",
}


def data(home) -> dict:
    return {t: c for t, c in checksums(home).items() if t not in LOGS}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from runtime.resources import Home

    home = Home(tmp_path_factory.mktemp("lager") / "hjem").create()
    settle(fixtures.inbox(home.indbakke))
    assert main(["run", "--home", str(home.root)]) == 0
    return home, data(home)


def _garble(path):
    raw = bytearray(path.read_bytes())
    raw[: len(raw) // 2] = bytes(len(raw) // 2)  # header and catalogue overwritten
    path.write_bytes(bytes(raw))


def _truncate(path):
    path.write_bytes(path.read_bytes()[:5000])


def _empty(path):
    path.write_bytes(b"")


@pytest.mark.parametrize(
    "damage", [_garble, _truncate, _empty], ids=["garbled", "truncated", "empty"]
)
def test_a_corrupt_warehouse_names_rebuild_and_rebuild_restores_it(
    loaded, tmp_path, capsys, damage
):
    source, before = loaded
    home = type(source)(tmp_path / "hjem")
    shutil.copytree(source.root, home.root)
    damage(home.warehouse)
    settle([good_spending(home.indbakke / "ny.xlsx")])
    for command in ("status", "run"):
        assert main([command, "--home", str(home.root)]) == 1
        said = capsys.readouterr()
        assert "forebyg rebuild" in said.err and "Traceback" not in said.out + said.err
    assert (home.indbakke / "ny.xlsx").exists()  # the file waits
    assert main(["rebuild", "--home", str(home.root)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert data(home) == before  # everything the archive held, and nothing else
    assert main(["status", "--home", str(home.root)]) == 0


def test_rebuild_without_a_warehouse(loaded, tmp_path):
    source, before = loaded
    home = type(source)(tmp_path / "hjem")
    shutil.copytree(source.root, home.root)
    home.warehouse.unlink()
    assert main(["rebuild", "--home", str(home.root)]) == 0
    assert data(home) == before


def test_a_full_disk_stops_the_run_and_changes_nothing(loaded, tmp_path, capsys, monkeypatch):
    from assets.intake.loading import deliver

    source, before = loaded
    home = type(source)(tmp_path / "hjem")
    shutil.copytree(source.root, home.root)
    settle([good_spending(home.indbakke / "ny.xlsx")])

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device", str(home.warehouse))

    monkeypatch.setattr(deliver, "insert_rows", full)
    assert main(["run", "--home", str(home.root)]) == 1
    err = capsys.readouterr().err
    assert "Kørslen kunne ikke gennemføres; lageret er uændret." in err
    assert "Kørslen er stoppet, fordi disken er fuld" in err and "Traceback" not in err
    assert data(home) == before
    assert (home.indbakke / "ny.xlsx").exists() and not list(home.afvist.iterdir())


def test_after_the_swap_the_message_says_the_warehouse_changed(home, capsys, monkeypatch):
    from assets.files import lifecycle

    settle([good_spending(home.indbakke / "ny.xlsx")])
    monkeypatch.setattr(lifecycle, "same_file", lambda *a: 1 / 0)
    assert main(["run", "--home", str(home.root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lageret er opdateret, men kørslen blev ikke helt færdig")
    assert "uventet fejl" in err and "ZeroDivisionError" not in err
    assert "ZeroDivisionError" in (home.root / "forebyg.log").read_text()


def test_a_run_cannot_move_the_warehouse(home, tmp_path):
    elsewhere = tmp_path / "andetsteds"
    job = build_definitions(home).resolve_job_def("forebyg")
    with pytest.raises(dg.DagsterInvalidConfigError):
        job.execute_in_process(
            run_config={"resources": {"warehouse": {"config": {"home": str(elsewhere)}}}},
            instance=dg.DagsterInstance.ephemeral(),
        )
    assert not elsewhere.exists()


def test_what_a_run_creates_is_for_the_service_account_and_its_group(tmp_path):
    """Through the CLI and through Dagster alone (the resource sets the umask), starting
    from the usual umask 022 each time, with a rejected file among the accepted."""
    from runtime.resources import Home

    old = os.umask(0o022)
    try:
        home = Home(tmp_path / "hjem")
        assert main(["run", "--home", str(home.root)]) == 0  # creates the home
        os.umask(0o022)
        settle([*fixtures.inbox(home.indbakke), good_spending(home.indbakke / "x.docx")])
        assert execute(home).success
        os.umask(0o022)
        settle([good_spending(home.indbakke / "ny.xlsx", month="2025-07")])
        assert main(["run", "--home", str(home.root)]) == 0
    finally:
        os.umask(old)
    made = [home.root, *home.root.rglob("*")]
    assert len(made) > 20
    open_to_others = [p for p in made if stat.S_IMODE(p.lstat().st_mode) & 0o007]
    assert open_to_others == []
