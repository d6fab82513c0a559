"""Cell parsers for each field type, vectorised over a column of raw cell values.

Every parser takes the raw cells (str, int, float, date, None …) and returns the parsed
column and a mask of cells that were filled in but could not be read. Empty cells are
not bad here: whether a value is required is the pandera model's business.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assets.danish import neutral
from schemas.kinds import fold

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "marts": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip

Parsed = tuple[pd.Series, pd.Series]
_BREAKS = re.compile("\r\n|[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def _empty(raw: pd.Series) -> pd.Series:
    return raw.isna() | raw.map(lambda v: isinstance(v, str) and not v.strip())


def _text(raw: pd.Series) -> pd.Series:
    """Cells as stripped text; whole floats lose their '.0' (Excel stores 7100 as 7100.0).

    A line break or tab inside a cell becomes a space (a label or comment on two lines is
    the same text on one), and any other control character or bidi mark a visible escape
    (``danish.neutral``): the warehouse never holds text that could forge a line or colour
    a terminal in a receipt, a summary or a report."""

    def one(v: object) -> str | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        text = neutral(_BREAKS.sub(" ", str(v).replace("\u00a0", " "))).strip()
        return text or None

    return raw.map(one).astype(object)


def _number_text(text: pd.Series) -> pd.Series:
    """Danish or plain number text → float; NaN where it is not a number."""
    t = text.str.replace(r"\s|kr\.?|DKK", "", regex=True, case=False)
    t = t.str.replace("\u2212", "-", regex=False)
    neg = t.str.match(r"^\(.*\)$") | t.str.endswith("-")
    t = t.str.strip("()").str.rstrip("-")
    danish = t.str.contains(",", regex=False)
    thousands_only = ~danish & t.str.match(r"^[-+]?\d{1,3}(\.\d{3})+$")
    t = t.where(~(danish | thousands_only), t.str.replace(".", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    # unambiguous (no backtracking on a long run of digits) and never over 100 characters
    ok = t.str.match(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$") & (t.str.len() <= 100)
    ok = ok.fillna(False).astype(bool) & t.notna()
    out = pd.to_numeric(t.where(ok), errors="coerce")
    return out.where(~neg, -out)


# '-1234,56', '1619,70', '42': a number as a csv export writes it, read in Arrow (RE2 and a
# cast) instead of by the general text path, one Python call per cell. At most 15 digits:
# up to there the cast and pandas' reading of the same text give the same float, bit for
# bit. Beyond it pandas' reading is not correctly rounded, and it even depends on the
# column (an integer text is read exactly among integers, not among decimals), so a
# column holding any text of more than 15 digits is read by the general path alone, as
# it always was.
_PLAIN_NUMBER = r"^-?[0-9]+(,[0-9]+)?$"
_PLAIN_MAX_DIGITS = 15


def _plain_numbers(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column of text: which cells are plain number text, and their values (NaN
    elsewhere), computed in C++ over the whole column; none when a cell has more digits
    than the cap."""
    cells = pa.array(raw.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
    # digits are counted only in cells of more bytes than the cap (a regex count over every
    # cell cost 0.6 s on a million-row ledger); a shorter cell cannot hold more digits
    longer = pc.filter(cells, pc.greater(pc.binary_length(cells), _PLAIN_MAX_DIGITS))
    most = pc.max(pc.count_substring_regex(longer, "[0-9]")).as_py() if len(longer) else 0
    if most > _PLAIN_MAX_DIGITS:
        plain = pa.array(np.zeros(len(cells), dtype=bool))  # a long number text: as before
    else:
        plain = pc.fill_null(pc.match_substring_regex(cells, _PLAIN_NUMBER), False)
    text = pc.if_else(plain, pc.replace_substring(cells, ",", "."), None)
    return plain.to_numpy(zero_copy_only=False), pc.cast(text, pa.float64()).to_numpy(
        zero_copy_only=False
    )


def number(raw: pd.Series, factor: float = 1.0) -> Parsed:
    kind = pd.api.types.infer_dtype(raw, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "empty"):
        values = pd.to_numeric(raw, errors="coerce").astype("float64") * factor
        return values, pd.Series(False, index=raw.index)  # a column of numbers: the fast way
    values = np.full(len(raw), np.nan)
    bad = np.zeros(len(raw), dtype=bool)
    rest = np.arange(len(raw))  # positions not read yet
    if kind == "string":  # text only (a csv's cells): the plain ones in one pass
        plain, parsed = _plain_numbers(raw)
        values[plain] = parsed[plain]
        rest = np.flatnonzero(~plain)
    cells = raw.iloc[rest]
    numeric = cells.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    numeric = numeric.to_numpy(dtype=bool)
    values[rest[numeric]] = cells[numeric].astype("float64")
    texts = ~numeric & ~_empty(cells).to_numpy(dtype=bool)
    if texts.any():
        read = _number_text(_text(cells[texts]).astype("string")).astype("float64").to_numpy()
        values[rest[texts]] = read
        bad[rest[texts]] = np.isnan(read)
    return pd.Series(values * factor, index=raw.index), pd.Series(bad, index=raw.index)


# a number as text that reads more than one way: one decimal or three after a comma
# ('1.234,5', '1,234'), or points alone ('1.234': a thousand or one point something)
_AMBIGUOUS = re.compile(r",\d(?!\d)|,\d{3,}|^[-+(]?\d{1,3}(\.\d{3})+\)?-?$")


def guessed(cell: object) -> bool:
    """Whether a cell is an amount written as text that the reader had to guess at."""
    if not isinstance(cell, str):
        return False
    text = re.sub(r"\s|kr\.?|DKK", "", cell, flags=re.I)
    return bool(_AMBIGUOUS.search(text))


MAX_AMOUNT = 1e15  # kr.; the warehouse's DECIMAL(18, 2) ends just below 1e16


def amount(raw: pd.Series, factor: float = 1.0) -> Parsed:
    """Kroner, rounded to øre after the header's unit (1.000 kr. → × 1000) is applied;
    an amount of a billiard kroner or more (or infinite) is no amount."""
    values, bad = number(raw, factor)
    huge = ~(values.abs() < MAX_AMOUNT) & values.notna()
    return values.where(~huge).round(2), bad | huge


def integer(raw: pd.Series, factor: float = 1.0) -> Parsed:
    values, bad = number(raw)
    whole = values.isna() | (values == values.round())
    return values.where(whole).astype("Int64"), bad | ~whole


def year(raw: pd.Series, factor: float = 1.0) -> Parsed:
    text = _text(raw).astype("string")
    digits = text.str.extract(r"^(\d{4})(?:[KQM]\d{1,2})?$", expand=False)  # 2024, FOLK1A 2024K1
    values = pd.to_numeric(digits, errors="coerce").astype("Int64")
    return values, text.notna() & values.isna()


def month(raw: pd.Series, factor: float = 1.0) -> Parsed:
    text = _text(raw).astype("string").str.lower().str.strip(". ")
    named = text.map(lambda t: MONTHS.get(t) if isinstance(t, str) else None)
    values = pd.to_numeric(text.where(named.isna()), errors="coerce").fillna(named)
    values = values.where(values.isin(range(1, 13))).astype("Int64")
    return values, text.notna() & values.isna()


def quarter(raw: pd.Series, factor: float = 1.0) -> Parsed:
    text = _text(raw).astype("string").str.upper()
    digits = text.str.extract(r"^(?:K|Q)?\s*([1-4])(?:\.?\s*KVARTAL)?$", expand=False)
    values = pd.to_numeric(digits, errors="coerce").astype("Int64")
    return values, text.notna() & values.isna()


_PERIOD_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple]]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?$"),
     lambda m: (m[1], m[2], None, m[3])),
    (re.compile(r"^(\d{4})(\d{2})$"), lambda m: (m[1], m[2], None)),
    (re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$"), lambda m: (m[3], m[2], None, m[1])),
    (re.compile(r"^(\d{1,2})[-./](\d{4})$"), lambda m: (m[2], m[1], None)),
    (re.compile(r"^(\d{4})\s*[-/ ]?\s*[KQ]([1-4])$", re.I), lambda m: (m[1], None, m[2])),
    (re.compile(r"^([a-zæøå]+)\.?\s+(\d{4})$", re.I),
     lambda m: (m[2], MONTHS.get(m[1].lower()), None)),
]  # fmt: skip


def _one_period(v: object) -> tuple[int | None, int | None, int | None] | None:
    if isinstance(v, (dt.date, dt.datetime, pd.Timestamp)):
        return v.year, v.month, None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 190001 <= v <= 210012 and float(v).is_integer():  # 202403
            return int(v) // 100, int(v) % 100, None
        if 1 <= v < 80000:  # an Excel date serial (days since 1899-12-30)
            d = dt.date(1899, 12, 30) + dt.timedelta(days=int(v))
            return d.year, d.month, None
        return None
    text = str(v).strip()
    for pattern, pick in _PERIOD_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, q, *day = pick(m)
            if day and day[0] and not _real_day(int(y), int(mo), int(day[0])):
                return None  # 31-02-2024 is no date
            return int(y), (int(mo) if mo else None), (int(q) if q else None)
    return None


def _real_day(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


DST_TIME = re.compile(r"^(\d{4})(?:M(\d{2}))?$")  # Danmarks Statistik's TID: 2023, 2024M03


def _dst_period(v: object) -> tuple[int | None, int | None, int | None] | None:
    m = DST_TIME.match(str(v).strip()) if isinstance(v, str) else None
    if m:
        return int(m[1]), (int(m[2]) if m[2] else None), None
    return _one_period(v)


def period(raw: pd.Series, dst: bool = False) -> tuple[dict[str, pd.Series], pd.Series]:
    """Dates, Excel serials, 2024-03, 202403, 31-03-2024, marts 2024, 2024K1 → year, month;
    ``dst`` also takes Danmarks Statistik's TID as a year (2023) or month (2024M03)."""
    one = _dst_period if dst else _one_period
    parsed = raw.where(~_empty(raw)).map(lambda v: None if pd.isna(v) else one(v))
    bad = raw.notna() & ~_empty(raw) & parsed.isna()
    valid = parsed.map(
        lambda p: p is not None and (p[1] is None or 1 <= p[1] <= 12) and 1900 <= p[0] <= 2100
    )
    bad |= parsed.notna() & ~valid
    parsed = parsed.where(valid)

    def part(i: int) -> pd.Series:
        return parsed.map(lambda p: None if not isinstance(p, tuple) else p[i]).astype("Int64")

    return {"aar": part(0), "maaned": part(1), "kvartal": part(2)}, bad


def function(raw: pd.Series, factor: float = 1.0) -> Parsed:
    """5.38.50, 53850 or 53850.0 → '5.38.50'."""
    text = _text(raw).astype("string").str.replace(" ", "", regex=False)
    dotted = text.str.extract(r"^(\d)\.(\d{2})\.(\d{2})$")
    plain = text.str.extract(r"^(\d)(\d{2})(\d{2})$")
    parts = dotted.fillna(plain)
    values = (parts[0] + "." + parts[1] + "." + parts[2]).astype(object)
    values = values.where(parts[0].notna(), None)
    return values, text.notna() & parts[0].isna()


def functions(raw: pd.Series, factor: float = 1.0) -> Parsed:
    """A list such as '5.38.50, 5.38.52' → the same, normalised; bad if any item is bad."""
    text = _text(raw).astype("string").str.replace(r"\s+", " ", regex=True)
    items = text.str.split(r"[,;/]| og ", regex=True).explode().str.strip()
    parsed, bad_items = function(items[items.notna() & (items != "")])
    joined = parsed.groupby(level=0).agg(lambda s: ", ".join(sorted(set(s.dropna()))))
    bad = bad_items.groupby(level=0).any().reindex(raw.index, fill_value=False)
    values = joined.reindex(raw.index).astype(object)
    return values.where(values.notna() & (values != ""), None), bad


def code(raw: pd.Series, factor: float = 1.0) -> Parsed:
    return _text(raw), pd.Series(False, index=raw.index)


def text(raw: pd.Series, factor: float = 1.0) -> Parsed:
    return _text(raw), pd.Series(False, index=raw.index)


def choice(raw: pd.Series, spellings: dict[str, str]) -> Parsed:
    """Known spellings → the canonical value; others are kept lower-cased for pandera to judge."""
    cleaned = _text(raw)
    values = cleaned.map(lambda t: None if t is None else spellings.get(fold(t), t.lower())).astype(
        object
    )
    return values, pd.Series(False, index=raw.index)


def agreement(raw: pd.Series, factor: float = 1.0) -> Parsed:
    """'2023-2026', 'Budget 2023–26', 'B2023-2026' → '2023-2026'; an agreement covers four
    consecutive years, so '2023-2027' is bad."""
    text = _text(raw).astype("string")
    short = text.where(text.str.len() <= 60)  # longer is no agreement (and stays fast)
    parts = short.str.extract(r"(\d{4})\s*[-–/ ]+\s*(\d{2}|\d{4})\b")
    first = pd.to_numeric(parts[0], errors="coerce")
    last = pd.to_numeric(parts[1], errors="coerce")
    last = last.where(last >= 100, (first // 100) * 100 + last)
    good = first.notna() & (last == first + 3)
    values = first.astype("Int64").astype("string") + "-" + last.astype("Int64").astype("string")
    values = values.astype(object).where(good, None)
    return values, text.notna() & ~good


def age(raw: pd.Series, factor: float = 1.0) -> Parsed:
    """17, '17 år', '100 år og derover' → 17 / 100."""
    text = _text(raw).astype("string")
    values = pd.to_numeric(text.str.extract(r"^(\d{1,3})", expand=False), errors="coerce")
    return values.astype("Int64"), text.notna() & values.isna()


DST_MISSING = {"..", ".", "-", "..."}  # Danmarks Statistik's marks for no figure


def statistic(raw: pd.Series, factor: float = 1.0) -> Parsed:
    """A figure from Danmarks Statistik: '..' (missing or confidential) is empty, not bad."""
    missing = _text(raw).isin(DST_MISSING)
    return number(raw.where(~missing, None), factor)


PARSERS: dict[str, Callable[..., Parsed]] = {
    "beloeb": amount,
    "pris": amount,
    "tal": number,
    "heltal": integer,
    "aar": year,
    "maaned": month,
    "kvartal": quarter,
    "funktion": function,
    "funktioner": functions,
    "kode": code,
    "tekst": text,
    "budgetaftale": agreement,
    "alder": age,
    "dst_tal": statistic,
}
