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
import itertools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assets.danish import neutral_lines
from assets.files.inbox import sha256
from assets.files.names import stored
from runtime.resources import copy_new, create_new, write_text

SHA256 = re.compile(r"[0-9a-f]{64}")
DAMAGED = "arkivfejl"  # a step's metadata: the archived files a run left out, one line each


@dataclass(frozen=True)
class Archived:
    path: Path
    name: str
    received: dt.datetime
    nr: int | None = None  # None in an archive written before the number was kept
    digest: str = ""


def archive(
    folder: Path,
    source: Path,
    digest: str,
    name: str,
    received: dt.datetime,
    nr: int | None = None,
) -> Path:
    """Copy ``source`` into ``folder`` as ``<sha256><suffix>`` (an existing copy is kept)
    and record this delivery (name, time, delivery number) and the suffix in
    ``<sha256>.json``: the index a rebuild reads (``archived``)."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    target = folder / f"{digest}{source.suffix.lower()}"
    meta = target.with_name(f"{digest}.json")
    if not target.exists():
        tmp = target.with_name(target.name + ".tmp")
        tmp.unlink(missing_ok=True)  # a stale one, or a link planted in its place
        copy_new(source, tmp)
        tmp.replace(target)
    try:
        info = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}
        if not isinstance(info, dict):
            raise TypeError
        deliveries = _deliveries(info)
    except (ValueError, TypeError):  # a damaged sidecar: written anew
        info, deliveries = {}, []
    entry = {"filnavn": name, "modtaget": received.isoformat(), "leverance_nr": nr}
    if entry not in deliveries or info.get("endelse") != target.suffix:
        info = {
            "filnavn": info.get("filnavn", name),
            "modtaget": info.get("modtaget", received.isoformat()),
            "endelse": target.suffix,
            "leverancer": deliveries if entry in deliveries else [*deliveries, entry],
        }
        tmp = meta.with_name(f".{meta.name}.tmp")  # never matched as the data file
        write_text(tmp, json.dumps(info, ensure_ascii=False))
        tmp.replace(meta)
    return target


def _deliveries(info: dict) -> list[dict]:
    """Every delivery a sidecar records (one written before re-deliveries were kept has
    its first only)."""
    if "leverancer" in info:
        return list(info["leverancer"])
    if "filnavn" in info:
        keys = ("filnavn", "modtaget", "leverance_nr")
        return [{k: info.get(k) for k in keys}]
    return []


class Damaged(Exception):
    """One archived file that cannot be rebuilt; the message is Danish and says what to do."""


@dataclass(frozen=True)
class Index:
    """What a rebuild reads: every delivery of the intact archive, in delivery order, and a
    Danish line for each archived file left out."""

    deliveries: list[Archived]
    damaged: list[str]


def archived(folder: Path, suffixes: set[str]) -> Index:
    """Every delivery the archive's sidecars name, in delivery order (a file delivered twice
    twice). Only ``<sha256>.json`` sidecars and the data file each names, with one of the
    readers' ``suffixes``, are read (never a stray ``.tmp`` or dotfile), and the data file's
    bytes must have its sha256: a damaged sidecar or data file is that file's problem,
    reported and left out."""
    out, damaged = [], []
    for meta in sorted(folder.glob("*.json")):
        if not SHA256.fullmatch(meta.stem):
            continue  # not a sidecar of the archive
        try:
            out += _entries(meta, suffixes)
        except Damaged as exc:
            damaged.append(str(exc))
    out.sort(key=lambda a: (a[0].received, a[1], a[0].name))
    return Index([a for a, _ in out], damaged)


def _entries(meta: Path, suffixes: set[str]) -> list[tuple[Archived, int]]:
    shown = f"arkiv/{meta.name}"
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
        if not isinstance(info, dict):
            raise TypeError
        entries = [
            (d["filnavn"], dt.datetime.fromisoformat(d["modtaget"]), d.get("leverance_nr"))
            for d in _deliveries(info)
        ]
        if not entries or not all(isinstance(n, str) and (nr is None or isinstance(nr, int))
                                  for n, _, nr in entries):  # fmt: skip
            raise TypeError
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        raise Damaged(
            f"Arkivfeltet {shown} er beskadiget og kan ikke læses; filen, det beskriver, er "
            "udeladt af genopbygningen. Hent arkiv/-mappen fra backup, og kør 'forebyg "
            "rebuild' igen."
        ) from None
    data = _data_file(meta, info, suffixes)
    if data is None:
        raise Damaged(
            f"Arkivfeltet {shown} nævner en fil, der ikke findes i arkiv/; den er udeladt af "
            "genopbygningen. Hent filen fra backup, og kør 'forebyg rebuild' igen."
        )
    try:
        intact = sha256(data) == meta.stem
    except OSError:
        intact = False
    if not intact:
        raise Damaged(
            f"Den arkiverede fil arkiv/{data.name} er beskadiget (indholdet passer ikke til "
            "filens sha256) og er udeladt af genopbygningen. Hent filen fra backup, og kør "
            "'forebyg rebuild' igen."
        )
    return [(Archived(data, name, received, nr, meta.stem), nr or 0)
            for name, received, nr in entries]  # fmt: skip


def _data_file(meta: Path, info: dict, suffixes: set[str]) -> Path | None:
    """The data file a sidecar names: ``<sha256><endelse>``; a sidecar written before the
    suffix was recorded names the one file ``<sha256>.<ext>`` with a readable ext."""
    if isinstance(suffix := info.get("endelse"), str) and suffix in suffixes:
        path = meta.with_name(meta.stem + suffix)
        return path if path.is_file() else None
    found = [p for s in sorted(suffixes) if (p := meta.with_name(meta.stem + s)).is_file()]
    return found[0] if len(found) == 1 else None


def free_names(flat: str, stamp: str) -> Iterator[str]:
    """``flat``, then ``<stamp>_<flat>``, then ``<stamp>_2_<flat>`` …: names that differ when
    flattened names collide (a/b_c.csv, a_b/c.csv and a_b_c.csv are all 'a_b_c.csv')."""
    yield flat
    yield f"{stamp}_{flat}"
    for n in itertools.count(2):
        yield f"{stamp}_{n}_{flat}"


def reject(
    folder: Path, source: Path, name: str, reasons: str, stamp: str, move: bool = False
) -> Path:
    """Copy (``move``: move) a rejected file to ``afvist/`` with ``<name>.fejl.txt`` beside
    it; the name is the shown one, flattened and shortened (``names.stored``), and never one
    already taken: each name is claimed by creating it (O_EXCL), so nothing is overwritten.
    A file refused by its size is moved, never copied (the disk may have no room for it)."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    for candidate in free_names(stored(name), stamp):
        target = folder / candidate
        try:
            if move:
                os.close(create_new(target))
                try:
                    source.replace(target)  # over the empty file that claimed the name
                except OSError:
                    target.unlink()
                    raise
            else:
                copy_new(source, target)
        except FileExistsError:
            continue
        write_text(target.with_name(target.name + ".fejl.txt"), neutral_lines(reasons) + "\n")
        return target
    raise AssertionError("free_names never ends")
