"""``arkiv/`` keeps every accepted file by content hash; ``afvist/`` every rejected one.

Each archived file has a small JSON beside it with its delivered name, time and delivery
number, so the whole warehouse can be rebuilt from ``arkiv/`` alone, in delivery order and
with the numbers its receipts name. The bytes are kept once per sha256; a file delivered
again (after another file replaced it) adds its delivery to the JSON's ``leverancer``, and a
rebuild replays every delivery in order. What is kept is the run's private copy of the
file: the very bytes that were hashed and read.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

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
    nr: int | None = None  # None in an archive written before the number was kept


def archive(
    folder: Path,
    source: Path,
    digest: str,
    name: str,
    received: dt.datetime,
    nr: int | None = None,
) -> Path:
    """Copy ``source`` into ``folder`` as ``<sha256><suffix>`` (an existing copy is kept)
    and record this delivery (name, time, delivery number) in ``<sha256>.json``."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    target = folder / f"{digest}{source.suffix.lower()}"
    meta = target.with_name(f"{digest}.json")
    if not target.exists():
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    info = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
    entry = {"filnavn": name, "modtaget": received.isoformat(), "leverance_nr": nr}
    if entry not in _deliveries(info):
        info = {
            "filnavn": info.get("filnavn", name),
            "modtaget": info.get("modtaget", received.isoformat()),
            "leverancer": [*_deliveries(info), entry],
        }
        tmp = meta.with_name(f".{meta.name}.tmp")  # never matched as the data file
        tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        tmp.replace(meta)
    return target


def _deliveries(info: dict) -> list[dict]:
    """Every delivery a sidecar records (one written before re-deliveries were kept has
    its first only)."""
    if "leverancer" in info:
        return info["leverancer"]
    if "filnavn" in info:
        keys = ("filnavn", "modtaget", "leverance_nr")
        return [{k: info.get(k) for k in keys}]
    return []


def archived(folder: Path) -> list[Archived]:
    """Every delivery of the archive, in delivery order (a file delivered twice twice)."""
    out = []
    for meta in folder.glob("*.json"):
        info = json.loads(meta.read_text(encoding="utf-8"))
        data = next((p for p in folder.glob(f"{meta.stem}.*") if p.suffix != ".json"), None)
        if data is not None:
            out += [
                (Archived(data, d["filnavn"], dt.datetime.fromisoformat(d["modtaget"]),
                          d.get("leverance_nr")),
                 d.get("leverance_nr") or 0)
                for d in _deliveries(info)
            ]  # fmt: skip
    out.sort(key=lambda a: (a[0].received, a[1], a[0].name))
    return [a for a, _ in out]


def reject(folder: Path, source: Path, name: str, reasons: str, stamp: str) -> Path:
    """Copy a rejected file to ``afvist/`` with ``<name>.fejl.txt`` beside it; the name
    is the shown one, flattened and shortened (``names.stored``)."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    flat = stored(name)
    target = folder / flat
    if target.exists():
        target = folder / f"{stamp}_{flat}"
    shutil.copyfile(source, target)
    target.with_name(target.name + ".fejl.txt").write_text(reasons + "\n", encoding="utf-8")
    return target


def note_skipped(folder: Path, name: str, reason: str) -> Path:
    """A receipt for something in the inbox that is never read; it stays where it is."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    target = folder / f"ikke-laest_{stored(name)}.txt"
    target.write_text(
        "Kvittering for aflevering til forebyg\n\n"
        f"Fil:        {name}\n"
        "Status:     IKKE LÆST – filen bliver i indbakken og indlæses ikke.\n\n"
        f"{SKIP_REASONS.get(reason, reason)}\n",
        encoding="utf-8",
    )
    return target
