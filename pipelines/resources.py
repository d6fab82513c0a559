"""The data home and the warehouse resource, in one place.

A run never writes the published warehouse in place. It works on a copy in
``.arbejde/``; the last step of the graph (``publicering``) checkpoints that copy and
swaps it in with an atomic rename. A run that fails or is killed leaves the published
file untouched, and readers holding the old file keep reading it undisturbed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

DEFAULT_HOME = "forebyg-data"


@dataclass(frozen=True)
class Home:
    """The folders of FOREBYG_HOME (DESIGN.md, "The data home")."""

    root: Path

    @classmethod
    def from_env(cls) -> Home:
        return cls(Path(os.environ.get("FOREBYG_HOME", DEFAULT_HOME)))

    @property
    def indbakke(self) -> Path:
        return self.root / "indbakke"

    @property
    def arkiv(self) -> Path:
        return self.root / "arkiv"

    @property
    def afvist(self) -> Path:
        return self.root / "afvist"

    @property
    def kvitteringer(self) -> Path:
        return self.root / "kvitteringer"

    @property
    def rapporter(self) -> Path:
        return self.root / "rapporter"

    @property
    def warehouse(self) -> Path:
        return self.root / "forebyg.duckdb"

    @property
    def work(self) -> Path:
        return self.root / ".arbejde"

    def create(self) -> Home:
        for folder in (
            self.indbakke,
            self.arkiv,
            self.afvist,
            self.kvitteringer,
            self.rapporter,
            self.work,
        ):
            folder.mkdir(parents=True, exist_ok=True)
        return self


class Warehouse(dg.ConfigurableResource):
    """DuckDB warehouse of one data home, written through a per-run working copy."""

    home: str = DEFAULT_HOME
    lock_timeout_seconds: float = 3600.0

    _lock: int | None = PrivateAttr(default=None)
    # Held open for the whole run: later connections share its database instance, so a
    # step neither reopens the file nor checkpoints it on close (tens of ms per step).
    _held: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    @property
    def paths(self) -> Home:
        return Home(Path(self.home))

    @property
    def working_copy(self) -> Path:
        return self.paths.work / "forebyg.duckdb"

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """One run at a time per home: take the lock and start from a clean working copy."""
        self.paths.create()
        fd = os.open(self.paths.work / "koersel.lock", os.O_RDWR | os.O_CREAT)
        deadline = time.monotonic() + self.lock_timeout_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise RuntimeError(
                        "En anden kørsel bruger lageret; prøv igen senere."
                    ) from None
                time.sleep(1)
        self._lock = fd
        self._discard_working_copy()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self._release()
        self._discard_working_copy()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _discard_working_copy(self) -> None:
        for path in (self.working_copy, self.working_copy.with_suffix(".duckdb.wal")):
            path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read-write connection to this run's working copy (made on first use)."""
        if not self.working_copy.exists():
            self.paths.create()
            if self.paths.warehouse.exists():
                shutil.copyfile(self.paths.warehouse, self.working_copy)
        if self._held is None:
            self._held = duckdb.connect(str(self.working_copy))
        con = duckdb.connect(str(self.working_copy))
        try:
            yield con
        finally:
            con.close()

    def _release(self) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    def start_empty(self) -> None:
        """Begin this run from an empty warehouse (used by ``forebyg rebuild``)."""
        self._release()
        self._discard_working_copy()
        self.paths.create()
        duckdb.connect(str(self.working_copy)).close()

    def publish(self) -> None:
        """Checkpoint the working copy and swap it in atomically."""
        with self.connect() as con:
            con.execute("CHECKPOINT")
        self._release()
        fd = os.open(self.working_copy, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.working_copy, self.paths.warehouse)


@contextlib.contextmanager
def read_published(home: Home) -> Iterator[duckdb.DuckDBPyConnection]:
    """How every reader (reports, status, the steering group's tools) opens the warehouse."""
    con = duckdb.connect(str(home.warehouse), read_only=True)
    try:
        yield con
    finally:
        con.close()
