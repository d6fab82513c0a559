"""The data home and the warehouse resource, in one place.

A run never writes the published warehouse in place. It works on a copy in
``.arbejde/``; the last step of the graph (``publicering``) checkpoints that copy and
swaps it in with an atomic rename. A run that fails or is killed leaves the published
file untouched, and readers holding the old file keep reading it undisturbed.

The warehouse resource has no run config: its home is the deployment's (``--home`` or
``FOREBYG_HOME``), fixed when the definitions load, so a run launched from the Dagster UI
cannot point it at another folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from runtime import settings

if TYPE_CHECKING:  # Dagster is imported only where a run is defined: `forebyg run` with
    import dagster as dg  # nothing new and `forebyg status` never need it

UMASK = 0o007  # files for the service account and its group only (docs/drift.md)


class Stop(Exception):
    """A fault that belongs to no file: the run stops. The message is Danish and says what
    to do; the CLI prints it as it is."""


def corrupt_warehouse(path: Path) -> Stop:
    return Stop(
        f"Lageret {path.name} er beskadiget og kan ikke åbnes. Kør 'forebyg rebuild' for at "
        "genopbygge det ud fra arkiv/ (det gamle lager bruges ikke)."
    )


CAUSES = {  # errno → what is wrong with the machine, and what fixes it
    errno.ENOSPC: ("disken er fuld", "Frigør plads på disken"),
    errno.EDQUOT: ("diskkvoten er brugt op", "Frigør plads, eller få kvoten hævet"),
    errno.EROFS: (
        "datahjemmet er skrivebeskyttet",
        "Montér datahjemmet, så det kan skrives (ikke skrivebeskyttet)",
    ),
    errno.EIO: ("disken gav en læse- eller skrivefejl", "Få disken undersøgt af driften"),
    errno.EACCES: (
        "forebyg har ikke skriveadgang",
        "Giv forebygs servicekonto skriveadgang til mappen",
    ),
}
UNCHANGED = "Lageret er uændret; filerne venter i indbakken."
PUBLISHED = (
    "Lageret er opdateret, men ikke alle filer er flyttet og kvitteret; de resterende "
    "venter i indbakken."
)


def environment_fault(exc: BaseException, then: str = UNCHANGED) -> Stop | None:
    """A Stop for errors of the machine rather than of a file (disk full, no access),
    naming the cause and its fix; ``then`` says what the fault left behind."""
    if isinstance(exc, Stop):
        return exc
    if isinstance(exc, OSError) and exc.errno in CAUSES:
        what, fix = CAUSES[exc.errno]
        return Stop(
            f"Kørslen er stoppet, fordi {what} ({exc.filename or 'datahjemmet'}). {fix}, og "
            f"kør igen. {then}"
        )
    if isinstance(exc, duckdb.IOException) and "No space left on device" in str(exc):
        return Stop(
            "Kørslen er stoppet, fordi disken er fuld (lageret kunne ikke skrives). Lageret er "
            "uændret. Frigør plads på disken, og kør igen; filerne venter i indbakken."
        )
    if isinstance(exc, duckdb.IOException):
        return Stop(
            "Kørslen er stoppet, fordi lageret ikke kunne skrives (fuld disk eller manglende "
            "adgang?). Lageret er uændret; ret årsagen, og kør igen."
        )
    return None


def exact_commands(line: str, option: str) -> str:
    """The commands a message names, made exact for one home ("--kommune 813")."""
    for command in ("rebuild", "run", "status"):
        line = line.replace(f"'forebyg {command}'", f"'forebyg {command} {option}'")
    return line


@dataclass(frozen=True)
class Home:
    """The folders of FOREBYG_HOME (docs/kontrakt.md, "The data home")."""

    root: Path

    @classmethod
    def resolve(cls, explicit: str | Path | None = None) -> Home:
        """The one place the data home is decided: ``--home``, else FOREBYG_HOME, else the
        default; everything after carries this object."""
        return cls(Path(explicit or settings.HOME.get()))

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

    @property
    def files(self) -> Path:
        """Private copies of this run's inbox files, read and then archived."""
        return self.work / "filer"

    @property
    def folders(self) -> tuple[Path, ...]:
        """The folders forebyg reads, moves files between and writes in."""
        return (self.indbakke, self.arkiv, self.afvist, self.kvitteringer, self.rapporter)

    def create(self) -> Home:
        """The folders, for the service account and its group only (mode 0770), each
        checked to be a real folder inside the home (``check``)."""
        if self.root.exists() and not self.root.is_dir():
            raise Stop(
                f"Datahjemmet {self.root} er en fil, ikke en mappe. Angiv datahjemmets mappe "
                "med --home (eller FOREBYG_HOME)."
            )
        try:
            self.root.mkdir(mode=0o770, parents=True, exist_ok=True)
            for folder in self.folders:
                if not os.path.lexists(folder):
                    folder.mkdir(mode=0o770)
            if not os.path.lexists(self.work):
                self.work.mkdir(mode=0o700)
        except OSError as exc:
            raise (environment_fault(exc) or exc) from exc
        return self.check()

    def check(self) -> Home:
        """Every folder of the home is a real folder in it, never a link or a file: the
        home is group-writable, and a folder swapped for a link would make forebyg move,
        delete or write files elsewhere (docs/drift.md). Checked when a run starts and
        again before files are moved."""
        for folder in (*self.folders, self.work):
            try:
                st = os.lstat(folder)
            except FileNotFoundError:
                raise Stop(
                    f"Mappen {folder.name}/ i datahjemmet {self.root} er forsvundet under "
                    "kørslen. Intet er flyttet; kør igen (mappen oprettes da)."
                ) from None
            if stat.S_ISLNK(st.st_mode):
                what = "en genvej (symbolsk link)"
            elif not stat.S_ISDIR(st.st_mode):
                what = "en fil"
            else:
                continue
            raise Stop(
                f"Kørslen er stoppet: {folder.name}/ i datahjemmet {self.root} er {what}, "
                "ikke en almindelig mappe. forebyg flytter og skriver kun i datahjemmets egne "
                f"mapper, så intet er flyttet, slettet eller skrevet. Erstat {folder.name} med "
                "en almindelig mappe (læg filerne fra den i den nye mappe), og kør igen."
            )
        return self


_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def create_new(path: Path) -> int:
    """A descriptor of a new file at ``path``; FileExistsError when the name is taken (by a
    file or a link: O_EXCL never follows one)."""
    return os.open(path, _NEW, 0o666)  # the umask (0o007) leaves 0o660


def write_text(path: Path, text: str) -> None:
    """Write a file forebyg owns in the home: whatever has its name (a link a group member
    planted, an older receipt) is replaced, never followed."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    with os.fdopen(create_new(path), "w", encoding="utf-8") as out:
        out.write(text)


def copy_new(source: Path, target: Path) -> None:
    """Copy ``source`` to a new file ``target``; FileExistsError when the name is taken."""
    out = create_new(target)
    with open(source, "rb") as src, os.fdopen(out, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


class Warehouse:
    """DuckDB warehouse of one data home, written through a per-run working copy."""

    def __init__(self, home: Home, lock_timeout_seconds: float = 3600.0):
        self.home = home
        self.lock_timeout_seconds = lock_timeout_seconds
        self._lock: int | None = None
        # Held open for the whole run: later connections share its database instance, so
        # a step neither reopens the file nor checkpoints it on close (tens of ms a step).
        self._held: duckdb.DuckDBPyConnection | None = None

    @property
    def paths(self) -> Home:
        return self.home

    @property
    def working_copy(self) -> Path:
        return self.paths.work / "forebyg.duckdb"

    def setup_for_execution(self, context: dg.InitResourceContext | None = None) -> None:
        """One run at a time per home: take the lock and start from a clean working copy."""
        os.umask(UMASK)
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

    def teardown_after_execution(self, context: dg.InitResourceContext | None = None) -> None:
        self._release()
        self._discard_working_copy()
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _discard_working_copy(self) -> None:
        for path in (self.working_copy, self.working_copy.with_suffix(".duckdb.wal")):
            path.unlink(missing_ok=True)
        shutil.rmtree(self.paths.files, ignore_errors=True)

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """Read-write connection to this run's working copy (made on first use)."""
        if not self.working_copy.exists():
            self.paths.create()
            if self.paths.warehouse.exists():
                try:
                    shutil.copyfile(self.paths.warehouse, self.working_copy)
                except OSError as exc:  # else not a file (a folder): damaged
                    fault = environment_fault(exc)
                    raise (fault or corrupt_warehouse(self.paths.warehouse)) from exc
        if self._held is None:
            try:
                self._held = duckdb.connect(str(self.working_copy))
                self._held.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
            except duckdb.Error as exc:  # DuckDB calls a garbled file an IOException too
                self._held = None
                raise corrupt_warehouse(self.paths.warehouse) from exc
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
        if self.paths.warehouse.is_dir() and not self.paths.warehouse.is_symlink():
            self._set_aside()
        os.replace(self.working_copy, self.paths.warehouse)

    def _set_aside(self) -> None:
        """A folder where the warehouse should be (only a rebuild gets this far with one)
        is renamed ``forebyg.duckdb.beskadiget[-n]``, kept for operations, never deleted."""
        old = self.paths.warehouse
        for n in range(1, 1000):
            aside = old.with_name(old.name + (".beskadiget" if n == 1 else f".beskadiget-{n}"))
            if not os.path.lexists(aside):
                os.rename(old, aside)
                return
        raise Stop(f"{old} er en mappe; flyt den væk, og kør 'forebyg rebuild' igen.")


def warehouse_resource(home: Home) -> dg.ResourceDefinition:
    """The warehouse of ``home`` as a resource without config: a launched run cannot move it."""
    import dagster as dg

    @dg.resource(
        config_schema={},  # nothing to set: a run config naming a home is refused
        description="DuckDB-lageret i datahjemmet (FOREBYG_HOME); kan ikke ændres fra en kørsel.",
    )
    def warehouse(_context: dg.InitResourceContext) -> Iterator[Warehouse]:
        with serving(home) as resource:
            yield resource

    return warehouse


@contextlib.contextmanager
def serving(home: Home) -> Iterator[Warehouse]:
    """The warehouse of ``home`` for one run: set up before its first step, torn down after."""
    resource = Warehouse(home)
    resource.setup_for_execution()
    try:
        yield resource
    finally:
        resource.teardown_after_execution()


@contextlib.contextmanager
def read_published(home: Home) -> Iterator[duckdb.DuckDBPyConnection]:
    """How every reader (reports, status, the steering group's tools) opens the warehouse.

    A warehouse that cannot be opened is a ``Stop`` naming ``forebyg rebuild``."""
    try:
        con = duckdb.connect(str(home.warehouse), read_only=True)
        con.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
    except duckdb.Error as exc:
        raise corrupt_warehouse(home.warehouse) from exc
    try:
        yield con
    finally:
        con.close()
