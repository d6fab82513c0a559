"""The Dagster instance of a data home: ``<data home>/.dagster``.

The command line, ``make dev`` and the daemon all record runs there, so the UI shows what
``forebyg run`` did. Which ``dagster.yaml`` the folder gets:

* one an operator wrote is kept as it is;
* with ``FOREBYG_PG_HOST`` set, the production instance ``deploy/dagster.yaml``
  (PostgreSQL, run queue; its settings are read from the environment, see docs/drift.md);
  it also replaces the minimal file an earlier start without PostgreSQL wrote, and an
  earlier version of itself (its first line marks it), so an upgrade brings its changes;
* otherwise a minimal one (SQLite files in the folder), for a laptop or a trial, whose
  event log keeps its SQLite connections open (``pipelines/event_storage.py``). forebyg
  writes it again when its content should change (a newer forebyg, a moved home); an
  operator's own file is never replaced.

``python -m pipelines.instance HOME`` prepares the folder and prints its absolute path
(the Makefile and the systemd units set DAGSTER_HOME from it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from runtime import settings

# the first line of the minimal dagster.yaml forebyg writes, so it knows the file as its own
MINIMAL_MARK = "# Skrevet af forebyg; skrives igen, når forebyg ændrer den.\n"
EARLIER_MINIMAL = "telemetry:\n  enabled: false\n"  # what forebyg wrote before the mark
PRODUCTION_YAML = settings.shipped("deploy") / "dagster.yaml"
PRODUCTION_MARK = "# forebyg's production instance"  # the first line of deploy/dagster.yaml
PG = (  # what deploy/dagster.yaml reads
    settings.PG_HOST,
    settings.PG_PORT,
    settings.PG_DB,
    settings.PG_USER,
    settings.PG_PASSWORD,
    settings.MAX_CONCURRENT_RUNS,
)
PG_SETTINGS = tuple(s.name for s in PG)


def minimal_yaml(path: Path) -> str:
    """The minimal instance of the Dagster folder ``path``: SQLite files in the folder (the
    event log's where Dagster keeps them by default), telemetry off."""
    runs = json.dumps(str(path / "history" / "runs"))  # a JSON string is a YAML string
    return (
        f"{MINIMAL_MARK}telemetry:\n  enabled: false\nevent_log_storage:\n"
        "  module: pipelines.event_storage\n  class: PooledSqliteEventLogStorage\n"
        f"  config:\n    base_dir: {runs}\n"
    )


def dagster_home(root: Path) -> Path:
    path = (root / ".dagster").resolve()
    path.mkdir(parents=True, exist_ok=True)
    config = path / "dagster.yaml"
    current = config.read_text(encoding="utf-8") if config.exists() else None
    ours = current is None or current == EARLIER_MINIMAL or current.startswith(MINIMAL_MARK)
    production = current is not None and current.startswith(PRODUCTION_MARK)
    if settings.PG_HOST.get() and (ours or production):
        missing = [  # an empty password is allowed (a server that trusts the host)
            s.name for s in PG if not s.get() and s is not settings.PG_PASSWORD
        ]
        if missing:
            from runtime.resources import Stop

            raise Stop(
                "Dagsters database er sat til PostgreSQL (FOREBYG_PG_HOST), men "
                f"miljøvariablerne {', '.join(missing)} mangler. Sæt dem i forebyg.env "
                "(se docs/drift.md)."
            )
        wanted = PRODUCTION_YAML.read_text(encoding="utf-8")
        if current != wanted:
            config.write_text(wanted, encoding="utf-8")
    elif ours and current != minimal_yaml(path):
        config.write_text(minimal_yaml(path), encoding="utf-8")
    return path


def instance(root: Path):
    """The persistent Dagster instance of the data home at ``root`` (a context manager)."""
    import dagster as dg

    return dg.DagsterInstance.from_config(str(dagster_home(root)))


if __name__ == "__main__":
    from runtime.resources import Stop

    try:
        print(dagster_home(Path(sys.argv[1])))
    except Stop as error:
        sys.exit(str(error))
