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
    write_corrections(out, rows)


# the part of each difference between korrigeret and vedtaget budget that is pay and price
# (teknisk); the rest is a demographic adjustment for children and young people, else an
# appropriation (even years) or a carry-over (odd years). Bostøtte 2026 is delivered with
# its technical part only: the bridge leaves a remainder, and the report warns.
TECHNICAL_SHARE = 0.6
UNEXPLAINED = ("bostøtte", 2026)


def write_corrections(out: Path, corrected: list[list]) -> None:
    rows = []
    for function, year, _, thousands in corrected:
        area = FUNCTIONS[function][0]
        difference = round(thousands * 1000 - adopted(function, year, year))
        technical = round(difference * TECHNICAL_SHARE)
        rest = difference - technical
        kind, why = (
            ("Demografi", "Flere/færre børn og unge end budgetteret")
            if area == "børn og unge"
            else ("Tillægsbevilling", "Tillægsbevilling efter budgetopfølgning")
            if year % 2 == 0
            else ("Overførsel", "Overført mindreforbrug fra året før")
        )
        decision = f"Byrådet {year}"
        pay = "Pris- og lønregulering"
        rows.append([area, function, year, technical, "Teknisk", pay, decision])
        if rest and (area, year) != UNEXPLAINED:
            rows.append([area, function, year, rest, kind, why, decision])
    book = Workbook()
    title_sheet(
        book,
        "Budgetkorrektioner",
        "budgetkorrektioner: fra vedtaget til korrigeret budget",
        ["Område", "Funktion", "År", "Beløb", "Type", "Begrundelse", "Beslutning"],
        rows,
    )
    save(book, out / "budgetkorrektioner.xlsx")


# who owns what (invented roles, not people): the committee and the initiative owner per
# område, the name and lead per track
COMMITTEES = {
    "botilbud": "Social- og Sundhedsudvalget",
    "bostøtte": "Social- og Sundhedsudvalget",
    "førtidspension": "Beskæftigelsesudvalget",
    "forsørgelse": "Beskæftigelsesudvalget",
    "børn og unge": "Børne- og Skoleudvalget",
}
OWNERS = {
    "botilbud": "Afdelingsleder, Botilbud",
    "bostøtte": "Afdelingsleder, Bostøtte",
    "førtidspension": "Afdelingsleder, Jobcenter",
    "forsørgelse": "Afdelingsleder, Jobcenter",
    "børn og unge": "Afdelingsleder, Børn og Familie",
}
TRACKS = {
    1: ("Udgiftsdæmpende tiltak", "Socialchef"),
    2: ("Færre unge på forsørgelse og førtidspension", "Jobcenterchef"),
    3: ("Særligt udfordrede børn og unge", "Chef for Børn og Familie"),
}


def write_catalogue(out: Path) -> None:
    book = Workbook()
    rows = [
        [
            i[0],
            i[1],
            i[2],
            i[3],
            OWNERS[i[3]],
            i[4],
            i[5],
            i[6],
            2023 if i[4] != "budget" else None,
            i[8],
            2024 if i[8] else None,
            i[7],
            i[9],
            COMMITTEES[i[3]],
            *TRACKS[i[2]],
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


# counts of people in a month are full-year persons once averaged over the year (the
# annual overview's activity); a count of new cases is not
FLOWS = {"Nytilkendte førtidspensioner"}


def write_activity(out: Path) -> None:
    rows = []
    for year in YEARS:
        for m in months(year):
            for indicator, (area, _, _) in INDICATORS.items():
                count = activity_level(indicator, year) * rng.normal(1, 0.01)
                unit = "personer" if indicator in FLOWS else "helårspersoner"
                rows.append([f"{year}-{m:02d}", indicator, round(count), area, unit])
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


# Danmarks Statistik-shaped files for the comparison with other municipalities (issues 16
# and 27): all 98 municipalities, 2015-2025. Every amount and population is INVENTED. Each
# municipality has its own spending level against the others and a small drift of its own;
# spending grows 3 % a year everywhere. The built-in effect (docs/metode.md): from 2023, the
# year of the first agreement, Hjørring's net spending on the adult areas (botilbud and
# bostøtte) is EFFECT[year] below what it would have been; børn og unge has no effect. The
# synthetic control (mart.kontrafaktisk) should find about these shares, and nothing for
# børn og unge.
DST_YEARS = range(2015, 2026)
DST_SHOWN = range(2020, 2025)  # the statbank.dk exports show a smaller slice of the same figures
FOLK1A_DOWNLOADS = ((2015, 2019), (2020, 2025))  # FOLK1A's API csv, in two files

EFFECT = {2023: 0.04, 2024: 0.08, 2025: 0.10}
EFFECT_AREAS = ("18-64",)  # the adult areas' functions; children's have no effect
KNOWN = {  # number → (inhabitants, spending level against the others): round, invented
    860: (64_000, 1.30), 813: (59_000, 1.10), 810: (36_500, 0.95), 849: (38_000, 1.00),
    820: (36_000, 1.05), 787: (43_000, 0.90), 773: (20_000, 1.15), 840: (30_000, 0.85),
    846: (41_000, 1.00), 851: (222_000, 0.92), 825: (1_700, 0.80), 779: (46_000, 0.97),
}  # fmt: skip
SHOWN = list(KNOWN)  # the municipalities of the statbank.dk exports


def _municipalities() -> dict[int, tuple[str, int, float, float, float]]:
    """number → (name, inhabitants in 2020, level, yearly drift of the level, yearly growth
    of the population), invented from a stream of its own (the other files stay as they were)."""
    import csv

    rng = np.random.default_rng(SEED + 27)
    with (Path(__file__).resolve().parents[1] / "schemas" / "kommuner.csv").open() as f:
        names = {int(r["kommunenr"]): r["kommune"] for r in csv.DictReader(f)}
    out = {}
    for number, name in names.items():
        size = float(np.clip(np.exp(rng.normal(np.log(45_000), 0.6)), 2_000, 600_000))
        level = float(np.exp(rng.normal(0.0, 0.18)))
        drift, growth = float(rng.normal(0, 0.008)), float(rng.normal(0, 0.004))
        if number in KNOWN:
            size, level = KNOWN[number]
        if number == 860:  # Hjørring: no drift of its own, a slowly falling population
            drift, growth = 0.0, -0.003
        out[number] = (name, round(size, -2), level, drift, growth)
    return out


DST_MUNICIPALITIES = _municipalities()
# function → (text, område's age group, kr. per inhabitant of the group, 2020, at level 1)
DST_FUNCTIONS = {
    "5.38.50": ("Botilbud til længerevarende ophold (§ 108)", "18-64", 3_100),
    "5.38.52": ("Botilbud til midlertidigt ophold (§ 107)", "18-64", 1_900),
    "5.38.38": ("Personlig støtte og pasning af personer med handicap mv.", "18-64", 1_200),
    "5.28.21": ("Forebyggende foranstaltninger for børn og unge", "0-17", 2_600),
    "5.28.23": ("Døgninstitutioner for børn og unge", "0-17", 1_700),
}
DST_INVENTED = "OPDIGTEDE TAL – ikke fra Danmarks Statistik, kun til demonstration"
SHARE = {"0-17": 0.20, "18-64": 0.57}  # of the inhabitants; the rest is 65 and over


def _ages(total: float, growth: float, year: int, dst_rng) -> dict[int, int]:
    """Inhabitants by single age 0-100 (100 = '100 år og derover') on 1 January."""
    weights = np.array([SHARE["0-17"] / 18] * 18 + [SHARE["18-64"] / 47] * 47 + [0.23 / 36] * 36)
    counts = total * (1 + growth * (year - 2020)) * weights * dst_rng.normal(1, 0.01, 101)
    return {age: max(0, round(n)) for age, n in enumerate(counts)}


def dst_figures() -> tuple[list[tuple], list[tuple]]:
    """(REGK31 rows, FOLK1A rows) with codes: område, funktion, dranst, år, 1.000 kr.; and
    område, age, quarter, persons."""
    dst_rng = np.random.default_rng(SEED + 28)
    accounts, people = [], []
    for number, (_, total, level, drift, growth) in DST_MUNICIPALITIES.items():
        for year in DST_YEARS:
            ages = _ages(total, growth, year, dst_rng)
            people += [(number, age, f"{year}K1", n) for age, n in ages.items()]
            group = {"0-17": sum(ages[a] for a in range(18)),
                     "18-64": sum(ages[a] for a in range(18, 65))}  # fmt: skip
            own = level * (1 + drift * (year - 2020))
            for function, (_, age_group, per_inhabitant) in DST_FUNCTIONS.items():
                kr = per_inhabitant * own * 1.03 ** (year - 2020) * group[age_group]
                kr *= dst_rng.normal(1, 0.008)
                if number == 860 and age_group in EFFECT_AREAS:
                    kr *= 1 - EFFECT.get(year, 0.0)  # the strategy's built-in effect
                accounts.append((number, function, 1, year, round(kr / 1000)))
                accounts.append((number, function, 2, year, -round(kr * 0.05 / 1000)))
    return accounts, people


def _place(number: int) -> str:
    return f"{number} {DST_MUNICIPALITIES[number][0]}"


def write_dst(out: Path) -> None:
    """REGK31 as the API csv with codes and texts and as the statbank.dk export; FOLK1A as
    the API csv with codes and as the export. The API csvs hold all 98 municipalities,
    2015-2025; the exports the same figures for twelve of them, 2020-2024. Totals (Hele
    landet) are in the files, as DST delivers them, and are never added to the
    municipalities."""
    import csv

    accounts, people = dst_figures()
    drift = {1: "1 Driftskonti", 2: "2 Statsrefusion"}
    price = "LOBM Løbende priser (1.000 kr.)"
    country: dict[tuple, int] = {}
    for _, function, dranst, year, value in accounts:
        key = (function, dranst, year)
        country[key] = country.get(key, 0) + value
    with (out / "dst_regk31_api.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow([DST_INVENTED])
        w.writerow(["OMRÅDE", "FUNKTION", "DRANST", "ART", "PRISENHED", "TID", "INDHOLD"])
        for number, function, dranst, year, value in accounts:
            text = f"{function} {DST_FUNCTIONS[function][0]}"
            w.writerow([_place(number), text, drift[dranst], "TOT I alt (netto)", price, year,
                        value])  # fmt: skip
        for (function, dranst, year), value in country.items():
            text = f"{function} {DST_FUNCTIONS[function][0]}"
            w.writerow(["000 Hele landet", text, drift[dranst], "TOT I alt (netto)", price, year,
                        value])  # fmt: skip
    years = list(DST_SHOWN)
    wide: dict[tuple, dict[int, int]] = {}
    for number, function, dranst, year, value in accounts:
        if number in SHOWN and year in DST_SHOWN:
            wide.setdefault((number, function, dranst), {})[year] = value
    with (out / "dst_regk31_statbank.csv").open("w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow([f"REGK31: Regnskaber for kommunerne (1.000 kr.) efter område, funktion, "
                    f"dranst, art, prisenhed og tid – {DST_INVENTED}"])  # fmt: skip
        w.writerow([])
        w.writerow(["", "", "", "", "", *years])
        above: tuple = ()
        for (number, function, dranst), values in wide.items():
            # a blank cell is "as above": the municipality and function are written once
            place = "" if above[:1] == (number,) else DST_MUNICIPALITIES[number][0]
            text = "" if above == (number, function) else f"{function} {DST_FUNCTIONS[function][0]}"
            w.writerow([place, text, drift[dranst], "I alt (netto)", "Løbende priser (1.000 kr.)",
                        *(values[y] for y in years)])  # fmt: skip
            above = (number, function)
    # two downloads, as the API is often asked for a few years at a time: each file stays
    # under 2 MB, and the warehouse adds them up per (municipality, year)
    for first, last in FOLK1A_DOWNLOADS:
        name = f"dst_folk1a_api_{first}-{last}.csv"
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=";")
            w.writerow([DST_INVENTED])
            w.writerow(["OMRÅDE", "KØN", "ALDER", "TID", "INDHOLD"])
            for number, age, quarter, n in people:
                if first <= int(quarter[:4]) <= last:
                    w.writerow([number, "TOT", age, quarter, n])
    by_age: dict[tuple, dict[str, int]] = {}
    for number, age, quarter, n in people:
        if number in SHOWN and int(quarter[:4]) in DST_SHOWN:
            by_age.setdefault((number, age), {})[quarter] = n
    quarters = [f"{y}K1" for y in years]
    with (out / "dst_folk1a_statbank.csv").open("w", encoding="cp1252", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow([f"FOLK1A: Folketal den 1. i kvartalet efter område, køn, alder og tid – "
                    f"{DST_INVENTED}"])  # fmt: skip
        w.writerow([])
        w.writerow(["", "", "", *quarters])
        for (number, age), values in by_age.items():
            label = "100 år og derover" if age == 100 else f"{age} år"
            first = age == 0
            w.writerow([DST_MUNICIPALITIES[number][0] if first else "", "I alt" if first else "",
                        label, *(values[q] for q in quarters)])  # fmt: skip
    book = Workbook()
    title_sheet(
        book,
        "Sammenligningsgruppe",
        "sammenligningsgruppe (her den medfølgende standardgruppe)",
        ["Kommunenr", "Kommunenavn", "Rolle"],
        [[860, "Hjørring", "egen"]]
        + [
            [n, DST_MUNICIPALITIES[n][0], "sammenligning"]
            for n in (773, 787, 810, 813, 820, 840, 846, 849)
        ],
    )
    save(book, out / "sammenligningsgruppe.xlsx")


# The budget holders' own forventet regnskab for 2026 at the follow-up per 30 September:
# what they know of placements and commitments, as a share of the year's true net spending
# (the mechanical forecast only sees the pattern of earlier years). One initiative's holder
# also forecasts the spending on its own function.
HOLDERS = {"botilbud": 1.006, "bostøtte": 0.994, "førtidspension": 1.0, "forsørgelse": 0.992}
HOLDER_INITIATIVE = ("S3-01", "børn og unge", 1.012)


def write_forecast(out: Path) -> None:
    rows = [
        [area, "30-09-2026", None, round(share * sum(net(f, 2026) for f in AREAS[area][2]), -3)]
        for area, share in HOLDERS.items()
    ]
    ident, area, share = HOLDER_INITIATIVE
    functions = next(i[5] for i in INITIATIVES if i[0] == ident).split(", ")
    expected = round(share * sum(net(f, 2026) for f in functions), -3)
    rows.append([area, "30-09-2026", ident, expected])
    book = Workbook()
    title_sheet(
        book,
        "Forventet",
        "budgetansvarliges forventede regnskab 2026 pr. 30-09-2026",
        ["Område", "Opfølgning", "Indsats ID", "Forventet regnskab"],
        rows,
    )
    save(book, out / "forventet_2026-09.xlsx")


# The owners' status comments at the follow-up per 30 September 2026 (S1-05 has sent none,
# so the report shows that its reason is missing)
COMMENTS = {
    "S1-01": "Flere borgere bliver i eget hjem end ventet; udslusningen halter lidt efter.",
    "S1-02": "På sporet; to midlertidige pladser er nedlagt i 3. kvartal.",
    "S1-03": "Grupperne startede et halvt år forsinket; effekten ventes fra 2027.",
    "S2-01": "Tilgangen af unge steg i foråret; ekstra vejledere er ansat fra august.",
    "S2-02": "Færre sager end ventet er afklaret; afventer ny visitationsmodel.",
    "S3-01": "Over målet; indsatsen udvides til to skoledistrikter mere.",
    "S3-02": "Tre anbringelser er flyttet til plejefamilie i 2026.",
}


def write_comments(out: Path) -> None:
    rows = [[ident, "30-09-2026", text] for ident, text in COMMENTS.items()]
    book = Workbook()
    title_sheet(
        book,
        "Kommentarer",
        "indsatsledernes statuskommentarer pr. 30-09-2026",
        ["Indsats ID", "Opfølgning", "Kommentar"],
        rows,
    )
    save(book, out / "statuskommentarer_2026-09.xlsx")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_spending(out)
    write_budgets(out)
    write_catalogue(out)
    write_activity(out)
    write_population(out)
    write_price_index(out)
    write_dst(out)
    write_forecast(out)
    write_comments(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
