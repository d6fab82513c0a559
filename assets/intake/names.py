"""Delivered file names made safe to show, store and use as file names.

A name in the inbox may be any bytes the file system allows: not UTF-8, with control
characters, 255 bytes long in a folder 255 bytes deep, or holding a CPR number. The
warehouse, receipts, messages and logs only ever see ``shown``; the file names forebyg
writes (``afvist/``, ``kvitteringer/``) come from ``stored``.
"""

from __future__ import annotations

import re

from assets.danish import neutral

MAX_STORED_BYTES = 150  # leaves room for a prefix and '.fejl.txt' within 255 bytes
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def _readable(name: str) -> str:
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return neutral(text)


def cpr_like(name: str) -> bool:
    """Whether the name or a folder in it looks like a CPR number (scanned like a cell)."""
    from assets.intake.cpr import looks_like_cpr  # lazily: a run with nothing new shows names

    return looks_like_cpr(_readable(name))


def shown(name: str, nr: int) -> str:
    """The name as people may read it; a CPR-like name becomes a neutral one."""
    from assets.intake.cpr import looks_like_cpr

    text = _readable(name)
    return f"fil-{nr:05d}{suffix(text)}" if looks_like_cpr(text) else text


def suffix(name: str) -> str:
    m = _SUFFIX.search(name)
    return m[0].lower() if m else ""


def stored(name: str) -> str:
    """A flat file name of at most MAX_STORED_BYTES bytes of UTF-8, keeping the suffix."""
    flat = name.replace("/", "_")
    if len(flat.encode()) <= MAX_STORED_BYTES:
        return flat
    end = suffix(flat)
    stem = flat[: len(flat) - len(end)].encode()[: MAX_STORED_BYTES - len(end) - 1]
    return f"{stem.decode('utf-8', 'ignore')}_{end}"
