"""A PostgreSQL database of its own for a test (safe under pytest-xdist).

The server comes from FOREBYG_TEST_PG_HOST/PORT/USER/PASSWORD (`.ci/postgres.sh` starts one
and exports them); the role must be allowed to create databases. Without a server the
test is skipped, unless FOREBYG_REQUIRE_TOOLS is set (CI), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator

import pytest


def _admin():
    import psycopg2

    return psycopg2.connect(
        host=os.environ["FOREBYG_TEST_PG_HOST"],
        port=int(os.environ.get("FOREBYG_TEST_PG_PORT", "5432")),
        user=os.environ["FOREBYG_TEST_PG_USER"],
        password=os.environ.get("FOREBYG_TEST_PG_PASSWORD", ""),
        dbname="postgres",
        connect_timeout=5,
    )


def _unavailable(reason: str) -> None:
    if os.environ.get("FOREBYG_REQUIRE_TOOLS"):
        pytest.fail(f"PostgreSQL is required here but {reason}")
    pytest.skip(f"no PostgreSQL server: {reason}")


@contextlib.contextmanager
def database() -> Iterator[dict[str, str]]:
    """A fresh database, dropped afterwards; yields the FOREBYG_PG_* settings for it."""
    import psycopg2

    if not os.environ.get("FOREBYG_TEST_PG_HOST"):
        _unavailable("FOREBYG_TEST_PG_HOST is not set (.ci/postgres.sh starts one)")
    name = f"forebyg_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = _admin()
    except psycopg2.OperationalError as error:
        _unavailable(f"cannot connect ({str(error).strip()})")
    admin.autocommit = True
    try:
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        yield {
            "FOREBYG_PG_HOST": os.environ["FOREBYG_TEST_PG_HOST"],
            "FOREBYG_PG_PORT": os.environ.get("FOREBYG_TEST_PG_PORT", "5432"),
            "FOREBYG_PG_USER": os.environ["FOREBYG_TEST_PG_USER"],
            "FOREBYG_PG_PASSWORD": os.environ.get("FOREBYG_TEST_PG_PASSWORD", ""),
            "FOREBYG_PG_DB": name,
            "FOREBYG_MAX_CONCURRENT_RUNS": "2",
        }
    finally:
        _drop(admin, name)
        admin.close()


def _drop(admin, name: str, attempts: int = 100) -> None:
    """Drop the test database. FORCE ends the test role's own connections, but not a
    backend of another role, such as the server's autovacuum worker, which under load can
    still be in a database a test has just finished with. Such a backend ends by itself,
    so the drop is tried again (a count of attempts, not a clock)."""
    import psycopg2

    for attempt in range(attempts):
        try:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg2.errors.InsufficientPrivilege:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)


@pytest.fixture
def pg_settings(monkeypatch) -> Iterator[dict[str, str]]:
    """A fresh database, with its FOREBYG_PG_* settings in this process's environment."""
    with database() as settings:
        for key, value in settings.items():
            monkeypatch.setenv(key, value)
        yield settings


class PrivateServer:
    """A PostgreSQL server of a test's own (initdb in a temporary folder, a free port), so a
    test can stop and start it mid-run without touching the shared one. Runs as the
    ``postgres`` user when the test runs as root (the server refuses root)."""

    def __init__(self, port: int):
        import glob
        import pwd
        import tempfile

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            _unavailable("no PostgreSQL server programs (pg_ctl) are installed")
        self.bin = os.path.dirname(found[-1])
        self.port = port
        self.folder = tempfile.mkdtemp(prefix="forebyg-pg-")
        self.user = None
        if os.geteuid() == 0:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.user = "postgres"

    def _run(self, *command: str) -> None:
        import subprocess

        argv = [f"{self.bin}/{command[0]}", *command[1:]]
        if self.user:
            argv = ["runuser", "-u", self.user, "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, cwd="/")

    def init(self) -> None:
        self._run("initdb", "-D", f"{self.folder}/data", "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "start", "-w", "-D", f"{self.folder}/data", "-o", options,
                  "-l", f"{self.folder}/server.log")

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", f"{self.folder}/data")

    def settings(self) -> dict[str, str]:
        return {
            "FOREBYG_PG_HOST": "127.0.0.1",
            "FOREBYG_PG_PORT": str(self.port),
            "FOREBYG_PG_USER": "postgres",
            "FOREBYG_PG_PASSWORD": "",
            "FOREBYG_PG_DB": "postgres",
            "FOREBYG_MAX_CONCURRENT_RUNS": "2",
        }


@contextlib.contextmanager
def private_server(port: int) -> Iterator[PrivateServer]:
    import shutil

    server = PrivateServer(port)
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        shutil.rmtree(server.folder, ignore_errors=True)
