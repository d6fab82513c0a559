"""The demo's steering-group report as its readers get it (docs/brugervejledning.md,
"Rapporterne"): the page in a real Chromium driven by Playwright, the workbook printed by
LibreOffice. It prints in at most 12 A4 pages in both, fits a 1366 px wide screen without
scrolling sideways, every link of its table of contents leads to a section, the I alt
rows are above the fold of a 1366×768 screen, and nothing is cut at the page's edge.
Screenshots land in build/screenshots/ (kept by CI as artefacts).

Without Chromium, LibreOffice or poppler-utils the tests are skipped, unless
FOREBYG_REQUIRE_TOOLS=1 (as in CI) makes that a failure.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from pipelines.cli import main
from tests.test_reports import CHROMIUM, SCREENSHOTS, SHEETS, SOFFICE, need, pdf_pages, soffice

pytestmark = pytest.mark.slow  # runs the demo and drives a browser

PAGES = 12  # the steering group's target, A4
PDFINFO = shutil.which("pdfinfo")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The folder of the demo's reports (the sample data, one full run)."""
    root = tmp_path_factory.mktemp("demo") / "hjem"
    assert main(["demo", "--home", str(root)]) == 0
    return root / "rapporter"


def _pages(pdf: Path) -> int:
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)[1])


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screen(browser, demo):
    """The report at 1366×768, as a laptop shows it."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto((demo / "styregruppe.html").as_uri())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "styregruppe-1366x768.png"))
    yield page
    page.close()


def test_the_report_fits_1366_px_without_scrolling_sideways(screen):
    assert screen.evaluate("document.documentElement.scrollWidth") <= 1366


def test_no_header_or_figure_runs_over_its_cell(screen):
    # the defect: "Aktivitet (helårspersoner/pladser)" printed over its neighbour
    # ("pladser)i"); a header or figure wider than its cell would do the same
    spilled = screen.evaluate(
        "[...document.querySelectorAll('th, td.n')]"
        ".filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"
    )
    assert spilled == []


def test_the_totals_are_above_the_fold(screen):
    # page 1 answers the question: each agreement's I alt row within the first 768 px
    bottoms = screen.evaluate(
        "[...document.querySelectorAll('#overblik tr.total')]"
        ".map(r => r.getBoundingClientRect().bottom)"
    )
    assert len(bottoms) == 2 and max(bottoms) <= 768  # the demo's two agreements


def test_every_link_of_the_contents_leads_to_a_section(screen):
    targets = screen.evaluate(
        "[...document.querySelectorAll('nav.indhold a')].map(a => a.getAttribute('href'))"
    )
    # the report's sections in order (tests/test_reports.py), Overblik being page 1 itself
    names = [n.lower() for n in SHEETS[1:]]
    assert [unquote(t) for t in targets] == [f"#{n}" for n in names]
    for href in targets:
        assert href.startswith("#")
        assert screen.evaluate("id => !!document.getElementById(id)", href[1:]), href


def test_the_page_prints_in_at_most_12_a4_pages_with_nothing_beyond_the_edge(
    browser, demo, tmp_path
):
    need(PDFINFO, "pdfinfo (poppler-utils)")
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto((demo / "styregruppe.html").as_uri())
    page.emulate_media(media="print")
    # laid out at the print width of A4 landscape less the 10 mm margins: 277 mm = 1047
    # CSS px; no table, chart, heading or paragraph reaches past it
    page.set_viewport_size({"width": 1047, "height": 740})
    overflow = page.evaluate(
        "[...document.querySelectorAll('table, figure, h2, p')]"
        ".filter(e => e.getBoundingClientRect().right > 1047 + 1).length"
    )
    wide = page.evaluate("document.documentElement.scrollWidth")
    pdf = tmp_path / "styregruppe.pdf"
    pdf.write_bytes(page.pdf(prefer_css_page_size=True))
    page.close()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(SCREENSHOTS / "styregruppe-html-side-1")],
        check=True,
    )  # fmt: skip
    assert _pages(pdf) <= PAGES
    assert wide <= 1047 and overflow == 0
    first = pdf_pages(pdf)[0]
    assert "I alt" in first and "status for styregruppen" in first


def test_the_workbook_prints_in_at_most_12_a4_pages_each_sheet_named(demo, tmp_path):
    need(SOFFICE, "LibreOffice")
    need(PDFINFO, "pdfinfo (poppler-utils)")
    soffice(demo / "styregruppe.xlsx", tmp_path, "pdf")
    pdf = tmp_path / "styregruppe.pdf"
    pages = pdf_pages(pdf)
    assert _pages(pdf) <= PAGES
    # each page's footer names its sheet and page, whole: no clipped footer
    footers = [re.search(r"(\S+) – side (\d+) af (\d+)", page) for page in pages]
    assert all(footers)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(SCREENSHOTS / "styregruppe-xlsx-side-1")],
        check=True,
    )  # fmt: skip
