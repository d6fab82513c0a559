"""One list of settings: runtime/settings.py declares every FOREBYG_* variable, and
docs/drift.md's table is that list, so neither can gain a variable the other lacks."""

from __future__ import annotations

import re
from pathlib import Path

from runtime import settings

REPO = Path(__file__).parents[1]
NAME = re.compile(r"FOREBYG_[A-Z0-9_]+")
TABLE = re.compile(r"<!-- indstillinger: runtime/settings.py -->\n(.*?)<!-- slut -->", re.S)


def _named_in(paths) -> set[str]:
    """The variables the files name; a prefix (FOREBYG_ALERT_…) is none."""
    found = {n for p in paths if p.is_file() for n in NAME.findall(p.read_text("utf-8"))}
    return {n for n in found if not n.endswith("_")}


def test_drift_md_holds_the_table_of_the_settings_module():
    [table] = TABLE.findall((REPO / "docs" / "drift.md").read_text("utf-8"))
    assert table == settings.table(), "run: python -m runtime.settings, and paste its table"


def test_the_table_has_a_row_per_setting_with_its_default():
    rows = settings.table().splitlines()[2:]
    assert len(rows) == len(settings.SETTINGS) == len({s.name for s in settings.SETTINGS})
    home = next(r for r in rows if r.startswith("| `FOREBYG_HOME` "))
    assert home.split(" | ")[1] == "`forebyg-data`"
    assert next(r for r in rows if "`FOREBYG_KOMMUNER`" in r).split(" | ")[1] == "–"


def test_every_variable_the_program_deploy_or_drift_md_names_is_declared():
    program = [p for pkg in ("runtime", "schemas", "assets", "pipelines")
               for p in (REPO / pkg).rglob("*.py")]  # fmt: skip
    named = _named_in([*program, *(REPO / "deploy").rglob("*"), REPO / "docs" / "drift.md"])
    assert named - {s.name for s in settings.SETTINGS} == set()
    assert "FOREBYG_LOG_DAYS" in named  # the scan reaches the deploy files


def test_every_declared_variable_is_read_where_the_table_says():
    """'forebyg' in read_by: the program reads it through this module; every other reader
    named (a file or folder of deploy/) names the variable."""
    code = "\n".join(
        p.read_text("utf-8")
        for pkg in ("runtime", "assets", "pipelines")
        for p in (REPO / pkg).rglob("*.py")
        if p.name != "settings.py"
    )
    wrong = []
    for constant, s in vars(settings).items():
        if not isinstance(s, settings.Setting):
            continue
        readers = s.read_by.split(", ")
        if (settings.PROGRAM in readers) != bool(re.search(rf"\bsettings\.{constant}\b", code)):
            wrong.append(f"{s.name}: forebyg")
        for where in (r for r in readers if r != settings.PROGRAM):
            path = REPO / where
            files = path.rglob("*") if path.is_dir() else [path]
            if not any(s.name in p.read_text("utf-8") for p in files if p.is_file()):
                wrong.append(f"{s.name}: {where}")
    assert wrong == []


def test_a_setting_is_read_when_asked_so_a_changed_environment_counts(monkeypatch):
    monkeypatch.delenv("FOREBYG_ADVARSEL_PROCENT", raising=False)
    assert settings.ADVARSEL_PROCENT.get() == "25" and not settings.ADVARSEL_PROCENT.is_set()
    monkeypatch.setenv("FOREBYG_ADVARSEL_PROCENT", "")
    assert settings.ADVARSEL_PROCENT.get() == "" and settings.ADVARSEL_PROCENT.is_set()
    monkeypatch.setenv("FOREBYG_ADVARSEL_PROCENT", "15")
    assert settings.ADVARSEL_PROCENT.get() == "15"
