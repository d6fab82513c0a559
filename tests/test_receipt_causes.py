"""Issue 28, defect 11: a rejection names every cause, so a file fixed as its receipt says
is accepted. The hostile file is built here from scratch; its sums are worked by hand."""

from __future__ import annotations

from assets.intake.parsing.extract import parse_file
from assets.intake.parsing.values import guessed
from tests import builders as b

GOOD = ["5.38.50", 1, "7100", "2024-01", 1000]


def _rows(dranst_10, amount_25, period_26, below: bool) -> list[list]:
    """Excel rows 2-24 hold 1.000 kr. each (row 10 with ``dranst_10``), row 25 the amount
    ``amount_25``, row 26 1.000 kr. in ``period_26``, row 27 'I alt' = 36.345 (what the
    controller meant: 23 × 1.000 + 12.345 + 1.000), and with ``below`` row 28 a copy of
    row 24 under the total."""
    rows = [list(GOOD) for _ in range(2, 25)]
    rows[10 - 2][1] = dranst_10
    rows.append(["5.38.50", 1, "7100", "2024-02", amount_25])
    rows.append(["5.38.50", 1, "7100", period_26, 1000])
    rows.append(["I alt", None, None, None, 36_345])
    return rows + ([list(GOOD)] if below else [])


def test_a_rejection_names_the_guessed_amount_and_the_row_under_the_total(tmp_path):
    path = b.spending(tmp_path / "forbrug.xlsx", _rows("x", "1.234,5 kr", "2024-13", True))
    extract = parse_file(path, "forbrug.xlsx")
    texts = {p.row: p.text() for p in extract.problems}
    assert sorted(texts) == [10, 25, 26, 27, 28]
    assert "'1.234,5 kr'" in texts[25] and "læst som 1.234,50 kr." in texts[25]
    # the rows above the total: 23 × 1.000 + 1.234,50 + 1.000 = 25.234,50; row 28 (under
    # the total) is not one of them
    assert "summen af rækkerne ovenfor (25.234,50)" in texts[27]
    assert "under 'I alt'-rækken (række 27)" in texts[28]


def test_the_file_fixed_as_its_receipt_says_is_accepted(tmp_path):
    # row 10 dranst 1, row 25 as the number 12.345, row 26 in December, row 28 gone:
    # 23 × 1.000 + 12.345 + 1.000 = 36.345, the total
    path = b.spending(tmp_path / "forbrug.xlsx", _rows(1, 12_345, "2024-12", False))
    extract = parse_file(path, "forbrug.xlsx")
    assert extract.accepted, [p.text() for p in extract.problems]


def test_which_amounts_are_guesses():
    assert guessed("1.234,5 kr") and guessed("1,234") and guessed("1.234")
    assert not guessed("1.234,50") and not guessed("1234,50") and not guessed("12345")
    assert not guessed(1234.5)  # a number cell is read as it is
