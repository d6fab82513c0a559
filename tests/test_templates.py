"""Templates: blank workbooks that load once filled in, with drop-downs for fixed values."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from assets.intake.parsing.extract import parse_file
from assets.intake.templates import data_lists, write_templates
from pipelines.cli import SAMPLE_DATA, main
from schemas.extracts import OMRAADER
from schemas.kinds import kinds
from tests.conftest import checksums, run, settle
from tests.test_reports import PDFTOTEXT, SOFFICE, need, pdf_pages, soffice


def dropdowns(book, sheet: str) -> dict[str, list[str] | None]:
    """Header → the drop-down's values (None for a column with a message only)."""
    out = {}
    rules = {
        str(r.sqref).split(":")[0].rstrip("0123456789"): r
        for r in book[sheet].data_validations.dataValidation
    }
    for cell in book[sheet][1]:
        rule = rules[cell.column_letter]
        assert rule.showInputMessage and rule.prompt, (sheet, cell.value)
        values = None
        if rule.type == "list":
            ref = re.fullmatch(r"'?Lister'?!\$([A-Z]+)\$2:\$[A-Z]+\$(\d+)", rule.formula1)
            column = book["Lister"][ref[1]][1 : int(ref[2])]
            values = [str(c.value) for c in column]
        out[cell.value] = values
    return out


@pytest.mark.slow
def test_every_kind_has_a_template_with_dropdowns_messages_and_a_guide(tmp_path):
    assert main(["template", str(tmp_path), "--home", str(tmp_path / "intet")]) == 0
    names = sorted(p.name for p in tmp_path.glob("*.xlsx"))
    # one per kind the registry offers (Danmarks Statistik's own tables are downloaded)
    offered = [k.kind for k in kinds() if k.offered]
    assert names == sorted(f"skabelon_{k}.xlsx" for k in offered)
    assert "budget" in offered and "budgetkorrektion" in offered and "dst_regnskab" not in offered
    books = {p.stem.removeprefix("skabelon_"): load_workbook(p) for p in tmp_path.glob("*.xlsx")}
    for book in books.values():
        assert book.sheetnames[0] == "Vejledning" and book["Lister"].sheet_state == "hidden"
        guide = book["Vejledning"]
        assert guide.page_setup.fitToHeight == 1 and guide.sheet_properties.pageSetUpPr.fitToPage
    catalogue = dropdowns(books["indsatser"], "Indsatser")
    assert catalogue["Spor"] == ["1", "2", "3"]
    assert catalogue["Metode"] == ["budget", "baseline", "aktivitet"]
    assert catalogue["Område"] == OMRAADER
    assert catalogue["Indsats"] is None  # free text: a message, no list
    economy = dropdowns(books["indsatser"], "Økonomi")
    # no warehouse: the agreements in force this year and the one adopted for next year
    year = dt.date.today().year
    assert economy["Budgetaftale"][0] == f"{year - 3}-{year}"
    assert economy["Budgetaftale"][-1] == f"{year + 1}-{year + 4}"
    assert economy["Type"] == ["investering", "besparelse"]
    spending = dropdowns(books["forbrug"], "Forbrug")
    assert spending["Dranst"] == [str(n) for n in range(1, 8)]
    assert "5.38.50" in spending["Funktion"]  # the standard chart of accounts
    assert dropdowns(books["befolkning"], "Befolkning")["Aldersgruppe"] == ["0-17", "18-64", "65+"]
    # (the templates' one spelling for transfers; intake reads it as overførsel)
    assert dropdowns(books["budgetkorrektion"], "Budgetkorrektioner")["Type"] == [
        "teknisk",
        "demografi",
        "tillægsbevilling",
        "overførsler",
    ]
    # one spelling for transfers in every template (intake reads both)
    assert dropdowns(books["kontoplan"], "Kontoplan")["Regime"] == ["service", "overførsler"]
    assert dropdowns(books["kontoplan"], "Kontoplan")["Område"] == OMRAADER
    assert dropdowns(books["prisindeks"], "Prisindeks")["Type"] == ["service", "overførsler"]
    # the guide: every column with whether it must be filled, what it holds, an example
    rows = [[c.value for c in r] for r in books["budget"]["Vejledning"].iter_rows()]
    assert ["Funktion", "Ja", "et funktionsnummer som 5.38.50", "5.38.50"] in rows
    assert ["Budgetaftale", "Nej", "en aftale på fire år i træk, fx 2024-2027", "2024-2027"] in rows
    rows = [[c.value for c in r] for r in books["befolkning"]["Vejledning"].iter_rows()]
    assert ["Aldersgruppe", "Ja (eller alternativet)", "en aldersgruppe som 18-64", "18-64"] in rows


@pytest.mark.slow
def test_dropdown_lists_grow_with_the_data(small_loaded, tmp_path):
    assert main(["template", str(tmp_path), "--home", str(small_loaded.root)]) == 0
    activity = dropdowns(load_workbook(tmp_path / "skabelon_aktivitet.xlsx"), "Aktivitet")
    assert activity["Indikator"] == ["Unge på uddannelseshjælp"]  # from tests/fixtures.py
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    con.execute("CREATE TABLE core.indsats_oekonomi AS SELECT '2025-2028' AS budgetaftale")
    con.execute("CREATE TABLE core.budget AS SELECT '2019-2022' AS budgetaftale")
    # in 2026 the agreements 2023-2026 to 2027-2030, and those the warehouse holds
    assert data_lists(con, year=2026)["budgetaftale"] == [
        "2019-2022",
        "2023-2026",
        "2024-2027",
        "2025-2028",
        "2026-2029",
        "2027-2030",
    ]


def test_the_guide_prints_on_one_page(tmp_path):
    need(SOFFICE, "LibreOffice")
    need(PDFTOTEXT, "pdftotext (poppler-utils)")
    [path] = [p for p in write_templates(tmp_path) if p.stem == "skabelon_indsatser"]
    soffice(path, tmp_path, "pdf")
    pages = pdf_pages(tmp_path / "skabelon_indsatser.pdf")
    guide = [p for p in pages if "Udfyldes" in p]
    assert len(guide) == 1  # the longest guide: three sheets, 25 columns
    assert "Skabelon til indsatskatalog" in guide[0] and "Retning" in guide[0]


def fill(template: Path, source: Path, target: Path) -> Path:
    """Copy the values of one sample file into a copy of its kind's template."""
    extract = parse_file(source)
    book = load_workbook(template)
    # one sheet per table in the kind's order, after the guide (names cut to Excel's 31)
    sheets = [s for s in book.worksheets if s.title not in ("Vejledning", "Lister")]
    for table, sheet in zip(extract.kind.tables, sheets, strict=True):
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


@pytest.mark.slow
def test_templates_filled_with_the_sample_data_give_the_same_marts(tmp_path, home):
    main(["template", str(tmp_path / "skabeloner"), "--home", str(home.root)])
    original = home
    for path in SAMPLE_DATA.glob("*.xlsx"):
        shutil.copy2(path, original.indbakke / path.name)
    run(original)
    from runtime.resources import Home

    filled = Home(tmp_path / "udfyldt").create()
    for path in sorted(SAMPLE_DATA.glob("*.xlsx")):
        kind = parse_file(path).kind.kind
        fill(tmp_path / "skabeloner" / f"skabelon_{kind}.xlsx", path, filled.indbakke / path.name)
    settle(list(filled.indbakke.iterdir()))
    run(filled)
    # they name source files and rows
    skip = {"mart.leverancer", "mart.sporbarhed", "mart.opmaerksomhed"}
    marts = {
        t: c for t, c in checksums(original).items() if t.startswith("mart.") and t not in skip
    }
    assert marts == {t: c for t, c in checksums(filled).items() if t in marts}


def test_prompts_keep_the_examples_case_and_end_in_one_full_stop(tmp_path):
    """Issue 28, defect 14: 'fx s1-01' and 'Et beløb i kr..' in the input messages, and
    Art, Gruppering and Ansvarssted all saying 'fx 9001'."""
    paths = {p.stem.removeprefix("skabelon_"): p for p in write_templates(tmp_path)}
    spending = load_workbook(paths["forbrug"])
    prompts = {
        spending["Forbrug"][str(r.sqref).split(":")[0].rstrip("0123456789") + "1"].value: r.prompt
        for r in spending["Forbrug"].data_validations.dataValidation
    }
    assert prompts["Beløb"] == "Et beløb i kr., fx -1.234.567,50. Udfyldes: Ja."
    assert len({prompts["Art"], prompts["Gruppering"], prompts["Ansvarssted"]}) == 3
    assert "fx 4.0" in prompts["Art"] and "fx 7100" in prompts["Ansvarssted"]
    for path in paths.values():
        for sheet in load_workbook(path).worksheets:
            for rule in sheet.data_validations.dataValidation:
                assert ".." not in rule.prompt, (path.name, rule.prompt)
                assert "fx s1-01" not in rule.prompt, (path.name, rule.prompt)
    comments = load_workbook(paths["statuskommentar"])["Statuskommentar"]
    prompts = [r.prompt for r in comments.data_validations.dataValidation]
    assert "En indsats' ID, fx S1-01. Udfyldes: Ja." in prompts
    # the guide's examples: the catalogue's own ID form, not "B1"
    rows = [
        [c.value for c in r] for r in load_workbook(paths["indsatser"])["Vejledning"].iter_rows()
    ]
    assert [r[3] for r in rows if r[0] == "ID"] == ["S1-01"] * 3  # one initiative throughout


def test_indsats_id_has_the_catalogues_drop_down_when_there_is_one(tmp_path):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    con.execute(
        "CREATE TABLE core.indsatser AS SELECT * FROM (VALUES ('S1-02'), ('S1-01')) t(indsats_id)"
    )
    write_templates(tmp_path / "med", con)
    comments = load_workbook(tmp_path / "med" / "skabelon_statuskommentar.xlsx")
    sheet = next(s for s in comments.sheetnames if s not in ("Vejledning", "Lister"))
    assert dropdowns(comments, sheet)["Indsats ID"] == ["S1-01", "S1-02"]
    # without a warehouse there is no list to offer: a message only
    write_templates(tmp_path / "uden")
    comments = load_workbook(tmp_path / "uden" / "skabelon_statuskommentar.xlsx")
    assert dropdowns(comments, sheet)["Indsats ID"] is None


def test_every_data_sheet_prints_one_page_wide_in_landscape(tmp_path):
    for path in write_templates(tmp_path):
        for sheet in load_workbook(path).worksheets:
            if sheet.title in ("Vejledning", "Lister"):
                continue
            setup = sheet.page_setup
            assert setup.orientation == "landscape", (path.name, sheet.title)
            assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage
            assert sheet.print_title_rows == "$1:$1"  # the headers on every page


@pytest.mark.slow
def test_the_blank_spending_sheet_prints_on_one_page(tmp_path):
    need(SOFFICE, "LibreOffice")
    need(PDFTOTEXT, "pdftotext (poppler-utils)")
    [path] = [p for p in write_templates(tmp_path) if p.stem == "skabelon_forbrug"]
    book = load_workbook(path)
    book.remove(book["Vejledning"])  # the data sheet alone
    book.save(tmp_path / "forbrug_data.xlsx")
    soffice(tmp_path / "forbrug_data.xlsx", tmp_path, "pdf")
    assert len(pdf_pages(tmp_path / "forbrug_data.pdf")) == 1
