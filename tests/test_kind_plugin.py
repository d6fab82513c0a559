"""A new extract kind is one TOML file (plus, only if it needs code, a hook module).

Every kind of the registry passes the same generic checks (``check_kind``): its template
has the declared headers, the template filled with the kind's example row is recognised
and read without a problem, a value breaking a declared rule is rejected with the Danish
message naming file, sheet, row, column and value, the file loads, every money column
(a field of type beloeb or pris) is DECIMAL(18, 2) in the warehouse, and the table's
amount (type beloeb) gets the file's control sum.

Two toy kinds live in temporary folders, and nothing in the repository is written (the
tests check that every file under assets/, schemas/ and pipelines/ is unchanged):

- "visitation" (people visited per område and year) runs through the whole job. Its
  numbers are the rows of the two files below:
    visitation_2025.xlsx:  2025 botilbud 10, 2025 bostøtte 4
    visitation_ny.xlsx:    2025 botilbud 12, 2025 bostøtte 5  (same keys: replaces both)
- "tilskud" (grants per område, scheme and year) has a money column named "tilskud" (not
  beloeb) and a list of allowed schemes with their spellings; it passes the generic checks
  and its amounts are summed to the øre (the figures are in its test).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook, load_workbook

from assets.intake.loading.deliver import load
from assets.intake.loading.load import create_schemas
from assets.intake.parsing.extract import parse_file
from assets.intake.parsing.values import PARSERS
from assets.intake.templates import template, write_templates
from schemas import kinds
from schemas.extracts import MODELS
from tests.conftest import query, run, settle

REPO = Path(__file__).parents[1]

TOML = """
kind = "visitation"
label = "visitation"
guide = "Én række pr. område og år: antal visiterede borgere."

[[table]]
name = "visitation"
period = "aar"
example = { aar = 2025, omraade = "botilbud", antal = 10 }
required = ["aar", "omraade", "antal"]
replace_key = ["omraade", "aar"]

[table.fields]
aar = { type = "aar", aliases = ["År"] }
omraade = { type = "valg", list = "omraade", description = "et område, fx botilbud", aliases = ["Område"] }
antal = { type = "tal", min = 0, description = "et antal på 0 eller mere", aliases = ["Visiterede", "Antal visiterede"] }
"""  # noqa: E501

GRANTS = """
kind = "tilskud"
label = "tilskud"
guide = "Én række pr. område, ordning og år: tilskuddet i kr."

[[table]]
name = "tilskud"
period = "aar"
example = { aar = 2025, omraade = "botilbud", ordning = "akut", tilskud = 1250.5 }
required = ["aar", "omraade", "ordning", "tilskud"]
replace_key = ["omraade", "ordning", "aar"]

[table.fields]
aar = { type = "aar", aliases = ["År"] }
omraade = { type = "valg", list = "omraade", description = "et område: {values}", aliases = ["Område"] }
ordning = { type = "valg", aliases = ["Ordning", "Tilskudsordning"] }
tilskud = { type = "beloeb", description = "et tilskud i kr.", aliases = ["Tilskud", "Tilskud i alt"] }

[table.values.ordning]
akut = ["akut", "akutte", "akut tilskud"]
planlagt = ["planlagt", "planlagte", "plan"]
"""  # noqa: E501


def _breakable(spec: kinds.KindSpec) -> tuple[kinds.TableSpec, str, object]:
    """The first template column with a declared rule, and a value that breaks it."""
    for table in spec.tables:
        for name in table.template_fields():
            field = table.fields[name]
            low = field.rules.get("min", field.kind.min)
            if field.type == "valg" and field.allowed:
                return table, name, "ukendt"
            if field.allowed:
                return table, name, max(field.allowed) + 1
            if low is not None:
                return table, name, low - 1
            if "max_length" in field.rules:
                return table, name, "x" * (field.rules["max_length"] + 1)
    raise AssertionError(f"{spec.kind}: no column with a rule to break")


def _save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def _filled(spec: kinds.KindSpec, path: Path, change: tuple | None = None) -> dict[str, str]:
    """The kind's template with its example row on each table's sheet (one cell changed);
    returns each table's sheet name."""
    book = template(spec)
    sheets = [s for s in book.worksheets if s.title not in ("Vejledning", "Lister")]
    for table, sheet in zip(spec.tables, sheets, strict=True):
        fields = table.template_fields()
        assert [c.value for c in sheet[1]] == [table.header(f) for f in fields]
        row = [table.example.get(f) for f in fields]
        if change and change[0] is table:
            row[fields.index(change[1])] = change[2]
        sheet.append(row)
    _save(book, path)
    return {t.name: s.title for t, s in zip(spec.tables, sheets, strict=True)}


def check_kind(name: str, folder: Path) -> duckdb.DuckDBPyConnection:
    """The generic checks of one kind (see the module's docstring); returns the warehouse
    its example file was loaded into."""
    spec = kinds.kind(name)
    good = folder / f"{name}_eksempel.xlsx"
    sheets = _filled(spec, good)
    extract = parse_file(good)
    assert extract.kind is not None and extract.kind.kind == name
    assert [p.text() for p in extract.problems] == []

    table, field, bad = _breakable(spec)
    _filled(spec, folder / f"{name}_fejl.xlsx", (table, field, bad))
    wrong = parse_file(folder / f"{name}_fejl.xlsx")
    assert (
        f"Fil '{name}_fejl.xlsx', ark '{sheets[table.name]}', række 2, "
        f"kolonne '{table.header(field)}': værdien '{bad}' kan ikke bruges; "
        f"forventet {table.fields[field].description}."
    ) in [p.text() for p in wrong.problems]

    con = duckdb.connect()
    create_schemas(con)
    assert load(con, 1, good.name, extract).status == "accepteret"
    for table in spec.tables:
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() "
                "WHERE schema_name = 'raw' AND table_name = ?",
                [table.name],
            ).fetchall()
        )
        money = [f.name for f in table.fields.values() if f.kind.money]
        assert [types[f] for f in money] == ["DECIMAL(18,2)"] * len(money)
        [(control,)] = con.execute(
            "SELECT beloeb FROM raw.kontrolsummer WHERE tabel = ?", [table.name]
        ).fetchall()
        if table.amount is None:
            assert control is None
        else:  # the file's amounts, summed while reading, are what the warehouse holds
            loaded = con.execute(f"SELECT sum({table.amount}) FROM raw.{table.name}").fetchone()
            assert control is not None and control == loaded[0]
    return con


@pytest.mark.parametrize("name", [k.kind for k in kinds.kinds() if k.offered])
def test_every_offered_kind_passes_the_generic_checks(name, tmp_path):
    check_kind(name, tmp_path)


def _files_digest() -> dict[str, str]:
    return {
        str(p.relative_to(REPO)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ("assets", "schemas", "pipelines")
        for p in sorted((REPO / folder).rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _register(tmp_path, monkeypatch, name: str, text: str) -> None:
    folder = tmp_path / "kinds"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(kinds, "KINDS_DIRS", [*kinds.KINDS_DIRS, folder])
    kinds.reload()


@pytest.fixture
def toy_kind(tmp_path, monkeypatch):
    _register(tmp_path, monkeypatch, "visitation", TOML)
    yield
    monkeypatch.undo()
    kinds.reload()


@pytest.fixture
def grants(tmp_path, monkeypatch):
    _register(tmp_path, monkeypatch, "tilskud", GRANTS)
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


@pytest.mark.slow  # runs the job
def test_a_toy_kind_in_a_temp_folder_is_templated_read_validated_loaded_receipted_replaced(
    toy_kind, home
):
    before = _files_digest()
    check_kind("visitation", home.root)
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


def test_a_declared_kind_with_a_money_column_and_allowed_values(grants, tmp_path):
    before = _files_digest()
    con = check_kind("tilskud", tmp_path)
    # the model is generated: the scheme's allowed values are its spellings' values
    ordning = MODELS["tilskud"].to_schema().columns["ordning"]
    assert [c.statistics for c in ordning.checks] == [{"allowed_values": ["akut", "planlagt"]}]
    # the example row: 1.250,50 kr., DECIMAL and exact
    assert con.execute("SELECT tilskud::VARCHAR FROM raw.tilskud").fetchall() == [("1250.50",)]

    book = Workbook()
    sheet = book.active
    sheet.title = "Tilskud"
    sheet.append(["År", "Område", "Tilskudsordning", "Tilskud i alt (kr.)"])
    sheet.append([2025, "Botilbud", "Akutte", "1.000,25"])
    sheet.append([2025, "bostøtte", "plan", 250.5])
    sheet.append(["I alt", None, None, "1.250,75"])  # 1.000,25 + 250,50 = 1.250,75
    extract = parse_file(_save(book, tmp_path / "tilskud_2025.xlsx"))
    assert [p.text() for p in extract.problems] == []
    frame = extract.tables["tilskud"]
    assert list(zip(frame["omraade"], frame["ordning"], frame["tilskud"], strict=True)) == [
        ("botilbud", "akut", 1000.25),
        ("bostøtte", "planlagt", 250.5),
    ]
    assert load(con, 2, "tilskud_2025.xlsx", extract).status == "accepteret"
    # the control sum is the file's amounts in øre: 100.025 + 25.050 = 125.075 øre
    assert con.execute(
        "SELECT beloeb FROM raw.kontrolsummer WHERE leverance_nr = 2"
    ).fetchall() == [(Decimal("1250.75"),)]

    # an 'I alt' row that is not the sum of the rows above is the file's rejection
    sheet.cell(4, 4).value = "1.250,00"
    [problem] = parse_file(_save(book, tmp_path / "tilskud_sum.xlsx")).problems
    assert problem.text() == (
        "Fil 'tilskud_sum.xlsx', ark 'Tilskud', række 4, kolonne 'Tilskud i alt (kr.)': "
        "værdien '1.250,00' kan ikke bruges; forventet summen af rækkerne ovenfor "
        "(1.250,75); mangler der rækker?."
    )
    assert _files_digest() == before


def test_a_hand_written_model_remains_possible_where_a_kind_needs_one(tmp_path, monkeypatch):
    # the escape hatch: model = "package.module:Class" names the class that is used
    folder = tmp_path / "models"
    folder.mkdir()
    (folder / "toy_model.py").write_text(
        "from schemas.extracts import MODELS\n\nTilskud = MODELS['forventet']\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(folder))
    text = GRANTS.replace('name = "tilskud"\n', 'name = "tilskud"\nmodel = "toy_model:Tilskud"\n')
    _register(tmp_path, monkeypatch, "tilskud", text)
    try:
        assert MODELS["tilskud"] is MODELS["forventet"]
    finally:
        monkeypatch.undo()
        kinds.reload()


@pytest.mark.parametrize(
    ("wrong", "said"),
    [
        (GRANTS.replace('type = "beloeb"', 'type = "kroner"'), "field tilskud: type must be"),
        (GRANTS.replace('aliases = ["År"]', 'aliases = ["År"], mindst = 2000'), "mindst"),
        (GRANTS.replace("[table.values.ordning]", "[table.values.andet]"), "field ordning"),
        (GRANTS.replace('"tilskud"]\n', '"tilskud"]\nfilled = ["aar", "periode"]\n'), "periode"),
    ],
)
def test_a_kind_saying_what_the_registry_cannot_read_is_refused_naming_it(
    wrong, said, tmp_path, monkeypatch
):
    _register(tmp_path, monkeypatch, "tilskud", wrong)
    try:
        with pytest.raises(kinds.KindError, match=said):
            kinds.kinds()
    finally:
        monkeypatch.undo()
        kinds.reload()


def test_every_field_type_has_a_cell_parser():
    # valg is read through its spellings, periode and tid by the period parser (extract.py)
    assert set(PARSERS) == set(kinds.TYPES) - {"valg", "periode", "tid"}
