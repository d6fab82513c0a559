"""Three municipalities on the real engine: a dagster-daemon with the QueuedRunCoordinator
(benchmarks/queue.py's Deployment), one data home each, the inbox sensor and the queue.

Each inbox holds the sample data; 813's warehouse is garbage, so its run must fail. With
at most two runs at a time the queue runs 860 and 851 side by side and 813 after one of
them; 813's failure changes nothing of the others: their marts are the sample data's,
as recorded in mart_checksums.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.queue import (
    SAMPLE_DATA,
    SECTION,
    Deployment,
    drop_sample_data,
    kept_section,
    max_parallel,
    write_list,
    write_section,
)
from pipelines.jobs import KOMMUNE_TAG
from runtime.resources import Home
from tests.test_mart_values import RECORDED, mart_checksums

CODES = ["860", "851", "813"]


@pytest.mark.slow
def test_three_municipalities_through_the_queue_and_one_failure_stays_its_own(tmp_path: Path):
    listed = write_list(tmp_path, CODES)
    homes = {c: Home(tmp_path / "hjem" / c).create() for c in CODES}
    for home in homes.values():
        drop_sample_data(home.indbakke)
    garbage = b"ikke en DuckDB-fil\n" * 1000
    homes["813"].warehouse.write_bytes(garbage)

    deployment = Deployment(tmp_path, listed, max_runs=2)
    with deployment.running() as instance:
        records = deployment.wait_for_runs(instance, len(CODES), timeout=240)

    # the sensor asked for one run per municipality, each its own partition
    runs = {r.dagster_run.tags[KOMMUNE_TAG]: r for r in records}
    assert sorted(runs) == sorted(CODES) and len(records) == len(CODES)
    for code, record in runs.items():
        assert record.dagster_run.tags["dagster/partition"] == code
        assert record.dagster_run.tags["dagster/run_key"].startswith(f"{code}-indbakke-")
    status = {code: r.dagster_run.status.value for code, r in runs.items()}
    assert status == {"860": "SUCCESS", "851": "SUCCESS", "813": "FAILURE"}

    # in parallel under the queue's limit: two at once, never three
    spans = [{"start": r.start_time, "end": r.end_time} for r in records]
    assert max_parallel(spans) == 2

    # the failure is 813's alone: the others hold exactly the sample data's marts
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    for code in ("860", "851"):
        assert mart_checksums(homes[code]) == recorded
        assert not list(homes[code].indbakke.iterdir())  # archived, with receipts
        assert list(homes[code].arkiv.glob("*.json"))
    # and 813 is as it was: the same garbage warehouse, its files waiting in its inbox
    assert homes["813"].warehouse.read_bytes() == garbage
    waiting = sorted(p.name for p in homes["813"].indbakke.iterdir())
    assert waiting == sorted(p.name for p in SAMPLE_DATA.glob("*.xlsx"))
    assert not list(homes["813"].arkiv.iterdir())


def test_queue_figures_keep_their_own_section_of_benchmarks_md(tmp_path: Path):
    """`python -m benchmarks.queue` replaces its section only; `benchmarks.run`, which
    rewrites the file, keeps it (kept_section)."""
    out = tmp_path / "BENCHMARKS.md"
    out.write_text("# Benchmarks\n\n## Targets\n\nt\n", encoding="utf-8")
    write_section(out, f"{SECTION}\n\nførste\n")
    write_section(out, f"{SECTION}\n\nanden\n")
    expected = f"# Benchmarks\n\n## Targets\n\nt\n\n{SECTION}\n\nanden\n"
    assert out.read_text(encoding="utf-8") == expected
    assert kept_section(out) == f"{SECTION}\n\nanden\n"
