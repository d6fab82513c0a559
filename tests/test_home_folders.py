"""The data home is checked, not trusted (docs/drift.md, "Datahjemmets mapper"): its folders
are real folders inside it, names that collide get names of their own, the manifest holds
no file name, a file's clock is never believed, and a file over the size limit is refused
before it is copied."""

from __future__ import annotations

import errno
import json
import os
import time
import types
from decimal import Decimal
from pathlib import Path

import pytest

from assets.files import inbox, receipts
from assets.intake import assets as intake_assets
from assets.intake.reading import limits
from pipelines.cli import main
from runtime.resources import Home
from tests.conftest import query, settle
from tests.hostile_files import good_spending

FOLDERS = ["indbakke", "afvist", "arkiv", "kvitteringer", "rapporter"]


def _run(home: Home, capsys) -> tuple[int, str]:
    code = main(["run", "--home", str(home.root)])
    out = capsys.readouterr()
    return code, out.out + out.err


def _junk(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS)
def test_a_folder_swapped_for_a_link_stops_the_run_and_nothing_moves(
    home, tmp_path, capsys, folder
):
    """A group member replaces a folder of the home with a link to a folder outside it."""
    outside = tmp_path / "udenfor"
    outside.mkdir()
    if folder == "indbakke":  # the link's target holds a file the run would have taken
        good_spending(outside / "god.xlsx")
    else:
        good_spending(home.indbakke / "god.xlsx")
        _junk(home.indbakke / "skrald.csv", "ikke et udtræk\n")
    settle([p for p in [*home.indbakke.iterdir(), *outside.iterdir()] if p.is_file()])
    before = sorted(p.name for p in outside.iterdir())
    getattr(home, folder).rmdir()
    getattr(home, folder).symlink_to(outside, target_is_directory=True)
    code, said = _run(home, capsys)
    assert code == 1 and "Traceback" not in said
    assert f"{folder}/ i datahjemmet" in said and "genvej (symbolsk link)" in said
    assert sorted(p.name for p in outside.iterdir()) == before  # nothing moved or written
    assert not home.warehouse.exists()


@pytest.mark.slow
def test_a_folder_that_is_a_file_and_a_home_that_is_a_file_are_named(home, tmp_path, capsys):
    home.kvitteringer.rmdir()
    home.kvitteringer.write_text("ikke en mappe", encoding="utf-8")
    code, said = _run(home, capsys)
    assert code == 1 and "kvitteringer/ i datahjemmet" in said and "er en fil" in said
    assert "Traceback" not in said
    a_file = tmp_path / "hjem.txt"
    a_file.write_text("x", encoding="utf-8")
    assert main(["run", "--home", str(a_file)]) == 1
    said = capsys.readouterr().err
    assert f"Datahjemmet {a_file} er en fil, ikke en mappe" in said


@pytest.mark.slow
def test_a_read_only_home_is_named_without_a_traceback(tmp_path, capsys, monkeypatch):
    """CI runs as root, whom chmod does not stop: the file system's answer is simulated."""

    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    assert main(["run", "--home", str(tmp_path / "nyt")]) == 1
    said = capsys.readouterr().err
    assert "datahjemmet er skrivebeskyttet" in said and "Traceback" not in said


@pytest.mark.slow
def test_a_folder_swapped_during_the_run_stops_it_before_anything_moves(
    home, tmp_path, capsys, monkeypatch
):
    from assets import publishing

    outside = tmp_path / "udenfor"
    outside.mkdir()
    settle([good_spending(home.indbakke / "god.xlsx"), _junk(home.indbakke / "skrald.csv", "x")])
    real = publishing.read_manifest

    def swap_then_read(folder):
        home.afvist.rmdir()
        home.afvist.symlink_to(outside, target_is_directory=True)
        return real(folder)

    monkeypatch.setattr(publishing, "read_manifest", swap_then_read)
    code, said = _run(home, capsys)
    assert code == 1 and "afvist/ i datahjemmet" in said and "Traceback" not in said
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in home.indbakke.iterdir()) == ["god.xlsx", "skrald.csv"]
    assert not home.warehouse.exists()  # stopped before the swap


@pytest.mark.slow
def test_names_that_collide_when_flattened_keep_every_rejected_file(home, capsys):
    """a/b_c.csv, a_b/c.csv and a_b_c.csv are all 'a_b_c.csv' once flattened."""
    junk = {
        "a/b_c.csv": "første\n",
        "a_b/c.csv": "anden\n",
        "a_b_c.csv": "tredje\n",
    }
    settle([_junk(home.indbakke / name, text) for name, text in junk.items()])
    settle([good_spending(home.indbakke / "god.xlsx")])
    code, said = _run(home, capsys)
    assert code == 0 and "4 filer i denne kørsel: 1 accepteret, 3 afvist." in said
    kept = [p for p in home.afvist.iterdir() if not p.name.endswith(".fejl.txt")]
    assert len(kept) == 3  # three names, none overwritten
    assert sorted(p.read_text("utf-8") for p in kept) == sorted(junk.values())
    assert all(Path(f"{p}.fejl.txt").exists() for p in kept)
    # three receipts for the three files, plus the good file's
    assert len(list(home.kvitteringer.glob("*.txt"))) == 4


def test_a_link_planted_at_a_receipt_name_is_never_followed(home, tmp_path):
    victim = tmp_path / "offer.txt"
    victim.write_text("urørt", encoding="utf-8")
    (home.kvitteringer / "ikke-laest_genvej.xlsx.txt").symlink_to(victim)
    written = receipts.note_skipped(home.kvitteringer, "genvej.xlsx", "link")
    assert victim.read_text("utf-8") == "urørt"
    assert written.name == "ikke-laest_2_genvej.xlsx.txt"
    assert "Fil:        genvej.xlsx" in written.read_text("utf-8")
    # the next run renews its own receipt instead of making a third
    assert receipts.note_skipped(home.kvitteringer, "genvej.xlsx", "link") == written


@pytest.mark.slow
def test_the_manifest_left_by_a_killed_run_holds_no_file_name(home, capsys, monkeypatch):
    """What a kill right after intake leaves in .arbejde/filer/: inodes, never names."""
    left: list[str] = []
    real = intake_assets.write_manifest

    def keep(folder, copies):
        real(folder, copies)
        left.append((folder / "manifest.json").read_text("ascii"))

    monkeypatch.setattr(intake_assets, "write_manifest", keep)
    settle([good_spending(home.indbakke / "borger 0101851234.xlsx")])
    settle([good_spending(home.indbakke / "god.xlsx", month="2025-02")])
    assert _run(home, capsys)[0] == 0
    [manifest] = left
    assert not any(part in manifest for part in ("0101851234", "borger", "god"))
    entries = json.loads(manifest)
    assert sorted(e["kopi"] for e in entries.values()) == ["1.xlsx", "2.xlsx"]
    assert list(home.indbakke.iterdir()) == []  # both found again by inode and moved


def test_readiness_is_two_looks_apart_by_this_machines_clock(tmp_path, monkeypatch):
    """A file from 2030 and one an hour ahead are ready after one settle time; a file that
    changes between the looks waits."""
    folder = tmp_path / "indbakke"
    future = good_spending(_junk(folder / "2030.xlsx", ""))
    ahead = good_spending(folder / "ahead.xlsx")
    moving = good_spending(folder / "moving.xlsx")
    in_2030 = time.mktime((2030, 1, 1, 0, 0, 0, 0, 0, -1))
    os.utime(future, (in_2030, in_2030))
    os.utime(ahead, (time.time() + 3600, time.time() + 3600))
    slept: list[float] = []

    def sleep(seconds):
        slept.append(seconds)
        moving.write_bytes(moving.read_bytes() + b"\0")  # written while we wait

    monkeypatch.setattr(inbox, "time", types.SimpleNamespace(sleep=sleep, time=time.time))
    ready = inbox.stable(folder, settle_seconds=2.0)
    assert slept == [2.0]  # one wait, the settle time, whatever the files' clocks say
    assert sorted(f.name for f in ready) == ["2030.xlsx", "ahead.xlsx"]


@pytest.mark.slow
def test_files_from_the_future_get_a_verdict_beside_a_good_file(home, capsys, monkeypatch):
    real_sleep = time.sleep

    def bounded(wait):  # a wait for a file's clock would be hours or years
        assert wait < 60, f"venter {wait} s"
        real_sleep(wait)

    monkeypatch.setattr(inbox, "time", types.SimpleNamespace(sleep=bounded, time=time.time))
    settle([good_spending(home.indbakke / "god.xlsx", 1, "2025-01")])
    in_2030 = time.mktime((2030, 1, 1, 0, 0, 0, 0, 0, -1))
    for path, when in (
        (good_spending(home.indbakke / "fremtid.xlsx", 2, "2025-02"), time.time() + 3600),
        (good_spending(home.indbakke / "2030.xlsx", 4, "2025-03"), in_2030),
    ):
        os.utime(path, (when, when))
    code, said = _run(home, capsys)
    assert code == 0 and "3 filer i denne kørsel: 3 accepteret." in said
    # 1 + 2 + 4 kr.: every file loaded, the future ones too
    assert query(home, "SELECT sum(beloeb) FROM raw.forbrug") == [(Decimal("7.00"),)]


def _disk_without_room(monkeypatch, room: int) -> None:
    """Copying more than ``room`` bytes into the work folder fails as on a full disk."""
    real = intake_assets.private_copy

    def copy(file, target):
        if target is not None and file.size > room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(file, target)

    monkeypatch.setattr(intake_assets, "private_copy", copy)


@pytest.mark.slow
def test_a_file_over_the_size_limit_is_refused_before_it_is_copied(home, capsys, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100_000)
    _disk_without_room(monkeypatch, 100_000)
    big = _junk(home.indbakke / "stor.csv", "x;" * 60_000)  # 120.000 bytes > 100.000
    settle([big, good_spending(home.indbakke / "god.xlsx")])
    code, said = _run(home, capsys)
    assert code == 0 and "2 filer i denne kørsel: 1 accepteret, 1 afvist." in said
    assert "AFVIST: stor.csv" in said and "Filen fylder" in said
    assert (home.afvist / "stor.csv").read_text("utf-8") == "x;" * 60_000  # moved, whole
    assert "forebyg læser filer på højst" in (home.afvist / "stor.csv.fejl.txt").read_text()
    assert list(home.indbakke.iterdir()) == []


@pytest.mark.slow
def test_a_full_disk_while_copying_a_file_within_the_limits_stops_the_run(
    home, capsys, monkeypatch
):
    _disk_without_room(monkeypatch, 0)
    settle([good_spending(home.indbakke / "god.xlsx")])
    code, said = _run(home, capsys)
    assert code == 1 and "Traceback" not in said and "uventet" not in said
    assert "disken er fuld" in said and "filerne venter i indbakken" in said
    assert [p.name for p in home.indbakke.iterdir()] == ["god.xlsx"]
    assert not home.warehouse.exists()


def test_a_file_forebyg_writes_replaces_a_planted_link_without_following_it(tmp_path):
    """The reports' and receipts' writer (``resources.write_text``)."""
    from runtime.resources import write_text

    victim = tmp_path / "offer.txt"
    victim.write_text("urørt", encoding="utf-8")
    planted = tmp_path / "styregruppe.html.tmp"
    planted.symlink_to(victim)
    write_text(planted, "<html>")
    assert victim.read_text("utf-8") == "urørt"
    assert not planted.is_symlink() and planted.read_text("utf-8") == "<html>"
