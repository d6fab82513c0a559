"""Generate the INVENTED sample extracts for a municipality of Hjørring's size.

    python sample_data/generate.py [OUTDIR]

Nothing here is Hjørring Kommune's real data: no per-initiative amounts of the strategy
are public. Sizes follow docs/domaene.md (about 64,000 inhabitants, a large adult disability
budget). A fixed seed makes every run give the same figures. The story: without the
strategy, spending grows a little faster than prices (about 3 % a year for services, 2.3 %
for transfers) and caseloads stay level; from 2024 the
initiatives bend the curves, some by more than planned, some by less.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from schemas.kinds import template_headers

SEED = 2024
YEARS = range(2022, 2027)
LAST_MONTH = {2026: 10}  # spending and activity are delivered to October 2026
INVENTED = "OPDIGTEDE DATA – kun til demonstration"

# område → (regime, yearly growth without the strategy, {function: net kr. in 2022})
AREAS = {
    "botilbud": (
        "service",
        0.033,
        {"5.38.50": 268e6, "5.38.52": 86e6, "5.38.42": 43e6, "5.38.51": 33e6},
    ),
    "bostøtte": ("service", 0.033, {"5.38.38": 120e6}),
    "førtidspension": (
        "overførsel",
        0.023,
        {"5.48.64": 95e6, "5.48.66": 160e6, "5.48.68": 88e6, "5.48.67": 17e6},
    ),
    "forsørgelse": (
        "overførsel",
        0.023,
        {"5.57.73": 118e6, "5.58.80": 14e6, "5.58.82": 52e6, "5.58.83": 21e6, "5.46.61": 9e6},
    ),
    "børn og unge": (
        "service",
        0.03,
        {"5.28.20": 62e6, "5.28.21": 88e6, "5.28.22": 71e6, "5.28.23": 39e6},
    ),
}
REFUSION = {"førtidspension": 0.30, "forsørgelse": 0.35}  # share of gross, booked on dranst 2
ANSVARSSTED = {
    "botilbud": "7100",
    "bostøtte": "7200",
    "førtidspension": "7300",
    "forsørgelse": "7310",
    "børn og unge": "7600",
}
OUTSIDE = ("5.32.32", 600_000)  # a function outside the mapping, net kr. a year
SEASON = np.array(
    [0.080, 0.080, 0.083, 0.082, 0.083, 0.084, 0.075, 0.081, 0.084, 0.085, 0.084, 0.099]
)
SEASON = SEASON / SEASON.sum()

# ID, name, spor, område, metode, functions, ansvarssted, indicator, unit price, status,
# savings (mio. kr.) per agreement for its years, investments (mio. kr.) in 2024-2027
INITIATIVES = [
    (
        "S1-01",
        "Botilbud i eget hjem",
        1,
        "botilbud",
        "budget",
        "5.38.50, 5.38.52",
        "7410",
        None,
        None,
        "i gang",
        {"2023-2026": [0, 4, 8, 12], "2024-2027": [3, 7, 11, 14]},
        [2, 2, 1, 0],
    ),
    (
        "S1-02",
        "Udslusning fra midlertidige botilbud",
        1,
        "botilbud",
        "budget",
        "5.38.50, 5.38.52",
        "7411",
        None,
        None,
        "i gang",
        {"2023-2026": [0, 2, 4, 5], "2024-2027": [2, 5, 6, 7]},
        [1, 1, 0, 0],
    ),
    (
        "S1-03",
        "Bostøtte i grupper",
        1,
        "bostøtte",
        "baseline",
        "5.38.38",
        "7412",
        None,
        None,
        "implementeret",
        {"2023-2026": [0, 1.5, 3, 4], "2024-2027": [2, 3.5, 4.5, 5]},
        [0.5, 0, 0, 0],
    ),
    (
        "S1-04",
        "Tidlig indsats før længerevarende botilbud",
        1,
        "botilbud",
        "aktivitet",
        "5.38.50",
        "7413",
        "Borgere i længerevarende botilbud (§108)",
        900_000,
        "i gang",
        {"2024-2027": [2, 4.5, 6.5, 8]},
        [1.5, 1.5, 1, 0],
    ),
    (
        "S1-05",
        "Recovery-orienterede forløb",
        1,
        "botilbud",
        "baseline",
        "5.38.42",
        "7414",
        None,
        None,
        "planlagt",
        {"2023-2026": [0, 1, 2, 2.5], "2024-2027": [1, 2, 3, 3]},
        [0.5, 0, 0, 0],
    ),
    (
        "S2-01",
        "Ungegarantien",
        2,
        "forsørgelse",
        "aktivitet",
        "5.57.73",
        "7510",
        "Unge 18-29 år på uddannelseshjælp",
        160_000,
        "implementeret",
        {"2023-2026": [0, 4, 8, 10], "2024-2027": [3, 7, 10, 12]},
        [3, 3, 2, 0],
    ),
    (
        "S2-02",
        "Hjørring-modellen 2.0",
        2,
        "førtidspension",
        "aktivitet",
        "5.48.68",
        "7511",
        "Borgere på førtidspension",
        250_000,
        "i gang",
        {"2023-2026": [0, 3, 6, 9], "2024-2027": [2.5, 6, 9.5, 12]},
        [4, 4, 2, 0],
    ),
    (
        "S2-03",
        "Ressourceforløb med job for øje",
        2,
        "forsørgelse",
        "baseline",
        "5.58.82",
        "7512",
        None,
        None,
        "i gang",
        {"2024-2027": [1.5, 3, 4, 5]},
        [0.5, 0.5, 0, 0],
    ),
    (
        "S2-04",
        "Jobafklaring og revalidering",
        2,
        "forsørgelse",
        "budget",
        "5.58.80, 5.58.83",
        "7513",
        None,
        None,
        "afsluttet",
        {"2023-2026": [0, 1, 2, 2], "2024-2027": [1, 2, 2.5, 3]},
        [0, 0, 0, 0],
    ),
    (
        "S3-01",
        "Tidlig forebyggende indsats for børn og unge",
        3,
        "børn og unge",
        "budget",
        "5.28.21",
        "7610",
        None,
        None,
        "i gang",
        {"2023-2026": [0, 1, 2, 3], "2024-2027": [1.5, 2.5, 3.5, 4]},
        [1, 1, 0, 0],
    ),
    (
        "S3-02",
        "Plejefamilier frem for døgninstitution",
        3,
        "børn og unge",
        "aktivitet",
        "5.28.23",
        "7611",
        "Anbragte børn og unge",
        700_000,
        "i gang",
        {"2023-2026": [0, 2, 4, 6], "2024-2027": [3, 5, 7, 8]},
        [1, 1, 0.5, 0],
    ),
    (
        "S3-03",
        "Familiebehandling i eget hjem",
        3,
        "børn og unge",
        "baseline",
        "5.28.20",
        "7612",
        None,
        None,
        "planlagt",
        {"2024-2027": [1, 2, 3, 3.5]},
        [0.5, 0.5, 0, 0],
    ),
]

# indicator → (område, monthly level in 2022, yearly trend without the strategy)
INDICATORS = {
    "Borgere i længerevarende botilbud (§108)": ("botilbud", 420, 0.005),
    "Borgere med socialpædagogisk støtte (§85)": ("bostøtte", 900, 0.04),
    "Unge 18-29 år på uddannelseshjælp": ("forsørgelse", 700, 0.0),
    "Borgere på førtidspension": ("førtidspension", 3900, 0.0),
    "Nytilkendte førtidspensioner": ("førtidspension", 25, 0.0),
    "Borgere i ressourceforløb": ("forsørgelse", 450, 0.02),
    "Anbragte børn og unge": ("børn og unge", 190, 0.0),
    "Børn og unge i forebyggende foranstaltninger": ("børn og unge", 600, 0.03),
}
PRICE_INDEX = {
    "service": [93.5, 97.4, 100.0, 102.9, 105.8, 108.7],
    "overførsler": [94.2, 97.9, 100.0, 102.4, 104.9, 107.3],
}  # 2022-2027, invented

rng = np.random.default_rng(SEED)
FUNCTIONS = {
    f: (area, regime, growth, base)
    for area, (regime, growth, fs) in AREAS.items()
    for f, base in fs.items()
}


def months(year: int) -> range:
    return range(1, LAST_MONTH.get(year, 12) + 1)


def in_force(year: int) -> str:
    return "2024-2027" if year >= 2024 else "2023-2026"


def planned(initiative: tuple, agreement: str, year: int) -> float:
    """Planned saving in kr. (0 when the initiative has none that year)."""
    values = initiative[10].get(agreement)
    first = int(agreement[:4])
    return 1e6 * values[year - first] if values and 0 <= year - first < 4 else 0.0


# How well each initiative does each year: 70 % to 125 % of the saving in force.
SUCCESS = {
    i[0]: dict(zip(range(2024, 2028), rng.uniform(0.7, 1.25, 4), strict=True)) for i in INITIATIVES
}


def effect(function: str, year: int) -> float:
    """Kroner the initiatives take off a function's spending in a year (true effect)."""
    total = 0.0
    for i in INITIATIVES:
        funcs = [f.strip() for f in i[5].split(",")]
        if function in funcs and year >= 2024:
            total += planned(i, in_force(year), year) * SUCCESS[i[0]][year] / len(funcs)
    return total


def investment(initiative: tuple, year: int) -> float:
    return 1e6 * initiative[11][year - 2024] if 2024 <= year <= 2027 else 0.0


def expected_net(function: str, year: int) -> float:
    """What a function would cost without the strategy."""
    _, _, growth, base = FUNCTIONS[function]
    return base * (1 + growth) ** (year - 2022)


def net(function: str, year: int) -> float:
    return expected_net(function, year) - effect(function, year)


def title_sheet(book: Workbook, name: str, title: str, header: list[str], rows: list[list]):
    sheet = book.create_sheet(name)
    sheet.append([f"Hjørring Kommune – {title} ({INVENTED})"])
    sheet.append([])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for column, width in zip(
        "ABCDEFGHIJKLM", [14, 12, 12, 14, 14, 12, 28, 16, 12, 12, 12, 30, 14], strict=False
    ):
        sheet.column_dimensions[column].width = width
    return sheet


def save(book: Workbook, path: Path) -> None:
    book.remove(book["Sheet"])
    book.save(path)


def spending_rows(year: int) -> list[list]:
    rows = []
    for m in months(year):
        period = f"{year}-{m:02d}"
        for function, (area, regime, _, _) in FUNCTIONS.items():
            monthly = net(function, year) * SEASON[m - 1] * rng.normal(1, 0.02)
            place = ANSVARSSTED[area]
            if regime == "overførsel":
                gross = monthly / (1 - REFUSION[area])
                rows.append([function, 1, "5.2", "", place, period, "Ydelser", round(gross, 2)])
                rows.append(
                    [
                        function,
                        2,
                        "8.6",
                        "",
                        place,
                        period,
                        "Statsrefusion",
                        round(-gross * REFUSION[area], 2),
                    ]
                )
            elif function == "5.38.50":
                gross = monthly / 0.95
                rows.append(
                    [function, 1, "4.0", "", place, period, "Køb af pladser", round(gross, 2)]
                )
                rows.append(
                    [
                        function,
                        1,
                        "7.7",
                        "",
                        place,
                        period,
                        "Salg af pladser",
                        round(monthly - gross, 2),
                    ]
                )
            else:
                rows.append(
                    [
                        function,
                        1,
                        "4.0",
                        "",
                        place,
                        period,
                        "Køb af ydelser",
                        round(monthly * 0.6, 2),
                    ]
                )
                rows.append(
                    [function, 1, "1.0", "", place, period, "Lønninger", round(monthly * 0.4, 2)]
                )
        for i in INITIATIVES:  # the initiatives' own spending, on their ansvarssted
            amount = investment(i, year) / 12 * rng.uniform(0.85, 1.1)
            if amount:
                first_function = i[5].split(",")[0].strip()
                rows.append(
                    [
                        first_function,
                        1,
                        "1.0",
                        "",
                        i[6],
                        period,
                        f"Indsats {i[0]}",
                        round(amount, 2),
                    ]
                )
        rows.append(
            [
                OUTSIDE[0],
                1,
                "4.0",
                "",
                "7900",
                period,
                "Andet",
                round(OUTSIDE[1] / 12 * rng.normal(1, 0.05), 2),
            ]
        )
    return rows


def write_spending(out: Path) -> None:
    header = [*template_headers("forbrug", "forbrug")[:-1], "Beløb (kr.)"]
    for year in YEARS:
        rows = spending_rows(year)
        total = round(sum(r[-1] for r in rows), 2)
        book = Workbook()
        title_sheet(
            book,
            "Forbrug",
            f"forbrug {year}",
            header,
            [*rows, ["I alt", None, None, None, None, None, None, total]],
        )
        save(book, out / f"forbrug_{year}.xlsx")


def adopted(function: str, agreement: int, year: int) -> float:
    """The adopted budget: expected cost at adoption, less planned savings, plus investments."""
    agreement_name = f"{agreement}-{agreement + 3}"
    catalogue_agreement = (
        agreement_name
        if agreement_name in ("2023-2026", "2024-2027")
        else (in_force(year) if agreement > 2024 else None)
    )
    amount = expected_net(function, year) * (1 + 0.01 * (year - agreement))
    for i in INITIATIVES:
        funcs = [f.strip() for f in i[5].split(",")]
        if function in funcs and catalogue_agreement:
            # overslag beyond the catalogue's last year keep its last saving
            amount -= planned(i, catalogue_agreement, min(year, 2027)) / len(funcs)
        if funcs[0] == function and catalogue_agreement:
            amount += investment(i, year)
    return round(amount, -3)


def write_budgets(out: Path) -> None:
    for first in range(2022, 2027):
        header = ["Funktion", "Tekst", f"B{first}"] + [f"BO{first + k}" for k in range(1, 4)]
        rows = [
            [f, f"Funktion {f}", *(adopted(f, first, first + k) for k in range(4))]
            for f in FUNCTIONS
        ]
        totals = ["I alt", None, *(sum(r[k] for r in rows) for k in range(2, 6))]
        book = Workbook()
        title_sheet(book, "Budget", f"vedtaget budget {first}-{first + 3}", header, [*rows, totals])
        save(book, out / f"budget_vedtaget_{first}-{first + 3}.xlsx")
    rows = [
        [f, y, "Korrigeret", round(adopted(f, y, y) * rng.uniform(0.995, 1.01) / 1000, 1)]
        for y in YEARS
        for f in FUNCTIONS
    ]
    book = Workbook()
    title_sheet(
        book,
        "Korrigeret budget",
        "korrigeret budget",
        ["Funktion", "År", "Budgettype", "Beløb (1.000 kr.)"],
        rows,
    )
    save(book, out / "budget_korrigeret.xlsx")


def write_catalogue(out: Path) -> None:
    book = Workbook()
    rows = [
        [
            i[0],
            i[1],
            i[2],
            i[3],
            "Sporansvarlig, Social og Sundhed",
            i[4],
            i[5],
            i[6],
            2023 if i[4] != "budget" else None,
            i[8],
            2024 if i[8] else None,
            i[7],
            i[9],
        ]
        for i in INITIATIVES
    ]
    title_sheet(
        book,
        "Indsatser",
        "Forebyggelsesstrategiens indsatser",
        template_headers("indsatser", "indsatser"),
        rows,
    )
    economy = []
    for i in INITIATIVES:
        for agreement in i[10]:
            first = int(agreement[:4])
            for year in range(first, first + 4):
                invest = investment(i, year)
                if invest:
                    economy.append([i[0], agreement, year, "Investering", invest, first])
                saving = planned(i, agreement, year)
                if saving:  # written negative, as Danish budget tables do
                    economy.append([i[0], agreement, year, "Besparelse", -saving, first])
    title_sheet(
        book,
        "Økonomi",
        "indsatsernes økonomi",
        ["ID", "Budgetaftale", "År", "Type", "Beløb", "Prisniveau"],
        economy,
    )
    goals = []
    for i in INITIATIVES:
        indicator = i[7] or next(k for k, v in INDICATORS.items() if v[0] == i[3])
        level = activity_level(indicator, 2023)
        for year in range(2024, 2028):
            goals.append(
                [i[0], indicator, year, round(level * (1 - 0.02 * (year - 2023))), "lavere"]
            )
    title_sheet(
        book, "Mål", "indsatsernes faglige mål", ["ID", "Indikator", "År", "Mål", "Retning"], goals
    )
    save(book, out / "indsatser.xlsx")


def activity_level(indicator: str, year: int) -> float:
    """Yearly average count: the trend, less the people the activity initiatives helped."""
    _, level, trend = INDICATORS[indicator]
    count = level * (1 + trend) ** (year - 2022)
    for i in INITIATIVES:
        if i[7] == indicator and year >= 2024:
            count -= planned(i, in_force(year), year) * SUCCESS[i[0]][year] / i[8]
    return count


def write_activity(out: Path) -> None:
    rows = []
    for year in YEARS:
        for m in months(year):
            for indicator, (area, _, _) in INDICATORS.items():
                count = activity_level(indicator, year) * rng.normal(1, 0.01)
                rows.append([f"{year}-{m:02d}", indicator, round(count), area, "personer"])
    book = Workbook()
    title_sheet(
        book, "Aktivitet", "aktivitet", ["Periode", "Indikator", "Antal", "Område", "Enhed"], rows
    )
    save(book, out / "aktivitet.xlsx")


def write_population(out: Path) -> None:
    groups = {"0-17": (12_900, -0.008), "18-64": (36_200, -0.005), "65+": (14_900, 0.02)}
    rows = [[y, g, round(n * (1 + t) ** (y - 2022))] for y in YEARS for g, (n, t) in groups.items()]
    book = Workbook()
    title_sheet(book, "Befolkning", "befolkning 1. januar", ["År", "Aldersgruppe", "Antal"], rows)
    save(book, out / "befolkning.xlsx")


def write_price_index(out: Path) -> None:
    rows = [
        [2022 + k, kind, value]
        for kind, values in PRICE_INDEX.items()
        for k, value in enumerate(values)
    ]
    book = Workbook()
    title_sheet(
        book,
        "Prisindeks",
        "pris- og lønindeks, 2024 = 100 (opdigtet, ikke KL's skøn)",
        ["År", "Type", "Indeks"],
        rows,
    )
    save(book, out / "prisindeks.xlsx")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_spending(out)
    write_budgets(out)
    write_catalogue(out)
    write_activity(out)
    write_population(out)
    write_price_index(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
