"""Issue 27: a comparison group chosen from data. With structural conditions delivered and
no group, core.sammenligningsgruppe is the 10 municipalities nearest the own one on the
conditions, each standardised over the municipalities (KL's benchmark method).

Hand example, 2024, two conditions A and B, own municipality 860 (the shipped default):
860 at (A 100, B 50); ten near ones (municipality numbers 101, 147, 151, 153, 155, 157,
159, 161, 163, 165; i = 0 … 9) at (100 + i + 1, 50); and two far ones, 167 at (100, 500)
and 169 at (300, 50). Over the 13: mean A = (100 + 1.055 + 100 + 300) / 13 = 119,6 and
sd A = √(35.383,08 / 12) ≈ 54,3; mean B = (12 × 50 + 500) / 13 = 84,6 and sd B ≈ 124,8.
The near ones differ from 860 in A only, by (i + 1) / 54,3 ≤ 0,19 standard deviations;
167 by 450 / 124,8 ≈ 3,6 in B, 169 by 200 / 54,3 ≈ 3,7 in A. So the ten near ones are
the group, nearest first 101 (1 / 54,3 ≈ 0,018), and neither far one is in it.
"""

from __future__ import annotations

import pytest

from tests.test_sammenligning import warehouse

NEAR = [101, 147, 151, 153, 155, 157, 159, 161, 163, 165]


def _conditions(tmp_path):
    rows = ["Kommunenr;År;Forhold;Værdi", "860;2024;A;100", "860;2024;B;50"]
    for i, number in enumerate(NEAR):
        rows += [f"{number};2024;A;{100 + i + 1}", f"{number};2024;B;50"]
    rows += ["167;2024;A;100", "167;2024;B;500", "169;2024;A;300", "169;2024;B;50"]
    path = tmp_path / "strukturforhold.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_group_is_the_ten_nearest_on_standardised_conditions(tmp_path):
    con = warehouse(_conditions(tmp_path))
    rows = con.execute(
        "SELECT kommunenr, rolle, kilde, afstand FROM core.sammenligningsgruppe "
        "ORDER BY afstand NULLS FIRST, kommunenr"
    ).fetchall()
    assert [r[:2] for r in rows] == [(860, "egen")] + [(n, "sammenligning") for n in NEAR]
    assert {r[2] for r in rows} == {"de 10 nærmeste på strukturelle forhold"}
    # 101 differs by 1 in A: 1 / sd A, sd A = 54,3 (hand computed above)
    assert rows[1][3] == pytest.approx(1 / 54.3, rel=0.001)


def test_a_delivered_group_still_wins(tmp_path):
    group = tmp_path / "gruppe.csv"
    group.write_text("Kommunenr;Rolle\n860;egen\n167;sammenligning\n", encoding="utf-8")
    con = warehouse(_conditions(tmp_path), group)
    rows = con.execute(
        "SELECT kommunenr, rolle, kilde FROM core.sammenligningsgruppe ORDER BY 1"
    ).fetchall()
    assert rows == [(167, "sammenligning", "leveret"), (860, "egen", "leveret")]
