"""The benchmark: python -m benchmarks.run [--quick] [--rows N] [--out BENCHMARKS.md]

Generates large posting-level ledgers with a fixed seed, then measures in one run, on the
same files, each step in a child process of its own (wall time and peak memory):

* the floors: reading the ledger with python-calamine alone (Python objects), and with
  fastexcel into an Arrow table (typed columns built in Rust);
* the naive path: pandas.read_excel(engine="openpyxl"), pandera, insert into DuckDB;
* forebyg's intake of the same file end to end (forebyg run: parse, validate, load, marts,
  reports, receipt);
* forebyg run with nothing new, and forebyg rebuild from arkiv/;
* the same ledger as a Danish csv export: pyarrow's csv reader alone (its floor) and
  forebyg's intake of it;
* where the time of forebyg run with the ledger goes, stage by stage (benchmarks.stages);
* forebyg demo on the sample data;
* the marts rebuilt from 5 million ledger rows;
* a run with one new monthly file when 1, 12 and 60 monthly files are already loaded;
* 10 municipalities × 5 years, one data home each.

--quick runs the same steps on small files in seconds (the test suite does, so it cannot
rot); the full run writes BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from benchmarks.ledger import write_csv_ledger, write_ledger

ROOT = Path(__file__).resolve().parents[1]
RECORDED = Path(__file__).with_name("ledger_checksums.json")  # marts before a change
EXCEL_MAX_ROWS = 1_048_575


@dataclass
class Measure:
    name: str
    seconds: float
    peak_mb: float
    note: str = ""
    cpu: float = 0.0  # user + system seconds of the child process


# BENCHMARKS.md of 23-11-2026 (before columnar intake), seconds and peak MB
BEFORE = {
    "forebyg_intake": (21.1, 1681),
    "noop": (2.7, 221),
    "rebuild": (21.1, 1680),
    "demo": (4.6, 301),
    "marts_5m": (7.3, 1339),
    "history_1": (3.9, None),
    "history_12": (4.3, None),
    "history_60": (4.3, None),
    "history_1_noop": (2.6, None),
    "history_12_noop": (2.8, None),
    "history_60_noop": (2.6, None),
    "kommune (slowest)": (6.1, 344),
}


def measure(name: str, *args: str, note: str = "", module: str = "benchmarks.steps") -> Measure:
    """Run one step in a child process; wall time and that child's peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"benchmark step {name} failed")
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(name, seconds, usage.ru_maxrss / 1024, note, cpu)


def cached_ledger(folder: Path, rows: int, **kwargs) -> Path:
    """Ledgers are slow to write; keep them between runs (same seed, same file)."""
    folder.mkdir(parents=True, exist_ok=True)
    tag = "_".join(f"{k}{v}" for k, v in sorted(kwargs.items()) if k != "months")
    path = folder / f"hovedbog_{rows}_{tag or 'std'}.xlsx"
    if not path.exists():
        write_ledger(path, rows, **kwargs)
    return path


def cached_csv_ledger(folder: Path, rows: int) -> Path:
    """The standard ledger's cells as a csv export (same seed), kept between runs."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"hovedbog_{rows}_std.csv"
    if not path.exists():
        write_csv_ledger(path, rows)
    return path


def home_with(root: Path, files: list[Path]) -> Path:
    home = root / "hjem"
    shutil.rmtree(home, ignore_errors=True)
    (home / "indbakke").mkdir(parents=True)
    for f in files:
        shutil.copy2(f, home / "indbakke" / f.name)
    return home


def add_raw_rows(home: Path, rows: int) -> None:
    """Fill the warehouse with `rows` extra ledger rows over five years, as raw history
    (fixed amounts, so the marts' checksums can be compared between runs)."""
    con = duckdb.connect(str(home / "forebyg.duckdb"))
    nr = con.execute("SELECT max(leverance_nr) + 1 FROM raw.leverancer").fetchone()[0]
    con.execute(f"""
        INSERT INTO raw.leverancer VALUES ({nr}, 'historik.xlsx', repeat('0', 64), 'forbrug',
            now()::TIMESTAMP, 'accepteret', {rows}, NULL, 'benchmark');
        INSERT INTO raw.forbrug (leverance_nr, kilde_ark, kilde_raekke, funktion, dranst, art,
            gruppering, ansvarssted, tekst, aar, maaned, beloeb)
        SELECT {nr}, 'Posteringer', i + 4,
               ['5.38.50', '5.38.38', '5.48.68', '5.57.73', '5.28.21'][1 + i % 5],
               1 + (i % 7 = 0)::INT, '4.0', '001', '7100', 'historik',
               2019 + (i % 5), 1 + (i // 5) % 12, ((i * 7919) % 2000000) / 100
        FROM range({rows}) t(i);
        INSERT INTO raw.kontrolsummer
        SELECT {nr}, 'forbrug', count(*), sum(beloeb) FROM raw.forbrug WHERE leverance_nr = {nr}
        """)
    con.close()


def _checksums(home: Path) -> dict[str, list]:
    """Every mart table's row count and md5, as tests/test_mart_values.py computes them."""
    from runtime.resources import Home
    from tests.test_mart_values import mart_checksums

    return mart_checksums(Home(home))


def run_all(
    work: Path,
    rows: int,
    history_rows: int,
    monthly_rows: int,
    municipality_rows: int,
    histories: tuple[int, ...],
    municipalities: int,
    years: int,
) -> tuple[list[Measure], dict]:
    data = work / "data"
    ledger = cached_ledger(data, rows)
    results = [
        measure("floor", "floor", str(ledger), note="python-calamine alone"),
        measure(
            "floor_gc_paused",
            "floor",
            str(ledger),
            "off",
            note="python-calamine alone, Python's cycle collector paused",
        ),
        measure(
            "floor_fastexcel",
            "floor_fastexcel",
            str(ledger),
            note="fastexcel alone, into an Arrow table",
        ),
        measure(
            "reader_whole",
            "reader",
            str(ledger),
            "hel",
            note="forebyg's size guard and reader, the sheet read by one fastexcel call",
        ),
        measure(
            "reader_parts",
            "reader",
            str(ledger),
            "dele",
            note="forebyg's size guard and reader, the sheet cut into parts read on every core",
        ),
    ]
    results.append(
        measure(
            "naive",
            "naive",
            str(ledger),
            str(work / "naive.duckdb"),
            note="pandas+openpyxl, pandera, DuckDB",
        )
    )
    home = home_with(work, [ledger])
    results.append(
        measure(
            "forebyg_intake",
            "forebyg",
            "run",
            str(home),
            note="forebyg run with the ledger in the inbox",
        )
    )
    results.append(
        measure(
            "noop",
            "forebyg",
            "run",
            str(home),
            note="forebyg run, nothing new (process start included)",
        )
    )
    results.append(
        measure("rebuild", "forebyg", "rebuild", str(home), note="forebyg rebuild from arkiv/")
    )
    results += measure_csv(work, cached_csv_ledger(data, rows))
    checksums = {"rows": rows, "ledger": _checksums(home)}
    timed = home_with(work / "stages", [ledger])
    stages_json = work / "stages.json"
    whole = measure("stages", str(timed), str(stages_json), module="benchmarks.stages")
    found = json.loads(stages_json.read_text(encoding="utf-8"))
    stages = {
        "process start (interpreter)": [
            whole.seconds - found["in_process"],
            whole.cpu - found["in_process_cpu"],
        ]
    }
    stages.update(found["stages"])
    stages["the same run, in all"] = [whole.seconds, whole.cpu]
    results.append(
        measure(
            "demo",
            "forebyg",
            "demo",
            str(work / "demo"),
            note="forebyg demo on the sample data (process start included)",
        )
    )
    add_raw_rows(home, history_rows)
    results.append(
        measure(
            "marts_5m",
            "marts",
            str(home),
            note=f"core and marts from {rows + history_rows:,} ledger rows",
        )
    )
    checksums["marts_5m"] = _checksums(home)

    flat = {}
    for loaded in histories:
        months = [
            cached_ledger(
                data / "maaned",
                monthly_rows,
                year=2021 + m // 12,
                months=range(1 + m % 12, 2 + m % 12),
                seed=m,
            )
            for m in range(loaded + 1)
        ]
        home = home_with(work, months[:-1])
        measure("setup", "forebyg", "run", str(home))
        shutil.copy2(months[-1], home / "indbakke" / months[-1].name)
        one = measure(f"history_{loaded}", "forebyg", "run", str(home))
        noop = measure(f"history_{loaded}_noop", "forebyg", "run", str(home))
        flat[loaded] = (one, noop)

    towns = []
    for k in range(municipalities):
        files = [
            cached_ledger(
                data / "kommuner",
                municipality_rows,
                year=2021 + y,
                seed=100 + k,
                municipality=f"Kommune{k + 1}",
            )
            for y in range(years)
        ]
        towns.append(measure(f"kommune_{k + 1}", "forebyg", "run", str(home_with(work, files))))
    return results, {"flat": flat, "towns": towns, "stages": stages, "checksums": checksums}


def measure_csv(work: Path, ledger: Path) -> list[Measure]:
    """The csv ledger: pyarrow's csv reader alone, and forebyg run with it in a new home
    (its intake is that run less the run with nothing new measured with the xlsx)."""
    return [
        measure("floor_csv", "floor_csv", str(ledger), note="pyarrow's csv reader alone"),
        measure(
            "forebyg_csv_intake",
            "forebyg",
            "run",
            str(home_with(work / "csv", [ledger])),
            note="forebyg run with the ledger as csv in the inbox",
        ),
    ]


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    import dagster
    import pandas

    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} GiB; Python {platform.python_version()}, "
        f"DuckDB {duckdb.__version__}, pandas {pandas.__version__}, "
        f"Dagster {dagster.__version__}; {platform.system()} {platform.release()}"
    )


def _targets(by: dict[str, Measure]) -> list[tuple[str, str, str, bool]]:
    floor, naive, run = by["floor_fastexcel"], by["naive"], by["forebyg_intake"]
    intake = run.seconds - by["noop"].seconds  # the run with the file, less a run without
    csv_intake = by["forebyg_csv_intake"].seconds - by["noop"].seconds
    return [
        (
            "forebyg ÷ floor (intake: run with the file less a run with nothing new, "
            "÷ fastexcel into Arrow)",
            f"{intake / floor.seconds:.2f}",
            "≤ 1.5",
            intake / floor.seconds <= 1.5,
        ),
        (
            "naive ÷ forebyg (the whole run, process start included)",
            f"{naive.seconds / run.seconds:.1f}",
            "≥ 15",
            naive.seconds / run.seconds >= 15,
        ),
        (
            "peak memory of the intake",
            f"{run.peak_mb / 1024:.2f} GB",
            "≤ 1.2 GB",
            run.peak_mb <= 1.2 * 1024,
        ),
        (
            "csv: forebyg ÷ floor (intake of the csv ledger: its run less a run with nothing "
            "new, ÷ pyarrow's csv reader into Arrow)",
            f"{csv_intake / by['floor_csv'].seconds:.2f}",
            "≤ 3",  # issue 29's target for the csv intake
            csv_intake / by["floor_csv"].seconds <= 3,
        ),
        ("run with nothing new", f"{by['noop'].seconds:.1f} s", "≤ 2 s", by["noop"].seconds <= 2),
        (
            "demo on the sample data",
            f"{by['demo'].seconds:.1f} s",
            "< 30 s",
            by["demo"].seconds < 30,
        ),
        (
            "marts from 5 million rows",
            f"{by['marts_5m'].seconds:.1f} s",
            "≤ 5 s",
            by["marts_5m"].seconds <= 5,
        ),
    ]


def _against_before(by: dict[str, Measure], extra: dict) -> list[str]:
    now = {name: (m.seconds, m.peak_mb) for name, m in by.items()}
    for n, (one, noop) in extra["flat"].items():
        now[f"history_{n}"] = (one.seconds, None)
        now[f"history_{n}_noop"] = (noop.seconds, None)
    if extra["towns"]:
        slowest = max(extra["towns"], key=lambda m: m.seconds)
        now["kommune (slowest)"] = (slowest.seconds, max(m.peak_mb for m in extra["towns"]))
    lines = []
    for name, (seconds, peak) in BEFORE.items():
        if name not in now:
            continue
        got, got_peak = now[name]
        ok = got <= seconds and (peak is None or got_peak <= peak)
        shown = f"{seconds:.1f} s" + (f", {peak:,} MB" if peak else "")
        measured = f"{got:.1f} s" + (f", {got_peak:,.0f} MB" if peak else "")
        lines.append(f"| {name} | {shown} | {measured} | {'yes' if ok else 'no'} |")
    return lines


def _same_marts(found: dict) -> list[str]:
    """The marts against those recorded before a change (benchmarks/ledger_checksums.json)."""
    recorded = json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.exists() else {}
    if recorded.get("rows") != found["rows"]:
        return [f"No checksums recorded for a ledger of {found['rows']:,} rows."]
    lines = []
    for part, what in (("ledger", "the ledger"), ("marts_5m", "5 million rows")):
        before, now = recorded[part], found[part]
        differ = sorted(t for t in {*before, *now} if before.get(t) != now.get(t))
        lines.append(
            f"| {what} | {len(found[part])} | "
            + ("identical" if not differ else "different: " + ", ".join(differ))
            + " |"
        )
    return [
        f"Recorded {recorded['recorded'].rstrip('.')}.",
        "",
        "| marts from | tables | against the recorded checksums |",
        "|---|---:|---|",
        *lines,
    ]


def report(results: list[Measure], extra: dict, rows: int, quick: bool) -> str:
    by = {m.name: m for m in results}
    paused = by["floor_gc_paused"]
    intake = by["forebyg_intake"]
    stages = extra["stages"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {dt.date.today():%d-%m-%Y} with `python -m benchmarks.run"
        f"{' --quick' if quick else ''}` on {machine()}.",
        "",
        f"Ledger: {rows:,} rows × 12 columns (posting level, generated with a fixed seed by "
        "`benchmarks/ledger.py`). Each step runs in a process of its own, process start "
        "included; peak memory is that process's maximum resident set.",
        "",
        f"Load average (1, 5, 15 min) when the run ended: {_load()}. CPU is user + system "
        "seconds of the step's process (all its threads); less sensitive to other work on "
        "the machine than wall time.",
        "",
        "| step | what | seconds | CPU s | peak MB |",
        "|---|---|---:|---:|---:|",
        *(
            f"| {m.name} | {m.note} | {m.seconds:.1f} | {m.cpu:.1f} | {m.peak_mb:,.0f} |"
            for m in results
        ),
        "",
        "## Targets",
        "",
        "| target | measured | wanted | met |",
        "|---|---:|---:|---|",
        *(
            f"| {name} | {got} | {want} | {'yes' if ok else 'no'} |"
            for name, got, want, ok in _targets(by)
        ),
        "",
        f"The whole run ÷ python-calamine alone: {intake.seconds / by['floor'].seconds:.2f} "
        f"(collector paused: {intake.seconds / paused.seconds:.2f}).",
        "",
        "## Against BENCHMARKS.md of 23-11-2026 (no figure may be worse)",
        "",
        "| figure | 23-11-2026 | now | no worse |",
        "|---|---:|---:|---|",
        *_against_before(by, extra),
        "",
        "## Marts the same as before",
        "",
        "Every mart table's row count and md5 (as tests/test_mart_values.py computes them) "
        "after the run with the ledger and after the marts from 5 million rows, against "
        "benchmarks/ledger_checksums.json.",
        "",
        *_same_marts(extra["checksums"]),
        "",
        "## Where the time of `forebyg run` with the ledger goes",
        "",
        "The same run again in a fresh home, with clocks around intake's parts and Dagster's "
        "steps (benchmarks/stages.py); process start is the rest of the wall time. CPU is "
        "the whole process's user + system seconds while the stage ran (DuckDB's and the "
        "guard's threads included).",
        "",
        "| stage | seconds | CPU s |",
        "|---|---:|---:|",
        *(f"| {name} | {wall:.2f} | {cpu:.2f} |" for name, (wall, cpu) in stages.items()),
        "",
        "## A new monthly file, with history already loaded",
        "",
        "| monthly files loaded | run with one new file (s) | run with nothing new (s) |",
        "|---:|---:|---:|",
        *(
            f"| {n} | {one.seconds:.1f} | {noop.seconds:.1f} |"
            for n, (one, noop) in extra["flat"].items()
        ),
        "",
        "## Municipalities, one data home each",
        "",
        "| municipality | full run (s) | peak MB |",
        "|---|---:|---:|",
        *(f"| {m.name} | {m.seconds:.1f} | {m.peak_mb:,.0f} |" for m in extra["towns"]),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small files, seconds not minutes")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument(
        "--out",
        default=None,
        help="where to write the report (default: "
        "BENCHMARKS.md for a full run, only printed for --quick)",
    )
    parser.add_argument("--work", default=None, help="working folder (kept between runs)")
    parser.add_argument(
        "--record-checksums",
        action="store_true",
        help="record the marts' checksums as the ones to compare with (before a change)",
    )
    args = parser.parse_args(argv)
    sizes = (
        dict(
            rows=args.rows or 3_000,
            history_rows=20_000,
            monthly_rows=300,
            municipality_rows=500,
            histories=(1,),
            municipalities=1,
            years=2,
        )
        if args.quick
        else dict(
            rows=args.rows or EXCEL_MAX_ROWS,
            history_rows=5_000_000 - EXCEL_MAX_ROWS,
            monthly_rows=10_000,
            municipality_rows=20_000,
            histories=(1, 12, 60),
            municipalities=10,
            years=5,
        )
    )
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="forebyg-bench-"))
    results, extra = run_all(work, **sizes)
    if args.record_checksums:
        recorded = {**extra["checksums"], "recorded": f"{dt.date.today():%d-%m-%Y}"}
        RECORDED.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    text = report(results, extra, sizes["rows"], args.quick)
    print(text)
    out = args.out or (None if args.quick else str(ROOT / "BENCHMARKS.md"))
    if out:
        from benchmarks.queue import kept_section  # measured on its own: python -m benchmarks.queue

        kept = kept_section(Path(out))
        Path(out).write_text(text + ("\n" + kept if kept else ""), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
