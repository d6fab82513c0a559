"""Cell parsers: what finance staff type into Excel, and what it becomes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assets.intake.parsing import values


def parse(fn, cells, *args):
    parsed, bad = fn(pd.Series(cells, dtype=object), *args)
    return list(parsed.astype(object).where(parsed.notna(), None)), list(bad)


def test_amounts_as_numbers_and_danish_text():
    parsed, bad = parse(
        values.amount,
        [1234.5, "-1.234.567,50", "1.234", "(2.000)", "1.500-", "12,3 kr.", "abc", None, "1e3"],
    )
    assert parsed == [1234.5, -1234567.5, 1234.0, -2000.0, -1500.0, 12.3, None, None, 1000.0]
    assert bad == [False] * 6 + [True, False, False]


def _general(cells: list) -> tuple[np.ndarray, np.ndarray]:
    """The cells through the general text path alone (``_number_text``, the path every
    text cell took before plain ones were read in Arrow): the reference."""
    raw = pd.Series(cells, dtype=object)
    filled = ~values._empty(raw).to_numpy(dtype=bool)
    out = np.full(len(cells), np.nan)
    texts = values._text(raw[filled]).astype("string")
    out[filled] = values._number_text(texts).astype("float64").to_numpy()
    return out, filled & np.isnan(out)


PLAIN = st.builds(
    lambda minus, zeros, whole, decimals: minus + zeros + str(whole) + decimals,
    st.sampled_from(["", "-"]),
    st.sampled_from(["", "0", "00"]),
    # short amounts, and long ones of 13-20 digits, around where pandas' parser and a cast part
    st.one_of(st.integers(0, 10**6), st.integers(10**12, 10**16)),
    st.one_of(st.just(""), st.integers(0, 999).map(lambda d: f",{d:03d}")),
)
CELLS = st.one_of(
    PLAIN,
    st.sampled_from(["", " ", "1.234", "1.234,5", "(2.000)", "1.500-", "12,3 kr.", "1e3", "abc"]),
    st.sampled_from(["+5", "5,", ",5", "-", "--1", "1,2,3", "١٢٣", "１２,５", "5\u00a0000,25"]),
    st.text(max_size=8),
    st.none(),
)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(CELLS, min_size=1, max_size=12), st.sampled_from([1.0, 1000.0]))
# pandas reads these one bit off the correctly rounded value (16 and 19 digits), and an
# integer text of 18 digits exactly among integers but not among decimals
@example(["9381558893685,169", "1,5"], 1.0)  # 9381558893685.168, not .17
@example(["3675848662746,058293", "2"], 1.0)
@example(["001000000000000001", "0,0"], 1.0)
def test_a_column_of_text_reads_as_each_cell_alone(cells, factor):
    # a csv column is all text: its plain cells ('-1234,56') are read in Arrow, the rest by
    # the general path; cell for cell the same float (bit for bit) and the same verdict as
    # the general path gives each cell on its own ('-0' may be -0.0 or 0.0: equal values)
    parsed, bad = values.number(pd.Series(cells, dtype=object), factor)
    expected, expected_bad = _general(cells)
    got = parsed.to_numpy(dtype="float64")
    same = np.isnan(got) & np.isnan(expected * factor) | (got == expected * factor)
    assert same.all(), f"cells {cells!r}: {got.tolist()} against {(expected * factor).tolist()}"
    assert bad.tolist() == expected_bad.tolist(), f"cells {cells!r}"


def test_amount_unit_factor_for_thousands():
    # "Beløb (1.000 kr.)": 35.712,4 → 35.712.400 kr.
    assert parse(values.amount, ["35.712,4", 0.0015], 1000.0)[0] == [35712400.0, 1.5]


def test_periods_in_every_form():
    cells = [
        dt.datetime(2024, 3, 31),
        45382,
        "2024-03",
        "202403",
        202403,
        "marts 2024",
        "31-03-2024",
        "03-2024",
        "2024K1",
        "2024-13",
        "forår",
    ]
    parts, bad = values.period(pd.Series(cells, dtype=object))
    years = list(parts["aar"].astype(object).where(parts["aar"].notna(), None))
    months = list(parts["maaned"].astype(object).where(parts["maaned"].notna(), None))
    assert years == [2024] * 9 + [None, None]
    # Excel serial 45382 is 2024-03-31
    assert months == [3] * 8 + [None, None, None]
    assert parts["kvartal"].iloc[8] == 1
    assert list(bad) == [False] * 9 + [True, True]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("5.38.50", "5.38.50"), ("53850", "5.38.50"), (53850.0, "5.38.50"), (" 5.38.50 ", "5.38.50")],
)
def test_function_numbers(cell, expected):
    assert parse(values.function, [cell]) == ([expected], [False])


def test_malformed_function_is_bad():
    assert parse(values.function, ["5.3x.50"]) == ([None], [True])


def test_function_lists_are_normalised():
    parsed, bad = parse(values.functions, ["53852, 5.38.50", "5.38.50; 5.3x.50"])
    assert parsed[0] == "5.38.50, 5.38.52"
    assert bad == [False, True]


def test_agreements():
    assert parse(values.agreement, ["2023-2026", "Budget 2024–27", "B2025/2028", "x"]) == (
        ["2023-2026", "2024-2027", "2025-2028", None],
        [False, False, False, True],
    )


def test_choice_maps_spellings_and_keeps_unknown_values_for_the_schema():
    spellings = {"vedtaget": "oprindeligt", "korrigeret": "korrigeret"}
    assert parse(values.choice, ["Vedtaget", "KORRIGERET ", "Foreløbigt"], spellings)[0] == [
        "oprindeligt",
        "korrigeret",
        "foreløbigt",
    ]


def test_codes_lose_excels_trailing_zero():
    assert parse(values.code, [7100.0, "003", None])[0] == ["7100", "003", None]
