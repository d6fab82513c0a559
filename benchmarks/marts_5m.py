"""The ``marts_5m`` step of benchmarks.run on its own, for work on the core and mart SQL:
python -m benchmarks.marts_5m --work DIR [--times N] [--steps] [--save F | --against F]

The first call builds a data home as benchmarks.run does (``forebyg run`` with the
1,048,575-row ledger and ``forebyg rebuild``, then ``add_raw_rows`` up to 5,000,000
spending rows; ``--rows`` and ``--total`` for other sizes) and keeps it under
``DIR/marts_5m``; later calls reuse it. Each
measurement copies that home and rebuilds its core and mart tables in a child process
(``benchmarks.steps marts``, process start included), printing wall and CPU seconds (user +
system of the child) and peak memory. Every mart table's row count and md5 is then compared
with ``ledger_checksums.json``, or written to a file (``--save``, before a change) and
compared with it later (``--against``). With ``--steps`` one more rebuild runs in this
process with a clock around each Dagster step, and the steps costing most are listed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from benchmarks.run import (
    EXCEL_MAX_ROWS,
    RECORDED,
    _checksums,
    add_raw_rows,
    cached_ledger,
    home_with,
    measure,
)

ROWS = 5_000_000


def template(work: Path, rows: int = EXCEL_MAX_ROWS, total: int = ROWS) -> Path:
    """The data home with ``total`` spending rows (a ledger of ``rows`` read by forebyg run,
    the rest raw history), built once per working folder and size."""
    root = work / "marts_5m"
    home = root / f"skabelon_{rows}_{total}"
    if (home / "forebyg.duckdb").exists():
        return home
    ledger = cached_ledger(work / "data", rows)
    built = home_with(root, [ledger])
    measure("setup", "forebyg", "run", str(built))
    # as benchmarks.run: its ledger home is rebuilt before the raw rows are added, and a
    # rebuild keeps no plausibility warnings (mart.opmaerksomhed), so the checksums agree
    measure("setup", "forebyg", "rebuild", str(built))
    add_raw_rows(built, total - rows)
    built.rename(home)
    return home


def fresh_copy(work: Path, source: Path) -> Path:
    home = work / "marts_5m" / "maaling"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(source, home)
    return home


def compare(home: Path, against: Path | None) -> list[str]:
    """The mart tables whose row count or md5 differ from ``against`` (a file written by
    ``--save``, e.g. before a change), or else from the recorded ``marts_5m``."""
    if against:
        want = json.loads(against.read_text(encoding="utf-8"))
    else:
        want = json.loads(RECORDED.read_text(encoding="utf-8"))["marts_5m"]
    got = _checksums(home)
    return sorted(t for t in set(got) | set(want) if got.get(t) != want.get(t))


def steps(home: Path, show: int) -> None:
    """One rebuild in this process, each Dagster step's wall and CPU seconds."""
    import dagster as dg

    from benchmarks.stages import _recording
    from benchmarks.steps import rebuild_keys
    from pipelines.cli import execute
    from runtime.resources import Home

    keys = rebuild_keys(str(home))
    instance = dg.DagsterInstance.ephemeral()
    clocks = _recording(instance)
    started = time.perf_counter(), time.process_time()
    if not execute(Home(home), selection=keys, instance=instance).success:
        raise SystemExit("the rebuild failed")
    wall, cpu = time.perf_counter() - started[0], time.process_time() - started[1]
    print(f"run in this process: {wall:.2f} s wall, {cpu:.2f} s CPU, {len(clocks)} steps")
    print(
        f"sum of steps: {sum(w for w, _ in clocks.values()):.2f} s wall, "
        f"{sum(c for _, c in clocks.values()):.2f} s CPU"
    )
    for step, (w, c) in sorted(clocks.items(), key=lambda kv: -kv[1][1])[:show]:
        print(f"  {step:<60} {w:6.2f} {c:6.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True, help="working folder (kept between runs)")
    parser.add_argument("--times", type=int, default=1, help="measurements in a row")
    parser.add_argument("--steps", action="store_true", help="clocks around each step")
    parser.add_argument("--show", type=int, default=15, help="steps listed with --steps")
    parser.add_argument("--save", type=Path, help="write the mart checksums to this file")
    parser.add_argument("--rows", type=int, default=EXCEL_MAX_ROWS, help="ledger rows")
    parser.add_argument("--total", type=int, default=ROWS, help="spending rows in all")
    parser.add_argument("--against", type=Path, help="compare with checksums from --save")
    args = parser.parse_args(argv)
    work = Path(args.work).resolve()
    source = template(work, args.rows, args.total)
    differ: list[str] = []
    for _ in range(args.times):
        home = fresh_copy(work, source)
        m = measure("marts_5m", "marts", str(home))
        print(f"marts_5m: {m.seconds:.2f} s wall, {m.cpu:.2f} s CPU, {m.peak_mb:,.0f} MB")
        if args.save:
            got = _checksums(home)
            args.save.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", "utf-8")
            print(f"mart checksums saved: {len(got)} tables")
        else:
            differ = compare(home, args.against)
            print("mart checksums: " + (f"differ: {', '.join(differ)}" if differ else "all match"))
    if args.steps:
        steps(fresh_copy(work, source), args.show)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
