"""Where a run's time goes: ``forebyg run`` with timers around intake's parts and Dagster's
own step timings. Run by benchmarks.run in a child process: python -m benchmarks.stages
HOME OUT.json. Seconds are wall time; the parts of intake are summed over all files."""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ENTERED = time.perf_counter()
SPENT: dict[str, float] = defaultdict(float)


def _timed(module, name: str, stage: str) -> None:
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            SPENT[stage] += time.perf_counter() - started

    setattr(module, name, wrapper)


def _instrument() -> None:
    from assets.intake import assets, extract, readers

    _timed(readers, "check_size", "size guard")
    _timed(readers, "check_zip", "size guard")
    _timed(extract, "read_workbook", "read")  # includes the size guard: subtracted below
    _timed(extract, "_frame", "parse")
    _timed(extract, "_cpr", "scan")
    _timed(extract, "_validate", "validate")
    _timed(assets, "load", "load")


def _steps(instance, run_id: str) -> dict[str, float]:
    """Seconds per Dagster step, from its start and end events."""
    started, out = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED") and (
            event.step_key in started
        ):
            out[event.step_key] = entry.timestamp - started[event.step_key]
    return out


def _group(step: str) -> str:
    if step == "indbakke":
        return "intake step"
    if step.startswith("indbakke"):
        return "checks on the loaded rows (skema, afstemning)"
    if step.startswith(("core", "mart")):
        return "marts (core and mart SQL, their checks)"
    if step.startswith("publicering"):
        return "publishing (swap, files moved, receipts)"
    return "reports"


def main(home: str, out: str) -> None:
    _instrument()
    import dagster as dg

    from pipelines import cli

    runs: list = []
    real_execute = cli.execute

    def execute(*args, **kwargs):
        """The run, and its steps' times read from the instance that recorded it."""
        kwargs.setdefault("instance", dg.DagsterInstance.ephemeral())
        started = time.perf_counter()
        result = real_execute(*args, **kwargs)
        ended = time.perf_counter()
        runs.append((started, ended, _steps(kwargs["instance"], result.run_id)))
        return result

    cli.execute = execute
    if cli.main(["run", "--home", home]):
        raise SystemExit(1)
    ended = time.perf_counter()
    run_start, run_end, steps = runs[0]
    groups: dict[str, float] = defaultdict(float)
    for step, seconds in steps.items():
        groups[_group(step)] += seconds
    intake = groups.pop("intake step", 0.0)
    parts = {
        "size guard": SPENT["size guard"],
        "read": SPENT["read"] - SPENT["size guard"],
        "parse": SPENT["parse"],
        "scan (CPR)": SPENT["scan"],
        "validate (pandera, at intake)": SPENT["validate"],
        "load (DuckDB, reconciled per file)": SPENT["load"],
    }
    parts["rest of the intake step (copy, hash, bookkeeping)"] = intake - sum(parts.values())
    steps_total = intake + sum(groups.values())
    stages = {
        "imports, definitions, Dagster instance": run_start - ENTERED,
        **parts,
        **groups,
        "Dagster overhead (between steps, run start and end)": run_end - run_start - steps_total,
        "summary printed": ended - run_end,
    }
    Path(out).write_text(json.dumps({"stages": stages, "in_process": ended - ENTERED}))


if __name__ == "__main__":
    main(*sys.argv[1:])
