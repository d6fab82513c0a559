"""A wheel of forebyg holds what an installation without a checkout needs: the sample files
of ``forebyg demo`` and every deployment file, beside the code (pyproject.toml's package
data; read through ``runtime.settings.shipped``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from runtime import settings

REPO = Path(__file__).parents[1]


def _tracked(*folders: str) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", *folders],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout  # tracked and new files, not what .gitignore ignores
    return [p for p in out.decode().split("\0") if p and (REPO / p).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> set[str]:
    """The names in a wheel built by uv (which the Makefile installs in the venv) from a
    copy of the checkout's files: the build writes its build/ and egg-info folders there,
    never in the checkout."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None or not (REPO / ".git").exists():
        pytest.skip("uv or the git checkout is missing")
    source, out = tmp_path_factory.mktemp("kilde"), tmp_path_factory.mktemp("hjul")
    for name in _tracked():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [uv, "build", "--wheel", "--quiet", "--out-dir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("forebyg-*.whl")
    with zipfile.ZipFile(built) as whl:
        return set(whl.namelist())


@pytest.mark.slow  # a wheel build: about 25 s on a loaded machine
def test_the_wheel_ships_every_sample_file_and_deployment_file(wheel):
    wanted = [p for p in _tracked("sample_data", "deploy") if not p.endswith("__init__.py")]
    assert sorted(set(wanted) - wheel) == []
    nested = {"deploy/systemd/forebyg-dagster-daemon.service", "deploy/k8s/values.yaml",
              "deploy/nginx/forebyg.conf"}  # fmt: skip
    assert nested <= set(wanted)  # folders inside deploy/ are listed, so they are checked
    assert "deploy/dagster.yaml" in wheel and "sample_data/forbrug_2025.xlsx" in wheel


@pytest.mark.slow
def test_the_wheel_ships_the_code_and_its_sql(wheel):
    assert {"pipelines/cli.py", "runtime/settings.py", "assets/files/lifecycle.py"} <= wheel
    sql = {p for p in _tracked("assets") if p.endswith(".sql")}
    assert sql and sql <= wheel


def test_the_shipped_folders_are_found_through_the_installed_packages():
    assert (settings.shipped("deploy") / "dagster.yaml").is_file()
    assert sorted(settings.shipped("sample_data").glob("forbrug_*.xlsx"))
