"""Writes the files of this folder (python -m tests.data.dst.lav). They are reconstructions of
the layouts Danmarks Statistik delivers, with invented figures chosen so that the tests can
compute by hand; README.md says what each file is and what forebyg must do with it."""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent

AREAS = {  # the whole country, the five regions and six municipalities, as FOLK1A labels them
    "000": "Hele landet",
    "084": "Region Hovedstaden",
    "085": "Region Sjælland",
    "083": "Region Syddanmark",
    "082": "Region Midtjylland",
    "081": "Region Nordjylland",
    "101": "København",
    "147": "Frederiksberg",
    "461": "Odense",
    "561": "Esbjerg",
    "751": "Aarhus",
    "851": "Aalborg",
}


def _write(name: str, rows: list[list[object]], encoding: str = "utf-8") -> None:
    with (HERE / name).open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(rows)


def folk1a_many_areas() -> list[list[object]]:
    """API csv with labels: 12 areas, 2008K1-2020K1, Mænd and Kvinder, ages 17, 18 and 64.
    Every cell is 17 år 1.000, 18 år 2.000, 64 år 3.000, except Aalborg 2020K1, whose
    18-64 is 1.000 + 67.000 (men) + 1.081 + 67.500 (women) = 136.581."""
    rows: list[list[object]] = [["OMRÅDE", "KØN", "ALDER", "TID", "INDHOLD"]]
    aalborg = {("Mænd", "18"): 1000, ("Mænd", "64"): 67000,
               ("Kvinder", "18"): 1081, ("Kvinder", "64"): 67500}  # fmt: skip
    for area in AREAS.values():
        for year in range(2008, 2021):
            for sex in ("Mænd", "Kvinder"):
                for age, n in (("17", 1000), ("18", 2000), ("64", 3000)):
                    if area == "Aalborg" and year == 2020 and (sex, age) in aalborg:
                        n = aalborg[sex, age]
                    rows.append([area, sex, f"{age} år", f"{year}K1", n])
    return rows


def folk1a_codes_quarters() -> list[list[object]]:
    """API csv with codes: Hjørring and Frederikshavn, sexes in total, four quarters of 2024;
    each quarter adds 10 to every cell, so only the 1st quarter's figures may count."""
    rows: list[list[object]] = [["OMRÅDE", "KØN", "ALDER", "TID", "INDHOLD"]]
    base = {"860": (15000, 1000, 39000, 2000), "813": (9000, 10000, 20000, 1500)}
    for area, ages in base.items():
        for q in range(1, 5):
            for age, n in zip(("17", "18", "64", "65"), ages, strict=True):
                rows.append([area, "TOT", age, f"2024K{q}", n + 10 * (q - 1)])
    return rows


def folk1a_both_without_sex() -> list[list[object]]:
    """API csv with code and label, no KØN: Hjørring alone, 2023K1 and 2024K1 - the
    municipality's own population (kind befolkning)."""
    rows: list[list[object]] = [["OMRÅDE", "ALDER", "TID", "INDHOLD"]]
    for year, add in ((2023, 0), (2024, 100)):
        for age, n in (("17", 700), ("18", 650), ("64", 800), ("65", 820)):
            rows.append(["860 Hjørring", f"{age} {age} år", f"{year}K1", n + add])
    return rows


def folk1a_statbank() -> list[list[object]]:
    """statbank.dk export, Windows-1252: Hjørring and Brønderslev, Køn i alt, 2023K1 2024K1."""
    title = "FOLK1A: Folketal den 1. i kvartalet efter område, køn, alder og tid"
    rows: list[list[object]] = [[title], [""], ["", "", "", "2023K1", "2024K1"]]
    people = {"Hjørring": (15000, 1000, 39000), "Brønderslev": (5000, 9500, 10000)}
    for area, ages in people.items():  # 2024K1 is 2023K1 + 5 in every cell
        for i, (age, n) in enumerate(zip(("17 år", "18 år", "64 år"), ages, strict=True)):
            rows.append([area if i == 0 else "", "I alt" if i == 0 else "", age, n, n + 5])
    return rows


def folk1a_no_area_english() -> list[list[object]]:
    """API csv in English, no OMRÅDE (the whole country), 2021Q2."""
    rows: list[list[object]] = [["KØN", "ALDER", "TID", "INDHOLD"]]
    for sex in ("Men", "Women"):
        for age in range(0, 18):
            rows.append([sex, f"{age} years", "2021Q2", 32000])
    return rows


def folk1a_second_quarter() -> list[list[object]]:
    """API csv with labels: Hjørring, 2021K2 only."""
    rows: list[list[object]] = [["OMRÅDE", "KØN", "ALDER", "TID", "INDHOLD"]]
    for age, n in (("17 år", 700), ("18 år", 650)):
        rows.append(["Hjørring", "I alt", age, "2021K2", n])
    return rows


REGK31_ROWS = [  # (area, function, dranst, year, 1.000 kr.)
    ("Hjørring", "5.38.50 Botilbud til længerevarende ophold (§ 108)", "1 Driftskonti", 48000),
    ("Hjørring", "5.38.50 Botilbud til længerevarende ophold (§ 108)", "2 Statsrefusion", -2000),
    ("Aalborg", "5.38.50 Botilbud til længerevarende ophold (§ 108)", "1 Driftskonti", 566306),
    ("Region Nordjylland", "5.38.50 Botilbud til længerevarende ophold (§ 108)",
     "1 Driftskonti", 900000),
]  # fmt: skip


def regk31_api(area_name=lambda a: a) -> list[list[object]]:
    """API csv with labels, 2020: Hjørring 48.000 - 2.000 on 5.38.50, Aalborg 566.306
    (dranst 1 only), Region Nordjylland (a total, never counted)."""
    rows: list[list[object]] = [
        ["OMRÅDE", "FUNKTION", "DRANST", "ART", "PRISENHED", "TID", "INDHOLD"]
    ]
    for area, function, dranst, amount in REGK31_ROWS:
        rows.append([area_name(area), function, dranst, "I alt (netto)",
                     "Løbende priser (1.000 kr.)", "2020", amount])  # fmt: skip
    return rows


def accounts_statbank(code: str, years: tuple[str, ...]) -> list[list[object]]:
    """statbank.dk export of REGK31 or BUDK32 (title 'område', as the export names it)."""
    what = "Regnskaber" if code == "REGK31" else "Budgetter"
    title = f"{code}: {what} for kommunerne (1.000 kr.) efter område, funktion, dranst, art, " \
            "prisenhed og tid"  # fmt: skip
    rows: list[list[object]] = [[title], [""], ["", "", "", "", "", *years]]
    for area, function, dranst, amount in REGK31_ROWS[:2]:
        rows.append([area, function, dranst, "I alt (netto)", "Løbende priser (1.000 kr.)",
                     *(amount + 100 * i for i in range(len(years)))])  # fmt: skip
    return rows


def budk32_api() -> list[list[object]]:
    """API csv with codes, geography REGI07A: Hjørring's 2025 budget, 5.38.50."""
    return [
        ["REGI07A", "FUNKTION", "DRANST", "ART", "PRISENHED", "TID", "INDHOLD"],
        ["860", "53850", "1", "TOT", "LOBM", "2025", "51000"],
        ["860", "53850", "2", "TOT", "LOBM", "2025", "-2500"],
        ["000", "53850", "1", "TOT", "LOBM", "2025", "5100000"],
    ]


def by2_api() -> list[list[object]]:
    """BY2 as an API csv (no title): KOMK, BYST, ALDER, KØN, TID - 600 figures."""
    rows: list[list[object]] = [["KOMK", "BYST", "ALDER", "KØN", "TID", "INDHOLD"]]
    for komk in ("Hjørring", "Frederikshavn"):
        for byst in ("Hovedstadsområdet", "Byer med 1.000-1.999 indbyggere", "Landdistrikter"):
            for age in range(0, 50):
                rows.append([komk, byst, f"{age} år", "Mænd", "2023", 40 + age])
                rows.append([komk, byst, f"{age} år", "Kvinder", "2023", 41 + age])
    return rows


def by2_statbank() -> list[list[object]]:
    title = "BY2: Folketal 1. januar efter kommune, bystørrelse, alder, køn og tid"
    rows: list[list[object]] = [[title], [""], ["", "", "", "", "2023"]]
    for age in range(0, 20):
        rows.append(["Hjørring" if age == 0 else "", "Landdistrikter" if age == 0 else "",
                     f"{age} år", "Mænd", 40 + age])  # fmt: skip
    return rows


def erhv2_statbank() -> list[list[object]]:
    title = "ERHV2: Erhvervsaktive efter område, branche (DB07 10-grp), alder, køn og tid"
    rows: list[list[object]] = [[title], [""], ["", "", "", "", "2022", "2023"]]
    rows.append(["Hjørring", "Industri, råstofindvinding og forsyningsvirksomhed", "30-34 år",
                 "Mænd", 800, 810])  # fmt: skip
    rows.append(["", "Bygge og anlæg", "", "", 600, 590])
    return rows


def straf11_api() -> list[list[object]]:
    return [
        ["OMRÅDE", "OVERTRÆD", "TID", "INDHOLD"],
        ["Hjørring", "Straffelov i alt", "2023K1", "812"],
        ["Hjørring", "Straffelov i alt", "2023K2", "790"],
    ]


def main() -> None:
    _write("folk1a_api_tekster_mange_omraader.csv", folk1a_many_areas())
    _write("folk1a_api_koder_kvartaler.csv", folk1a_codes_quarters())
    _write("folk1a_api_begge_uden_koen.csv", folk1a_both_without_sex())
    _write("folk1a_statbank.csv", folk1a_statbank(), "cp1252")
    _write("folk1a_api_engelsk_uden_omraade.csv", folk1a_no_area_english())
    _write("folk1a_api_kun_2_kvartal.csv", folk1a_second_quarter())
    _write("regk31_api_tekster.csv", regk31_api())
    _write("regk31_api_ukendt_kommune.csv",
           regk31_api(lambda a: "Vesthimmerland" if a == "Aalborg" else a))  # fmt: skip
    _write("regk31_statbank.csv", accounts_statbank("REGK31", ("2019", "2020")), "cp1252")
    _write("budk32_api_koder.csv", budk32_api())
    _write("budk32_statbank.csv", accounts_statbank("BUDK32", ("2025",)), "cp1252")
    _write("by2_api.csv", by2_api())
    _write("by2_statbank.csv", by2_statbank(), "cp1252")
    _write("erhv2_statbank.csv", erhv2_statbank(), "cp1252")
    _write("straf11_api.csv", straf11_api())


if __name__ == "__main__":
    main()
