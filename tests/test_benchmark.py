"""The benchmark's quick mode runs every step on small files, so the script cannot rot."""

from __future__ import annotations

from benchmarks.run import main


def test_quick_benchmark_measures_every_step(tmp_path, capsys):
    out = tmp_path / "bench.md"
    assert main(["--quick", "--work", str(tmp_path / "arbejde"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for step in ("floor", "naive", "forebyg_intake", "noop", "rebuild", "marts_5m"):
        assert f"| {step} |" in text
    assert "forebyg ÷ floor:" in text and "naive ÷ forebyg:" in text
    assert "| 1 |" in text and "| kommune_1 |" in text
