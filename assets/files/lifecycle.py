"""The end of a run's files, around publishing's swap of the warehouse: before it, each
private copy is kept (accepted in ``arkiv/``, rejected in ``afvist/`` with its reasons);
after it, each file gets its receipt and its original leaves the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from assets.files.archive import archive, reject
from assets.files.inbox import candidates, same_file
from assets.files.manifest import Copies
from assets.files.receipts import write_receipt
from runtime.resources import Home


class Delivered(Protocol):
    """What the lifecycle needs of a delivery of the run (publishing's ``Delivery``)."""

    nr: int
    name: str
    sha256: str
    received: dt.datetime
    status: str


def keep_copies(
    home: Home, run: Sequence[Delivered], copies: Copies, receipts: Mapping[int, str], stamp: str
) -> None:
    """Before publishing: each private copy into ``arkiv/`` (accepted, also when already
    replaced) or ``afvist/`` beside its receipt's reasons."""
    home.check()  # the folders are still the home's own before anything is moved
    for d in run:
        if d.nr not in copies or copies[d.nr][1] is None:
            continue  # refused by its size: moved to afvist/ later, never copied
        copy = home.files / copies[d.nr][1]
        if d.status in ("accepteret", "erstattet"):
            archive(home.arkiv, copy, d.sha256, d.name, d.received, d.nr)
        elif d.status == "afvist":
            reject(home.afvist, copy, d.name, receipts[d.nr], stamp)


def clear_inbox(
    home: Home, run: Sequence[Delivered], copies: Copies, receipts: Mapping[int, str], stamp: str
) -> None:
    """After publishing: each file's receipt, and its original out of the inbox (a file
    refused by its size is moved to ``afvist/``)."""
    home.check()
    originals = {f.inode: f.path for f in candidates(home.indbakke)}
    for d in run:
        write_receipt(home.kvitteringer, d.received, d.nr, d.name, receipts[d.nr])
        if d.nr not in copies:
            continue
        inode, copy = copies[d.nr]
        original = originals.get(inode)
        # a file changed since it was copied stays in the inbox for the next run
        if original is None or not same_file(original, d.sha256):
            continue
        if copy is None:
            reject(home.afvist, original, d.name, receipts[d.nr], stamp, move=True)
        else:
            original.unlink()
