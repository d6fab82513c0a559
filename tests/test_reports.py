"""The reports as people open and print them: the workbook in LibreOffice, the page in
Chromium, both turned into PDF once per module and kept as screenshots under build/.

Without LibreOffice, Chromium or poppler-utils on the machine these tests are skipped;
`.ci/run` installs them and sets FOREBYG_REQUIRE_TOOLS=1, which turns a missing tool into
a failure.

The small municipality (tests/fixtures.py, worked out in tests/test_pipeline.py): spor 1
under 2024-2027 budgeted B1 1,5 + B2 1,5 + L1 1,2 = 4,2 mio. kr. B1 and B2 are measured
against the adopted budget (no corrections): 2024 10,9 + 1,0 − 10,8 = 1,1 and 2025
11,3 + 2,0 − 11,4 (forecast) = 1,9, halved, so B1 and B2 realise 0,55 + 0,95 = 1,5 each;
L1 0,6 + 1,2 = 1,8; spor 1 realised 1,5 + 1,5 + 1,8 = 4,8 (4,8 / 4,2 = 114 %); spor 2 (A1)
budgeted 1,0 + 1,5 = 2,5 and realised 1,2 + 2,4 = 3,6; so 2024-2027 in all: 8,4 of 6,7
mio. kr. (125 %). Under 2023-2026 only B1 is planned: 0,6 + 0,8 = 1,4 budgeted and the same
0,55 + 0,95 = 1,5 realised (107 %). 2025 is open (spending to June): a forecast year.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import zlib
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import query

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
# the report's sheets in order (page 1 the answer, the Effekt section to follow it), and
# its appendix's: the tables a reader looks figures up in
SHEETS = [
    "Overblik",
    "Budgetopfølgning",
    "Spor",
    "Indsatsstatus",
    "Realisering",
    "Effekt",
    "Opfølgninger",
    "Opmærksomhed",
    "Årsoversigt",
    "Udvikling",
    "Sammenligning",
]
APPENDIX_SHEETS = [
    "Indhold",
    "Opfølgninger",
    "Effekt",
    "Indsatser",
    "Investeringer",
    "Budgetaftaler",
    "Budgetbro",
    "Mål",
    "Leverancer",
    "Sporbarhed",
]
HEADLINES = [
    "Budgetaftale 2023-2026: Strategien har realiseret 1,5 af 1,4 mio. kr. budgetteret til "
    "dato (107 %); status grøn.",
    "Budgetaftale 2024-2027: Strategien har realiseret 8,4 af 6,7 mio. kr. budgetteret til "
    "dato (125 %); status grøn.",
]

SPOR2 = "Spor 2: Færre unge på forsørgelse og førtidspension"


def need(tool: str | None, name: str) -> None:
    if tool:
        return
    if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is required here but not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="module")
def reported(small_loaded):
    return small_loaded


def soffice(path: Path, out: Path, target: str) -> None:
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{out}/profil",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def workbook_pdf(reported, tmp_path_factory) -> list[str]:
    """The workbook printed by LibreOffice: the text of each page (footer: sheet – side n)."""
    need(SOFFICE, "LibreOffice")
    need(PDFTOTEXT, "pdftotext (poppler-utils)")
    out = tmp_path_factory.mktemp("pdf")
    soffice(reported.rapporter / "styregruppe.xlsx", out, "pdf")
    pdf = out / "styregruppe.pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "80",
            "-png",
            "-singlefile",
            str(pdf),
            str(SCREENSHOTS / "styregruppe-xlsx-overblik"),
        ],
        check=True,
    )
    return pdf_pages(pdf)


@pytest.fixture(scope="module")
def page_pdf(reported, tmp_path_factory) -> dict:
    """The page in Chromium: its text, the network requests, a screenshot and the PDF."""
    need(CHROMIUM, "Chromium")
    need(PDFTOTEXT, "pdftotext (poppler-utils)")
    from playwright.sync_api import sync_playwright

    out = tmp_path_factory.mktemp("chromium")
    page_path = reported.rapporter / "styregruppe.html"
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 1600})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri())
        text = page.inner_text("body")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / "styregruppe-html.png"
        page.screenshot(path=str(shot), full_page=True)
        # as printed: the page's CSS decides paper and colours (no background option)
        pdf = page.pdf(prefer_css_page_size=True)
        browser.close()
    (out / "side.pdf").write_bytes(pdf)
    return {
        "uri": page_path.as_uri(),
        "text": text,
        "requests": requests,
        "shot": shot,
        "pdf": pdf,
        "pages": pdf_pages(out / "side.pdf"),
    }


@pytest.mark.slow
def test_workbook_opens_in_libreoffice_with_the_marts_totals(reported, tmp_path):
    need(SOFFICE, "LibreOffice")
    filter_options = "44,34,76,1,,0,false,true,false,false,false,-1"  # every sheet, raw values
    path = reported.rapporter / "styregruppe.xlsx"
    soffice(path, tmp_path, f"csv:Text - txt - csv (StarCalc):{filter_options}")
    sheets = {}
    for file in tmp_path.glob(f"{path.stem}-*.csv"):
        with file.open(encoding="utf-8") as fh:
            sheets[file.stem.removeprefix(f"{path.stem}-")] = list(csv.reader(fh))
    assert set(sheets) == {*SHEETS, "Diagramdata"}
    # no index is delivered: spending in current prices, the catalogue's amounts in its own
    # price levels (2023 and 2024, tests/fixtures.py), said on the sheets that show them
    catalogue = "løbende priser, katalogets beløb i 2023/2024-priser (intet prisindeks)"
    for name, rows in sheets.items():  # price level (where there are amounts) and data date
        # spending only, Danmarks Statistik's figures and the files' own amounts (the trace)
        # in current prices
        if name in ("Budgetopfølgning", "Årsoversigt", "Udvikling", "Sammenligning"):
            assert rows[1][0] == (
                "Prisniveau: løbende priser · Opgjort til: 30-06-2025 · Beløb i mio. kr."
            ), name
        elif name == "Opmærksomhed":  # no amounts: no level, no unit
            assert rows[1][0] == "Opgjort til: 30-06-2025", name
        elif name != "Diagramdata":
            assert rows[1][0] == (
                f"Prisniveau: {catalogue} · Opgjort til: 30-06-2025 · Beløb i mio. kr."
            ), name
    overview = sheets["Overblik"]
    assert [r[0] for r in overview[2:4]] == HEADLINES
    top = next(i for i, r in enumerate(overview) if r[0] == "Budgetaftale")
    header, rows = overview[top], overview[top + 1 :]
    rows = rows[: next((i for i, r in enumerate(rows) if not r[0]), len(rows))]
    table = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows}
    expected = query(
        reported,
        "SELECT spor, budgetaftale, sum(realiseret_besparelse), "
        "sum(budgetteret_besparelse) FROM mart.spor_status GROUP BY ALL",
    )
    names = {1: "Spor 1: Udgiftsdæmpende tiltak", 2: SPOR2}
    assert len(table) == len(expected) + 2  # and an "I alt" row per agreement
    for spor, aftale, realised, budgeted in expected:
        row = table[(aftale, names[spor])]
        assert Decimal(row["Realiseret til dato (mio. kr.)"]) == realised
        assert Decimal(row["Budgetteret i alt (mio. kr.)"]) == budgeted
    total = table[("2024-2027", "I alt")]
    # B1 + B2 1,1 + 1,9, L1 0,6 + 1,2, A1 1,2 + 2,4 (see the module docstring) = 8,4
    assert Decimal(total["Realiseret til dato (mio. kr.)"]) == Decimal("8400000")
    assert Decimal(total["Budgetteret til dato (mio. kr.)"]) == Decimal("6700000")
    assert table[("2024-2027", names[1])]["Status"] == "grøn"
    assert table[("2024-2027", names[1])]["Opgjorte år"] == "2024, 2025 (forventet)"


@pytest.mark.slow
def test_workbook_prints_a4_landscape_fitted_to_width_with_helper_data_hidden(reported):
    book = load_workbook(reported.rapporter / "styregruppe.xlsx")
    assert book.sheetnames == [*SHEETS, "Diagramdata"]
    assert book["Diagramdata"].sheet_state == "hidden"  # the charts' data, out of print
    for name in SHEETS:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape", name
        if name == "Udvikling":  # charts only: no table, no header row
            continue
        assert int(sheet.page_setup.paperSize) == 9, name  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        header = int(sheet.freeze_panes[1:]) - 1
        assert sheet.print_title_rows == f"${header}:${header}", name
        assert sheet.auto_filter.ref.startswith(f"A{header}:"), name
    appendix = load_workbook(reported.rapporter / "styregruppe_bilag.xlsx")
    assert appendix.sheetnames == [*APPENDIX_SHEETS, "Diagramdata"]
    assert appendix["Indsatser"]["H4"].value == "Budgetteret besparelse (mio. kr.)"
    assert appendix["Indsatser"]["H5"].number_format == "#,##0.0,,;-#,##0.0,,"
    assert appendix["Mål"]["I4"].value == "Opfyldt"
    assert appendix["Mål"]["I5"].value in ("Ja", "Nej")


@pytest.mark.slow
def test_libreoffice_prints_each_sheet_on_its_pages_and_overblik_on_one(workbook_pdf):
    # every table of the small municipality's report has at most 40 rows: one landscape
    # page each, in the order of the sheets (the appendix is a workbook of its own)
    sheets = [re.search(r"(\S+) – side \d+ af \d+", page)[1] for page in workbook_pdf]
    assert sheets == SHEETS
    first = workbook_pdf[0]
    assert "Budgetaftale 2024-2027: Strategien har realiseret 8,4 af 6,7 mio. kr." in first
    assert (SCREENSHOTS / "styregruppe-xlsx-overblik.png").stat().st_size > 10_000


@pytest.mark.slow
def test_printed_sheets_keep_text_within_the_page_and_apart_from_figures(reported):
    # the defects: Opmærksomhed's title cut at the page's edge, cells run together
    # ("4regnskab", "1S1-01"), the footer's lower edge clipped
    from openpyxl.utils import get_column_letter

    for stem in ("styregruppe", "styregruppe_bilag"):
        book = load_workbook(reported.rapporter / f"{stem}.xlsx")
        for sheet in book.worksheets:
            if sheet.title in ("Overblik", "Udvikling", "Indhold", "Diagramdata"):
                continue
            header = int(sheet.freeze_panes[1:]) - 1
            last = get_column_letter(sheet.max_column)
            # the title and the line under it wrap within the table's columns
            merged = {str(r) for r in sheet.merged_cells.ranges}
            assert {f"A1:{last}1", f"A2:{last}2"} <= merged, sheet.title
            assert sheet["A1"].alignment.wrap_text, sheet.title
            for row in sheet.iter_rows(min_row=header + 1):
                for cell in row:
                    if isinstance(cell.value, str):  # a little off the figure beside it
                        assert cell.alignment.indent >= 1, (sheet.title, cell.coordinate)
            margins = sheet.page_margins
            assert margins.bottom - margins.footer >= 0.4, sheet.title  # the footer's height


@pytest.mark.slow
def test_workbook_has_native_charts_for_both_agreements(reported):
    import zipfile

    with zipfile.ZipFile(reported.rapporter / "styregruppe.xlsx") as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    # one per agreement on Overblik, spending on Årsoversigt, one per område on Udvikling
    assert len(charts) == 2 + 1 + 3
    bars = [c for c in charts if "barChart" in c]
    assert {re.search(r"Budgetaftale (\d{4}-\d{4})", c)[1] for c in bars} == {
        "2023-2026",
        "2024-2027",
    }
    spending = next(c for c in charts if "Nettoforbrug pr. område" in c)
    assert 'srgbClr val="7570b3"' in spending  # botilbud in the page's colour too
    for chart in bars:  # realised is green, budgeted blue-grey, values labelled
        assert 'srgbClr val="1b7837"' in chart and 'srgbClr val="8da0cb"' in chart
        assert 'showVal val="1"' in chart


class _Tables(HTMLParser):
    """Header and row count of each <table data-tabel=…>, and the headline paragraphs."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict] = {}
        self.headlines: list[str] = []
        self._table = self._cell = None
        self._text = ""
        self._headline = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs["data-tabel"], {"head": [], "rows": 0})
        elif tag in ("th", "td"):
            self._cell, self._text = tag, ""
        elif tag == "tr" and self._table is not None:
            self._in_body = True
        elif tag == "p" and attrs.get("class") == "headline":
            self._headline, self._text = True, ""

    def handle_endtag(self, tag):
        if tag == "th" and self._table is not None and not self._table.get("done"):
            self._table["head"].append(self._text)
        elif tag == "thead" and self._table is not None:
            self._table["done"] = True
        elif tag == "tr" and self._table is not None and self._cell == "td":
            self._table["rows"] += 1
        elif tag == "table":
            self._table = None
        elif tag == "p" and self._headline:
            self.headlines.append(self._text)
            self._headline = False

    def handle_data(self, data):
        self._text += data


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["styregruppe", "styregruppe_bilag"])
def test_page_and_workbook_hold_the_same_tables(reported, stem):
    parser = _Tables()
    parser.feed((reported.rapporter / f"{stem}.html").read_text(encoding="utf-8"))
    if stem == "styregruppe":
        assert parser.headlines == HEADLINES
    book = load_workbook(reported.rapporter / f"{stem}.xlsx")
    names = [s for s in book.sheetnames if s not in ("Udvikling", "Indhold", "Diagramdata")]
    assert sorted(parser.tables) == sorted(names)
    for name in names:
        sheet = book[name]
        header = int(sheet.freeze_panes[1:]) - 1
        cells = [c.value for c in sheet[header] if c.value is not None]
        # a row counts when any cell is filled: Opmærksomhed's budget-bridge warnings
        # belong to no file, so their first column (Filer) is empty
        rows = sum(
            1 for r in sheet.iter_rows(min_row=header + 1) if any(c.value is not None for c in r)
        )
        assert parser.tables[name]["head"] == cells, name
        assert parser.tables[name]["rows"] == rows, name


@pytest.mark.slow
def test_page_in_chromium_prints_with_colours_and_asks_nothing_from_the_network(page_pdf):
    assert page_pdf["requests"] == [page_pdf["uri"]]
    assert page_pdf["shot"].stat().st_size > 10_000
    text = page_pdf["text"]
    # overview: spor 1 under 2024-2027 budgeted 4,2 and realised 4,8 mio. kr. (114 %)
    assert "2024-2027\tSpor 1: Udgiftsdæmpende tiltak\t4,2\t4,2\t4,8\t114 %\tgrøn" in text
    # a section per track
    for heading in [*HEADLINES, SPOR2]:
        assert heading in text
    # page 1 holds the title, the headlines and the overview, not the title alone
    first = page_pdf["pages"][0]
    assert "status for styregruppen" in first and "I alt" in first
    assert "Budgetaftale 2023-2026: Strategien har realiseret 1,5 af 1,4" in first
    for agreement in ("2023-2026", "2024-2027"):  # both charts, saying what and when
        assert f"Budgetaftale {agreement}: besparelse til dato (mio. kr.)" in first
    assert first.lower().count("opgjort til") >= 3  # the line under the title, two charts
    # A4 landscape pages; each table starts a page of its own, in the workbook's order
    starts = [
        next(i for i, page in enumerate(page_pdf["pages"]) if f"\n{name}: " in f"\n{page}")
        for name in SHEETS[1:]
    ]
    assert starts == sorted(set(starts)) and starts[0] == 1
    # and the small municipality's tables are short: none takes more than two pages
    ends = [*starts[1:], len(page_pdf["pages"])]
    assert all(1 <= end - start <= 2 for start, end in zip(starts, ends, strict=True))
    assert re.search(rb"/MediaBox\s*\[0 0 841\.9\d* 594\.9\d*\]", page_pdf["pdf"])
    # status colours survive printing: the fills of grøn (#c6efce) are in the PDF
    fills = set()
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", page_pdf["pdf"], re.S):
        try:
            fills.update(re.findall(rb"([\d.]+ [\d.]+ [\d.]+) rg", zlib.decompress(m[1])))
        except zlib.error:
            continue
    assert b".7765 .9373 .8078" in fills


def test_html_axis_ticks_are_round_and_cover_the_values():
    from assets.reports.html import ticks

    # 0 … 5,0 mio. kr. in about five steps: 1 mio. kr. apart
    assert ticks(0, 5_000_000) == [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000]
    # −0,4 … 2,5 mio. kr.: a fifth of the span is 580.000, so steps of 1 mio. kr.
    assert ticks(-400_000, 2_500_000) == [-1_000_000, 0, 1_000_000, 2_000_000, 3_000_000]


@pytest.mark.slow
def test_monthly_trend_against_budget_and_baseline_in_both_reports(reported):
    # botilbud, March 2024: 850.000 + 50.000 on B1's own ansvarssted = 900.000 spent; the
    # corrected budget 11.000.000 / 12 = 916.666,67 a month; the baseline is the average
    # month of 2023, the first full year: 12.000.000 / 12 = 1.000.000
    book = load_workbook(reported.rapporter / "styregruppe.xlsx")
    data = [[c.value for c in r] for r in book["Diagramdata"].iter_rows()]
    col = data[0].index("Udvikling: botilbud")
    assert data[1][col : col + 4] == ["Måned", "Nettoforbrug", "Budget", "Baseline"]
    march = next(r for r in data if r[col] == "2024-03")
    assert march[col + 1 : col + 4] == [900_000, pytest.approx(916_666.67, abs=0.01), 1_000_000]
    page = (reported.rapporter / "styregruppe.html").read_text(encoding="utf-8")
    trend = page[page.index('id="udvikling"') :]
    assert trend.count("<polyline") == 3 * 3  # three områder, three lines each
    assert "botilbud: nettoforbrug pr. måned (mio. kr.), opgjort til 30-06-2025" in trend
    # the same series in the same colour as in the workbook: net spending green, budget
    # blue-grey, baseline orange; botilbud's line in the annual chart as in Excel's
    assert trend.count('stroke="#1b7837"') == trend.count('stroke="#d95f02"') == 3
    assert 'stroke="#7570b3"' in page[page.index('id="årsoversigt"') : page.index(trend)]


def test_each_table_names_its_own_price_level_and_only_where_it_has_amounts():
    import pandas as pd

    from assets.reports.content import _table

    # the marts in 2026 prices, but budget follow-up in current prices (mart.budgetopfoelgning)
    follow_up = pd.DataFrame(
        {"omraade": ["botilbud"], "afvigelse": [1.0], "prisniveau": ["løbende priser"]}
    )
    assert _table("Budgetopfølgning", "", follow_up, "2026").level == "løbende priser"
    savings = pd.DataFrame({"afvigelse": [1.0], "prisniveau": ["2026"]})
    assert _table("Indsatser", "", savings, "2026").level == "2026-priser"
    goals = pd.DataFrame({"indikator": ["x"], "opfyldt": [True]})
    assert _table("Mål", "", goals, "2026").level is None  # no amounts: no price, no unit


def test_the_note_says_how_the_agreements_relate():
    from assets.reports.content import relation_note

    assert relation_note(["2024-2027", "2023-2026"]) == (
        "Budgetaftalerne 2023-2026 og 2024-2027 overlapper i 2024-2026 og må ikke lægges "
        "sammen: en indsats' realiserede besparelse i et år er den samme under hver aftale, "
        "der har indsatsen og dækker året; aftalerne adskiller sig i, hvad der var "
        "budgetteret, og i hvilke indsatser og år de har. Gældende aftale pr. "
        "år: 2023: 2023-2026; 2024 til 2027: 2024-2027."
    )
    assert relation_note(["2024-2027"]) == "Der er én budgetaftale; dens tal står alene."
