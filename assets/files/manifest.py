"""Which inbox file each of a run's private copies came from, written by intake for
publishing, which takes the originals out of the inbox."""

from __future__ import annotations

import json
from pathlib import Path

MANIFEST = "manifest.json"

Copies = dict[int, tuple[tuple[int, int], str | None]]


def write_manifest(folder: Path, copies: Copies) -> None:
    """Which inbox file each private copy came from, for ``publicering``: the file's
    (device, inode), never its name (a name may hold a CPR number, and the manifest stays
    behind when a run is killed). No copy: the file was refused by its size, never copied."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(
        json.dumps({nr: {"inode": list(i), "kopi": c} for nr, (i, c) in copies.items()}),
        encoding="ascii",
    )


def read_manifest(folder: Path) -> Copies:
    path = folder / MANIFEST
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="ascii"))
    return {int(nr): (tuple(v["inode"]), v["kopi"]) for nr, v in raw.items()}
