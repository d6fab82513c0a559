"""Danish wording shared by the reports, receipts and the command line."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

# C0, DEL, C1, the Unicode line and paragraph separators, bidi marks, overrides and
# isolates, and the byte-order mark: never shown as they are (docs/valg.md, "Tekst fra filer")
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    c = match[0]
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def neutral(text: str) -> str:
    """Text from outside (a cell, a file name, an argument) as it may be shown or written:
    every control character, line break and bidi mark as a visible escape ('\\x1b', '\\n',
    '\\u202e'), so no input colours a terminal, starts a line of its own or turns text."""
    return UNSAFE.sub(_escape, text)


def neutral_lines(text: str) -> str:
    """A text of several lines the program composed: each line made neutral, the program's
    own line breaks kept (a backstop where receipts, logs and pages are written)."""
    return "\n".join(neutral(line) for line in text.split("\n"))


def _swap(text: str) -> str:
    """English separators to Danish: '1,234.5' → '1.234,5'."""
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def number(n: float) -> str:
    """1234567 → '1.234.567' (rounded to a whole number)."""
    return _swap(f"{n:,.0f}")


def kr(amount: object) -> str:
    """Kroner with øre: Decimal('-1234567.8') → '-1.234.567,80'; nothing → '–'."""
    if amount is None or amount != amount:
        return "–"
    return _swap(f"{Decimal(str(amount)).quantize(Decimal('0.01'), ROUND_HALF_UP):,}")


def count(n: int, one: str, many: str) -> str:
    """count(1, 'fil', 'filer') → '1 fil'; count(2, …) → '2 filer'."""
    return f"{number(n)} {one if n == 1 else many}"


def mio(amount: object) -> str:
    """Kroner → Danish mio. kr. with one decimal: 12345678 → '12,3'; nothing → '–'."""
    if amount is None or amount != amount:  # None or NaN/NA
        return "–"
    try:
        text = f"{Decimal(str(amount)) / 1_000_000:,.1f}"
    except (ArithmeticError, ValueError, TypeError):
        return "–"
    return _swap(text)


def percent(share: object) -> str:
    """A share as whole per cent, halves up (as the status is decided, and as Excel shows
    it): 0.745 → '75 %'."""
    if share is None or share != share:
        return "–"
    whole = (Decimal(str(share)) * 100).quantize(Decimal(1), ROUND_HALF_UP)
    return f"{whole} %"


def yes_no(value: object) -> str:
    return "Ja" if value else "Nej"


def date(day: dt.date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "–"


def since(day: dt.date, today: dt.date) -> str:
    """How long ago ``day`` was, in words: 'i dag', 'i går', '12 dage siden', 'om 3 dage'."""
    days = (today - day).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i går"
    if days == -1:
        return "i morgen"
    return f"{days} dage siden" if days > 0 else f"om {-days} dage"


def level_text(level: str) -> str:
    """The marts' price level ('2026' or 'løbende priser') as a phrase: '2026-priser'."""
    return "løbende priser" if level == "løbende priser" else f"{level}-priser"
