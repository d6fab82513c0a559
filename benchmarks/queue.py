"""Many municipalities through Dagster's queue, on this machine, with the real daemon:

    python -m benchmarks.queue [--kommuner 98] [--samtidige 2] [--work DIR] [--out BENCHMARKS.md]

Every municipality gets a data home with the sample data in its inbox and an entry in a
municipality list; a dagster-daemon (its own process group, stopped by its id) runs the
inbox sensor, which requests one run per municipality, and the QueuedRunCoordinator
launches them, at most ``--samtidige`` at a time and one per municipality. The default
run launcher starts a new process per run. Measured: the wall time from starting the
daemon to the last run's end, and per run the wait in the queue, the launch (a new
process loading the code, until the run starts) and the run itself, against the same run
in-process. The figures replace the section "Many municipalities through the queue" of
``--out``.

``Deployment`` is also what tests/test_kommuner_e2e.py starts.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from pipelines.jobs import KOMMUNE_TAG

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
SECTION = "## Many municipalities through the queue"

INSTANCE_YAML = """\
telemetry:
  enabled: false
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: {max_runs}
    dequeue_interval_seconds: 1
    dequeue_use_threads: true
    dequeue_num_workers: 4
    tag_concurrency_limits:
      - key: "{tag}"
        value:
          applyLimitPerUniqueValue: true
        limit: 1
sensors:
  use_threads: true
  num_workers: 1
  num_submit_workers: 4
schedules:
  use_threads: true
  num_workers: 1
  num_submit_workers: 4
"""


def write_list(root: Path, codes: list[str]) -> Path:
    """A municipality list with one home per code under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "kommuner.toml"
    path.write_text(
        "".join(
            f'[[kommune]]\nkode = "{c}"\nnavn = "Kommune {c}"\nhjem = "hjem/{c}"\n\n'
            for c in codes
        ),
        encoding="utf-8",
    )
    return path


def drop_sample_data(inbox: Path) -> None:
    """The sample data, written a minute ago: finished files, delivered in name order (as
    tests/test_mart_values.py loads them, whatever the checkout's file times)."""
    inbox.mkdir(parents=True, exist_ok=True)
    past = time.time() - 60
    for path in sorted(SAMPLE_DATA.glob("*.xlsx")):
        shutil.copyfile(path, inbox / path.name)
        os.utime(inbox / path.name, (past, past))


class Deployment:
    """A Dagster instance with the QueuedRunCoordinator (SQLite storage) and a daemon
    serving the municipality list ``kommuner`` through the repository's workspace.yaml."""

    def __init__(self, root: Path, kommuner: Path, max_runs: int, sensor_seconds: int = 1):
        self.root = root
        self.dagster_home = root / "dagster"
        self.dagster_home.mkdir(parents=True, exist_ok=True)
        (self.dagster_home / "dagster.yaml").write_text(
            INSTANCE_YAML.format(max_runs=max_runs, tag=KOMMUNE_TAG), encoding="utf-8"
        )
        self.env = {
            **os.environ,
            "DAGSTER_HOME": str(self.dagster_home),
            "FOREBYG_KOMMUNER": str(kommuner),
            "FOREBYG_SENSOR_SEKUNDER": str(sensor_seconds),
        }
        self.log = root / "daemon.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        daemon = Path(sys.executable).with_name("dagster-daemon")
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(daemon), "run", "-w", str(ROOT / "workspace.yaml")],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: code server and run workers
            )

    def stop(self) -> None:
        """The daemon ignores SIGINT; stop its whole process group by its id."""
        if self.process is None:
            return
        group = self.process.pid
        for sig, wait in ((signal.SIGTERM, 2), (signal.SIGKILL, 5)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, sig)
            try:
                self.process.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)  # run workers left behind by the daemon
        self.process = None

    @contextlib.contextmanager
    def running(self) -> Iterator[dg.DagsterInstance]:
        """The daemon running, and the instance to watch its runs through. The instance's
        storage is created here before the daemon starts: two processes creating a new
        SQLite instance at the same moment can break its Alembic version table."""
        with dg.DagsterInstance.from_config(str(self.dagster_home)) as instance:
            instance.get_runs(limit=1)  # run storage
            instance.get_asset_keys()  # the event log's index
            self.start()
            try:
                yield instance
            finally:
                self.stop()

    def wait_for_runs(self, instance: dg.DagsterInstance, count: int, timeout: float):
        """The run records once ``count`` runs have finished; fails with the daemon's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                break
            records = instance.get_run_records()
            done = [r for r in records if r.dagster_run.is_finished]
            if len(done) >= count:
                return records
            time.sleep(0.5)
        log = self.log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise AssertionError(f"{count} runs did not finish in {timeout:.0f} s; daemon log:\n{log}")


def launched_at(instance: dg.DagsterInstance, run_id: str) -> float:
    """When the queue handed the run to the launcher (its RUN_STARTING event)."""
    [record] = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.RUN_STARTING
    ).records
    return record.event_log_entry.timestamp


def in_process_seconds(root: Path) -> float:
    """The same run in this process, the code already loaded: the run alone."""
    from pipelines.graph import build_definitions
    from runtime import kommuner as kommuneliste

    listed = kommuneliste.load(write_list(root, ["999"]))
    drop_sample_data(listed["999"].home.indbakke)
    job = build_definitions(kommuner=listed).resolve_job_def("forebyg")
    start = time.perf_counter()
    result = job.execute_in_process(
        partition_key="999", instance=dg.DagsterInstance.ephemeral(), raise_on_error=False
    )
    seconds = time.perf_counter() - start
    if not result.success:
        raise SystemExit("the in-process reference run failed")
    return seconds


def measure(work: Path, municipalities: int, max_runs: int) -> dict:
    codes = [f"{100 + k:03d}" for k in range(municipalities)]
    reference = in_process_seconds(work / "reference")
    listed = write_list(work, codes)
    for code in codes:
        drop_sample_data(work / "hjem" / code / "indbakke")
    deployment = Deployment(work, listed, max_runs)
    load_before = os.getloadavg()[0]
    start = time.time()
    with deployment.running() as instance:
        records = deployment.wait_for_runs(instance, municipalities, 300 + 60 * municipalities)
        runs = [
            {
                "kommune": r.dagster_run.tags[KOMMUNE_TAG],
                "status": r.dagster_run.status.value,
                "queued": r.create_timestamp.timestamp(),
                "launched": launched_at(instance, r.dagster_run.run_id),
                "start": r.start_time,
                "end": r.end_time,
            }
            for r in records
        ]
    failed = [r["kommune"] for r in runs if r["status"] != "SUCCESS"]
    if failed or sorted(r["kommune"] for r in runs) != codes:
        raise SystemExit(f"runs missing or failed: {failed}")
    last = max(r["end"] for r in runs)
    return {
        "load": (load_before, os.getloadavg()[0]),
        "created": max(r["queued"] for r in runs) - min(r["queued"] for r in runs),
        "municipalities": municipalities,
        "max_runs": max_runs,
        "wall": last - start,
        "first_launch": min(r["launched"] for r in runs) - start,
        "queue_wait": statistics.mean(r["launched"] - r["queued"] for r in runs),
        "launch": statistics.mean(r["start"] - r["launched"] for r in runs),
        "run": statistics.mean(r["end"] - r["start"] for r in runs),
        "launched_run": statistics.mean(r["end"] - r["launched"] for r in runs),
        "in_process": reference,
        "max_parallel": max_parallel(runs),
    }


def max_parallel(runs: list[dict]) -> int:
    """The most runs executing at the same moment (from their start and end times)."""
    edges = sorted([(r["start"], 1) for r in runs] + [(r["end"], -1) for r in runs])
    now = most = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


def section(m: dict) -> str:
    n = m["municipalities"]
    return "\n".join(
        [
            SECTION,
            "",
            f"Measured {dt.date.today():%d-%m-%Y} with `python -m benchmarks.queue --kommuner {n} "
            f"--samtidige {m['max_runs']}`: {n} municipalities, each a data home with the sample "
            "data (`sample_data/*.xlsx`) in its inbox, one municipality list; a real "
            "`dagster-daemon` with the QueuedRunCoordinator (SQLite instance, "
            f"`max_concurrent_runs: {m['max_runs']}`, one run at a time per municipality) and "
            "the default run launcher (a new process per run). The inbox sensor requested one "
            "run per municipality.",
            "",
            "| figure | seconds |",
            "|---|---:|",
            f"| wall time, daemon start to the last run's end ({n} runs) | {m['wall']:.1f} |",
            f"| of it, daemon start to the first launch (code server, sensor's two looks) "
            f"| {m['first_launch']:.1f} |",
            f"| the sensor creating the {n} runs, first to last | {m['created']:.1f} |",
            f"| wall time ÷ runs | {m['wall'] / n:.2f} |",
            f"| per run: waiting in the queue (mean) | {m['queue_wait']:.1f} |",
            f"| per run: launch, a new process loading the code until the run starts (mean) "
            f"| {m['launch']:.2f} |",
            f"| per run: the run itself, as the daemon launched it (mean) | {m['run']:.2f} |",
            f"| per run: launch and run (mean) | {m['launched_run']:.2f} |",
            f"| the same run in-process, code already loaded | {m['in_process']:.2f} |",
            "",
            f"At most {m['max_parallel']} runs executed at the same moment. The machine's load "
            f"average (1 min) was {m['load'][0]:.1f} at the start and {m['load'][1]:.1f} at the "
            "end; other work may have shared it.",
            "",
            f"What dominates: of a launched run's {m['launched_run']:.1f} s, the run itself is "
            f"{m['run'] / m['launched_run']:.0%} and the launch (a new Python process importing "
            f"Dagster and loading the definitions) {m['launch'] / m['launched_run']:.0%}. The "
            f"run as launched takes {m['run'] / m['in_process']:.1f} × the in-process run: it "
            "writes every event to the instance's SQLite files and captures its step logs, where "
            "the in-process reference keeps an ephemeral instance in memory. The queue itself "
            "costs little: the wall time is close to runs × (launch + run) ÷ runs at once "
            f"({m['municipalities']} × {m['launched_run']:.1f} ÷ {m['max_runs']} = "
            f"{m['municipalities'] * m['launched_run'] / m['max_runs']:.0f} s).",
            "",
        ]
    )


def kept_section(out: Path) -> str:
    """This benchmark's section of ``out`` as it stands (benchmarks.run keeps it)."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    if SECTION not in old:
        return ""
    tail = old.partition(SECTION)[2]
    return SECTION + (tail.split("\n## ", 1)[0] if "\n## " in tail else tail)


def write_section(out: Path, text: str) -> None:
    """Replace (or add) this benchmark's section, leaving the rest of the file as it is."""
    old = out.read_text(encoding="utf-8") if out.exists() else "# Benchmarks\n"
    head, _, tail = old.partition(SECTION)
    rest = tail.split("\n## ", 1)[1] if "\n## " in tail else ""
    new = head.rstrip("\n") + "\n\n" + text + ("\n## " + rest if rest else "")
    out.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kommuner", type=int, default=98)
    parser.add_argument("--samtidige", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", default=None, help="working folder (emptied first)")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="forebyg-koe-"))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    figures = measure(work, args.kommuner, args.samtidige)
    (work / "koe.json").write_text(json.dumps(figures), encoding="utf-8")  # to re-render
    text = section(figures)
    print(text)
    if args.out:
        write_section(Path(args.out), text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
