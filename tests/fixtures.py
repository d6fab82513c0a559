"""A small municipality whose figures can be worked out by hand (see tests/test_pipeline.py).

Every month of a year has the same amount, so yearly sums and the forecast are simple:
  botilbud 5.38.50:  2023 1.000.000/md, 2024 900.000/md (50.000 of it on ansvarssted 9001,
                     the initiative B1's own spending), 2025 Jan–Jun 950.000/md
  bostøtte 5.38.38:  2023 500.000/md, 2024 450.000/md, 2025 Jan–Jun 400.000/md
  forsørgelse 5.57.73: drift 300.000/md and refusion −100.000/md in 2023, 270.000 and
                     −90.000 in 2024, 225.000 and −75.000 in 2025 Jan–Jun
  5.32.32 (outside the mapping): one row of 12.345,67 in 2024-01
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from schemas.kinds import template_headers

TITLE = "Testdata (opdigtede tal)"
SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
# Danmarks Statistik's panel in the sample data (REGK31 and FOLK1A for 98 municipalities;
# FOLK1A as two downloads, 2015-2019 and 2020-2025)
SAMPLE_DST_API = sorted(SAMPLE_DATA.glob("dst_*_api*.csv"))


def _sheet(book: Workbook, name: str, header: list, rows: list[list], title: bool = True):
    sheet = book.create_sheet(name)
    if title:
        sheet.append([TITLE])
        sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return sheet


def _save(book: Workbook, path: Path) -> Path:
    book.remove(book["Sheet"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def spending_rows() -> list[list]:
    rows = []
    months = {2023: range(1, 13), 2024: range(1, 13), 2025: range(1, 7)}
    bo = {2023: 1_000_000, 2024: 850_000, 2025: 950_000}
    bs = {2023: 500_000, 2024: 450_000, 2025: 400_000}
    fs = {2023: (300_000, -100_000), 2024: (270_000, -90_000), 2025: (225_000, -75_000)}
    for year, ms in months.items():
        for m in ms:
            period = f"{year}-{m:02d}"
            rows.append(["5.38.50", 1, "4.0", "", "7100", period, "Botilbud", bo[year]])
            if year == 2024:
                rows.append(["5.38.50", 1, "1.0", "", "9001", period, "Indsats B1", 50_000])
            rows.append(["53838", 1, "4.0", "004", "7200", period, "Bostøtte", bs[year]])
            drift, refusion = fs[year]
            rows.append(["5.57.73", 1, "5.2", "007", "7300", period, "Kontanthjælp", drift])
            rows.append(["5.57.73", 2, "8.6", "007", "7300", period, "Refusion", refusion])
    rows.append(["5.32.32", 1, "4.0", "", "7400", "2024-01", "Andet", 12_345.67])
    return rows


def spending(path: Path) -> Path:
    book = Workbook()
    rows = spending_rows()
    total = sum(r[-1] for r in rows)
    header = [*template_headers("forbrug", "forbrug")[:-1], "Beløb (kr.)"]
    _sheet(book, "Forbrug", header, [*rows, ["I alt", None, None, None, None, None, None, total]])
    return _save(book, path)


def corrected_budget(path: Path) -> Path:
    """Korrigeret budget in 1.000 kr. (long form)."""
    book = Workbook()
    kb = {
        "5.38.50": {2023: 12_500, 2024: 11_000, 2025: 11_400},
        "5.38.38": {2023: 6_000, 2024: 5_800, 2025: 5_000},
        "5.57.73": {2023: 2_500, 2024: 2_300, 2025: 2_000},
    }
    rows = [[f, y, "Korrigeret", v] for f, years in kb.items() for y, v in years.items()]
    _sheet(book, "Budget", ["Funktion", "År", "Budgettype", "Beløb (1.000 kr.)"], rows)
    return _save(book, path)


def adopted_budget(path: Path, first_year: int, amounts: dict[str, list[int]]) -> Path:
    """Vedtaget budget in the ERP's wide form: B<first>, BO<first+1> …"""
    book = Workbook()
    header = ["Funktion", "Tekst", f"B{first_year}"] + [f"BO{first_year + i}" for i in range(1, 4)]
    rows = [[f, "tekst", *values] for f, values in amounts.items()]
    _sheet(book, "Budget", header, rows)
    return _save(book, path)


ADOPTED = {
    2023: {
        "5.38.50": [12_400_000, 11_100_000, 11_000_000, 11_000_000],
        "5.38.38": [6_100_000, 5_900_000, 5_800_000, 5_800_000],
        "5.57.73": [2_450_000, 2_350_000, 2_300_000, 2_300_000],
    },
    2024: {
        "5.38.50": [10_900_000, 11_300_000, 11_300_000, 11_300_000],
        "5.38.38": [5_500_000, 5_000_000, 5_000_000, 5_000_000],
        "5.57.73": [2_200_000, 2_000_000, 2_000_000, 2_000_000],
    },
}


def catalogue(path: Path) -> Path:
    """Four initiatives: B1 and B2 share 5.38.50 (budget), L1 baseline, A1 aktivitet."""
    book = Workbook()
    header = template_headers("indsatser", "indsatser")
    _sheet(
        book,
        "Indsatser",
        header,
        [
            [
                "B1",
                "Botilbud i eget hjem",
                1,
                "botilbud",
                "Leder",
                "Budget",
                "5.38.50",
                "9001",
                None,
                None,
                None,
                None,
                "I gang",
            ],
            [
                "B2",
                "Udslusning",
                1,
                "Botilbud",
                "Leder",
                "budget",
                "53850",
                "9002",
                None,
                None,
                None,
                None,
                "planlagt",
            ],
            [
                "L1",
                "Bostøtte i grupper",
                1,
                "bostøtte",
                "Leder",
                "baseline",
                "5.38.38",
                "9003",
                2023,
                None,
                None,
                None,
                "i gang",
            ],
            [
                "A1",
                "Ungegarantien",
                2,
                "forsørgelse",
                "Leder",
                "aktivitet",
                "5.57.73",
                "9004",
                2023,
                120_000,
                2024,
                "Unge på uddannelseshjælp",
                "implementeret",
            ],
        ],
    )
    economy = [
        ["B1", "2023-2026", 2024, "Besparelse", -600_000, 2023],
        ["B1", "2023-2026", 2025, "Besparelse", -800_000, 2023],
        ["B1", "2024-2027", 2024, "Besparelse", -500_000, 2024],
        ["B1", "2024-2027", 2025, "Besparelse", -1_000_000, 2024],
        ["B1", "2024-2027", 2024, "Investering", 600_000, 2024],
        ["B2", "2024-2027", 2024, "Besparelse", -500_000, 2024],
        ["B2", "2024-2027", 2025, "Besparelse", -1_000_000, 2024],
        ["L1", "2024-2027", 2024, "Besparelse", -400_000, 2024],
        ["L1", "2024-2027", 2025, "Besparelse", -800_000, 2024],
        ["A1", "2024-2027", 2024, "Besparelse", 1_000_000, 2024],
        ["A1", "2024-2027", 2025, "Besparelse", 1_500_000, 2024],
    ]
    _sheet(book, "Økonomi", ["ID", "Budgetaftale", "År", "Type", "Beløb", "Prisniveau"], economy)
    goals = [
        ["A1", "Unge på uddannelseshjælp", 2024, 92, "lavere"],
        ["A1", "Unge på uddannelseshjælp", 2025, 75, "lavere"],
    ]
    _sheet(book, "Mål", ["ID", "Indikator", "År", "Mål", "Retning"], goals)
    return _save(book, path)


def activity(path: Path) -> Path:
    """Unge på uddannelseshjælp: 100 every month of 2023; 95 then 85 in 2024; 80 in 2025 H1."""
    book = Workbook()
    rows = [
        [f"2023-{m:02d}", "Unge på uddannelseshjælp", 100, "forsørgelse", "personer"]
        for m in range(1, 13)
    ]
    rows += [
        [
            f"2024-{m:02d}",
            "Unge på uddannelseshjælp",
            95 if m <= 6 else 85,
            "forsørgelse",
            "personer",
        ]
        for m in range(1, 13)
    ]
    rows += [
        [f"2025-{m:02d}", "Unge på uddannelseshjælp", 80, "forsørgelse", "personer"]
        for m in range(1, 7)
    ]
    _sheet(book, "Aktivitet", ["Periode", "Indikator", "Antal", "Område", "Enhed"], rows)
    return _save(book, path)


def inbox(folder: Path) -> list[Path]:
    """The whole small municipality, as it would be delivered."""
    return [
        spending(folder / "forbrug.xlsx"),
        corrected_budget(folder / "korrigeret.xlsx"),
        adopted_budget(folder / "vedtaget_2023.xlsx", 2023, ADOPTED[2023]),
        adopted_budget(folder / "vedtaget_2024.xlsx", 2024, ADOPTED[2024]),
        catalogue(folder / "indsatser.xlsx"),
        activity(folder / "aktivitet.xlsx"),
    ]
