"""Templates: blank workbooks that load once filled in, with drop-downs for fixed values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from assets.intake.extract import parse_file
from pipelines.cli import SAMPLE_DATA, main
from tests.conftest import checksums, run, settle


def test_every_kind_has_a_template_with_dropdowns(tmp_path):
    assert main(["template", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    assert names == [
        f"skabelon_{k}.xlsx"
        for k in (
            "aktivitet",
            "befolkning",
            "budget",
            "forbrug",
            "indsatser",
            "kontoplan",
            "prisindeks",
        )
    ]
    book = load_workbook(tmp_path / "skabelon_indsatser.xlsx")
    rules = {str(r.sqref)[0]: r.formula1 for r in book["Indsatser"].data_validations.dataValidation}
    assert rules["C"] == '"1,2,3"'  # Spor
    assert rules["F"] == '"budget,baseline,aktivitet"'  # Metode
    economy = {r.formula1 for r in book["Økonomi"].data_validations.dataValidation}
    assert '"2023-2026,2024-2027"' in economy and '"investering,besparelse"' in economy


def fill(template: Path, source: Path, target: Path) -> Path:
    """Copy the values of one sample file into a copy of its kind's template."""
    extract = parse_file(source)
    book = load_workbook(template)
    for table in extract.kind.tables:
        sheet = book[table.sheet or extract.kind.label.capitalize()]
        frame = extract.tables[table.name]
        for row in frame.itertuples(index=False):
            values = row._asdict()
            out = []
            for field in table.template_fields():
                if field == "periode":
                    value = f"{values['aar']}-{values['maaned']:02d}"
                else:
                    value = values.get(field)
                out.append(None if value is None or value is pd.NA or value != value else value)
            sheet.append([v.item() if hasattr(v, "item") else v for v in out])
    book.save(target)
    return target


def test_templates_filled_with_the_sample_data_give_the_same_marts(tmp_path, home):
    main(["template", str(tmp_path / "skabeloner")])
    original = home
    for path in SAMPLE_DATA.glob("*.xlsx"):
        shutil.copy2(path, original.indbakke / path.name)
    run(original)
    from pipelines.resources import Home

    filled = Home(tmp_path / "udfyldt").create()
    for path in sorted(SAMPLE_DATA.glob("*.xlsx")):
        kind = parse_file(path).kind.kind
        fill(tmp_path / "skabeloner" / f"skabelon_{kind}.xlsx", path, filled.indbakke / path.name)
    settle(list(filled.indbakke.iterdir()))
    run(filled)
    skip = {"mart.leverancer", "mart.sporbarhed"}  # they name source files and rows
    marts = {
        t: c for t, c in checksums(original).items() if t.startswith("mart.") and t not in skip
    }
    assert marts == {t: c for t, c in checksums(filled).items() if t in marts}
