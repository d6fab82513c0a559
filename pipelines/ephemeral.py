"""The Dagster instance of a run recorded nowhere, with one SQLite connection per storage.

``execute`` without an instance (the tests' runs, the benchmark's in-process steps) used
``DagsterInstance.ephemeral()``, whose in-memory run and event storages hold a connection
to their database for its whole life, yet open a new one, set two pragmas and close it
again for every event stored and every record read: 1,391 connections in a run of the
small test municipality, about a tenth of the run's CPU time. These storages use the
connection they already hold. Everything else (the schema, the queries, the rest of the
instance) is Dagster's.

SQLite lets only the thread that opened a connection use it, so that thread (the run's:
the in-process executor runs every step in it) uses the held connection, and any other
thread opens its own per use, as Dagster's storages do. A use inside another on the same
thread joins its transaction instead of opening a second connection. The event log's lock
lets one thread at a time use it, as Dagster's does.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import dagster as dg
from dagster._core.instance import InstanceType
from dagster._core.launcher.sync_in_memory_run_launcher import SyncInMemoryRunLauncher
from dagster._core.run_coordinator import DefaultRunCoordinator
from dagster._core.storage.event_log import InMemoryEventLogStorage
from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager
from dagster._core.storage.root import TemporaryLocalArtifactStorage
from dagster._core.storage.runs import InMemoryRunStorage
from sqlalchemy.engine import Connection


@contextlib.contextmanager
def _through_held(storage, dagsters, lock=None) -> Iterator[Connection]:
    """``storage``'s held connection in a transaction, on the thread that opened it (a use
    inside another joins its transaction); on any other thread, Dagster's own ``dagsters``
    (a new connection)."""
    if threading.get_ident() != storage.owner:
        with dagsters() as conn:
            yield conn
        return
    with lock or contextlib.nullcontext():
        conn = storage._held_conn
        if conn.in_transaction():
            yield conn
        else:
            with conn.begin():
                yield conn


class HeldEventLog(InMemoryEventLogStorage):
    """Dagster's in-memory event log, through the connection it holds."""

    def __init__(self):
        super().__init__()
        self.owner = threading.get_ident()
        self._db_lock = threading.RLock()  # Dagster's lock, re-entrant for a nested use
        self._tables: set[str] = set()

    def _connect(self):
        return _through_held(self, super()._connect, self._db_lock)

    def has_table(self, table_name: str) -> bool:
        # a table, once there, stays (an in-memory database is never migrated)
        if table_name not in self._tables:
            with self._connect() as conn:
                if self._engine.dialect.has_table(conn, table_name):
                    self._tables.add(table_name)
        return table_name in self._tables


class HeldRuns(InMemoryRunStorage):
    """Dagster's in-memory run storage, through the connection it holds."""

    def __init__(self):
        super().__init__()
        self.owner = threading.get_ident()

    def connect(self):
        return _through_held(self, super().connect)


def instance() -> dg.DagsterInstance:
    """An ephemeral instance, as ``DagsterInstance.ephemeral()`` builds it, with the two
    storages above."""
    return dg.DagsterInstance(
        instance_type=InstanceType.EPHEMERAL,
        local_artifact_storage=TemporaryLocalArtifactStorage(),
        run_storage=HeldRuns(),
        event_storage=HeldEventLog(),
        compute_log_manager=NoOpComputeLogManager(),
        run_coordinator=DefaultRunCoordinator(),
        run_launcher=SyncInMemoryRunLauncher(),
    )
