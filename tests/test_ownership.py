"""Who owns what (issue 14, item 4): track names and leads, committees and owners from the
catalogue into the marts and reports; the owners' status comments beside the figures, a
red initiative's missing reason under Opmærksomhed; a report for one committee or owner.
Every figure is computed by hand in the comments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from assets.intake.parsing.extract import parse_file
from assets.reports.content import read_content
from pipelines.cli import main
from runtime.resources import Home, read_published
from tests import builders as b
from tests.conftest import query, run, settle

COMMENTS = ["Indsats ID", "Opfølgning", "Kommentar"]

# 2024 is closed (twelve months). Budget method: realised = korrigeret + planned − spending.
# P (spor 1, botilbud 5.38.50): 12.000.000 + 1.000.000 − 12 × 1.050.000 = 400.000 of
#   1.000.000 = 40 %: rød, with its owner's comment.
# Q (spor 1, bostøtte 5.38.38): 6.000.000 + 1.000.000 − 12 × 550.000 = 400.000 of
#   1.000.000 = 40 %: rød, and no comment: its reason is missing.
# R (spor 2, forsørgelse 5.57.73): 10.000.000 + 500.000 − 12 × 800.000 = 900.000 of
#   500.000 = 180 %: grøn; of its two comments the later follow-up (December) counts.
STATUS = [
    ("P", "Socialudvalget", "Anna Holm", Decimal("400000.00"), "rød",
     "Forsinket opstart; effekten kommer i 2025.", dt.date(2024, 9, 30), False),
    ("Q", "Socialudvalget", "Bo Ravn", Decimal("400000.00"), "rød", None, None, True),
    ("R", "Beskæftigelsesudvalget", "anna holm", Decimal("900000.00"), "grøn", "På sporet.",
     dt.date(2024, 12, 31), False),
]  # fmt: skip


def _catalogue(rows):
    """Catalogue rows [ID, spor, område, function, committee, owner, track name, lead]."""
    initiatives = []
    for ident, spor, area, function, committee, owner, name, lead in rows:
        row = b.initiative(ident, "budget", function, spor=spor, area=area)
        row[4] = owner
        initiatives.append([*row, committee, name, lead])
    return initiatives


@pytest.fixture(scope="module")
def owned(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("ejerskab") / "hjem").create()
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 1_050_000)
        + b.monthly("5.38.38", 2024, 550_000)
        + b.monthly("5.57.73", 2024, 800_000),
    )
    b.corrected(
        home.indbakke / "korrigeret.xlsx",
        [["5.38.50", 2024, 12_000_000], ["5.38.38", 2024, 6_000_000],
         ["5.57.73", 2024, 10_000_000]],
    )  # fmt: skip
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        _catalogue([
            ("P", 1, "botilbud", "5.38.50", "Socialudvalget", "Anna Holm", "Billigere botilbud",
             "Socialchef"),
            ("Q", 1, "bostøtte", "5.38.38", "Socialudvalget", "Bo Ravn", None, None),
            ("R", 2, "forsørgelse", "5.57.73", "Beskæftigelsesudvalget", "anna holm", "Job først",
             "Jobchef"),
        ]),
        [["P", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
         ["Q", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
         ["R", "2024-2027", 2024, "Besparelse", 500_000, 2024]],
    )  # fmt: skip
    b.workbook(
        home.indbakke / "kommentarer_december.xlsx",
        COMMENTS,
        [["R", "31-12-2024", "På sporet."]],
    )
    run(home)
    # an older follow-up's comments, delivered later: R's December comment still counts
    b.workbook(
        home.indbakke / "kommentarer_september.xlsx",
        COMMENTS,
        [
            ["P", "2024-09", "Forsinket opstart; effekten kommer i 2025."],
            ["R", "2024-09", "Gammel."],
        ],
    )
    run(home)
    return home


@pytest.mark.slow
def test_owners_committees_and_comments_in_the_initiative_status(owned):
    assert (
        query(
            owned,
            "SELECT indsats_id, udvalg, ansvarlig, realiseret_til_dato, status, kommentar, "
            "kommentar_pr, begrundelse_mangler FROM mart.indsats_status ORDER BY indsats_id",
        )
        == STATUS
    )


@pytest.mark.slow
def test_track_names_and_leads_from_the_catalogue(owned):
    # Q leaves spor 1's name and lead empty: P's row gives them
    assert query(
        owned, "SELECT DISTINCT spor, spornavn, sporansvarlig FROM mart.spor_status ORDER BY 1"
    ) == [(1, "Billigere botilbud", "Socialchef"), (2, "Job først", "Jobchef")]


@pytest.mark.slow
def test_the_report_shows_comments_beside_the_figures_and_a_missing_reason(owned):
    with read_published(owned) as con:
        content = read_content(con)
    assert content.track_names == {
        1: "Spor 1: Billigere botilbud (sporansvarlig: Socialchef)",
        2: "Spor 2: Job først (sporansvarlig: Jobchef)",
    }
    status = content.table("Indsatsstatus").frame.set_index("indsats_id")
    assert status.loc["P", "kommentar"] == "Forsinket opstart; effekten kommer i 2025."
    assert status.loc["Q", "kommentar"] == "Begrundelse mangler"
    assert status.loc["R", "kommentar"] == "På sporet."
    attention = list(content.table("Opmærksomhed").frame["advarsel"])
    assert attention[0] == (
        "Begrundelse mangler: Q Indsats Q er rød i budgetaftale 2024-2027 og har ingen "
        "kommentar fra indsatslederen (Bo Ravn)"
    )
    assert not any("Indsats P" in line or "Indsats R" in line for line in attention)


def _cells(path) -> set:
    book = load_workbook(path, read_only=True)
    return {c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row}


@pytest.mark.slow
def test_a_report_for_one_committee(owned, capsys):
    assert main(["report", "--udvalg", "socialudvalget", "--home", str(owned.root)]) == 0
    assert "Rapport for Socialudvalget skrevet" in capsys.readouterr().out
    path = owned.rapporter / "udvalg_socialudvalget.xlsx"
    cells = _cells(path)
    assert "Forebyggelsesstrategien – overblik for Socialudvalget" in cells
    assert {"Indsats P", "Indsats Q"} <= cells and "Indsats R" not in cells
    assert "forsørgelse" not in cells  # R's område is not the committee's
    # the headline speaks of the committee's initiatives, never of the whole strategy
    # (issue 23 rule 15): P and Q, 0,8 of 2,0 mio. kr. = 40 %, rød
    assert (
        "Budgetaftale 2024-2027: Udvalgets indsatser har realiseret 0,8 af 2,0 mio. kr. "
        "budgetteret til dato (40 %); status rød."
    ) in cells
    assert not any("Strategien har realiseret" in str(c) for c in cells)
    # spor 1 computed again from P and Q alone: 400.000 + 400.000 = 0,8 of 2,0 mio. kr. (40 %)
    with read_published(owned) as con:
        from assets.reports.scope import resolve, scoped

        scope = resolve(con, "udvalg", "Socialudvalget")
    with scoped(owned.warehouse, scope, owned.rapporter) as con:
        assert con.execute(
            "SELECT spor, budgetteret_besparelse, realiseret_besparelse FROM mart.spor_status"
        ).fetchall() == [(1, Decimal("2000000.00"), Decimal("800000.00"))]
    # the full report is left as it was, and no copy of the warehouse is left behind
    assert not list(owned.rapporter.glob(".udsnit-*"))


@pytest.mark.slow
def test_a_report_for_one_owner_and_an_unknown_name(owned, capsys):
    # 'Anna Holm' and 'anna holm' are one owner: P (spor 1) and R (spor 2)
    assert main(["report", "--ansvarlig", "ANNA HOLM", "--home", str(owned.root)]) == 0
    cells = _cells(owned.rapporter / "ansvarlig_anna_holm.xlsx")
    assert {"Indsats P", "Indsats R"} <= cells and "Indsats Q" not in cells
    # P and R: 0,4 + 0,9 = 1,3 of 1,0 + 0,5 = 1,5 mio. kr. = 86,7 %, shown 87 %: gul
    assert (
        "Budgetaftale 2024-2027: Indsatslederens indsatser har realiseret 1,3 af 1,5 mio. kr. "
        "budgetteret til dato (87 %); status gul."
    ) in cells
    capsys.readouterr()
    assert main(["report", "--udvalg", "Kulturudvalget", "--home", str(owned.root)]) == 1
    assert capsys.readouterr().err.strip() == (
        "Kataloget har intet udvalg 'Kulturudvalget'. Det kender: Beskæftigelsesudvalget, "
        "Socialudvalget."
    )


def test_a_track_with_two_names_is_rejected_with_the_rows(tmp_path):
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in (
        ("Indsatser", ["ID", "Indsats", "Spor", "Område", "Metode", "Funktioner",
                       "Politisk udvalg", "Sporets navn"],
         [["A", "A", 1, "botilbud", "budget", "5.38.50", "Socialudvalget", "Botilbud"],
          ["B", "B", 1, "botilbud", "budget", "5.38.52", "Socialudvalget", "Bolig"]]),
        ("Økonomi", b.ECONOMY, []),
        ("Mål", ["ID", "Indikator", "År", "Mål", "Retning"], []),
    ):  # fmt: skip
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "katalog.xlsx"
    book.save(path)
    extract = parse_file(settle([path])[0])
    assert [p.text() for p in extract.problems] == [
        "Fil 'katalog.xlsx', ark 'Indsatser', række 3, kolonne 'Spornavn': værdien 'Bolig' kan "
        "ikke bruges; forventet samme spornavn som række 2 for spor 1 ('Botilbud')."
    ]
