"""Issue 24: the shipped kontoplan against the official chart of accounts - every function
of the strategy's areas (5.22-5.58) has its text and legal basis, and the groupings of
5.38.38 map as docs/domaene.md documents them."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from assets.intake.loading.load import create_schemas
from assets.sql_assets import standard_mapping

ROOT = Path(__file__).resolve().parents[1]


def _in_range(funktion: str) -> bool:
    major = funktion[:4]
    return "5.22" <= major <= "5.38" or "5.46" <= major <= "5.58"


def test_every_function_of_the_strategy_has_its_text_and_paragraph():
    mapping = standard_mapping()
    rows = mapping[mapping["funktion"].map(_in_range)]
    assert len(rows) == len(mapping)  # the shipped kontoplan holds nothing else
    for row in rows.itertuples():
        assert isinstance(row.tekst, str) and row.tekst.strip(), row.funktion
        assert isinstance(row.paragraf, str) and row.paragraf.strip(), row.funktion
        assert row.verificeret in ("ja", "delvis", "nej"), row.funktion


def test_the_documented_functions_are_there():
    mapping = standard_mapping()
    key = mapping["funktion"] + "/" + mapping["gruppering"].fillna("")
    texts = dict(zip(key, mapping["tekst"],
                     strict=True))  # fmt: skip
    assert texts["5.38.53/"] == "Kontaktperson- og ledsageordninger"
    assert texts["5.48.66/"] == "Førtidspension tilkendt før 1. juli 2014"
    assert texts["5.48.68/"] == "Førtidspension tilkendt efter 1. juli 2014"
    assert not any(re.search(r"2003-2015|fra 2016", t) for t in mapping["tekst"])


def _documented_groupings() -> dict[str, str | None]:
    """The 5.38.38 table of docs/domaene.md: gruppering → område (None outside)."""
    text = (ROOT / "docs" / "domaene.md").read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"^\| (\d{3}) \|.*\| ([^|]+) \|$", text, re.MULTILINE):
        area = m[2].strip()
        out[m[1]] = None if area == "outside the strategy" else area
    return out


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    create_schemas(con)
    con.register("standard_kontoplan", standard_mapping())
    for sql in ("core/sql/kontoplan.sql", "macros/kontering.sql"):
        con.execute((ROOT / "assets" / sql).read_text(encoding="utf-8"))
    return con


def _area(con, grouping: str | None, year: int = 2025) -> str | None:
    return con.execute(
        "SELECT core.kontering('5.38.38', ?, ?).omraade", [grouping, year]
    ).fetchone()[0]


@pytest.mark.slow
def test_the_groupings_of_5_38_38_map_as_documented(con):
    documented = _documented_groupings()
    assert len(documented) == 9  # 001-008 but 009, and 010
    for grouping, area in documented.items():
        assert _area(con, grouping) == area, grouping
    # rows without a grouping (budgets, Danmarks Statistik), 200 Ledelse og administration
    # and any grouping not in the table fall to the function's default, bostøtte
    assert _area(con, None) == "bostøtte"
    assert _area(con, "200") == "bostøtte"
    # before 2018 (the edition read) every grouping falls to the default
    assert _area(con, "002", 2017) == "bostøtte"
