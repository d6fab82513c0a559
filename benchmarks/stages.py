"""Where a run's time goes: ``forebyg run`` with timers around intake's parts and Dagster's
own steps. Run by benchmarks.run in a child process: python -m benchmarks.stages HOME
OUT.json. Each stage has its wall seconds and its CPU seconds (user + system of the whole
process, DuckDB's threads included, while the stage ran); the parts of intake are summed
over all files."""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ENTERED = time.perf_counter()
SPENT: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])  # stage → [wall, CPU]


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _timed(module, name: str, stage: str) -> None:
    real = getattr(module, name)

    def wrapper(*args, **kwargs):
        wall, cpu = _clocks()
        try:
            return real(*args, **kwargs)
        finally:
            now_wall, now_cpu = _clocks()
            SPENT[stage][0] += now_wall - wall
            SPENT[stage][1] += now_cpu - cpu

    setattr(module, name, wrapper)


def _instrument() -> None:
    from assets.intake import assets
    from assets.intake.parsing import extract
    from assets.intake.reading import readers

    _timed(readers, "check_size", "size guard")
    _timed(readers, "check_zip", "size guard")  # and the big sheets cut into parts
    _timed(extract, "read_workbook", "read")  # includes the size guard: subtracted below
    _timed(extract, "_frame", "parse")
    _timed(extract, "_cpr", "scan")
    _timed(extract, "_validate", "validate")
    _timed(assets, "load", "load")


def _recording(instance) -> dict[str, list[float]]:
    """Each step's wall and CPU seconds, from the clocks read as its start and end events
    reach ``instance`` (the run is in this process, so the events arrive as they happen)."""
    started: dict[str, tuple[float, float]] = {}
    steps: dict[str, list[float]] = {}
    real = instance.handle_new_event

    def handle(entry, **kwargs):
        event = entry.dagster_event
        if event is not None and event.step_key:
            kind = event.event_type_value
            if kind == "STEP_START":
                started[event.step_key] = _clocks()
            elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED") and (
                event.step_key in started
            ):
                (wall, cpu), (now_wall, now_cpu) = started[event.step_key], _clocks()
                steps[event.step_key] = [now_wall - wall, now_cpu - cpu]
        return real(entry, **kwargs)

    instance.handle_new_event = handle
    return steps


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


def _minus(a: list[float], b: list[float]) -> list[float]:
    return [x - y for x, y in zip(a, b, strict=True)]


def main(home: str, out: str) -> None:
    entered_cpu = time.process_time()
    _instrument()
    import dagster as dg

    from pipelines import cli

    runs: list = []
    real_execute = cli.execute

    def execute(*args, **kwargs):
        """The run, with its steps' clocks recorded as their events arrive."""
        kwargs.setdefault("instance", dg.DagsterInstance.ephemeral())
        steps = _recording(kwargs["instance"])
        started = _clocks()
        result = real_execute(*args, **kwargs)
        runs.append((started, _clocks(), steps))
        return result

    cli.execute = execute
    if cli.main(["run", "--home", home]):
        raise SystemExit(1)
    ended = _clocks()
    run_start, run_end, steps = runs[0]
    groups: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for step, clocks in steps.items():
        groups[_group(step)] = [x + y for x, y in zip(groups[_group(step)], clocks, strict=True)]
    intake = groups.pop("intake step", [0.0, 0.0])
    parts = {
        "size guard": SPENT["size guard"],
        "read": _minus(SPENT["read"], SPENT["size guard"]),
        "parse": SPENT["parse"],
        "scan (CPR)": SPENT["scan"],
        "validate (pandera, at intake)": SPENT["validate"],
        "load (DuckDB, reconciled per file)": SPENT["load"],
    }
    rest = intake
    for clocks in parts.values():
        rest = _minus(rest, clocks)
    parts["rest of the intake step (copy, hash, bookkeeping)"] = rest
    steps_total = intake
    for clocks in groups.values():
        steps_total = [x + y for x, y in zip(steps_total, clocks, strict=True)]
    stages = {
        "imports, definitions, Dagster instance": [
            run_start[0] - ENTERED,
            run_start[1] - entered_cpu,
        ],
        **parts,
        **groups,
        "Dagster overhead (between steps, run start and end)": _minus(
            _minus(run_end, run_start), steps_total
        ),
        "summary printed": _minus(ended, run_end),
    }
    Path(out).write_text(
        json.dumps(
            {
                "stages": stages,
                "in_process": ended[0] - ENTERED,
                "in_process_cpu": ended[1] - entered_cpu,
                "steps": steps,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
