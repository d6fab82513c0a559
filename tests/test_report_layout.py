"""The report's layout rules, each on a small hand-made warehouse or frame: Opmærksomhed
names each warning once and only for files in force; the budget follow-up puts the current
year first with an I alt per year, a forbrugsprocent and flagged deviations; Opfølgninger
shows what changed and counts the rest; page 1 says what moved since the last follow-up
and colours each agreement's status; a column has one number format; axis labels never
overlap."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from assets.reports import content, formats, html
from schemas.marts import column_formats


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA mart; CREATE SCHEMA core")
    return con


def test_attention_names_each_warning_once_for_the_files_in_force():
    con = _con()
    con.execute(
        "CREATE TABLE mart.indsats_status (indsats_id VARCHAR, indsats VARCHAR, "
        "budgetaftale VARCHAR, ansvarlig VARCHAR, begrundelse_mangler BOOLEAN);"
        "CREATE TABLE core.prisindeks_mangler (type VARCHAR, aar INT, bruger_aar INT);"
        "CREATE TABLE mart.leverancer (leverance_nr INT, status VARCHAR);"
        "CREATE TABLE mart.opmaerksomhed (leverance_nr INT, filnavn VARCHAR, "
        "modtaget TIMESTAMP, advarsel VARCHAR);"
        # no budget bridge rows: every korrigeret budget explained, so no bridge warning
        "CREATE TABLE mart.budgetbro (omraade VARCHAR, aar INT, vedtaget_budget DECIMAL(18,2), "
        "korrigeret_budget DECIMAL(18,2), uforklaret DECIMAL(18,2))"
    )
    # files 1 and 2 in force, 3 superseded by a later delivery: its warning is history
    con.execute("INSERT INTO mart.leverancer VALUES (1, 'accepteret'), (2, 'accepteret'), "
                "(3, 'erstattet')")  # fmt: skip
    same = "kolonne Funktion: værdien '5.32.32' findes ikke i kontoplanen."
    con.executemany(
        "INSERT INTO mart.opmaerksomhed VALUES (?, ?, NULL, ?)",
        [
            (2, "f_2025.xlsx", f"Advarsel: f_2025.xlsx, ark 'F', række 9, {same}"),
            (1, "f_2024.xlsx", f"Advarsel: f_2024.xlsx, ark 'F', række 4, {same}"),
            (3, "gammel.xlsx", f"Advarsel: gammel.xlsx, ark 'F', række 2, {same}"),
            (2, "f_2025.xlsx", "Advarsel: f_2025.xlsx: marts flytter sig 40 %."),
        ],
    )
    rows = con.execute(content.ATTENTION_SQL).fetchall()
    # two findings: the unknown function (files 2 and 1, newest first; 3 is left out) and
    # the month that moved (file 2 alone, its own line kept)
    assert rows == [
        (2, "f_2025.xlsx, f_2024.xlsx", f"Advarsel: f_2025.xlsx, f_2024.xlsx, {same}"),
        (1, "f_2025.xlsx", "Advarsel: f_2025.xlsx: marts flytter sig 40 %."),
    ]


def _budget(con, rows):
    con.execute(
        "CREATE TABLE mart.budgetopfoelgning (omraade VARCHAR, aar INT, "
        "oprindeligt_budget DECIMAL(18,2), korrigeret_budget DECIMAL(18,2), "
        "forbrug_aar_til_dato DECIMAL(18,2), forventet_regnskab DECIMAL(18,2), "
        "afvigelse DECIMAL(18,2), opgjort_til DATE, opgjort_som VARCHAR, "
        "forventet_af VARCHAR, prisniveau VARCHAR)"
    )
    con.executemany(
        "INSERT INTO mart.budgetopfoelgning VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, "
        "'løbende priser')",
        rows,
    )


def test_budget_follow_up_current_year_first_with_totals_and_flags():
    con = _con()
    _budget(
        con,
        [
            # 2025 closed; 2026 the current year (spending to date); 2027 budget only
            ("a", 2025, 100, 100, 98, 98, -2, "regnskab"),
            ("b", 2025, 50, 50, 50, 50, 0, "regnskab"),
            ("a", 2026, 100, 200, 150, 210, 10, "forventet"),
            ("b", 2026, 50, 50, 20, 50.5, 0.5, "forventet"),
            ("a", 2027, 120, None, None, None, None, None),
            ("b", 2027, 60, None, None, None, None, None),
        ],
    )
    frame = con.execute(content.BUDGET_SQL).df()
    assert [(int(y), o) for y, o in zip(frame["aar"], frame["omraade"], strict=True)] == [
        (2026, "a"), (2026, "b"), (2026, "I alt"),
        (2027, "a"), (2027, "b"), (2027, "I alt"),
        (2025, "a"), (2025, "b"), (2025, "I alt"),
    ]  # fmt: skip
    by = {(int(r.aar), r.omraade): r for r in frame.itertuples()}
    total = by[(2026, "I alt")]
    # 2026 in all: corrected 200 + 50 = 250, spent 150 + 20 = 170: 68 %; deviation 10,5
    assert (total.korrigeret_budget, total.forbrug_aar_til_dato) == (250, 170)
    assert total.forbrugsprocent == pytest.approx(0.68)
    assert total.afvigelse == Decimal("10.50")
    # flagged from 2 % of the corrected budget: a's 10 of 200 (5 %) is, b's 0,5 of 50
    # (1 %) is not; 2025's a −2 of 100 (2 %) is, as mindreforbrug; I alt 10,5 of 250 (4,2 %)
    assert by[(2026, "a")].markering == "merforbrug"
    assert by[(2026, "b")].markering is None
    assert by[(2025, "a")].markering == "mindreforbrug"
    assert total.markering == "merforbrug"
    # 2027 has no corrected budget yet: its I alt is empty, never 0
    assert pd.isna(by[(2027, "I alt")].korrigeret_budget)
    assert by[(2027, "I alt")].oprindeligt_budget == 180


def _follow_ups() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tilstand": ["lukket", "aktuel", "aktuel", "aktuel", "aktuel"],
            "niveau": ["i alt", "indsats", "indsats", "indsats", "i alt"],
            "aendring_realiseret": [None, Decimal(0), Decimal(-600000), None, Decimal(-600000)],
            "aendring_budgetteret": [None, Decimal(0), Decimal(0), Decimal(5), Decimal(0)],
        }
    )


def test_follow_ups_show_the_changed_rows_and_count_the_others():
    frame = _follow_ups()
    tables = {
        name: content.Table(name, "", frame if name == "Opfølgninger" else pd.DataFrame(), None)
        for name in content.LEVELS
    }
    parts = content._parts(tables)
    shown = next(t for t in parts if t.name == "Opfølgninger" and not t.appendix)
    full = next(t for t in parts if t.name == "Opfølgninger" and t.appendix)
    # current rows 2-5; rows 3 (realised −0,6), 4 (budget +5) and 5 (i alt) moved; row 2
    # did not (0 and 0); the closed follow-up (row 1) is history, in the appendix only
    assert shown.frame["niveau"].tolist() == ["indsats", "indsats", "i alt"]
    assert shown.note.startswith("1 række uden ændring")
    assert len(full.frame) == 5
    assert [t.name for t in parts if not t.appendix] == [
        n
        for n in content.LEVELS
        if n not in content.APPENDIX or n in ("Opfølgninger", "Effekt")  # both in both
    ]


def test_page_one_says_what_moved_since_the_last_follow_up():
    con = _con()
    con.execute(
        "CREATE TABLE mart.opfoelgning_aendringer (tilstand VARCHAR, forrige_opfoelgning DATE, "
        "niveau VARCHAR, indsats_id VARCHAR, budgetaftale VARCHAR, aar INT, "
        "realiseret_besparelse DECIMAL(18,2), forrige_realiseret DECIMAL(18,2), "
        "aendring_realiseret DECIMAL(18,2), aendring_budgetteret DECIMAL(18,2))"
    )
    con.execute(
        "INSERT INTO mart.opfoelgning_aendringer VALUES "
        # 2024-2027, two years in all: now 60,0 + 37,1 = 97,1 → then 60,0 + 36,5 = 96,5
        "('aktuel', '2026-09-30', 'i alt', NULL, '2024-2027', 2025, 60000000, 60000000, 0, 0),"
        "('aktuel', '2026-09-30', 'i alt', NULL, '2024-2027', 2026, 36500000, 37100000, "
        "-600000, 0),"
        # of its initiatives, S1 moved and S2 did not
        "('aktuel', '2026-09-30', 'indsats', 'S1', '2024-2027', 2026, 1, 1, -600000, 0),"
        "('aktuel', '2026-09-30', 'indsats', 'S2', '2024-2027', 2026, 1, 1, 0, 0)"
    )
    assert content.changes_since(con) == [
        "Budgetaftale 2024-2027 siden opfølgningen pr. 30-09-2026: realiseret til dato "
        "97,1 → 96,5 mio. kr. (-0,6); 1 indsats med ændrede tal."
    ]


def test_each_agreement_answers_in_its_status_colour():
    line = (
        "Budgetaftale 2024-2027: Strategien har realiseret 1,0 af 2,0 mio. kr. (50 %); status rød."
    )
    assert html._answer(line) == (
        '<p class="headline">Budgetaftale 2024-2027: Strategien har realiseret 1,0 af 2,0 mio. '
        'kr. (50 %); status <span class="rød">rød</span>.</p>'
    )


def test_a_column_has_one_number_format():
    # the defect: 1.149,8 / 1.327 / 3.741 in one column; now one decimal throughout
    assert [formats.text(v, "tal") for v in (1149.8, 1327, 3741.0)] == [
        "1.149,8",
        "1.327,0",
        "3.741,0",
    ]
    assert formats.text(-1.52, "procent") == "-1,5 %"  # the % sign, one decimal
    assert formats.text(3757.88, "kroner") == "3.758"
    assert formats.header("Ændring fra året før", "procent") == "Ændring fra året før (%)"
    assert formats.UNITS["procent"].excel == '#,##0.0" %";-#,##0.0" %"'
    # every kind, the report's own and the mart contracts' formats, has its number format
    for name, (_, kind) in {**column_formats(), **content.COLUMNS}.items():
        assert kind in formats.UNITS, name


def _label_boxes(svg: str) -> list[tuple[float, float, bool]]:
    """(x, y, turned) of each x-axis label: the texts of font-size 10 below the plot."""
    out = []
    for m in re.finditer(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(end|middle)" '
                         r'font-size="10"( transform)?', svg):  # fmt: skip
        out.append((float(m[1]), float(m[2]), bool(m[4])))
    return out


def test_crowded_axis_labels_are_turned_and_never_touch():
    # the per-spor chart: 2 agreements × 6 years, labels of 28 characters (about 157 px)
    # in groups of (560 − 56 − 10) / 12 = 41 px: turned 45 degrees, every one shown, as
    # a turned label needs 12 px
    labels = [f"202{a}-202{a + 3} · 202{y} (forventet)" for a in (3, 4) for y in range(6)]
    svg = html.bar_chart(labels, {"Budgetteret": [1.0] * 12}, "t")
    boxes = [b for b in _label_boxes(svg) if b[2]]
    assert len(boxes) == 12
    assert min(b[0] - a[0] for a, b in itertools.pairwise(boxes)) >= 12
    # the labels fit in the picture: the turned length (157 × 0,71 = 111 px) is below the axis
    height = float(re.search(r'height="([\d.]+)"', svg)[1])
    assert height - boxes[0][1] >= 111


def test_the_annual_line_chart_labels_every_year():
    # the defect: 2022-2026 labelled only '2022' (every twelfth label, as for months)
    svg = html.line_chart([str(y) for y in range(2022, 2027)], {"x": [1, 2, 3, 4, 5]}, "t")
    labels = re.findall(r'font-size="10">(\d{4})</text>', svg)
    assert labels == ["2022", "2023", "2024", "2025", "2026"]


def test_the_workbook_grid_styles_each_cell_by_its_own_value():
    """Styles are set once per combination and copied (workbook._CellStyles): each cell must
    still get its own. A hand-made table of three rows: row 3 is an I alt row (bold), the
    status colours are grøn, rød and none, forklaring wraps, the budget is a kr figure and
    the date a date; a style changed on one cell afterwards stays on that cell."""
    import datetime as dt

    from openpyxl import Workbook

    from assets.reports import workbook

    frame = pd.DataFrame(
        {
            "omraade": ["Botilbud", "Bostøtte", "I alt"],
            "status": ["grøn", "rød", "ukendt"],
            "forklaring": ["kort", "en længere forklaring", "i alt"],
            "vedtaget_budget": [1_000_000.0, 2_000_000.0, 3_000_000.0],
            "modtaget": [dt.date(2026, 1, 2), None, dt.date(2026, 3, 4)],
        }
    )
    sheet = Workbook().active
    assert workbook._grid(sheet, 4, frame, html.totals(frame)) == 7
    header = [sheet.cell(4, c) for c in range(1, 6)]
    assert all(c.font.b and c.alignment.wrap_text for c in header)
    assert [sheet.cell(r, 1).font.b for r in (5, 6, 7)] == [False, False, True]
    assert [sheet.cell(r, 4).font.b for r in (5, 6, 7)] == [False, False, True]
    fills = [sheet.cell(r, 2).fill.fgColor.rgb for r in (5, 6, 7)]
    assert fills == ["00C6EFCE", "00FFC7CE", "00000000"]
    assert [sheet.cell(r, 3).alignment.wrap_text for r in (5, 6, 7)] == [True] * 3
    assert sheet.cell(5, 1).alignment.indent == 1 and not sheet.cell(5, 1).alignment.wrap_text
    assert {sheet.cell(r, 4).number_format for r in (5, 6, 7)} == {workbook.FORMATS["kr"]}
    # modtaget is a date column: its empty cell has the column's format too
    assert {sheet.cell(r, 5).number_format for r in (5, 6, 7)} == {workbook.FORMATS["dato"]}
    sheet.cell(5, 4).number_format = "0"
    assert sheet.cell(6, 4).number_format == workbook.FORMATS["kr"]
