"""``arkiv/`` keeps every accepted file by content hash; ``afvist/`` every rejected one.

Each archived file has a small JSON beside it with its delivered name and time, so the
whole warehouse can be rebuilt from ``arkiv/`` alone, in delivery order. What is kept is
the run's private copy of the file: the very bytes that were hashed and read.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from assets.danish import neutral, neutral_lines
from assets.intake.inbox import NOT_REGULAR
from assets.intake.names import stored

SKIP_REASONS = {
    **NOT_REGULAR,
    "adgang": "forebyg har ikke adgang til at læse filen. Giv driftens gruppe læseadgang, "
    "eller læg filen i indbakken igen.",
}


@dataclass(frozen=True)
class Archived:
    path: Path
    name: str
    received: dt.datetime


def archive(folder: Path, source: Path, digest: str, name: str, received: dt.datetime) -> Path:
    """Copy ``source`` into ``folder`` as ``<sha256><suffix>``; an existing copy is kept."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    target = folder / f"{digest}{source.suffix.lower()}"
    meta = target.with_name(f"{digest}.json")
    if not target.exists():
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    if not meta.exists():
        meta.write_text(
            json.dumps({"filnavn": name, "modtaget": received.isoformat()}, ensure_ascii=False),
            encoding="utf-8",
        )
    return target


def archived(folder: Path) -> list[Archived]:
    """The archive in delivery order."""
    out = []
    for meta in folder.glob("*.json"):
        info = json.loads(meta.read_text(encoding="utf-8"))
        data = next((p for p in folder.glob(f"{meta.stem}.*") if p.suffix != ".json"), None)
        if data is not None:
            out.append(Archived(data, info["filnavn"], dt.datetime.fromisoformat(info["modtaget"])))
    return sorted(out, key=lambda a: (a.received, a.name))


def reject(folder: Path, source: Path, name: str, reasons: str, stamp: str) -> Path:
    """Copy a rejected file to ``afvist/`` with ``<name>.fejl.txt`` beside it; the name
    is the shown one, flattened and shortened (``names.stored``)."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    flat = stored(name)
    target = folder / flat
    if target.exists():
        target = folder / f"{stamp}_{flat}"
    shutil.copyfile(source, target)
    target.with_name(target.name + ".fejl.txt").write_text(
        neutral_lines(reasons) + "\n", encoding="utf-8"
    )
    return target


def note_skipped(folder: Path, name: str, reason: str) -> Path:
    """A receipt for something in the inbox that is never read; it stays where it is."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    target = folder / f"ikke-laest_{stored(name)}.txt"
    target.write_text(
        "Kvittering for aflevering til forebyg\n\n"
        f"Fil:        {neutral(name)}\n"
        "Status:     IKKE LÆST – filen bliver i indbakken og indlæses ikke.\n\n"
        f"{SKIP_REASONS.get(reason, reason)}\n",
        encoding="utf-8",
    )
    return target
