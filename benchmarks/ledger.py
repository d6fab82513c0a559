"""Large, realistic posting-level ledger extracts for the benchmark (fixed seed).

One row is a posting: Funktion, Dranst, Art, Gruppering, Ansvarssted, Bogføringsdato,
Bilagsnr, Tekst, Kontonavn, Omkostningssted, Momskode, Beløb – 12 columns, dates as real
Excel dates, amounts as numbers, a title line above the header and an "I alt" row.
``write_csv_ledger`` writes the same cells as a Danish csv export: ``;`` between cells,
a decimal comma, dates as dd-mm-yyyy, UTF-8 with a BOM ("CSV UTF-8"), CRLF.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import xlsxwriter

FUNCTIONS = [
    "5.38.50",
    "5.38.52",
    "5.38.42",
    "5.38.51",
    "5.38.38",
    "5.48.64",
    "5.48.66",
    "5.48.68",
    "5.48.67",
    "5.57.73",
    "5.58.80",
    "5.58.82",
    "5.58.83",
    "5.46.61",
    "5.28.20",
    "5.28.21",
    "5.28.22",
    "5.28.23",
]
HEADER = [
    "Funktion",
    "Dranst",
    "Art",
    "Gruppering",
    "Ansvarssted",
    "Bogføringsdato",
    "Bilagsnr",
    "Tekst",
    "Kontonavn",
    "Omkostningssted",
    "Momskode",
    "Beløb",
]
EXCEL_ROWS = 1_048_576
TEXTS = ["Betaling af plads", "Refusion fra staten", "Løn", "Kørsel", "Husleje", "Ydelse"]


def write_ledger(
    path: Path,
    rows: int,
    year: int = 2025,
    months: range = range(1, 13),
    seed: int = 7,
    municipality: str = "Hjørring",
) -> Path:
    """A posting ledger of ``rows`` rows spread over ``months`` of ``year``."""
    funcs, dranst, days, month, amounts = _postings(rows, months, seed)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(year, 1, 1)})  # same seed, same bytes
    sheet = book.add_worksheet("Posteringer")
    dates = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet.write_row(0, 0, [f"{municipality} Kommune – posteringer {year} (genereret testdata)"])
    sheet.write_row(2, 0, HEADER)
    for i in range(rows):
        r = i + 3
        sheet.write_string(r, 0, FUNCTIONS[funcs[i]])
        sheet.write_number(r, 1, int(dranst[i]))
        sheet.write_string(r, 2, "4.0" if dranst[i] == 1 else "8.6")
        sheet.write_string(r, 3, "001")
        sheet.write_string(r, 4, str(7100 + funcs[i]))
        sheet.write_datetime(r, 5, dt.datetime(year, int(month[i]), int(days[i]) + 1), dates)
        sheet.write_number(r, 6, 100000 + i)
        sheet.write_string(r, 7, TEXTS[i % len(TEXTS)])
        sheet.write_string(r, 8, "Driftskonto")
        sheet.write_string(r, 9, str(8000 + i % 50))
        sheet.write_string(r, 10, "I25")
        sheet.write_number(r, 11, float(amounts[i]))
    total = float(np.round(amounts.sum(), 2))
    sheet.write_row(rows + 3, 0, ["I alt"] + [None] * 10 + [total])
    book.close()
    return path


def _postings(rows: int, months: range, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    funcs = rng.integers(0, len(FUNCTIONS), rows)
    dranst = np.where(rng.random(rows) < 0.15, 2, 1)
    days = rng.integers(0, 28, rows)
    month = np.array(list(months))[rng.integers(0, len(months), rows)]
    amounts = np.round(rng.lognormal(8, 1.2, rows), 2) * np.where(dranst == 2, -1, 1)
    return funcs, dranst, days, month, amounts


def _comma(amount: float) -> str:
    return f"{amount:.2f}".replace(".", ",")


def write_csv_ledger(
    path: Path,
    rows: int,
    year: int = 2025,
    months: range = range(1, 13),
    seed: int = 7,
    municipality: str = "Hjørring",
) -> Path:
    """The cells ``write_ledger`` writes for the same arguments, as a csv export; like the
    xlsx, no more than Excel's 1,048,576 rows (the xlsx writer drops the rest silently)."""
    funcs, dranst, days, month, amounts = _postings(rows, months, seed)
    pad = ";" * (len(HEADER) - 1)  # Excel writes every row as wide as the sheet
    lines = [
        f"{municipality} Kommune – posteringer {year} (genereret testdata){pad}",
        pad,
        ";".join(HEADER),
    ]
    for i in range(min(rows, EXCEL_ROWS - len(lines))):
        f = funcs[i]
        lines.append(
            f"{FUNCTIONS[f]};{dranst[i]};{'4.0' if dranst[i] == 1 else '8.6'};001;{7100 + f};"
            f"{days[i] + 1:02d}-{month[i]:02d}-{year};{100000 + i};{TEXTS[i % len(TEXTS)]};"
            f"Driftskonto;{8000 + i % 50};I25;{_comma(amounts[i])}"
        )
    if len(lines) < EXCEL_ROWS:
        lines.append("I alt" + ";" * (len(HEADER) - 2) + ";" + _comma(np.round(amounts.sum(), 2)))
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write("\r\n".join(lines) + "\r\n")
    return path
