"""Each extract kind's pandera model rejects what it must, naming row and column."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest
from openpyxl import Workbook

from assets.intake.parsing.extract import parse_file
from schemas.marts import mart_schemas

BROKEN = {
    # kind: (header, good row, bad row, column named in the message, expected text)
    "forbrug": (
        ["Funktion", "År", "Måned", "Beløb"],
        ["5.38.50", 2025, 1, 10],
        ["5.38.50", 2025, 13, 10],
        "Måned",
        "en måned fra 1 til 12",
    ),
    "budget": (
        ["Funktion", "År", "Budgettype", "Beløb"],
        ["5.38.50", 2025, "Korrigeret", 1],
        ["5.38.50", 2025, "Foreløbigt", 1],
        "Budgettype",
        "Oprindeligt (vedtaget)",
    ),
    "aktivitet": (
        ["Periode", "Indikator", "Antal"],
        ["2025-01", "Borgere", 3],
        ["2025-01", "Borgere", -3],
        "Antal",
        "et antal (≥ 0)",
    ),
    "prisindeks": (
        ["År", "Type", "Indeks"],
        [2025, "service", 101.2],
        [2025, "anlæg", 101.2],
        "Type",
        "service eller overførsler",
    ),
    "befolkning": (
        ["År", "Aldersgruppe", "Antal"],
        [2025, "18-64", 40000],
        [2025, "voksne", 40000],
        "Aldersgruppe",
        "en aldersgruppe som 18-64",
    ),
    "kontoplan": (
        ["Funktion", "Område", "Regime"],
        ["5.38.60", "botilbud", "service"],
        ["5.38.60", "botilbud", "anlæg"],
        "Regime",
        "service eller overførsel",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_each_kind_loads_good_rows_and_rejects_a_bad_one(tmp_path, kind):
    header, good, bad, column, expected = BROKEN[kind]
    book = Workbook()
    for row in (header, good, bad):
        book.active.append(row)
    path = tmp_path / f"{kind}.xlsx"
    book.save(path)
    extract = parse_file(path)
    assert extract.kind.kind == kind
    [problem] = extract.problems
    assert (problem.row, problem.column) == (3, column)
    assert expected in problem.text()


def _saving(**change) -> pd.DataFrame:
    """One valid row of mart.besparelser, with some fields changed."""
    row = {
        "spor": 1,
        "indsats_id": "B1",
        "indsats": "x",
        "omraade": "botilbud",
        "metode": "budget",
        "budgetaftale": "2024-2027",
        "aar": 2024,
        "budgetteret_besparelse": 1.0,
        "realiseret_besparelse": 1.0,
        "afvigelse": 0.0,
        "maalopfyldelse": 1.0,
        "status": "grøn",
        "opgjort_som": "regnskab",
        "maalt_med": "budget",
        "prisniveau": "løbende priser",
        "katalogets_prisniveau": "2024",
        "forventet_af": None,
        "demografireguleret": float("nan"),
        "ikke_demografireguleret": 1.0,
        "fordelt_efter": "alene",
        "status_for": "indsatsen",
    }
    frame = pd.DataFrame([{**row, **change}])
    return frame.astype({"spor": "Int64", "aar": "Int64"})


def test_mart_model_rejects_an_unknown_status():
    with pytest.raises(pa.errors.SchemaErrors) as err:
        mart_schemas()["besparelser"].validate(_saving(status="lilla"), lazy=True)
    assert list(err.value.failure_cases["failure_case"]) == ["lilla"]


def test_mart_model_rejects_a_key_twice():
    """The lineage counts each source row once per mart row; that needs unique keys."""
    schema = mart_schemas()["besparelser"]
    schema.validate(pd.concat([_saving(), _saving(aar=2025)], ignore_index=True), lazy=True)
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schema.validate(pd.concat([_saving(), _saving(indsats="y")], ignore_index=True), lazy=True)
    assert set(err.value.failure_cases["check"]) == {"multiple_fields_uniqueness"}
