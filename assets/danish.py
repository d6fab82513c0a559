"""Danish wording shared by the reports, receipts and the command line."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


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


def decimal(value: float) -> str:
    """A number with up to two decimals, no trailing zeros: 1234.5 → '1.234,5'."""
    return _swap(f"{value:,.2f}".rstrip("0").rstrip("."))


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
