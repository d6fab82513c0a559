"""Danmarks Statistik files as they are downloaded, in every layout, from one invented table.

The figures are invented. ``REGNSKAB`` and ``BEFOLKNING`` hold each row once with codes;
``LABELS`` gives the texts DST shows; each writer renders the same rows as the API/bulk csv
with codes, with labels or with both ("860 Hjørring"), or as the statbank.dk table export
(title, blank line, periods as columns, blank cells meaning "as above", Windows-1252).

Hand computation of mart.benchmark for botilbud 2024 (5.38.50, dranst 1 + 2, 1.000 kr.):
  860 Hjørring       50.000 − 2.000 = 48.000.000 kr. / 40.000 (18-64) = 1.200 kr.
  813 Frederikshavn  40.000 − 1.000 = 39.000.000 kr. / 30.000         = 1.300 kr.
  810 Brønderslev    20.000 −   500 = 19.500.000 kr. / 19.500         = 1.000 kr.
  849 Jammerbugt     23.100 + '..'  = empty (a missing component: no partial sum, no rank)
  851 Aalborg       100.000 − 4.000 = 96.000.000 kr. / 120.000        =   800 kr.
Hele landet and Region Nordjylland, Hjørring's arts beside their total, its 'Kr. pr.
indbygger' rows, dranst 3 and the aggregate function 5.38 are in the files and count nowhere.
Population 18-64 = ages 18 + 64 of the 1st quarter (2024K1); 'Køn i alt' and 'Alder i alt'
are never added to their parts; the 2nd quarter is not used.
"""

from __future__ import annotations

import csv
from pathlib import Path

LABELS = {
    "omraade": {
        "000": "Hele landet",
        "081": "Region Nordjylland",
        "860": "Hjørring",
        "813": "Frederikshavn",
        "810": "Brønderslev",
        "849": "Jammerbugt",
        "851": "Aalborg",
    },
    "funktion": {
        "53850": "5.38.50 Botilbud til længerevarende ophold (§ 108)",
        "538": "5.38 Tilbud til voksne med særlige behov",
        "52821": "5.28.21 Forebyggende foranstaltninger for børn og unge",
    },
    "dranst": {"1": "1 Driftskonti", "2": "2 Statsrefusion", "3": "3 Anlægskonti"},
    "art": {"TOT": "I alt (netto)", "UE": "Udgifter", "I": "Indtægter"},
    "prisenhed": {"LOBM": "Løbende priser (1.000 kr.)", "INDL": "Kr. pr. indbygger"},
    "koen": {"TOT": "I alt", "1": "Mænd", "2": "Kvinder"},
    "alder": {"IALT": "Alder i alt", "17": "17 år", "18": "18 år", "64": "64 år", "65": "65 år"},
}

REGNSKAB_DIMENSIONS = ["omraade", "funktion", "dranst", "art", "prisenhed"]
BEFOLKNING_DIMENSIONS = ["omraade", "koen", "alder"]
HEADERS = {
    "omraade": "OMRÅDE",
    "funktion": "FUNKTION",
    "dranst": "DRANST",
    "art": "ART",
    "prisenhed": "PRISENHED",
    "koen": "KØN",
    "alder": "ALDER",
}


def _regnskab() -> list[tuple]:
    rows = []
    net = {  # kommune → (dranst 1, dranst 2) for 5.38.50 in 2024, 1.000 kr.
        "860": ("50000", "-2000"),
        "813": ("40000", "-1000"),
        "810": ("20000", "-500"),
        "849": ("23100", ".."),
        "851": ("100000", "-4000"),
        "000": ("5000000", "-200000"),
        "081": ("900000", "-30000"),
    }
    for kommune, (drift, refusion) in net.items():
        rows.append((kommune, "53850", "1", "TOT", "LOBM", "2024", drift))
        rows.append((kommune, "53850", "2", "TOT", "LOBM", "2024", refusion))
        rows.append((kommune, "538", "1", "TOT", "LOBM", "2024", drift))  # an aggregate
        rows.append((kommune, "53850", "3", "TOT", "LOBM", "2024", "7000"))  # anlæg
    # Hjørring's arts beside their total, and its per-inhabitant figure
    rows.append(("860", "53850", "1", "UE", "LOBM", "2024", "53000"))
    rows.append(("860", "53850", "1", "I", "LOBM", "2024", "-3000"))
    rows.append(("860", "53850", "1", "TOT", "INDL", "2024", "778"))
    # børn og unge: 5.28.21
    rows.append(("860", "52821", "1", "TOT", "LOBM", "2024", "30000"))
    rows.append(("851", "52821", "1", "TOT", "LOBM", "2024", "60000"))
    return rows


def _befolkning() -> list[tuple]:
    people = {  # kommune → (17 år, 18 år, 64 år, 65 år), sexes together, 2024K1
        "860": (15000, 1000, 39000, 2000),
        "813": (9000, 10000, 20000, 1500),
        "810": (5000, 9500, 10000, 800),
        "849": (6000, 11000, 11000, 900),
        "851": (40000, 60000, 60000, 5000),
        "000": (700000, 800000, 900000, 70000),
    }
    rows = []
    for kommune, ages in people.items():
        for quarter, extra in (("2024K1", 0), ("2024K2", 100)):
            for age, n in zip(("17", "18", "64", "65"), ages, strict=True):
                rows.append((kommune, "TOT", age, quarter, str(n + extra)))
            rows.append((kommune, "TOT", "IALT", quarter, str(sum(ages) + 4 * extra)))
    # Hjørring by sex beside 'I alt' (the 1st quarter): men and women add up to the total
    for age, n in zip(("17", "18", "64", "65"), people["860"], strict=True):
        rows.append(("860", "1", age, "2024K1", str(n // 2)))
        rows.append(("860", "2", age, "2024K1", str(n - n // 2)))
    return rows


REGNSKAB = _regnskab()
BEFOLKNING = _befolkning()


def _cell(dimension: str, code: str, how: str) -> str:
    if how == "koder":
        return code
    label = LABELS[dimension][code]
    if how == "tekster":
        return label
    if label.startswith(code[:1]) and dimension in ("funktion", "dranst"):
        return label  # DST's own text already starts with the number
    return f"{code} {label}"


def _dims(table: str) -> list[str]:
    return REGNSKAB_DIMENSIONS if table == "regnskab" else BEFOLKNING_DIMENSIONS


def api_csv(path: Path, table: str, how: str, rows: list[tuple] | None = None) -> Path:
    """The API/bulk csv: ';', one row per combination, TID and INDHOLD last, UTF-8."""
    dims = _dims(table)
    rows = rows if rows is not None else (REGNSKAB if table == "regnskab" else BEFOLKNING)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow([*(HEADERS[d] for d in dims), "TID", "INDHOLD"])
        for row in rows:
            out.writerow(
                [*(_cell(d, c, how) for d, c in zip(dims, row, strict=False)), *row[-2:]]
            )
    return path


TITLES = {
    "regnskab": "REGK31: Regnskaber for kommunerne (1.000 kr.) efter område, funktion, dranst, "
    "art, prisenhed og tid",
    "befolkning": "FOLK1A: Folketal den 1. i kvartalet efter område, køn, alder og tid",
}


def statbank_export(path: Path, table: str, title: str | None = None) -> Path:
    """The statbank.dk export: title, blank line, periods as columns, labels, a blank cell
    for a dimension that is as above, Windows-1252, ';'."""
    dims = _dims(table)
    rows = REGNSKAB if table == "regnskab" else BEFOLKNING
    periods = sorted({r[-2] for r in rows})
    cells: dict[tuple, dict[str, str]] = {}
    for r in rows:
        cells.setdefault(tuple(r[: len(dims)]), {})[r[-2]] = r[-1]
    lines = [[TITLES[table] if title is None else title], [""], [*[""] * len(dims), *periods]]
    above: tuple = ()
    for key, by_period in cells.items():
        labels = [LABELS[d][c] for d, c in zip(dims, key, strict=True)]
        shown = [
            "" if above and above[: i + 1] == key[: i + 1] else label
            for i, label in enumerate(labels)
        ]
        lines.append([*shown, *(by_period.get(p, "..") for p in periods)])
        above = key
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";").writerows(lines)
    return path
