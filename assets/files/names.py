"""The file names forebyg writes for a delivered file (``afvist/``, ``kvitteringer/``),
made from the name shown to people (``assets.intake.parsing.names.shown``)."""

from __future__ import annotations

import re

MAX_STORED_BYTES = 150  # leaves room for a prefix and '.fejl.txt' within 255 bytes
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,5}$")


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
