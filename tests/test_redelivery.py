"""Issue 23 rules 11 and 12: what a re-delivery replaces (docs/beregninger.md,
"Grundbegreber"). Every figure is computed by hand in the comments."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from pipelines.cli import main
from pipelines.jobs import REBUILD_CONFIG
from runtime.resources import Home
from tests import builders as b
from tests.conftest import query, run, settle

pytestmark = pytest.mark.slow

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


def test_check_previews_per_function_and_warns(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
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
    # the same lines, wrapped at 80 columns
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  Erstatter funktion 5.38.38 (bostøtte) 2024-12: før 500.000,00 kr., efter",
        "  450.000,00 kr. (−10,0 %)",
        "  Erstatter funktion 5.38.50 (botilbud) 2024-12: før 900.000,00 kr., efter",
        "  200.000,00 kr. (−77,8 %)",
        "Advarsel: bostoette_dec.xlsx: funktion 5.38.50 (botilbud) 2024-12 flyttes",
        "  −77,8 % (fra 900.000,00 kr. til 200.000,00 kr.); grænsen er 25 %.",
    ]


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


def test_the_trace_names_the_rows_in_force_per_function(stray):
    # forbrug.xlsx: 5.38.50 rows 2-13, 5.38.52 rows 14-25, 5.38.38 rows 26-37 (January to
    # December). botilbud 2024: 5.38.50 January-November (rows 2-12, 11 × 900.000 =
    # 9.900.000) and all of 5.38.52 (rows 14-25, 12 × 200.000 = 2.400.000) = 12.300.000,
    # plus the stray line (bostoette_dec.xlsx row 3, 200.000): 12.500.000. bostøtte: rows
    # 26-36 (11 × 500.000 = 5.500.000) and bostoette_dec.xlsx row 2 (450.000). The
    # korrigeret budget: kb.xlsx's 5.38.50 (row 2) and kb_5_38_52.xlsx's 5.38.52 (row 2).
    sql = (
        "SELECT filnavn, raekker, bidrag FROM mart.sporbarhed WHERE tabel = "
        "'budgetopfoelgning' AND noegle = ? AND kolonne = ? ORDER BY filnavn"
    )
    assert query(stray, sql, ["botilbud|2024", "forbrug_aar_til_dato"]) == [
        ("bostoette_dec.xlsx", [3], Decimal("200000.00")),
        ("forbrug.xlsx", [*range(2, 13), *range(14, 26)], Decimal("12300000.00")),
    ]
    assert query(stray, sql, ["bostøtte|2024", "forbrug_aar_til_dato"]) == [
        ("bostoette_dec.xlsx", [2], Decimal("450000.00")),
        ("forbrug.xlsx", list(range(26, 37)), Decimal("5500000.00")),
    ]
    assert query(stray, sql, ["botilbud|2024", "korrigeret_budget"]) == [
        ("kb.xlsx", [2], Decimal("10000000.00")),
        ("kb_5_38_52.xlsx", [2], Decimal("2500000.00")),
    ]


# Rule 11. L (baseline 2023, botilbud 5.38.50): 2023 is 12 × 1.000.000 = 12.000.000; 2024
# has January and February at 900.000 and March from F1, 900.000. F2 is a wrong file: its
# one row (October's 400.000) labelled March. 2024 is open (to March); 2023's share spent
# by March is 3/12, so the forecast for 2024 is year to date × 4:
#   with F1: (900.000 × 3) × 4 = 10.800.000, realised 12.000.000 − 10.800.000 = 1.200.000
#   with F2: (900.000 × 2 + 400.000) × 4 = 8.800.000, realised 3.200.000
# F1 delivered again is the newest again: back to 1.200.000, in run and rebuild alike.
MARCH_SQL = "SELECT sum(beloeb) FROM core.forbrug WHERE aar = 2024 AND maaned = 3"
REALISED_SQL = (
    "SELECT DISTINCT realiseret_besparelse FROM mart.besparelser "
    "WHERE indsats_id = 'L' AND aar = 2024"
)
# the deliveries botilbud's spending to date 2024 is traced to: forbrug.xlsx (delivery 1)
# January and February (rows 14-15, 2 × 900.000) and the March file in force
TRACE_SQL = (
    "SELECT leverance_nr, filnavn, raekker, bidrag FROM mart.sporbarhed "
    "WHERE tabel = 'budgetopfoelgning' AND noegle = 'botilbud|2024' "
    "AND kolonne = 'forbrug_aar_til_dato' ORDER BY leverance_nr"
)


def test_a_re_delivered_file_is_the_newest_again(tmp_path, capsys):
    home = Home(tmp_path / "hjem").create()
    b.spending(
        home.indbakke / "forbrug.xlsx",
        b.monthly("5.38.50", 2023, 1_000_000) + b.monthly("5.38.50", 2024, 900_000, [1, 2]),
    )
    b.catalogue(
        home.indbakke / "indsatser.xlsx",
        [b.initiative("L", "baseline", "5.38.50", baseline=2023)],
        [["L", "2024-2027", 2024, "Besparelse", 1_000_000, 2024]],
    )
    f1 = b.spending(home.indbakke / "marts.xlsx", [["5.38.50", 1, "7100", "2024-03", 900_000]])
    correct = f1.read_bytes()
    run(home)
    assert query(home, MARCH_SQL) == [(Decimal("900000.00"),)]
    assert query(home, REALISED_SQL) == [(Decimal("1200000.00"),)]

    b.spending(home.indbakke / "marts_v2.xlsx", [["5.38.50", 1, "7100", "2024-03", 400_000]])
    run(home)
    assert query(home, REALISED_SQL) == [(Decimal("3200000.00"),)]

    # check and run agree: the correct file would replace March again, it is no duplicate
    outside = tmp_path / "ude" / "marts.xlsx"
    outside.parent.mkdir()
    outside.write_bytes(correct)
    capsys.readouterr()
    assert main(["check", str(outside), "--home", str(home.root)]) == 0
    out = capsys.readouterr().out
    assert "DUBLET" not in out
    assert (
        "Erstatter funktion 5.38.50 (botilbud) 2024-03: før 400.000,00 kr., efter "
        "900.000,00 kr. (+125,0 %)"  # (900.000 − 400.000) / 400.000
    ) in " ".join(out.split())  # wrapped at 80 columns

    (home.indbakke / "marts.xlsx").write_bytes(correct)
    settle([home.indbakke / "marts.xlsx"])
    run(home)
    assert query(home, MARCH_SQL) == [(Decimal("900000.00"),)]
    assert query(home, REALISED_SQL) == [(Decimal("1200000.00"),)]
    # the trace names the re-delivery in force (5), not its first delivery (3) nor the
    # wrong file (4), though 3 and 5 have the same bytes
    traced = [
        (1, "forbrug.xlsx", [14, 15], Decimal("1800000.00")),
        (5, "marts.xlsx", [2], Decimal("900000.00")),
    ]
    assert query(home, TRACE_SQL) == traced
    # deliveries 1-3 in the first run, 4 the wrong file, 5 the correct one again: a new
    # delivery number and a receipt; the first delivery of it and the wrong one replaced
    assert query(
        home,
        "SELECT leverance_nr, filnavn, status FROM mart.leverancer "
        "WHERE filnavn LIKE 'marts%' ORDER BY leverance_nr",
    ) == [(3, "marts.xlsx", "erstattet"), (4, "marts_v2.xlsx", "erstattet"),
          (5, "marts.xlsx", "accepteret")]  # fmt: skip
    receipts = sorted(home.kvitteringer.glob("*_marts.xlsx.txt"))
    assert len(receipts) == 2 and "ACCEPTERET" in receipts[1].read_text("utf-8")
    # the archive keeps the bytes once, with both deliveries in the sidecar
    digest = hashlib.sha256(correct).hexdigest()
    assert sorted(p.name for p in home.arkiv.glob(f"{digest}*")) == [
        f"{digest}.json",
        f"{digest}.xlsx",
    ]
    sidecar = json.loads((home.arkiv / f"{digest}.json").read_text("utf-8"))
    assert [d["filnavn"] for d in sidecar["leverancer"]] == ["marts.xlsx", "marts.xlsx"]

    # now the correct file is in force: the same bytes again are a duplicate, in both
    assert main(["check", str(outside), "--home", str(home.root)]) == 0
    assert "DUBLET – samme indhold som marts.xlsx" in capsys.readouterr().out
    (home.indbakke / "marts_igen.xlsx").write_bytes(correct)
    settle([home.indbakke / "marts_igen.xlsx"])
    run(home)
    assert query(home, "SELECT status FROM mart.leverancer WHERE leverance_nr = 6") == [("dublet",)]

    # the archive alone gives the same: F1, F2, F1 replayed in delivery order
    run(home, run_config=REBUILD_CONFIG)
    assert query(home, MARCH_SQL) == [(Decimal("900000.00"),)]
    assert query(home, REALISED_SQL) == [(Decimal("1200000.00"),)]
    assert query(home, TRACE_SQL) == traced  # the duplicate (6) is never in force
