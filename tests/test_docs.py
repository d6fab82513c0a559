"""Documentation that is generated must match what generates it."""

from __future__ import annotations

from pathlib import Path

from schemas.dictionary import dictionary

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_data_dictionary_is_up_to_date():
    assert (DOCS / "dataordbog.md").read_text(encoding="utf-8") == dictionary(), (
        "run: python -m schemas.dictionary > docs/dataordbog.md"
    )


def test_every_mart_column_is_described():
    assert "|  |" not in dictionary()
