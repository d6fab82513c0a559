"""The bad and awkward files of tests/awkward_files.py, one test each, then all at once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assets.intake.parsing.extract import parse_file
from tests.awkward_files import CASES, Case, write_all
from tests.conftest import checksums, query, run, settle


def test_there_are_at_least_25_files():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_file(tmp_path, case: Case):
    path = tmp_path / case.name
    case.build(path)
    extract = parse_file(path)
    texts = [p.text() for p in extract.problems]
    if case.kind:
        assert texts == []
        assert extract.kind.kind == case.kind
        total = sum(Decimal(str(v)) for t in extract.tables.values() for v in t["beloeb"])
        assert (extract.rows(), total) == (case.rows, case.total)
    else:
        assert texts, "expected a rejection"
        named = {(p.sheet, p.row, p.column) for p in extract.problems}
        assert set(case.where) <= named
        assert all(f"række {row}" in " ".join(texts) for _, row, _ in case.where if row)
        assert case.says in " ".join(texts)


def test_cpr_numbers_are_never_repeated(tmp_path):
    for case in (c for c in CASES if "cpr" in c.name):
        case.build(tmp_path / case.name)
        texts = " ".join(p.text() for p in parse_file(tmp_path / case.name).problems)
        assert "1234" not in texts


LOGS = {"raw.leverancer", "raw.koersler", "mart.leverancer"}


@pytest.mark.slow
def test_all_at_once_through_the_pipeline(home, small_inbox, tmp_path):
    """Every bad file is rejected and changes no data; then the valid ones load in full."""
    run(home)
    before = {t: c for t, c in checksums(home).items() if t not in LOGS}
    files = {p.name: p for p in write_all(tmp_path / "skæve")}
    (home.indbakke / "skæve").mkdir()
    for case in CASES:
        if not case.kind:
            files[case.name].rename(home.indbakke / "skæve" / case.name)
    settle(list((home.indbakke / "skæve").iterdir()))
    run(home)
    assert {t: c for t, c in checksums(home).items() if t not in LOGS} == before
    for case in CASES:
        if case.kind:
            files[case.name].rename(home.indbakke / "skæve" / case.name)
    settle(list((home.indbakke / "skæve").iterdir()))
    run(home)
    rows = dict(query(home, "SELECT filnavn, status FROM mart.leverancer"))
    for case in CASES:
        status = rows[f"skæve/{case.name}"]
        # several valid files deliver botilbud 2025-01: the later ones replace the earlier
        assert status in ({"accepteret", "erstattet"} if case.kind else {"afvist"}), case.name
        assert (home.afvist / f"skæve_{case.name}.fejl.txt").exists() != bool(case.kind)
    expected = sum(c.total for c in CASES if c.kind == "forbrug")
    [(loaded,)] = query(
        home,
        "SELECT sum(r.beloeb) FROM raw.forbrug r JOIN raw.leverancer l USING (leverance_nr) "
        "WHERE l.filnavn LIKE 'skæve/%'",
    )
    assert loaded == expected
    reasons = " ".join(r[0] or "" for r in query(home, "SELECT begrundelse FROM raw.leverancer"))
    assert "010185" not in reasons and "2512901234" not in reasons
    assert not list(home.indbakke.rglob("*.*"))
