"""Bad and awkward extracts as finance staff really deliver them, with what must happen.

Run ``python -m tests.awkward_files DIR`` to write them all to DIR for a look by hand.
Each bad file must be rejected naming the row and column (or, for a file that cannot be
read, with a plain sentence); each awkward-but-valid file must load with the total stated.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

HEADER = ["Funktion", "Dranst", "Periode", "Beløb"]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], None]
    kind: str | None = None  # accepted: the kind it loads as
    rows: int = 0
    total: Decimal | None = None  # accepted: sum of beloeb in kr.
    where: list[tuple] = field(default_factory=list)  # rejected: (sheet, row, column) named
    says: str = ""  # a phrase the rejection must contain


def xlsx(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> None:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)


def spending(rows: list[list], header: list[str] = HEADER) -> Callable[[Path], None]:
    return lambda path: xlsx(path, {"Forbrug": [header, *rows]})


def with_cached_formula(path: Path, cell: str, formula: str, value: float) -> None:
    """openpyxl writes formulas without a cached value; add one as Excel would."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(
                    rf'<c r="{cell}"([^>]*)><f>{re.escape(formula)}</f><v\s*/?>(</v>)?</c>',
                    rf'<c r="{cell}"\1><f>{formula}</f><v>{value}</v></c>',
                    text,
                )
                data = text.encode()
            dst.writestr(item, data)
    tmp.replace(path)


def formula_total(path: Path) -> None:
    rows = [["5.38.50", 1, "2025-01", 100.5], ["5.38.52", 1, "2025-01", 200]]
    xlsx(path, {"Forbrug": [HEADER, *rows, ["I alt", None, None, "=SUM(D2:D3)"]]})
    with_cached_formula(path, "D4", "SUM(D2:D3)", 300.5)


def encrypted(path: Path) -> None:
    plain = path.with_name("plain.xlsx")
    spending([["5.38.50", 1, "2025-01", 1]])(plain)
    with plain.open("rb") as src, path.open("wb") as dst:
        OOXMLFile(src).encrypt("hemmelig", dst)
    plain.unlink()


def legacy_xls(path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("Forbrug")
    rows = [
        ["Udtræk fra ERP"],
        [],
        HEADER,
        ["5.38.50", 1, "2025-02", 1000.25],
        ["5.38.38", 1, "2025-02", -250],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))


def ods(path: Path) -> None:
    frame = pd.DataFrame(
        [["5.38.50", 1, "2025-03", 10.0], ["5.38.52", 2, "2025-03", -2.5]], columns=HEADER
    )
    frame.to_excel(path, sheet_name="Forbrug", index=False, engine="odf")


def text_csv(rows: list[list], delimiter: str, encoding: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        with path.open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh, delimiter=delimiter).writerows(rows)

    return build


def catalogue(indsatser: list[list], oekonomi: list[list]) -> Callable[[Path], None]:
    head = ["ID", "Indsats", "Spor", "Område", "Metode", "Funktioner", "Baselineår"]
    eco = ["ID", "Budgetaftale", "År", "Type", "Beløb"]
    return lambda path: xlsx(
        path,
        {
            "Indsatser": [head, *indsatser],
            "Økonomi": [eco, *oekonomi],
            "Mål": [["ID", "Indikator", "År", "Mål", "Retning"]],
        },
    )


GOOD_INITIATIVE = ["X1", "Botilbud", 1, "botilbud", "budget", "5.38.50", None]
MONTHS = ["2025-01", dt.datetime(2025, 2, 28), 45747, "april 2025", "202505", "30-06-2025"]

CASES = [
    # --- files that cannot be read: a plain sentence ---------------------------------
    Case("nul_byte.xlsx", lambda p: p.write_bytes(b""), says="Filen er tom (0 byte)"),
    Case(
        "beskadiget.xlsx",
        lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200),
        says="kan ikke åbnes som et regneark",
    ),
    Case("adgangskode.xlsx", encrypted, says="beskyttet med adgangskode"),
    Case("tom_projektmappe.xlsx", lambda p: xlsx(p, {"Ark1": []}), says="ingen data"),
    Case(
        "csv_med_forkert_endelse.xlsx",
        lambda p: p.write_text("Funktion;Periode;Beløb\n5.38.50;2025-01;1\n", encoding="utf-8"),
        says="gemt i et andet format end endelsen siger",
    ),
    Case("notat.docx", lambda p: p.write_bytes(b"x"), says="Filtypen '.docx' kan ikke indlæses"),
    Case(
        "ukendt_layout.xlsx",
        lambda p: xlsx(p, {"Ark1": [["Navn", "Adresse"], ["a", "b"]]}),
        says="en overskriftsrække for en kendt udtrækstype",
    ),
    # --- bad cells: row and column named ----------------------------------------------
    Case(
        "forkert_funktion.xlsx",
        spending([["5.3x.50", 1, "2025-01", 1]]),
        where=[("Forbrug", 2, "Funktion")],
    ),
    Case(
        "maaned_13.xlsx",
        spending([["5.38.50", 1, "2025-13", 1]]),
        where=[("Forbrug", 2, "Periode")],
    ),
    Case(
        "beloeb_som_ord.xlsx",
        spending([["5.38.50", 1, "2025-01", "mange"]]),
        where=[("Forbrug", 2, "Beløb")],
    ),
    Case(
        "dranst_9.xlsx", spending([["5.38.50", 9, "2025-01", 1]]), where=[("Forbrug", 2, "Dranst")]
    ),
    Case(
        "manglende_beloeb.xlsx",
        spending([["5.38.50", 1, "2025-01", 1], ["5.38.50", 1, "2025-02", None]]),
        where=[("Forbrug", 3, "Beløb")],
        says="værdien mangler",
    ),
    Case(
        "alle_fejl_paa_en_gang.xlsx",
        spending(
            [
                ["5.3x.50", 1, "2025-01", 1],
                ["5.38.50", 8, "2025-01", 1],
                ["5.38.50", 1, "forår", 1],
                ["5.38.50", 1, "2025-01", "?"],
            ]
        ),
        where=[
            ("Forbrug", 2, "Funktion"),
            ("Forbrug", 3, "Dranst"),
            ("Forbrug", 4, "Periode"),
            ("Forbrug", 5, "Beløb"),
        ],
    ),
    Case(
        "i_alt_passer_ikke.xlsx",
        spending([["5.38.50", 1, "2025-01", 100], ["I alt", None, None, 99]]),
        where=[("Forbrug", 3, "Beløb")],
        says="mangler der rækker?",
    ),
    Case(
        "cpr_i_tekst.xlsx",
        spending([["5.38.50", 1, "2025-01", 1, "Ophold for 010185-1234"]], [*HEADER, "Tekst"]),
        where=[("Forbrug", None, "E ('Tekst')")],
        says="ligner CPR-numre",
    ),
    Case(
        "cpr_uden_bindestreg.xlsx",
        spending([["5.38.50", 1, "2025-01", 1, "2512901234"]], [*HEADER, "Borger"]),
        where=[("Forbrug", None, "E ('Borger')")],
        says="ligner CPR-numre",
    ),
    Case(
        "budgettype_ukendt.xlsx",
        lambda p: xlsx(
            p,
            {"B": [["Funktion", "År", "Budgettype", "Beløb"], ["5.38.50", 2025, "Foreløbigt", 1]]},
        ),
        where=[("B", 2, "Budgettype")],
    ),
    Case(
        "negativ_aktivitet.xlsx",
        lambda p: xlsx(p, {"A": [["Periode", "Indikator", "Antal"], ["2025-01", "Unge", -4]]}),
        where=[("A", 2, "Antal")],
    ),
    Case(
        "katalog_ukendt_id.xlsx",
        catalogue([GOOD_INITIATIVE], [["X9", "2024-2027", 2025, "Besparelse", -1]]),
        where=[("Økonomi", 2, "ID")],
    ),
    Case(
        "katalog_ukendt_metode.xlsx",
        catalogue([["X1", "a", 1, "botilbud", "gætværk", "5.38.50", None]], []),
        where=[("Indsatser", 2, "Metode")],
    ),
    Case(
        "katalog_spor_4.xlsx",
        catalogue([["X1", "a", 4, "botilbud", "budget", "5.38.50", None]], []),
        where=[("Indsatser", 2, "Spor")],
    ),
    Case(
        "katalog_aar_uden_for_aftalen.xlsx",
        catalogue([GOOD_INITIATIVE], [["X1", "2024-2027", 2029, "Besparelse", -1]]),
        where=[("Økonomi", 2, "År")],
    ),
    Case(
        "katalog_dobbelt_id.xlsx",
        catalogue([GOOD_INITIATIVE, GOOD_INITIATIVE], []),
        where=[("Indsatser", 2, "ID"), ("Indsatser", 3, "ID")],
    ),
    # --- awkward but valid: loaded, with the right total ------------------------------
    Case(
        "overskrift_i_raekke_5.xlsx",
        lambda p: xlsx(
            p,
            {
                "Forbrug": [
                    ["Hjørring Kommune"],
                    ["Forbrug 2025"],
                    [],
                    [],
                    HEADER,
                    ["5.38.50", 1, "2025-01", 10],
                    [],
                    [],
                    [],
                ]
            },
        ),
        kind="forbrug",
        rows=1,
        total=Decimal("10"),
    ),
    Case(
        "dansk_tal_i_tusinder.xlsx",
        spending(
            [["5.38.50", 1, "2025-01", "-1.234,5"], ["5.38.50", 1, "2025-02", "(2)"]],
            ["Funktion", "Dranst", "Periode", "Beløb i 1.000 kr."],
        ),
        kind="forbrug",
        rows=2,
        total=Decimal("-1236500"),
    ),
    Case(
        "perioder_i_alle_former.xlsx",
        spending([["5.38.50", 1, m, 1] for m in MONTHS]),
        kind="forbrug",
        rows=6,
        total=Decimal("6"),
    ),
    Case(
        "aar_og_maaned.xlsx",
        lambda p: xlsx(
            p,
            {
                "F": [
                    ["Funktionsnr", "År", "Måned", "Bogført beløb"],
                    [53850, 2025, "marts", 5.25],
                    [53852, 2025, 4, 1],
                ]
            },
        ),
        kind="forbrug",
        rows=2,
        total=Decimal("6.25"),
    ),
    Case("i_alt_som_formel.xlsx", formula_total, kind="forbrug", rows=2, total=Decimal("300.5")),
    Case(
        "skjult_ark.xlsx",
        lambda p: xlsx(
            p,
            {
                "Hjælp": [["Funktion", "Periode", "Beløb"], ["x", "y", "z"]],
                "Forbrug": [HEADER, ["5.38.50", 1, "2025-01", 7]],
            },
            hidden=("Hjælp",),
        ),
        kind="forbrug",
        rows=1,
        total=Decimal("7"),
    ),
    Case(
        "to_maaneder_to_ark.xlsx",
        lambda p: xlsx(
            p,
            {
                "Januar": [HEADER, ["5.38.50", 1, "2025-01", 1]],
                "Februar": [HEADER, ["5.38.50", 1, "2025-02", 2]],
            },
        ),
        kind="forbrug",
        rows=2,
        total=Decimal("3"),
    ),
    Case(
        "semikolon_windows1252.csv",
        text_csv(
            [
                ["Funktion", "Periode", "Beløb"],
                ["5.38.50", "03-2025", "1.234,50"],
                ["5.46.61", "03-2025", "-34,50"],
            ],
            ";",
            "cp1252",
        ),
        kind="forbrug",
        rows=2,
        total=Decimal("1200"),
    ),
    Case(
        "komma_utf8_bom.csv",
        text_csv(
            [["Bogføringsdato", "Funktion", "Amount"], ["2025-03-31", "53850", "99.5"]],
            ",",
            "utf-8-sig",
        ),
        kind="forbrug",
        rows=1,
        total=Decimal("99.5"),
    ),
    Case("libreoffice.ods", ods, kind="forbrug", rows=2, total=Decimal("7.5")),
    Case(
        "makroer.xlsm",
        spending([["5.38.50", 1, "2025-01", 3]]),
        kind="forbrug",
        rows=1,
        total=Decimal("3"),
    ),
    Case("gammelt_format.xls", legacy_xls, kind="forbrug", rows=2, total=Decimal("750.25")),
    Case(
        "bred_budget_korrigeret.xlsx",
        lambda p: xlsx(
            p,
            {
                "Budget": [
                    [
                        "Funktion",
                        "Korrigeret budget 2025 (1.000 kr.)",
                        "Oprindeligt budget 2025 (1.000 kr.)",
                    ],
                    ["5.38.50", 1500, 1400],
                ]
            },
        ),
        kind="budget",
        rows=2,
        total=Decimal("2900000"),
    ),
    Case(
        "mærkelige_overskrifter.xlsx",
        spending([["5.38.50", 1, "2025-01", 4]], ["  FUNKTION ", "dranst", "PERIODE", "beløb."]),
        kind="forbrug",
        rows=1,
        total=Decimal("4"),
    ),
]


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for case in CASES:
        path = folder / case.name
        case.build(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "skæve_filer")
    shutil.rmtree(target, ignore_errors=True)
    for p in write_all(target):
        print(p)
