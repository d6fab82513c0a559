"""What both reports show, read once from the published warehouse.

The workbook and the page present the same three levels: the steering group's overview
per track and agreement, each track per year, and each initiative per agreement and year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

OVERVIEW_SQL = """
SELECT spor, budgetaftale, budget_i_alt, budget_til_dato, realiseret_til_dato,
       round(realiseret_til_dato / nullif(budget_til_dato, 0), 4) AS maalopfyldelse,
       mart.status(realiseret_til_dato, budget_til_dato) AS status,
       investering, forbrugt_investering, nettoeffekt, opgjorte_aar
FROM (
    SELECT spor, budgetaftale,
           sum(budgetteret_besparelse) AS budget_i_alt,
           sum(budgetteret_besparelse_opgjort) AS budget_til_dato,
           sum(realiseret_besparelse) AS realiseret_til_dato,
           sum(budgetteret_investering) FILTER (WHERE indsatser_opgjort > 0) AS investering,
           sum(forbrugt_investering) AS forbrugt_investering,
           sum(nettoeffekt_realiseret) AS nettoeffekt,
           string_agg(DISTINCT CAST(aar AS VARCHAR), ', ' ORDER BY CAST(aar AS VARCHAR))
               FILTER (WHERE indsatser_opgjort > 0) AS opgjorte_aar
    FROM mart.spor_status
    GROUP BY spor, budgetaftale
)
ORDER BY spor, budgetaftale
"""

# without a price index the catalogue's amounts stay in their own price level(s)
CATALOGUE_LEVELS_SQL = """
SELECT string_agg(DISTINCT y, '/' ORDER BY y)
FROM (SELECT unnest(string_split(katalogets_prisniveau, '/')) AS y FROM mart.besparelser)
"""

# column → (Danish header, kind): kr (amount), pct (a share), dato, heltal, antal, tal, tekst
COLUMNS = {
    "spor": ("Spor", "heltal"),
    "budgetaftale": ("Budgetaftale", "tekst"),
    "aar": ("År", "heltal"),
    "indsats_id": ("ID", "tekst"),
    "indsats": ("Indsats", "tekst"),
    "omraade": ("Område", "tekst"),
    "metode": ("Metode", "tekst"),
    "budget_i_alt": ("Budgetteret i alt", "kr"),
    "budget_til_dato": ("Budgetteret til dato", "kr"),
    "realiseret_til_dato": ("Realiseret til dato", "kr"),
    "investering": ("Investering", "kr"),
    "nettoeffekt": ("Nettoeffekt", "kr"),
    "status": ("Status", "tekst"),
    "opgjorte_aar": ("Opgjorte år", "tekst"),
    "budgetteret_besparelse": ("Budgetteret besparelse", "kr"),
    "realiseret_besparelse": ("Realiseret besparelse", "kr"),
    "afvigelse": ("Afvigelse", "kr"),
    "maalopfyldelse": ("Målopfyldelse", "pct"),
    "opgjort_som": ("Opgjort som", "tekst"),
    "budgetteret_investering": ("Budgetteret investering", "kr"),
    "forbrugt_investering": ("Forbrugt investering", "kr"),
    "nettoeffekt_budgetteret": ("Nettoeffekt, budgetteret", "kr"),
    "nettoeffekt_realiseret": ("Nettoeffekt, realiseret", "kr"),
    "forventet_investering": ("Forventet investering, helår", "kr"),
    "budgetteret_besparelse_opgjort": ("Budgetteret, opgjorte indsatser", "kr"),
    "maalt_med": ("Målt med", "tekst"),
    "katalogets_prisniveau": ("Katalogets prisniveau", "tekst"),
    "indsatser_opgjort": ("Indsatser opgjort", "antal"),
    "indsatser": ("Indsatser", "antal"),
    "oprindeligt_budget": ("Oprindeligt budget", "kr"),
    "korrigeret_budget": ("Korrigeret budget", "kr"),
    "forbrug_aar_til_dato": ("Forbrug år til dato", "kr"),
    "forventet_regnskab": ("Forventet regnskab", "kr"),
    "opgjort_til": ("Opgjort til", "dato"),
    "besparelse_2023_2026": ("Besparelse 2023-2026", "kr"),
    "besparelse_2024_2027": ("Besparelse 2024-2027", "kr"),
    "aendring": ("Ændring", "kr"),
    "nettoforbrug_loebende_priser": ("Nettoforbrug, løbende priser", "kr"),
    "nettoforbrug_faste_priser": ("Nettoforbrug, faste priser", "kr"),
    "aendring_kr": ("Ændring fra året før", "kr"),
    "aendring_pct": ("Ændring i %", "tal"),
    "aldersgruppe": ("Aldersgruppe", "tekst"),
    "indbyggere": ("Indbyggere", "antal"),
    "forbrug_pr_indbygger": ("Forbrug pr. indbygger (kr.)", "tal"),
    "indikator": ("Indikator", "tekst"),
    "maal": ("Mål", "tal"),
    "retning": ("Retning", "tekst"),
    "resultat": ("Resultat", "tal"),
    "opfyldt": ("Opfyldt", "tekst"),
    "indsatsstatus": ("Indsatsens status", "tekst"),
    "leverance_nr": ("Nr.", "heltal"),
    "filnavn": ("Fil", "tekst"),
    "art": ("Type", "tekst"),
    "modtaget": ("Modtaget", "dato"),
    "raekker": ("Rækker", "antal"),
    "perioder": ("Perioder", "tekst"),
    "begrundelse": ("Begrundelse", "tekst"),
}

# sheet → (title, SQL); the afvigelse sign of budgetopfølgning is spelled out in its title
LEVELS = {
    "Spor": ("Spor pr. budgetaftale og år", "SELECT * EXCLUDE (prisniveau) FROM mart.spor_status"),
    "Indsatser": (
        "Besparelser pr. indsats, budgetaftale og år",
        "SELECT * EXCLUDE (prisniveau) FROM mart.besparelser",
    ),
    "Investeringer": (
        "Investeringer pr. indsats, budgetaftale og år",
        "SELECT * EXCLUDE (prisniveau) FROM mart.investeringer",
    ),
    "Budgetopfølgning": (
        "Budgetopfølgning pr. område og år, løbende priser "
        "(afvigelse: merforbrug +, mindreforbrug −)",
        "SELECT * EXCLUDE (prisniveau) FROM mart.budgetopfoelgning",
    ),
    "Budgetaftaler": (
        "De to budgetaftalers planlagte besparelser side om side",
        "SELECT * EXCLUDE (prisniveau) FROM mart.budgetaftaler",
    ),
    "Årsoversigt": (
        "Nettoforbrug pr. område og år",
        "SELECT * EXCLUDE (prisniveau) FROM mart.aarsoversigt",
    ),
    "Mål": ("Faglige mål pr. indsats", "SELECT * FROM mart.maal"),
    "Leverancer": ("Afleverede filer", "SELECT * EXCLUDE (sha256) FROM mart.leverancer"),
}


@dataclass
class Content:
    level: str  # '2026' or 'løbende priser'
    as_of: dt.date | None  # last day with spending data
    overview: pd.DataFrame
    sheets: dict[str, tuple[str, pd.DataFrame]]
    track_years: pd.DataFrame  # spor × budgetaftale × år, for the chart
    area_years: pd.DataFrame  # omraade × år, fixed prices, for the chart
    initiatives: pd.DataFrame  # mart.besparelser joined with investeringer
    catalogue_levels: str | None = None  # '2023/2024': the catalogue's, when not adjusted

    @property
    def level_text(self) -> str:
        if self.level != "løbende priser":
            return f"{self.level}-priser"
        if not self.catalogue_levels:
            return "løbende priser"
        return (
            f"løbende priser, katalogets beløb i {self.catalogue_levels}-priser (intet prisindeks)"
        )

    @property
    def as_of_text(self) -> str:
        return self.as_of.strftime("%d-%m-%Y") if self.as_of else "–"


def read_content(con: duckdb.DuckDBPyConnection) -> Content:
    level = con.execute("SELECT prisniveau FROM core.prisniveau").fetchone()[0]
    as_of = con.execute("SELECT max(opgjort_til) FROM mart.budgetopfoelgning").fetchone()[0]
    overview = con.execute(OVERVIEW_SQL).df()
    sheets = {name: (title, con.execute(sql).df()) for name, (title, sql) in LEVELS.items()}
    track_years = con.execute(
        "SELECT spor, budgetaftale, aar, budgetteret_besparelse, realiseret_besparelse "
        "FROM mart.spor_status ORDER BY budgetaftale, spor, aar"
    ).df()
    area_years = con.execute(
        "PIVOT (SELECT omraade, aar, nettoforbrug_faste_priser FROM mart.aarsoversigt) "
        "ON omraade USING sum(nettoforbrug_faste_priser) ORDER BY aar"
    ).df()
    initiatives = con.execute(
        "SELECT b.*, i.budgetteret_investering, i.forbrugt_investering FROM mart.besparelser b "
        "JOIN mart.investeringer i USING (indsats_id, budgetaftale, aar) "
        "ORDER BY b.spor, b.indsats_id, b.budgetaftale, b.aar"
    ).df()
    catalogue_levels = con.execute(CATALOGUE_LEVELS_SQL).fetchone()[0]
    return Content(
        level, as_of, overview, sheets, track_years, area_years, initiatives, catalogue_levels
    )
