"""Which files in the inbox are ready to be read, and their content hashes.

Shared by the intake asset and the sensor, so both agree on what "ready" means: not an
Excel owner file (``~$``), not hidden, a known suffix, and no longer being written.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

SETTLE_SECONDS = 2.0


@dataclass(frozen=True)
class InboxFile:
    path: Path
    name: str  # relative to the inbox, with '/' between subfolders
    size: int
    mtime: float


def candidates(inbox: Path) -> list[InboxFile]:
    """Every file a person could have meant to deliver, oldest first."""
    out = []
    for path in inbox.rglob("*") if inbox.exists() else []:
        rel = path.relative_to(inbox)
        if not path.is_file() or any(p.startswith((".", "~$")) for p in rel.parts):
            continue
        st = path.stat()
        out.append(InboxFile(path, rel.as_posix(), st.st_size, st.st_mtime))
    return sorted(out, key=lambda f: (f.mtime, f.name))


def stable(inbox: Path, settle_seconds: float = SETTLE_SECONDS) -> list[InboxFile]:
    """Candidates whose size and mtime stay unchanged for ``settle_seconds``.

    Files last written longer ago than that are taken at once; younger ones are looked
    at again after the remaining wait, and left for the next run if they changed.
    """
    files = candidates(inbox)
    young = [f for f in files if time.time() - f.mtime < settle_seconds]
    if not young:
        return files
    time.sleep(max(0.0, settle_seconds - (time.time() - max(f.mtime for f in young))))
    again = {f.name: (f.size, f.mtime) for f in candidates(inbox)}
    return [f for f in files if again.get(f.name) == (f.size, f.mtime)]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
