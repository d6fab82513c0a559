"""Issue 27: the need-adjusted comparison. With an udgiftsbehov file, mart.benchmark
divides spending per inhabitant by the municipality's index / 100 and ranks that; the
report's sentence uses the need-adjusted gap to the median when there is one and says
so when there is not.

Botilbud 2024 from tests/dst_files.py (hand computed in tests/test_sammenligning.py):
860 Hjørring 1.200 kr. (40.000 inhabitants 18-64), 813 Frederikshavn 1.300, 810
Brønderslev 1.000, 851 Aalborg 800, 849 Jammerbugt empty ('..'). The index file below:
860 → 120, 813 → 100, 810 → 80, 851 → 100 (849 → 90, but it has no figure).

    need-adjusted: 860 1.200 / 1,2 = 1.000; 813 1.300 / 1,0 = 1.300;
                   810 1.000 / 0,8 = 1.250; 851 800 / 1,0 = 800
    rank (1 = lowest): 851 1, 860 2, 810 3, 813 4 (unadjusted Hjørring is 3rd: 851, 810, 860)
    group (810, 813, 849 beside 860): median of 1.250 and 1.300 = 1.275
    Hjørring at the median, given its own need: 1.275 × 1,2 = 1.530 kr. per inhabitant, so
    it spends (1.200 − 1.530) × 40.000 = −13.200.000 kr. "over" it: 13,2 mio. kr. less
    than the need-adjusted median would, where the unadjusted median (1.150) says
    2.000.000 kr. more.
"""

from __future__ import annotations

from decimal import Decimal

from assets.reports.comparison import headlines
from tests import dst_files as d
from tests.test_sammenligning import benchmark, warehouse

COLUMNS = (
    "kommunenr, rang, behovsindeks, behovskorrigeret_kr_pr_indbygger, "
    "behovskorrigeret_rang, antal_behovskorrigeret, gruppens_behovskorrigerede_median, "
    "over_behovskorrigeret_median_kr"
)


def _files(tmp_path, with_need: bool):
    files = [
        d.api_csv(tmp_path / "regk31.csv", "regnskab", "koder"),
        d.api_csv(tmp_path / "folk1a.csv", "befolkning", "koder"),
    ]
    if with_need:
        need = tmp_path / "udgiftsbehov.csv"
        need.write_text(
            "Kommunenr;År;Indeks\n860;2024;120\n813;2024;100\n810;2024;80\n851;2024;100\n"
            "849;2024;90\n",
            encoding="utf-8",
        )
        files.append(need)
    return files


def test_the_need_adjusted_rank_and_gap_on_a_hand_example(tmp_path):
    rows = benchmark(*_files(tmp_path, True), columns=COLUMNS + ", omraade")
    botilbud = {r[0]: r[:-1] for r in rows if r[-1] == "botilbud"}
    median, gap = Decimal("1275.00"), Decimal("-13200000.00")
    assert botilbud[860] == (860, 3, 120.0, Decimal("1000.00"), 2, 4, median, gap)
    assert botilbud[851][3:5] == (Decimal("800.00"), 1)
    assert botilbud[810][3:5] == (Decimal("1250.00"), 3)
    assert botilbud[813][3:5] == (Decimal("1300.00"), 4)
    assert botilbud[849][3:5] == (None, None)


def test_without_an_index_nothing_is_adjusted(tmp_path):
    rows = benchmark(*_files(tmp_path, False), columns=COLUMNS)
    assert {r[2:5] + r[6:] for r in rows} == {(None, None, None, None, None)}


def test_the_sentence_uses_the_need_adjusted_gap_and_says_when_it_cannot(tmp_path):
    # With the index: 13.200.000 kr. "over" the need-adjusted median is 13,2 mio. kr. more
    # at that median. Without: 2.000.000 kr. over the plain median is 2,0 mio. kr. less.
    def sentence(with_need: bool) -> str:
        con = warehouse(*_files(tmp_path / str(with_need), with_need))
        return next(s for s in headlines(con) if "botilbud" in s)

    assert sentence(True).endswith(
        "; med gruppens median, korrigeret for udgiftsbehov, ville kommunen bruge 13,2 mio. "
        "kr. mere."
    )
    assert sentence(False).endswith(
        "; med gruppens median ville kommunen bruge 2,0 mio. kr. mindre (ikke korrigeret for "
        "udgiftsbehov)."
    )
