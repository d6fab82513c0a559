"""A rebuild reads only what the archive's index names, and a damaged archived file is that
file's problem; a damaged warehouse and every fault of the machine are named with the
command that fixes them, never with a traceback (docs/drift.md, "Lageret er beskadiget",
"Et arkivfelt er beskadiget", "Maskinfejl")."""

from __future__ import annotations

import errno
import json
import shutil

import pytest

from assets.files import archive as archive_module
from pipelines.cli import main
from runtime.resources import Home
from tests import fixtures
from tests.conftest import query, settle
from tests.hostile_files import good_spending
from tests.test_recovery import data

CLOSED = "2025-03-31"  # a month end within the fixture's spending (01-2025 … 06-2025)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The small municipality's six files, run once, with one follow-up closed."""
    home = Home(tmp_path_factory.mktemp("arkiv") / "hjem").create()
    settle(fixtures.inbox(home.indbakke))
    assert main(["run", "--home", str(home.root)]) == 0
    assert main(["opfoelgning", "luk", CLOSED, "--home", str(home.root)]) == 0
    return home, data(home)


@pytest.fixture
def copy(loaded, tmp_path) -> Home:
    source, _ = loaded
    home = Home(tmp_path / "hjem")
    shutil.copytree(source.root, home.root)
    return home


def _sidecars(home: Home) -> list:
    return sorted(home.arkiv.glob("*.json"))


def _data_file(sidecar):
    return sidecar.with_suffix(".xlsx")  # the fixture's six files are all workbooks


def _rebuild(home: Home, capsys) -> tuple[int, str]:
    code = main(["rebuild", "--home", str(home.root)])
    said = capsys.readouterr()
    return code, " ".join((said.out + said.err).split())  # as one line: wrapped to the width


def _accepted(home: Home) -> int:
    return query(home, "SELECT count(*) FROM raw.leverancer WHERE status = 'accepteret'")[0][0]


@pytest.mark.slow
@pytest.mark.parametrize("old_sidecars", [False, True], ids=["endelse", "uden-endelse"])
def test_stray_files_beside_archived_ones_are_never_read(loaded, copy, capsys, old_sidecars):
    """Each data file gets a stale '.tmp' and a dotfile holding another file's bytes; a
    sidecar written before the suffix was kept finds its file by the exact name."""
    _, before = loaded
    sidecars = _sidecars(copy)
    files = [_data_file(s) for s in sidecars]
    for own, other in zip(files, files[1:] + files[:1], strict=True):
        shutil.copyfile(other, own.with_name(own.name + ".tmp"))
        shutil.copyfile(other, own.with_name("." + own.name))
    if old_sidecars:
        for sidecar in sidecars:
            info = json.loads(sidecar.read_text("utf-8"))
            info.pop("endelse", None)
            sidecar.write_text(json.dumps(info), encoding="utf-8")
    code, said = _rebuild(copy, capsys)
    assert code == 0 and "Udeladt af arkivet" not in said
    assert data(copy) == before  # the same marts as before the rebuild


@pytest.mark.slow
def test_a_stale_tmp_is_not_taken_for_a_missing_file(copy, capsys):
    sidecar = _sidecars(copy)[0]
    data_file = _data_file(sidecar)
    data_file.rename(data_file.with_name(data_file.name + ".tmp"))
    code, said = _rebuild(copy, capsys)
    assert code == 0 and "Traceback" not in said
    assert f"arkiv/{sidecar.name}" in said and "nævner en fil, der ikke findes" in said
    assert _accepted(copy) == 5  # the six files of the fixture less the missing one


@pytest.mark.slow
@pytest.mark.parametrize(
    "garbled",
    ["{ikke json", "", "[]", '{"leverancer": [{"filnavn": 7}]}', '{"leverancer": 3}'],
    ids=["json", "empty", "list", "name-not-text", "no-list"],
)
def test_a_damaged_sidecar_is_that_files_problem(copy, capsys, garbled):
    sidecar = _sidecars(copy)[0]
    sidecar.write_text(garbled, encoding="utf-8")
    code, said = _rebuild(copy, capsys)
    assert code == 0 and "Traceback" not in said and "uventet" not in said
    assert f"Arkivfeltet arkiv/{sidecar.name} er beskadiget" in said
    assert "kør 'forebyg rebuild' igen" in said
    assert f"arkiv/{sidecar.name} er beskadiget" in (copy.root / "forebyg.log").read_text()
    assert _accepted(copy) == 5  # 6 − 1


@pytest.mark.slow
def test_an_archived_file_whose_bytes_differ_from_its_hash_is_left_out(copy, capsys):
    data_file = _data_file(_sidecars(copy)[0])
    raw = data_file.read_bytes()
    data_file.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))  # one bit flipped
    code, said = _rebuild(copy, capsys)
    assert code == 0 and "Traceback" not in said
    assert f"arkiv/{data_file.name}" in said and "passer ikke til filens sha256" in said
    assert _accepted(copy) == 5  # 6 − 1


@pytest.mark.slow
@pytest.mark.parametrize("content", [b"PAR1 ikke parquet", b""], ids=["garbled", "empty"])
def test_a_damaged_follow_up_file_is_left_out_and_named(loaded, copy, capsys, content):
    _, before = loaded
    (copy.arkiv / "opfoelgninger" / f"{CLOSED}.parquet").write_bytes(content)
    code, said = _rebuild(copy, capsys)
    assert code == 0 and "Traceback" not in said and "unexpected" not in said
    assert f"arkiv/opfoelgninger/{CLOSED}.parquet kan ikke læses" in said
    assert query(copy, "SELECT count(*) FROM raw.opfoelgninger")[0][0] == 0  # the only one
    after = data(copy)
    assert after["mart.besparelser"] == before["mart.besparelser"]  # the rest rebuilt


@pytest.mark.slow
def test_an_intact_archive_rebuilds_the_same_marts_and_follow_up(loaded, copy, capsys):
    _, before = loaded
    code, said = _rebuild(copy, capsys)
    assert code == 0 and "Udeladt af arkivet" not in said
    assert data(copy) == before
    assert query(copy, "SELECT CAST(opfoelgning AS VARCHAR) FROM raw.opfoelgninger") == [
        (CLOSED,)
    ]


def _folder(path):
    path.unlink()
    path.mkdir()
    (path / "noget").write_text("x", encoding="utf-8")


def _garbage(path):
    path.write_bytes(bytes(range(256)) * 400)


def _empty(path):
    path.write_bytes(b"")


@pytest.mark.slow
@pytest.mark.parametrize("damage", [_folder, _garbage, _empty], ids=["folder", "garbage", "empty"])
def test_a_damaged_warehouse_names_rebuild_in_every_command(loaded, copy, capsys, damage):
    _, before = loaded
    damage(copy.warehouse)
    settle([good_spending(copy.indbakke / "ny.xlsx", month="2025-07")])
    where = ["--home", str(copy.root)]
    for command in (
        ["run"],
        ["report"],
        ["status"],
        ["check", str(copy.indbakke / "ny.xlsx")],
        ["opfoelgning", "liste"],
        ["opfoelgning", "luk", "2025-06-30"],
    ):
        assert main([*command, *where]) == 1, command
        said = capsys.readouterr()
        text = said.out + said.err
        assert "er beskadiget" in text and "'forebyg rebuild'" in text, (command, text)
        assert "uventet" not in text and "Traceback" not in text
    assert (copy.indbakke / "ny.xlsx").exists()  # the file waits
    code, said = _rebuild(copy, capsys)
    assert code == 0 and data(copy) == before
    if damage is _folder:  # kept for operations beside the new warehouse, never deleted
        assert (copy.root / "forebyg.duckdb.beskadiget" / "noget").read_text() == "x"


@pytest.mark.slow
def test_with_a_municipality_list_the_command_names_the_municipality(
    copy, tmp_path, capsys, monkeypatch
):
    listing = tmp_path / "kommuner.toml"
    listing.write_text(
        f'[[kommune]]\nkode = "860"\nnavn = "Hjørring"\nhjem = "{copy.root}"\n', "utf-8"
    )
    monkeypatch.setenv("FOREBYG_KOMMUNER", str(listing))
    _garbage(copy.warehouse)
    for command in (["status"], ["opfoelgning", "liste"]):
        assert main([*command, "--kommune", "860"]) == 1
        assert "'forebyg rebuild --kommune 860'" in capsys.readouterr().err


def _raise(code, path):
    def fail(*args, **kwargs):
        raise OSError(code, {errno.ENOSPC: "No space left on device", errno.EROFS:
                             "Read-only file system", errno.EACCES: "Permission denied"}[code],
                      str(path))  # fmt: skip

    return fail


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "cause", "fix"),
    [
        (errno.ENOSPC, "disken er fuld", "Frigør plads på disken"),
        (errno.EROFS, "datahjemmet er skrivebeskyttet", "Montér datahjemmet"),
        (errno.EACCES, "forebyg har ikke skriveadgang", "Giv forebygs servicekonto"),
    ],
    ids=["disk-full", "read-only", "no-access"],
)
def test_a_machine_fault_at_the_archive_is_named_with_its_fix(
    loaded, copy, capsys, monkeypatch, code, cause, fix
):
    from assets.files import lifecycle

    _, before = loaded
    settle([good_spending(copy.indbakke / "ny.xlsx", month="2025-07")])
    monkeypatch.setattr(lifecycle, "archive", _raise(code, copy.arkiv / "x.xlsx"))
    assert main(["run", "--home", str(copy.root)]) == 1
    said = capsys.readouterr()
    text = " ".join((said.out + said.err).split())
    assert f"fordi {cause} ({copy.arkiv / 'x.xlsx'})" in text and fix in text
    assert "uventet" not in text and "Traceback" not in text
    assert "Lageret er uændret" in text and data(copy) == before  # archived before the swap
    assert (copy.indbakke / "ny.xlsx").exists()


@pytest.mark.slow
def test_receipts_that_cannot_be_written_are_named_after_the_swap(copy, capsys, monkeypatch):
    from assets.files import receipts

    settle([good_spending(copy.indbakke / "ny.xlsx", month="2025-07")])
    monkeypatch.setattr(receipts, "write_text", _raise(errno.EACCES, copy.kvitteringer))
    assert main(["run", "--home", str(copy.root)]) == 1
    text = " ".join(capsys.readouterr().err.split())
    assert text.startswith("Lageret er opdateret, men kørslen blev ikke helt færdig")
    assert f"forebyg har ikke skriveadgang ({copy.kvitteringer})" in text
    assert "Lageret er opdateret, men ikke alle filer er flyttet" in text
    assert "uventet" not in text and "Traceback" not in text


@pytest.mark.slow
def test_reports_on_a_full_disk_name_the_cause(copy, capsys, monkeypatch):
    from assets.reports import assets as report_assets

    monkeypatch.setattr(
        report_assets, "write_workbook", _raise(errno.ENOSPC, copy.rapporter / "x.xlsx")
    )
    assert main(["report", "--home", str(copy.root)]) == 1
    text = " ".join(capsys.readouterr().err.split())
    assert "kunne ikke skrives, fordi disken er fuld" in text and "Frigør plads" in text
    assert "Traceback" not in text


@pytest.mark.slow
def test_a_home_without_write_access_is_named(tmp_path, capsys, monkeypatch):
    """CI runs as root, whom chmod does not stop: the file system's answer is simulated."""
    from pathlib import Path

    monkeypatch.setattr(Path, "mkdir", _raise(errno.EACCES, tmp_path / "nyt"))
    assert main(["run", "--home", str(tmp_path / "nyt")]) == 1
    text = " ".join(capsys.readouterr().err.split())
    assert "forebyg har ikke skriveadgang" in text and "Giv forebygs servicekonto" in text
    assert "Traceback" not in text


def test_the_archive_rewrites_a_damaged_sidecar_when_the_file_comes_again(tmp_path):
    import datetime as dt

    source = tmp_path / "fil.csv"
    source.write_text("a;b\n", encoding="utf-8")
    at = dt.datetime(2025, 1, 2, 3, 4, 5)
    target = archive_module.archive(tmp_path / "arkiv", source, "ab" * 32, "fil.csv", at, 1)
    target.with_suffix(".json").write_text("{ødelagt", encoding="utf-8")
    archive_module.archive(tmp_path / "arkiv", source, "ab" * 32, "fil.csv", at, 2)
    info = json.loads(target.with_suffix(".json").read_text("utf-8"))
    assert info["endelse"] == ".csv" and [d["leverance_nr"] for d in info["leverancer"]] == [2]


@pytest.mark.slow
def test_a_full_disk_when_duckdb_writes_the_warehouse_is_named(loaded, copy, capsys, monkeypatch):
    """DuckDB words the OS's error without its number, inside the publishing step."""
    import duckdb

    from runtime.resources import Warehouse

    _, before = loaded

    def full(self):
        raise duckdb.IOException('IO Error: Could not write file "x": No space left on device')

    settle([good_spending(copy.indbakke / "ny.xlsx", month="2025-07")])
    monkeypatch.setattr(Warehouse, "publish", full)
    assert main(["run", "--home", str(copy.root)]) == 1
    text = " ".join(capsys.readouterr().err.split())
    assert "fordi disken er fuld" in text and "Frigør plads på disken" in text
    assert "uventet" not in text and "Traceback" not in text
    assert data(copy) == before and (copy.indbakke / "ny.xlsx").exists()
