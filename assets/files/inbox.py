"""Which files in the inbox are ready to be read, and private copies of them.

Shared by the intake asset and the sensor, so both agree on what "ready" means: not an
Excel owner file (``~$``), not hidden, a regular file (never a link, device or pipe),
and no longer being written. A ready file is copied once to a private folder; that copy
is what is hashed, read and archived, so the bytes judged are the bytes kept.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

SETTLE_SECONDS = 2.0  # between the two looks at the inbox (tests shorten it)
NOT_REGULAR = {
    "link": "Filen er en genvej (symbolsk link). forebyg følger aldrig genveje; læg selve "
    "filen i indbakken.",
    "special": "Det er ikke en almindelig fil (fx en enhed eller en pipe), så den læses ikke.",
}


@dataclass(frozen=True)
class InboxFile:
    path: Path
    name: str  # relative to the inbox, with '/' between subfolders (may hold odd bytes)
    size: int
    mtime: float
    inode: tuple[int, int]  # (device, inode): how publishing finds it again, without its name


@dataclass(frozen=True)
class Skipped:
    """Something in the inbox that is never opened, with the reason (a key of NOT_REGULAR)."""

    path: Path
    name: str
    reason: str


def _walk(inbox: Path):
    """(path, name, lstat) of every entry under the inbox; links are not followed."""
    stack = [(inbox, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith((".", "~$")):
                continue
            name = f"{prefix}{entry.name}"
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append((Path(entry.path), f"{name}/"))
            else:
                yield Path(entry.path), name, st


def scan(inbox: Path) -> tuple[list[InboxFile], list[Skipped]]:
    """Regular files (oldest first) and everything else that is not a folder."""
    files, skipped = [], []
    for path, name, st in _walk(inbox) if inbox.is_dir() else ():
        if stat.S_ISREG(st.st_mode):
            files.append(InboxFile(path, name, st.st_size, st.st_mtime, (st.st_dev, st.st_ino)))
        else:
            skipped.append(Skipped(path, name, "link" if stat.S_ISLNK(st.st_mode) else "special"))
    return sorted(files, key=lambda f: (f.mtime, f.name)), sorted(skipped, key=lambda s: s.name)


def candidates(inbox: Path) -> list[InboxFile]:
    """Every regular file a person could have meant to deliver, oldest first."""
    return scan(inbox)[0]


def stable(inbox: Path, settle_seconds: float | None = None) -> list[InboxFile]:
    """Candidates whose size and mtime stay unchanged for ``settle_seconds``.

    Files last written longer ago than that are taken at once. Any other file, one written
    just now or one whose mtime lies in the future (a share's clock an hour ahead, a file
    claiming to be from 2030), is looked at again after ``settle_seconds`` measured by this
    machine (``time.sleep`` runs on a monotonic clock), never by waiting for its own clock;
    a file that changed between the looks is left for the next run (the sensor starts one
    when it has stopped changing)."""
    settle = SETTLE_SECONDS if settle_seconds is None else settle_seconds
    files = candidates(inbox)
    now = time.time()
    if all(now - f.mtime >= settle for f in files):  # a future mtime is never old enough
        return files
    time.sleep(settle)
    again = {f.name: (f.size, f.mtime) for f in candidates(inbox)}
    return [f for f in files if again.get(f.name) == (f.size, f.mtime)]


class Changed(Exception):
    """The file changed, vanished or stopped being a regular file while it was copied."""


class Unreadable(Exception):
    """The service account may not read the file."""


def _open_regular(path: Path) -> int:
    """A descriptor of ``path`` if it is a regular file; links and pipes are never opened."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Changed
    return fd


def private_copy(file: InboxFile, target: Path | None) -> str:
    """Copy ``file`` to ``target`` (mode 0600), hashing the bytes copied; their sha256.
    With no target the file is only read and hashed (one refused by its size is never
    copied). Never more than the size found is copied: a file that grows meanwhile cannot
    fill the disk.

    Raises ``Changed`` when the file is no longer the one that was found stable: another
    size or mtime before or after the copy, or no longer a regular file.
    """
    try:
        fd = _open_regular(file.path)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOENT):  # now a link, or gone
            raise Changed from exc
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise Unreadable from exc
        raise
    digest = hashlib.sha256()
    try:
        before = os.fstat(fd)
        if (before.st_size, before.st_mtime) != (file.size, file.mtime):
            raise Changed
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
        out = None if target is None else os.open(target, flags, 0o600)
        copied = 0
        try:
            while chunk := os.read(fd, 1 << 20):
                copied += len(chunk)
                if copied > file.size:
                    raise Changed
                digest.update(chunk)
                if out is not None:
                    os.write(out, chunk)
        finally:
            if out is not None:
                os.close(out)
        after = os.fstat(fd)
        if (after.st_size, after.st_mtime) != (before.st_size, before.st_mtime):
            raise Changed
    finally:
        os.close(fd)
    return digest.hexdigest()


def sha256(path: Path) -> str:
    """The content hash of a regular file; a link or pipe is never opened."""
    digest = hashlib.sha256()
    fd = _open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def same_file(path: Path, digest: str) -> bool:
    """Whether ``path`` is still a regular file with exactly the content that was read."""
    try:
        return sha256(path) == digest
    except (OSError, Changed):
        return False
