"""The Dagster instance of a data home: ``<data home>/.dagster``.

The command line, ``make dev`` and the daemon all record runs there, so the UI shows what
``forebyg run`` did. A ``dagster.yaml`` already in the folder (PostgreSQL in production,
see docs/drift.md) is kept; otherwise a minimal one is written.

``python -m pipelines.instance HOME`` prepares the folder and prints its absolute path
(the Makefile sets DAGSTER_HOME from it).
"""

from __future__ import annotations

import sys
from pathlib import Path

DAGSTER_YAML = "telemetry:\n  enabled: false\n"


def dagster_home(root: Path) -> Path:
    path = (root / ".dagster").resolve()
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return path


def instance(root: Path):
    """The persistent Dagster instance of the data home at ``root`` (a context manager)."""
    import dagster as dg

    return dg.DagsterInstance.from_config(str(dagster_home(root)))


if __name__ == "__main__":
    print(dagster_home(Path(sys.argv[1])))
