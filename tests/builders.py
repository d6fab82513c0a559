"""Small hand-made extracts for tests that build a case from scratch.

Each builder writes one workbook in the layout finance staff deliver; amounts are in kr.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from schemas.kinds import template_headers
from tests.conftest import settle

SPENDING = ["Funktion", "Dranst", "Ansvarssted", "Periode", "Beløb"]
ECONOMY = ["ID", "Budgetaftale", "År", "Type", "Beløb", "Prisniveau"]


def workbook(path: Path, header: list, rows: list[list], sheet: str = "Ark1") -> Path:
    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return settle([path])[0]


def monthly(function: str, year: int, amount: float, months=range(1, 13), place="7100"):
    """One spending row a month (dranst 1) on a function and ansvarssted."""
    return [[function, 1, place, f"{year}-{m:02d}", amount] for m in months]


def spending(path: Path, rows: list[list]) -> Path:
    return workbook(path, SPENDING, rows, "Forbrug")


def corrected(path: Path, rows: list[list], agreement: str | None = None) -> Path:
    """Korrigeret budget rows [function, year, kr.], with or without a Budgetaftale column."""
    if agreement is None:
        return workbook(path, ["Funktion", "År", "Budgettype", "Beløb"], [
            [f, y, "Korrigeret", v] for f, y, v in rows
        ])  # fmt: skip
    return workbook(path, ["Funktion", "År", "Budgettype", "Budgetaftale", "Beløb"], [
        [f, y, "Korrigeret", agreement, v] for f, y, v in rows
    ])  # fmt: skip


def initiative(
    ident: str,
    method: str,
    functions: str | None,
    *,
    spor: int = 1,
    area: str = "botilbud",
    place: str | None = None,
    baseline: int | None = None,
    unit_price: float | None = None,
    price_level: int | None = None,
    indicator: str | None = None,
) -> list:
    """A row of the catalogue's sheet Indsatser, in template order."""
    return [
        ident, f"Indsats {ident}", spor, area, "Leder", method, functions,
        place or f"9{ident[-3:]}", baseline, unit_price, price_level, indicator, "i gang",
    ]  # fmt: skip


def catalogue(
    path: Path,
    initiatives: list[list],
    economy: list[list],
    goals: list[list] = (),
    economy_header: list[str] = ECONOMY,
) -> Path:
    """Economy rows are [ID, agreement, year, 'Besparelse' | 'Investering', kr., price level]
    (and whatever ``economy_header`` adds); goal rows [ID, indicator, year, goal, 'lavere' |
    'højere']."""
    book = Workbook()
    book.remove(book.active)
    for name, header, rows in (
        ("Indsatser", template_headers("indsatser", "indsatser"), initiatives),
        ("Økonomi", economy_header, economy),
        ("Mål", ["ID", "Indikator", "År", "Mål", "Retning"], goals),
    ):
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return settle([path])[0]


def activity(path: Path, indicator: str, counts: dict[int, float], area="botilbud") -> Path:
    """The same count every month of each year."""
    rows = [
        [f"{y}-{m:02d}", indicator, n, area, "personer"]
        for y, n in counts.items()
        for m in range(1, 13)
    ]
    return workbook(path, ["Periode", "Indikator", "Antal", "Område", "Enhed"], rows, "Aktivitet")


def mixed_methods(home, planned: dict[str, float]) -> None:
    """One function, 5.38.50, measured by a budget (B), an aktivitet (A) and a baseline (L)
    initiative: spending 12 × 1.000.000 in 2023 and 12 × 900.000 in 2024, korrigeret budget
    2024 11.000.000, 'Borgere i botilbud' 100 in 2023 and 90 in 2024 at 100.000 each, and
    ``planned`` savings for 2024 under 2024-2027 per initiative (issue 12, case 1)."""
    spending(
        home.indbakke / "forbrug.xlsx",
        monthly("5.38.50", 2023, 1_000_000) + monthly("5.38.50", 2024, 900_000),
    )
    corrected(home.indbakke / "korrigeret.xlsx", [["5.38.50", 2024, 11_000_000]])
    activity(home.indbakke / "aktivitet.xlsx", "Borgere i botilbud", {2023: 100, 2024: 90})
    catalogue(
        home.indbakke / "indsatser.xlsx",
        [
            initiative("B", "budget", "5.38.50"),
            initiative(
                "A",
                "aktivitet",
                "5.38.50",
                baseline=2023,
                unit_price=100_000,
                price_level=2024,
                indicator="Borgere i botilbud",
            ),
            initiative("L", "baseline", "5.38.50", baseline=2023),
        ],
        [[i, "2024-2027", 2024, "Besparelse", kr, 2024] for i, kr in planned.items()],
    )


def adopted(path: Path, rows: list[list], agreement: str) -> Path:
    """Adopted (oprindeligt) budget rows [function, year, kr.] of one budget agreement."""
    return workbook(path, ["Funktion", "År", "Budgettype", "Budgetaftale", "Beløb"], [
        [f, y, "Oprindeligt", agreement, v] for f, y, v in rows
    ])  # fmt: skip


def forecast(path: Path, rows: list[list]) -> Path:
    """Budget holders' forventet regnskab rows [period, område, initiative or None, kr.]."""
    header = ["Opfølgning", "Område", "Indsats ID", "Forventet regnskab"]
    return workbook(path, header, rows, "Forventet")
