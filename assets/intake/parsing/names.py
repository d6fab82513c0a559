"""Delivered file names made safe to show, store and use as file names.

A name in the inbox may be any bytes the file system allows: not UTF-8, with control
characters, 255 bytes long in a folder 255 bytes deep, or holding a CPR number. The
warehouse, receipts, messages and logs only ever see ``shown``; the file names forebyg
writes (``afvist/``, ``kvitteringer/``) come from ``assets.files.names.stored``.
"""

from __future__ import annotations

from assets.danish import neutral
from assets.files.names import suffix


def _readable(name: str) -> str:
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return neutral(text)


def cpr_like(name: str) -> bool:
    """Whether the name or a folder in it looks like a CPR number (scanned like a cell)."""
    from assets.intake.reading.cpr import (
        looks_like_cpr,  # lazily: a run with nothing new shows names
    )

    return looks_like_cpr(_readable(name))


def shown(name: str, nr: int) -> str:
    """The name as people may read it; a CPR-like name becomes a neutral one."""
    from assets.intake.reading.cpr import looks_like_cpr

    text = _readable(name)
    return f"fil-{nr:05d}{suffix(text)}" if looks_like_cpr(text) else text
