"""Dagster's SQLite event log for a data home, with one open connection per database file.

Dagster's own ``SqliteEventLogStorage`` builds a new SQLAlchemy engine and opens (and, on
closing, checkpoints) the SQLite file for every event it stores: a run of the demo paid
that about 1,300 times. This subclass keeps one engine per shard (the run's file and the
cross-run ``index`` file) for the life of the process, so an event costs one insert and
one commit. Everything else — the files, their schema, the readers — is Dagster's.

Concurrency is unchanged: the base class's lock lets one thread of a process use the
storage at a time (the webserver's and the daemon's threads included), and processes
share the files through SQLite's WAL mode and busy timeout as before. Commits use
``synchronous=NORMAL``, which WAL makes safe against corruption (docs/valg.md).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Iterator

import sqlalchemy as db
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SqliteEventLogStorage,
)
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

# A long-lived process (the webserver, the daemon) reads many runs' files; the engines of
# the most recently used ones stay open, the rest are closed.
OPEN_SHARDS = 8


def _pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` whose connections stay open between events."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        """The shard's engine, created (and its file initialised) on first use; the caller
        holds the storage's lock."""
        engine = self._engines.pop(shard, None)
        if engine is None:
            engine = db.create_engine(
                self.conn_string_for_shard(shard),
                poolclass=StaticPool,  # one connection; the lock serialises its use
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            db.event.listen(engine, "connect", _pragmas)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    @contextlib.contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock, self._engine(shard).connect() as conn, conn.begin():
            yield conn

    def has_table(self, table_name: str) -> bool:
        # asked while the index's connection is in use (so not through it), once per table:
        # a table, once there, stays; only its absence is asked again
        if table_name not in self._tables and super().has_table(table_name):
            self._tables.add(table_name)
        return table_name in self._tables

    def _close_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_engines()  # the run files are deleted: no connection may outlive them
        super().wipe()

    def dispose(self) -> None:
        super().dispose()
        self._close_engines()
