"""Issue 23 rules 11 and 12: what a re-delivery replaces (docs/beregninger.md,
"Grundbegreber"). Every figure is computed by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.cli import main
from runtime.resources import Home
from tests import builders as b
from tests.conftest import query, run

# Rule 12. botilbud: 5.38.50 900.000 and 5.38.52 200.000 a month in 2024 (December
# 1.100.000); bostøtte: 5.38.38 500.000 a month. A bostøtte re-delivery of December holds
# 5.38.38 450.000 and one stray botilbud line, 5.38.50 200.000.
# Per (function, month): 5.38.50 December becomes 200.000, 5.38.52 keeps 200.000, so
# botilbud December = 200.000 + 200.000 = 400.000 (per område it would be 200.000: all of
# botilbud's December replaced by the stray line); bostøtte December = 450.000.
# The preview: 5.38.38 (450.000 − 500.000) / 500.000 = −10,0 %, within 25 %;
# 5.38.50 (200.000 − 900.000) / 900.000 = −77,8 %, beyond 25 %: an Advarsel.
STRAY = [["5.38.38", 1, "7200", "2024-12", 450_000], ["5.38.50", 1, "7100", "2024-12", 200_000]]
PREVIEW = [
    "  Erstatter funktion 5.38.38 (bostøtte) 2024-12: før 500.000,00 kr., efter 450.000,00 kr. "
    "(−10,0 %)",
    "  Erstatter funktion 5.38.50 (botilbud) 2024-12: før 900.000,00 kr., efter 200.000,00 kr. "
    "(−77,8 %)",
    "Advarsel: bostoette_dec.xlsx: funktion 5.38.50 (botilbud) 2024-12 flyttes −77,8 % (fra "
    "900.000,00 kr. til 200.000,00 kr.); grænsen er 25 %.",
]
MONTHS_SQL = (
    "SELECT omraade, sum(beloeb) FROM core.forbrug WHERE aar = 2024 AND maaned = 12 "
    "GROUP BY omraade ORDER BY omraade"
)


@pytest.fixture(scope="module")
def stray(tmp_path_factory) -> Home:
    home = Home(tmp_path_factory.mktemp("fejllinje") / "hjem").create()
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 900_000)
        + b.monthly("5.38.52", 2024, 200_000)
        + b.monthly("5.38.38", 2024, 500_000, place="7200"),
    )
    # korrigeret budget 2024: 5.38.50 10.000.000 and 5.38.52 2.000.000 (botilbud 12.000.000)
    b.corrected(
        home.indbakke / "kb.xlsx", [["5.38.50", 2024, 10_000_000], ["5.38.52", 2024, 2_000_000]]
    )
    run(home)
    b.spending(home.indbakke / "bostoette_dec.xlsx", STRAY)
    # a second korrigeret budget for 5.38.52 alone: 2.500.000. Per function botilbud's is
    # 10.000.000 + 2.500.000 = 12.500.000 (per område the new file's 2.500.000 alone)
    b.corrected(home.indbakke / "kb_5_38_52.xlsx", [["5.38.52", 2024, 2_500_000]])
    run(home)
    return home


def test_check_previews_per_function_and_warns(tmp_path, capsys):
    home = Home(tmp_path / "hjem").create()
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2024, 900_000)
        + b.monthly("5.38.52", 2024, 200_000)
        + b.monthly("5.38.38", 2024, 500_000, place="7200"),
    )
    run(home)
    outside = b.spending(tmp_path / "ude" / "bostoette_dec.xlsx", STRAY)
    capsys.readouterr()
    assert main(["check", str(outside), "--home", str(home.root)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == PREVIEW


def test_a_stray_line_replaces_its_own_function_month_only(stray):
    home = stray
    assert query(home, MONTHS_SQL) == [
        ("bostøtte", Decimal("450000.00")),
        ("botilbud", Decimal("400000.00")),
    ]
    # November is untouched: 900.000 + 200.000 = 1.100.000
    assert query(
        home,
        "SELECT sum(beloeb) FROM core.forbrug WHERE omraade = 'botilbud' AND maaned = 11",
    ) == [(Decimal("1100000.00"),)]
    assert query(
        home,
        "SELECT korrigeret_budget FROM mart.budgetopfoelgning "
        "WHERE omraade = 'botilbud' AND aar = 2024",
    ) == [(Decimal("12500000.00"),)]
    receipt = next(home.kvitteringer.glob("*bostoette_dec.xlsx.txt")).read_text("utf-8")
    assert PREVIEW[2] in receipt
