"""A new extract kind is one metadata file plus a model module, registered in one place.

The toy kind "visitation" (number of people visited per område and year) lives in a
temporary folder: a TOML file and a module with its pandera model. Nothing in the
repository is written; the test checks that every file under assets/ and schemas/ is
unchanged. The numbers are the rows of the two files below:
  visitation_2025.xlsx:  2025 botilbud 10, 2025 bostøtte 4
  visitation_ny.xlsx:    2025 botilbud 12, 2025 bostøtte 5  (same keys: replaces both)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from assets.intake.templates import write_templates
from schemas import kinds
from tests.conftest import query, run, settle

pytestmark = pytest.mark.slow

REPO = Path(__file__).parents[1]

TOML = """
kind = "visitation"
label = "visitation"
guide = "Én række pr. område og år: antal visiterede borgere."

[[table]]
name = "visitation"
model = "toy_visitation:Visitation"
period = "aar"
example = { aar = 2025, omraade = "botilbud", antal = 10 }
required = ["aar", "omraade", "antal"]
replace_key = ["omraade", "aar"]

[table.fields]
aar = { type = "aar", aliases = ["År"] }
omraade = { type = "valg", aliases = ["Område"] }
antal = { type = "tal", aliases = ["Visiterede", "Antal visiterede"] }
"""

MODEL = """
import pandera.pandas as pa
from pandera.typing import Series

from schemas.extracts import OMRAADER, Source, Text


class Visitation(Source):
    aar: Series[int] = pa.Field(in_range={"min_value": 2000, "max_value": 2100})
    omraade: Series[Text] = pa.Field(isin=OMRAADER, description="et område, fx botilbud")
    antal: Series[float] = pa.Field(ge=0, description="et antal på 0 eller mere")

    class Config:
        strict = True
"""


def _files_digest() -> dict[str, str]:
    return {
        str(p.relative_to(REPO)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ("assets", "schemas", "pipelines")
        for p in sorted((REPO / folder).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def toy_kind(tmp_path, monkeypatch):
    folder = tmp_path / "kinds"
    folder.mkdir()
    (folder / "visitation.toml").write_text(TOML, encoding="utf-8")
    (folder / "toy_visitation.py").write_text(MODEL, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr(kinds, "KINDS_DIRS", [*kinds.KINDS_DIRS, folder])
    kinds.reload()
    yield
    monkeypatch.undo()
    kinds.reload()


def _workbook(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["År", "Område", "Visiterede"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_toy_kind_in_a_temp_folder_is_templated_read_validated_loaded_receipted_replaced(
    toy_kind, home
):
    before = _files_digest()
    made = write_templates(home.root / "skabeloner")
    guide = load_workbook(next(p for p in made if p.name == "skabelon_visitation.xlsx"))[
        "Vejledning"
    ]
    assert guide["A2"].value == "Én række pr. område og år: antal visiterede borgere."
    assert [guide.cell(r, 1).value for r in range(7, 10)] == ["År", "Område", "Visiterede"]
    assert [guide.cell(r, 4).value for r in range(7, 10)] == [2025, "botilbud", 10]

    settle(
        [
            _workbook(
                home.indbakke / "visitation_2025.xlsx",
                [[2025, "botilbud", 10], [2025, "bostøtte", 4]],
            )
        ]
    )
    run(home)
    assert query(home, "SELECT omraade, antal FROM core.visitation ORDER BY 1") == [
        ("bostøtte", 4.0),
        ("botilbud", 10.0),
    ]
    first = next(home.kvitteringer.glob("*visitation_2025.xlsx.txt")).read_text("utf-8")
    assert "Type:       visitation" in first and "Rækker:     2" in first
    assert "Perioder:   2025 – 2025" in first

    settle(
        [
            _workbook(
                home.indbakke / "visitation_ny.xlsx",
                [[2025, "botilbud", 12], [2025, "bostøtte", 5]],
            ),
            _workbook(home.indbakke / "visitation_fejl.xlsx", [[2025, "botilbud", -3]]),
        ]
    )
    run(home)
    # the newer file holds both keys of the first, so it replaces it whole
    assert query(home, "SELECT omraade, antal FROM core.visitation ORDER BY 1") == [
        ("bostøtte", 5.0),
        ("botilbud", 12.0),
    ]
    assert query(home, "SELECT filnavn, status FROM mart.leverancer ORDER BY filnavn") == [
        ("visitation_2025.xlsx", "erstattet"),
        ("visitation_fejl.xlsx", "afvist"),
        ("visitation_ny.xlsx", "accepteret"),
    ]
    newer = next(home.kvitteringer.glob("*visitation_ny.xlsx.txt")).read_text("utf-8")
    assert "Erstatter:  visitation_2025.xlsx (visitation): 2 rækker" in newer
    bad = next(home.kvitteringer.glob("*visitation_fejl.xlsx.txt")).read_text("utf-8")
    assert "AFVIST" in bad and "række 2" in bad and "Visiterede" in bad and "-3" in bad
    assert query(home, "SELECT count(*) FROM raw.visitation") == [(4,)]  # the bad one: none

    assert _files_digest() == before
