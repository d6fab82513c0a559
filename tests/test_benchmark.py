"""The benchmark's quick mode runs every step on small files, so the script cannot rot."""

from __future__ import annotations

import pytest

from benchmarks.run import main

pytestmark = pytest.mark.slow


def test_quick_benchmark_measures_every_step(tmp_path, capsys):
    out = tmp_path / "bench.md"
    assert main(["--quick", "--work", str(tmp_path / "arbejde"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    steps = ("floor", "floor_gc_paused", "naive", "forebyg_intake", "noop", "rebuild", "demo")
    steps += ("floor_csv", "forebyg_csv_intake")
    for step in (*steps, "marts_5m"):
        assert f"| {step} |" in text
    targets = ("forebyg ÷ floor", "naive ÷ forebyg", "run with nothing new", "demo on")
    for target in (*targets, "csv: forebyg ÷ floor"):
        assert f"| {target}" in text
    assert "| 1 |" in text and "| kommune_1 |" in text


def test_benchmark_data_marts_hold_the_values_recorded_before_the_refactor(capsys):
    # the sample budgets and catalogue with generated ledgers 2022-2026 of 2,000 rows each
    # (benchmarks/checksums.py); 0 when every mart table matches benchmarks/mart_checksums.json
    from benchmarks import checksums

    assert checksums.main([]) == 0, capsys.readouterr().out


def test_marts_5m_alone_measures_and_compares_the_marts(tmp_path, capsys):
    # benchmarks/marts_5m.py on a small home (a 300-row ledger read by forebyg run, 3,000
    # spending rows in all): the rebuild is measured, the checksums saved, and a second
    # rebuild of the same home gives the same marts
    from benchmarks import marts_5m

    work, saved = str(tmp_path / "arbejde"), tmp_path / "foer.json"
    size = ["--rows", "300", "--total", "3000"]
    # every step listed (--show 200): on this small home the spending step is not among the
    # 15 costliest, the synthetic control and the checks are
    steps = ["--steps", "--show", "200"]
    assert marts_5m.main(["--work", work, *size, "--save", str(saved), *steps]) == 0
    out = capsys.readouterr().out
    assert "marts_5m: " in out and " s CPU" in out and "core__forbrug " in out
    assert marts_5m.main(["--work", work, *size, "--against", str(saved)]) == 0
    assert "mart checksums: all match" in capsys.readouterr().out
