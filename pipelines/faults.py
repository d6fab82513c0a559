"""Faults of the machine, told by their errors' class and text.

DuckDB, the OS, PostgreSQL's driver and Dagster word them so. The alerts name the cause
with what to do (pipelines/alerts.py); the search for files to blame
(pipelines/isolation.py) never bisects a batch over them: no file made the disk full.
"""

import re

DISK_FULL = re.compile(
    r"No space left on device|ENOSPC|Errno 28|out of (disk )?space|disk is full|"
    r"not enough (free )?(disk )?space|max_temp_directory_size",
    re.IGNORECASE,
)
DATABASE_LOST = re.compile(
    r"too many retries for DB connection|could not connect to server|"
    r"connection to server .* failed|server closed the connection|"
    r"terminating connection due to administrator command|OperationalError",
    re.IGNORECASE,
)
INTERRUPTED = re.compile(
    r"DagsterExecutionInterruptedError|KeyboardInterrupt|SIGTERM|SIGKILL|interrupted",
    re.IGNORECASE,
)
WORKER_GONE = re.compile(r"Detected run worker status|RUN_WORKER_RESTART", re.IGNORECASE)
TIMED_OUT = re.compile(r"maximum runtime|START_TIMEOUT|timed out", re.IGNORECASE)


def machine_fault(text: str) -> bool:
    """Whether an error's text names a fault of the machine rather than of a file."""
    return any(
        p.search(text) for p in (DISK_FULL, DATABASE_LOST, INTERRUPTED, WORKER_GONE, TIMED_OUT)
    )
