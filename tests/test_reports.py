"""The reports as people open them: the workbook in LibreOffice, the page in Chromium.

Without LibreOffice or Chromium on the machine these tests are skipped; `.ci/run`
installs both and sets FOREBYG_REQUIRE_TOOLS=1, which turns a missing tool into a failure.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest

from tests.conftest import query

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SOFFICE = shutil.which("soffice")


def need(tool: str | None, name: str) -> None:
    if tool:
        return
    if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
        pytest.fail(f"{name} is required here but not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="module")
def reported(small_loaded):
    return small_loaded


def sheets_via_libreoffice(path, out) -> dict[str, list[list[str]]]:
    filter_options = "44,34,76,1,,0,false,true,false,false,false,-1"  # every sheet, raw values
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{out}/profil",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{filter_options}",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheets = {}
    for file in out.glob(f"{path.stem}-*.csv"):
        with file.open(encoding="utf-8") as fh:
            sheets[file.stem.removeprefix(f"{path.stem}-")] = list(csv.reader(fh))
    return sheets


def test_workbook_opens_in_libreoffice_with_the_marts_totals(reported, tmp_path):
    need(SOFFICE, "LibreOffice")
    sheets = sheets_via_libreoffice(reported.rapporter / "styregruppe.xlsx", tmp_path)
    assert set(sheets) == {
        "Overblik",
        "Spor",
        "Indsatser",
        "Investeringer",
        "Budgetopfølgning",
        "Budgetaftaler",
        "Årsoversigt",
        "Mål",
        "Leverancer",
    }
    for name, rows in sheets.items():  # price level and data date on every sheet
        assert rows[1][0].startswith(
            "Prisniveau: løbende priser, katalogets beløb i 2023/2024-priser (intet prisindeks) "
            "· Opgjort til: 30-06-2025"
        ), name
    header = sheets["Overblik"][3]
    rows = sheets["Overblik"][4:]
    rows = rows[: next(i for i, r in enumerate(rows) if not r[0])]  # up to the first blank row
    table = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in rows}
    expected = query(
        reported,
        "SELECT spor, budgetaftale, sum(realiseret_besparelse), "
        "sum(budgetteret_besparelse) FROM mart.spor_status GROUP BY ALL",
    )
    assert len(table) == len(expected) == 3
    for spor, aftale, realised, budgeted in expected:
        row = table[(str(spor), aftale)]
        assert Decimal(row["Realiseret til dato (1.000 kr.)"]) == realised
        assert Decimal(row["Budgetteret i alt (1.000 kr.)"]) == budgeted
    # spor 1, 2024-2027: 5.000.000 realised of 4.200.000 budgeted (see test_pipeline.py)
    assert table[("1", "2024-2027")]["Status"] == "grøn"


def test_workbook_has_native_charts_frozen_headers_and_filters(reported):
    from openpyxl import load_workbook

    path = reported.rapporter / "styregruppe.xlsx"
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    book = load_workbook(path)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A5"
        assert sheet.auto_filter.ref.startswith("A4:")
    money = book["Indsatser"]["H5"]
    assert book["Indsatser"]["H4"].value == "Budgetteret besparelse (1.000 kr.)"
    assert money.number_format == "#,##0,;-#,##0,"


def test_page_in_chromium_shows_the_figures_and_asks_nothing_from_the_network(reported, tmp_path):
    need(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    page_path = reported.rapporter / "styregruppe.html"
    requests = []
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
        shot = tmp_path / "styregruppe.png"
        page.screenshot(path=str(shot), full_page=True)
        pdf = page.pdf(format="A4")  # the print layout, as for a committee agenda
        browser.close()
    assert requests == [page_path.as_uri()]
    assert shot.stat().st_size > 10_000
    # A4 pages: the overview, then each track on a page of its own
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 3
    # overview: spor 1 under 2024-2027 budgeted 4,2 and realised 5,0 mio. kr.
    assert "2024-2027\t4,2\t4,2\t5,0\t119 %\tgrøn" in text
    for heading in (
        "Styregruppen: overblik",
        "Spor 1",
        "Spor 2",
        "B1 Botilbud i eget hjem",
        "A1 Ungegarantien",
    ):
        assert heading in text
    assert "løbende priser" in text and "30-06-2025" in text
