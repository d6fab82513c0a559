"""Mart checksums on benchmark data: python -m benchmarks.checksums [--rows N] [--record]

The sample data's budgets, catalogue, prices and activity with the benchmark's generated
ledgers (``benchmarks/ledger.py``, fixed seeds) in place of the sample spending files, one
ledger per year 2022–2026 plus raw history (``add_raw_rows``), then the marts rebuilt. Each
mart table's row count and order-independent md5 are compared with
``benchmarks/mart_checksums.json`` (recorded before the structural refactor of issue 13);
``--record`` writes that file again, for a deliberate change of mart values only.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.ledger import write_ledger

ROOT = Path(__file__).resolve().parents[1]
RECORDED = Path(__file__).with_name("mart_checksums.json")
YEARS = range(2022, 2027)


def benchmark_home(root: Path, rows: int) -> Path:
    """A data home holding the benchmark data after a full run."""
    from pipelines.cli import main

    home = root / "hjem"
    inbox = home / "indbakke"
    inbox.mkdir(parents=True)
    for path in sorted((ROOT / "sample_data").glob("*.xlsx")):
        if not path.name.startswith("forbrug_"):
            shutil.copy2(path, inbox / path.name)
    for year in YEARS:
        write_ledger(inbox / f"hovedbog_{year}.xlsx", rows, year=year, seed=year)
    # delivered in name order, a minute ago: the order of delivery numbers is the same
    # whatever times a checkout gave the files
    past = time.time() - 3600
    for i, path in enumerate(sorted(inbox.iterdir())):
        os.utime(path, (past + i, past + i))
    with contextlib.redirect_stdout(io.StringIO()):
        code = main(["run", "--home", str(home)])
    if code:
        raise SystemExit("forebyg run failed on the benchmark data")
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000, help="ledger rows per year")
    parser.add_argument("--record", action="store_true", help="write the checksums again")
    args = parser.parse_args(argv)
    from runtime.resources import Home
    from tests.test_mart_values import mart_checksums

    with tempfile.TemporaryDirectory(prefix="forebyg-checksums-") as d:
        got = mart_checksums(Home(benchmark_home(Path(d), args.rows)))
    recorded = json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.exists() else {}
    if args.record:
        recorded[str(args.rows)] = got
        RECORDED.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"recorded {len(got)} mart tables for {args.rows} rows a year")
        return 0
    want = recorded.get(str(args.rows))
    if want is None:
        print(f"no checksums recorded for {args.rows} rows a year (use --record)")
        return 2
    differ = sorted(t for t in set(got) | set(want) if got.get(t) != want.get(t))
    for table in differ:
        print(f"mart.{table}: {want.get(table)} → {got.get(table)}")
    print("all mart tables match" if not differ else f"{len(differ)} mart tables differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
