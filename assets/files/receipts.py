"""Receipts in ``kvitteringer/``: one per delivered file (its text is publishing's), and
one for something in the inbox that is never read."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import stat
from pathlib import Path

from assets.danish import neutral, neutral_lines
from assets.files.inbox import NOT_REGULAR
from assets.files.names import stored
from runtime.resources import write_text

SKIP_REASONS = {
    **NOT_REGULAR,
    "adgang": "forebyg har ikke adgang til at læse filen. Giv driftens gruppe læseadgang, "
    "eller læg filen i indbakken igen.",
}


def write_receipt(folder: Path, received: dt.datetime, nr: int, name: str, text: str) -> Path:
    """Delivery ``nr``'s receipt, named by its time, number and stored name, so receipts
    sort in delivery order and a rebuild's receipt of the same delivery replaces it."""
    target = folder / f"{received:%Y-%m-%d_%H%M%S}_{nr:05d}_{stored(name)}.txt"
    write_text(target, neutral_lines(text))
    return target


def _starts_with(path: Path, head: bytes) -> bool:
    """Whether ``path`` is a regular file that begins with ``head``; a link or a pipe is
    never opened (OSError)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        return stat.S_ISREG(os.fstat(fd).st_mode) and fh.read(len(head)) == head


def note_skipped(folder: Path, name: str, reason: str) -> Path:
    """A receipt for something in the inbox that is never read; it stays where it is."""
    folder.mkdir(mode=0o770, parents=True, exist_ok=True)
    head = f"Kvittering for aflevering til forebyg\n\nFil:        {neutral(name)}\n"
    flat = stored(name)
    for n in itertools.count(1):
        target = folder / (f"ikke-laest_{flat}.txt" if n == 1 else f"ikke-laest_{n}_{flat}.txt")
        try:  # its own receipt of an earlier run is renewed; another file's is kept
            if not _starts_with(target, head.encode()):
                continue
        except FileNotFoundError:
            pass
        except OSError:  # a link, a folder: not a receipt forebyg wrote
            continue
        write_text(
            target,
            head + "Status:     IKKE LÆST – filen bliver i indbakken og indlæses ikke.\n\n"
            f"{SKIP_REASONS.get(reason, reason)}\n",
        )
        return target
    raise AssertionError("itertools.count never ends")
