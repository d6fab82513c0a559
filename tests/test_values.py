"""Cell parsers: what finance staff type into Excel, and what it becomes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from assets.intake import values


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
