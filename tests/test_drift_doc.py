"""docs/drift.md works as written: the command blocks marked ``<!-- prøves: rod -->`` are
run, in order, as root on a fresh root of their own: a private mount namespace with copies
of /etc and empty /srv and /var/backups, so the service account, its group, the folders,
the settings' permissions and the backup of Dagster's database are made exactly as an
operator following the page makes them, and the machine's own /etc is never touched.

Needs root, ``unshare`` and PostgreSQL (tests/pg.py); else skipped (a failure under
FOREBYG_REQUIRE_TOOLS)."""

from __future__ import annotations

import grp
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.pg import database

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "drift.md"
MARK = "<!-- prøves: rod -->"


def marked_blocks(text: str) -> list[str]:
    return re.findall(re.escape(MARK) + r"\n```sh\n(.*?)```", text, re.S)


def test_the_marked_blocks_are_the_setup_the_permissions_and_the_backup():
    blocks = marked_blocks(DOC.read_text(encoding="utf-8"))
    # the account and home; the settings; the group after a copy; the database's backup
    assert len(blocks) == 4
    assert "useradd --system --user-group" in blocks[0] and "indbakke" in blocks[0]
    assert "-o root -g forebyg /etc/forebyg" in blocks[1]
    assert "groupadd" not in "".join(blocks)  # useradd --user-group made the group
    assert '-p "$FOREBYG_PG_PORT"' in blocks[3]


def _unavailable(reason: str) -> None:
    if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
        pytest.fail(reason)
    pytest.skip(reason)


def _ids(etc: Path, name: str) -> tuple[int, int]:
    def entry(table: str) -> int:
        lines = (etc / table).read_text().splitlines()
        return int(next(line for line in lines if line.startswith(f"{name}:")).split(":")[2])

    return entry("passwd"), entry("group")


def _owned(path: Path, uid: int, gid: int, mode: int) -> None:
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (uid, gid, mode), path


@pytest.fixture
def admin_umask():
    """An administrator's shell (umask 022), whatever forebyg's own code in this test
    process set before (007): the folders made here must be passable for the account."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.mark.slow
def test_the_documented_commands_work_on_a_fresh_root(tmp_path, admin_umask):
    if os.geteuid() != 0 or not shutil.which("unshare"):
        _unavailable("needs root and unshare for a private /etc")
    try:
        grp.getgrnam("forebyg")
        _unavailable("this machine has a forebyg group already, so the root is not fresh")
    except KeyError:
        pass
    rod = tmp_path / "rod"
    (rod / "srv").mkdir(parents=True)
    (rod / "backups").mkdir()
    subprocess.run(["cp", "-a", "/etc", str(rod / "etc")], check=True)
    os.chmod(tmp_path, 0o755)  # the service account passes through the mount points
    os.chmod(rod, 0o755)
    blocks = marked_blocks(DOC.read_text(encoding="utf-8"))
    with database() as pg:
        # what the operator fills into forebyg.env after the block that installs it
        filled = "\n".join(f"{k}={v}" for k, v in pg.items())
        steps = []
        for block in blocks:
            steps.append(block)
            if "forebyg.env.example" in block:
                steps.append(f"cat >> /etc/forebyg/forebyg.env <<'EOF'\n{filled}\nEOF\n")
        script = "\n".join(
            [
                "set -eu",
                f"mount --bind {rod / 'etc'} /etc",
                f"mount --bind {rod / 'srv'} /srv",
                f"mount --bind {rod / 'backups'} /var/backups",
                *steps,
                # the service account reads its settings; the documented command runs
                "runuser -u forebyg -- cat /etc/forebyg/forebyg.env > /dev/null",
                "runuser -u forebyg -- test -w /srv/forebyg/indbakke",
                "pg_restore -l /var/backups/forebyg/dagster-*.dump > /dev/null",
            ]
        )
        done = subprocess.run(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    uid, gid = _ids(rod / "etc", "forebyg")
    _owned(rod / "etc" / "forebyg", 0, gid, 0o750)
    _owned(rod / "etc" / "forebyg" / "forebyg.env", 0, gid, 0o640)
    _owned(rod / "srv" / "forebyg", uid, gid, 0o2770)
    _owned(rod / "srv" / "forebyg" / "indbakke", uid, gid, 0o2770)
    (dump,) = (rod / "backups" / "forebyg").glob("dagster-*.dump")
    assert dump.stat().st_size > 0
    # the machine's own accounts are untouched
    with pytest.raises(KeyError):
        grp.getgrnam("forebyg")
