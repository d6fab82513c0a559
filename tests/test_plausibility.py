"""Plausibility warnings (issue 14): a delivery that moves a month by more than the
threshold is a warning, never a rejection, in `forebyg check`, the receipt, the run
summary and the report's "Opmærksomhed". Figures computed by hand in the comments."""

from __future__ import annotations

import pytest

from pipelines.cli import main
from runtime.resources import Home
from tests import builders as b
from tests.conftest import query, run

pytestmark = pytest.mark.slow

# Before: botilbud (5.38.50) 1.000.000 a month in 2024, 800.000 in March 2023.
# The correction for March 2024 has 600.000 on dranst 1, 10.000 on dranst 3 (row 3) and
# 5.000 on 5.99.99, outside the kontoplan (row 4). 5.38.50 (botilbud) 2024-03 becomes
# 600.000 + 10.000 = 610.000: (610.000 − 1.000.000) / 1.000.000 = −39,0 %, beyond 25 %.
# Against March 2023: (610.000 − 800.000) / 800.000 = −23,75 %, within 25 %, beyond 20 %.
REPLACES = (
    "Erstatter funktion 5.38.50 (botilbud) 2024-03: før 1.000.000,00 kr., efter 610.000,00 kr. "
    "(−39,0 %)"
)
MOVES = (
    "Advarsel: rettelse.xlsx: funktion 5.38.50 (botilbud) 2024-03 flyttes −39,0 % (fra "
    "1.000.000,00 kr. til 610.000,00 kr.); grænsen er 25 %."
)
DRANST = (
    "Advarsel: rettelse.xlsx, ark 'Forbrug', række 3, kolonne Dranst: værdien '3' er hverken "
    "dranst 1 (drift) eller 2 (refusion); kontrollér, at rækken hører med i nettoforbruget."
)
OUTSIDE = (
    "Advarsel: rettelse.xlsx, ark 'Forbrug', række 4, kolonne Funktion: værdien '5.99.99' "
    "findes ikke i kontoplanen; rækken gemmes, men tæller ikke med i noget område."
)
LAST_YEAR = (
    "Advarsel: rettelse.xlsx: funktion 5.38.50 (botilbud) 2024-03 ligger −23,8 % fra samme "
    "måned sidste år (800.000,00 kr.); grænsen er 20 %."
)


def logical(lines: list[str]) -> list[str]:
    """`forebyg check`'s lines with each wrapped continuation (at 80 columns) joined again."""
    out: list[str] = []
    for line in lines:
        if out and line.startswith("  ") and not line.startswith(("  Erstatter", "  Uændret")):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


def _correction(folder) -> object:
    return b.spending(
        folder / "rettelse.xlsx",
        [
            ["5.38.50", 1, "7100", "2024-03", 600_000],
            ["5.38.50", 3, "7100", "2024-03", 10_000],
            ["5.99.99", 1, "7100", "2024-03", 5_000],
        ],
    )


@pytest.fixture(scope="module")
def delivered(tmp_path_factory):
    """A home with a year of spending, then the correction checked and delivered by the
    commands; the outputs of both kept."""
    home = Home(tmp_path_factory.mktemp("plausibel") / "hjem").create()
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 1_000_000) + b.monthly("5.38.50", 2023, 800_000, [3]),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            b.initiative("L", "baseline", "5.38.50", baseline=2023),
            b.initiative(
                "A",
                "aktivitet",
                "5.38.38",
                area="bostøtte",
                baseline=2023,
                unit_price=50_000,
                price_level=2024,
                indicator="Borgere i bostøtte",
            ),
        ],
        [
            ["L", "2024-2027", 2024, "Besparelse", 100_000, 2024],
            ["A", "2024-2027", 2024, "Besparelse", 50_000, 2024],
        ],
    )
    run(home)
    return home, _correction(home.root.parent / "ude")


def test_check_previews_the_replacement_and_warns_without_failing(delivered, capsys, monkeypatch):
    monkeypatch.delenv("FOREBYG_ADVARSEL_PROCENT", raising=False)
    home, outside = delivered
    assert main(["check", str(outside), "--home", str(home.root)]) == 0
    lines = logical(capsys.readouterr().out.splitlines())
    assert lines == [
        f"{outside}: OK – forbrug, 3 rækker.",
        f"  {REPLACES}",
        MOVES,
        DRANST,
        OUTSIDE,
    ]


def test_the_threshold_is_configurable(delivered, capsys, monkeypatch):
    home, outside = delivered
    monkeypatch.setenv("FOREBYG_ADVARSEL_PROCENT", "20")
    assert main(["check", str(outside), "--home", str(home.root)]) == 0
    lines = logical(capsys.readouterr().out.splitlines())
    warnings = [x for x in lines if x.startswith("Advarsel")]
    moves = MOVES.replace("grænsen er 25 %", "grænsen er 20 %")
    assert warnings == [moves, LAST_YEAR, DRANST, OUTSIDE]


def test_receipt_summary_and_report_carry_the_warning(delivered, capsys, monkeypatch):
    monkeypatch.delenv("FOREBYG_ADVARSEL_PROCENT", raising=False)
    home, outside = delivered
    (home.indbakke / outside.name).write_bytes(outside.read_bytes())
    assert main(["run", "--home", str(home.root)]) == 0
    summary = capsys.readouterr().out
    assert f"rettelse.xlsx: {REPLACES}" in " ".join(summary.split())
    warnings = [line for line in summary.splitlines() if line.startswith("Advarsel")]
    assert [w.split(":")[:2] for w in warnings] == [
        ["Advarsel", " rettelse.xlsx"],
        ["Advarsel", " rettelse.xlsx, ark 'Forbrug', række 3, kolonne Dranst"],
        ["Advarsel", " rettelse.xlsx, ark 'Forbrug', række 4, kolonne Funktion"],
    ]
    receipt = next(home.kvitteringer.glob("*rettelse.xlsx.txt")).read_text(encoding="utf-8")
    assert [x for x in receipt.splitlines() if x.startswith(("Erstatter f", "Advarsel"))] == [
        REPLACES,
        MOVES,
        DRANST,
        OUTSIDE,
    ]
    # the file loaded: botilbud March 2024 is now 610.000 (the warning did not block it)
    assert (
        query(
            home,
            "SELECT sum(beloeb) FROM core.forbrug WHERE omraade = 'botilbud' AND maaned = 3 "
            "AND aar = 2024",
        )[0][0]
        == 610_000
    )
    assert query(home, "SELECT advarsel FROM mart.opmaerksomhed ORDER BY advarsel") == sorted(
        [(MOVES,), (DRANST,), (OUTSIDE,)]
    )
    page = (home.rapporter / "styregruppe.html").read_text(encoding="utf-8")
    assert "Opmærksomhed" in page and "(botilbud) 2024-03 flyttes −39,0 %" in page


def test_an_activity_indicator_no_initiative_measures_is_a_warning(delivered, capsys, tmp_path):
    # the catalogue measures "Borgere i bostøtte" only; "Borgere i botilbud" is unknown
    # (rows 2-13, one a month: one warning naming row 2 and counting the other eleven); the
    # known one gives none
    home, _ = delivered
    unknown = b.activity(tmp_path / "aktivitet.xlsx", "Borgere i botilbud", {2024: 40})
    known = b.activity(tmp_path / "kendt.xlsx", "Borgere i bostøtte", {2024: 30}, "bostøtte")
    assert main(["check", str(unknown), str(known), "--home", str(home.root)]) == 0
    lines = logical(capsys.readouterr().out.splitlines())
    warnings = [x for x in lines if x.startswith("Advarsel")]
    assert warnings == [
        "Advarsel: aktivitet.xlsx, ark 'Aktivitet', række 2 og 11 rækker mere, kolonne "
        "Indikator: værdien 'Borgere i botilbud' bruges ikke af nogen indsats i kataloget; "
        "tallet indgår ikke i opgørelserne."
    ]
