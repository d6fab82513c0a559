"""What both reports show, read once from the published warehouse.

The workbook and the page present the same content, in mio. kr. throughout: a headline
per agreement, the overview per track and agreement with totals and the reason for every
red status, a note on how the agreements relate, and the same tables (tracks, initiatives,
investments, budget follow-up, agreements, annual overview, goals, deliveries).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from assets.danish import count, date, level_text, mio, percent
from assets.reports import comparison, effect

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
    WHERE spor IS NOT NULL
    GROUP BY spor, budgetaftale
)
ORDER BY spor, budgetaftale
"""

# without a price index the catalogue's amounts stay in their own price level(s)
CATALOGUE_LEVELS_SQL = """
SELECT string_agg(DISTINCT y, '/' ORDER BY y)
FROM (SELECT unnest(string_split(katalogets_prisniveau, '/')) AS y FROM mart.besparelser)
"""

# column → (Danish header, kind): kr (amount), pct (a share), dato, heltal, antal, tal, tekst,
# janej. A mart column's come from its contract (assets/marts/sql/<table>.toml); these are
# the report's own columns, computed in its queries
COLUMNS = {
    "budget_i_alt": ("Budgetteret i alt", "kr"),
    "budget_til_dato": ("Budgetteret til dato", "kr"),
    "investering": ("Investering", "kr"),
    "nettoeffekt": ("Nettoeffekt", "kr"),
    "opgjorte_aar": ("Opgjorte år", "tekst"),
    "forbrugsprocent": ("Forbrugsprocent", "pct"),
    "markering": ("Markering", "tekst"),
    "filer": ("Filer", "antal"),
    "forklaring": ("Forklaring", "tekst"),
    "hvad": ("Indsats eller område", "tekst"),
    "tal": ("Tal", "tekst"),
    "kilderaekker": ("Rækker i filen", "tekst"),
    **comparison.COLUMNS,
    **effect.COLUMNS,
}

# the report's pivot of mart.budgetaftaler: one column per agreement the catalogue holds
PER_AGREEMENT = re.compile(r"^(besparelse|aendring)_(\d{4})_(\d{4})$")


def column(name: str) -> tuple[str, str]:
    """A column's Danish header and kind (see COLUMNS), also for the per-agreement columns;
    a column without either is an error, never shown by its raw name."""
    from schemas.marts import column_formats  # pandera: not for a run with nothing new

    if found := column_formats().get(name) or COLUMNS.get(name):
        return found
    if m := PER_AGREEMENT.match(name):
        what = "Besparelse" if m[1] == "besparelse" else "Ændring mod forrige aftale,"
        return f"{what} {m[2]}-{m[3]}", "kr"
    raise KeyError(f"column {name!r} has no contract and no header in COLUMNS")


UNIT = "mio. kr."
# the tables whose budgeted amounts are the catalogue's (in its price level without an index)
CATALOGUE_TABLES = {
    "Spor",
    "Indsatsstatus",
    "Indsatser",
    "Investeringer",
    "Budgetaftaler",
    "Opfølgninger",
    "Realisering",
    effect.NAME,  # its budget-based saving is mart.besparelser's
}
# the same series in the same colour in both reports: budgeted blue-grey, realised green
SERIES_COLOURS = {
    "Budgetteret": "#8da0cb",
    "Realiseret": "#1b7837",
    "Nettoforbrug": "#1b7837",
    "Budget": "#8da0cb",
    "Baseline": "#d95f02",
    "botilbud": "#7570b3",
    "bostøtte": "#e7298a",
    "førtidspension": "#66a61e",
    "forsørgelse": "#e6ab02",
    "børn og unge": "#a6761d",
}
TREND = {"Nettoforbrug": "nettoforbrug", "Budget": "budget", "Baseline": "baseline"}

# per område and month, current prices: net spending (drift and refusion), the corrected
# budget of the year spread evenly over its months, and the baseline: the average month of
# the område's first year with all twelve months
MONTHLY_SQL = """
WITH maaned AS (
    SELECT omraade, aar, maaned, sum(beloeb) AS nettoforbrug
    FROM core.forbrug WHERE omraade IS NOT NULL GROUP BY ALL
), budget AS (
    SELECT omraade, aar, sum(beloeb) / 12 AS budget FROM core.budget
    WHERE budgettype = 'korrigeret' AND omraade IS NOT NULL GROUP BY ALL
), baseline AS (
    SELECT omraade, arg_min(total / 12, aar) AS baseline FROM (
        SELECT omraade, aar, sum(nettoforbrug) AS total FROM maaned
        GROUP BY ALL HAVING count(*) = 12
    ) GROUP BY omraade
)
SELECT m.omraade, printf('%d-%02d', m.aar, m.maaned) AS maaned,
       m.nettoforbrug, b.budget, bl.baseline
FROM maaned m LEFT JOIN budget b USING (omraade, aar) LEFT JOIN baseline bl USING (omraade)
ORDER BY m.omraade, m.aar, m.maaned
"""

MISSING_REASON = "Begrundelse mangler"

# a year the price index lacks is moved with the nearest year's index (core.prisfaktor)
PRICE_GAPS_SQL = """
SELECT 'Advarsel: prisindekset (' || type || ') har intet tal for ' || aar || '; ' || aar
       || ' er regnet med indekset for ' || bruger_aar || ', så beløb fra eller til ' || aar
       || ' er ikke prisreguleret mellem ' || least(aar, bruger_aar) || ' og '
       || greatest(aar, bruger_aar) || '. Aflever et prisindeks med ' || aar || '.' AS advarsel
FROM core.prisindeks_mangler ORDER BY type, aar
"""

# an område and year whose korrigeret budget no delivered correction explains in full
BRIDGE_GAPS_SQL = """
SELECT 'Advarsel: ' || omraade || ' ' || aar || ': korrigeret budget '
       || replace(format('{:,.0f}', korrigeret_budget), ',', '.') || ' kr. − vedtaget '
       || replace(format('{:,.0f}', vedtaget_budget), ',', '.') || ' kr. − korrektioner '
       || replace(format('{:,.0f}', korrigeret_budget - vedtaget_budget - uforklaret), ',', '.')
       || ' kr. efterlader ' || replace(format('{:,.0f}', uforklaret), ',', '.')
       || ' kr., som ingen budgetkorrektion forklarer; budgetmetodens reference flyttes ikke af'
       || ' dem. Aflever budgetkorrektioner for ' || omraade || ' ' || aar || '.' AS advarsel
FROM mart.budgetbro WHERE uforklaret <> 0 ORDER BY omraade, aar
"""

# the same for the price line: per year, the index years used, and which index if not both
PRICE_LINE_SQL = """
SELECT aar, bruger_aar, list(type ORDER BY type) AS typer,
       count(*) = (SELECT count(DISTINCT type) FROM core.prisindeks) AS alle
FROM core.prisindeks_mangler GROUP BY aar, bruger_aar ORDER BY aar
"""
INDEX_NAMES = {"service": "serviceindeks", "overførsler": "overførselsindeks"}

# Opmærksomhed: first every red initiative without its owner's comment and every year the
# price index lacks, then the plausibility warnings of the files in force (a superseded,
# duplicate or rejected file's warnings are history), each warning once: the same finding
# (what follows 'kolonne …') in several files is one row naming the files, newest first
ATTENTION_SQL = f"""
WITH gaeldende AS (
    SELECT o.leverance_nr, o.filnavn, o.advarsel,
           coalesce(nullif(regexp_extract(o.advarsel, 'kolonne .*$'), ''), o.advarsel) AS fund
    FROM mart.opmaerksomhed o JOIN mart.leverancer l USING (leverance_nr)
    WHERE l.status = 'accepteret'
), fund AS (
    SELECT min(leverance_nr) AS foerste, count(*) AS filer,
           string_agg(filnavn, ', ' ORDER BY leverance_nr DESC) AS filnavn,
           CASE WHEN count(*) = 1 THEN any_value(advarsel)
                ELSE 'Advarsel: ' || string_agg(filnavn, ', ' ORDER BY leverance_nr DESC)
                     || ', ' || fund END AS advarsel
    FROM gaeldende GROUP BY fund
)
SELECT * EXCLUDE (raekkefoelge) FROM (
    SELECT 0 AS raekkefoelge, NULL AS filer, NULL AS filnavn,
           '{MISSING_REASON}: ' || indsats_id || ' ' || indsats || ' er rød i budgetaftale '
           || budgetaftale || ' og har ingen kommentar fra indsatslederen'
           || coalesce(' (' || ansvarlig || ')', '') AS advarsel
    FROM mart.indsats_status WHERE begrundelse_mangler
    UNION ALL
    SELECT 0, NULL, NULL, advarsel FROM ({PRICE_GAPS_SQL})
    UNION ALL
    SELECT 0, NULL, NULL, advarsel FROM ({BRIDGE_GAPS_SQL})
    UNION ALL
    SELECT foerste, filer, filnavn, advarsel FROM fund
)
ORDER BY raekkefoelge, advarsel
"""

# a deviation of the expected accounts from the corrected budget this large is flagged
DEVIATION_SHARE = 0.02

# Budgetopfølgning as a controller reads it: the current year (the newest with spending)
# first, then the others newest first; per year the områder and an I alt (empty where an
# område lacks the figure: a missing figure is never 0); the forbrugsprocent (spending
# to date ÷ corrected budget) and the expected deviation flagged from DEVIATION_SHARE
BUDGET_SQL = f"""
WITH b AS (SELECT * FROM mart.budgetopfoelgning),
aktuelt AS (SELECT max(aar) AS aar FROM b WHERE forbrug_aar_til_dato IS NOT NULL),
rækker AS (
    SELECT 0 AS total, * FROM b
    UNION ALL
    SELECT 1, 'I alt', aar,
           CASE WHEN count(oprindeligt_budget) = count(*) THEN sum(oprindeligt_budget) END,
           CASE WHEN count(korrigeret_budget) = count(*) THEN sum(korrigeret_budget) END,
           CASE WHEN count(forbrug_aar_til_dato) = count(*) THEN sum(forbrug_aar_til_dato) END,
           CASE WHEN count(forventet_regnskab) = count(*) THEN sum(forventet_regnskab) END,
           CASE WHEN count(afvigelse) = count(*) THEN sum(afvigelse) END,
           max(opgjort_til),
           CASE WHEN count(DISTINCT opgjort_som) = 1 THEN any_value(opgjort_som) END,
           NULL, any_value(prisniveau)
    FROM b GROUP BY aar HAVING count(*) > 1
)
SELECT aar, omraade, oprindeligt_budget, korrigeret_budget, forbrug_aar_til_dato,
       round(forbrug_aar_til_dato / nullif(korrigeret_budget, 0), 4) AS forbrugsprocent,
       forventet_regnskab, afvigelse,
       CASE WHEN abs(afvigelse) >= {DEVIATION_SHARE} * abs(korrigeret_budget)
            THEN CASE WHEN afvigelse > 0 THEN 'merforbrug' ELSE 'mindreforbrug' END
       END AS markering,
       opgjort_til, opgjort_som, forventet_af, prisniveau
FROM rækker
ORDER BY aar = (SELECT aar FROM aktuelt) DESC NULLS LAST, aar DESC, total, omraade
"""

# Sporbarhed: per initiative (its sheets Indsatser and Investeringer) and per område
# (Budgetopfølgning and Årsoversigt), each figure's files, sheets, rows and what they
# contributed, from mart.sporbarhed; the rows as ranges ('2–7, 9'). Only rows of the mart
# tables in the report, so a committee's report traces its own figures.
TRACE_SQL = """
WITH valgt AS (
    SELECT s.*, row_number() OVER () AS nr,
           CASE s.tabel WHEN 'besparelser' THEN 1 WHEN 'investeringer' THEN 2
                        WHEN 'budgetopfoelgning' THEN 3 ELSE 4 END AS orden
    FROM mart.sporbarhed s
    WHERE s.indgang NOT IN ('katalog', 'prisindeks') AND (
        (s.tabel = 'besparelser' AND s.noegle IN (
            SELECT indsats_id || '|' || budgetaftale || '|' || aar FROM mart.besparelser))
        OR (s.tabel = 'investeringer' AND s.noegle IN (
            SELECT indsats_id || '|' || budgetaftale || '|' || aar FROM mart.investeringer))
        OR (s.tabel = 'budgetopfoelgning' AND s.noegle IN (
            SELECT omraade || '|' || aar FROM mart.budgetopfoelgning))
        OR (s.tabel = 'aarsoversigt' AND s.noegle IN (
            SELECT omraade || '|' || aar FROM mart.aarsoversigt)))
),
intervaller AS (
    SELECT nr, string_agg(CASE WHEN fra = til THEN CAST(fra AS VARCHAR)
                               ELSE fra || '–' || til END, ', ' ORDER BY fra) AS kilderaekker
    FROM (
        SELECT nr, min(r) AS fra, max(r) AS til
        FROM (SELECT nr, r, r - row_number() OVER (PARTITION BY nr ORDER BY r) AS ø
              FROM (SELECT nr, unnest(raekker) AS r FROM valgt))
        GROUP BY nr, ø
    )
    GROUP BY nr
)
SELECT CASE v.orden WHEN 1 THEN 'Indsatser' WHEN 2 THEN 'Investeringer'
                    WHEN 3 THEN 'Budgetopfølgning' ELSE 'Årsoversigt' END AS tabel,
       split_part(v.noegle, '|', 1) AS hvad,
       CASE WHEN v.orden <= 2 THEN split_part(v.noegle, '|', 2) END AS budgetaftale,
       CAST(split_part(v.noegle, '|', -1) AS INTEGER) AS aar,
       v.kolonne AS tal, v.indgang, v.filnavn, v.modtaget, v.sha256, v.kilde_ark,
       i.kilderaekker, v.antal_raekker, v.bidrag, 'løbende priser' AS prisniveau
FROM valgt v JOIN intervaller i USING (nr)
ORDER BY v.orden, hvad, budgetaftale, aar, tal, v.indgang, v.leverance_nr, v.kilde_ark
"""

# mart.sporbarhed's indgang in the report's words
INPUTS = {
    "planlagt": "planlagt (kataloget)",
    "forbrug": "forbrug",
    "forbrug_basisaar": "forbrug i basisåret",
    "korrigeret_budget": "korrigeret budget",
    "vedtaget_budget": "vedtaget budget",
    "forventet": "forventet regnskab (budgetansvarlig)",
    "aktivitet": "aktivitet",
    "aktivitet_basisaar": "aktivitet i basisåret",
    "befolkning": "befolkning",
    "budgetkorrektion": "budgetkorrektion",
}

# name → (title, SQL), in the report's order (the Effekt section goes after Overblik);
# the afvigelse sign of budgetopfølgning is spelled out in its title
LEVELS = {
    "Budgetopfølgning": (
        "Budgetopfølgning pr. år og område, indeværende år først (afvigelse: merforbrug +, "
        f"mindreforbrug −; markeret ved {DEVIATION_SHARE * 100:.0f} % af korrigeret budget)",
        BUDGET_SQL,
    ),
    "Spor": (
        "Spor pr. budgetaftale og år",
        "SELECT * EXCLUDE (spornavn, sporansvarlig) FROM mart.spor_status",
    ),
    "Indsatsstatus": (
        "Status til dato pr. indsats med ansvarlig, udvalg og indsatslederens kommentar",
        "SELECT * EXCLUDE (spornavn, sporansvarlig, begrundelse_mangler) FROM mart.indsats_status",
    ),
    "Indsatser": (
        "Besparelser pr. indsats, budgetaftale og år",
        "SELECT * FROM mart.besparelser",
    ),
    "Realisering": (
        "Forventet realisering pr. indsats til aftalens sidste år (realiseret til dato og de "
        "resterende års planlagte besparelser)",
        "SELECT * FROM mart.forventet_realisering",
    ),
    effect.NAME: (effect.TITLE, effect.SQL),
    "Opfølgninger": (
        "Opfølgningerne over tid pr. indsats, spor og i alt, med ændringen siden forrige",
        "SELECT * FROM mart.opfoelgning_aendringer",
    ),
    "Opmærksomhed": (
        "Røde indsatser uden begrundelse, år uden prisindeks, uforklarede budgetkorrektioner "
        "og advarsler fra "
        "plausibilitetstjekket af de afleverede filer (afviser aldrig en fil)",
        ATTENTION_SQL,
    ),
    "Årsoversigt": (
        "Budget, regnskab, aktivitet og enhedsomkostning pr. område og år, med kommende år "
        "og overslagsår fra det seneste vedtagne budget",
        "SELECT * FROM mart.aarsoversigt",
    ),
    comparison.NAME: (comparison.TITLE, comparison.SQL),
    "Investeringer": (
        "Investeringer pr. indsats, budgetaftale og år",
        "SELECT * FROM mart.investeringer",
    ),
    "Budgetaftaler": (
        "Budgetaftalernes planlagte besparelser side om side, og ændringen mod den forrige "
        "aftale, der dækker året",
        "SELECT * FROM mart.budgetaftaler",
    ),
    "Budgetbro": (
        "Fra vedtaget til korrigeret budget pr. område og år, fordelt på korrektionernes type; "
        "kun teknisk og demografi flytter budgetmetodens reference",
        "SELECT * FROM mart.budgetbro",
    ),
    "Mål": ("Faglige mål pr. indsats", "SELECT * FROM mart.maal"),
    "Leverancer": ("Afleverede filer", "SELECT * EXCLUDE (sha256) FROM mart.leverancer"),
    "Sporbarhed": (
        "Hvert tal pr. indsats og område sporet til filerne, med hvad rækkerne bidrog med i "
        "filens egne kroner (til et realiseret resultat: gruppens måling, før indsatsens andel)",
        TRACE_SQL,
    ),
}

# the appendix (rapporter/<stem>_bilag.xlsx and .html): the tables a reader looks a figure
# up in, not what the steering group reads. Opfølgninger is in both: the report shows the
# rows that changed since the last closed follow-up, the appendix every row.
APPENDIX = [
    "Opfølgninger",
    effect.NAME,
    "Indsatser",
    "Investeringer",
    "Budgetaftaler",
    "Budgetbro",
    "Mål",
    "Leverancer",
    "Sporbarhed",
]
APPENDIX_NOTE = (
    "Bilaget rummer opslagstabellerne bag rapporten: alle opfølgninger, effekten pr. "
    "område og år, indsatsernes besparelser og investeringer pr. år, "
    "budgetaftalerne side om side, budgetbroen fra vedtaget til korrigeret budget, faglige mål, "
    "de afleverede filer og sporbarheden."
)

TOTALS_SQL = f"""
SELECT budgetaftale, sum(budget_i_alt) AS budget_i_alt, sum(budget_til_dato) AS budget_til_dato,
       sum(realiseret_til_dato) AS realiseret_til_dato,
       round(sum(realiseret_til_dato) / nullif(sum(budget_til_dato), 0), 4) AS maalopfyldelse,
       mart.status(sum(realiseret_til_dato), sum(budget_til_dato)) AS status,
       sum(investering) AS investering, sum(forbrugt_investering) AS forbrugt_investering,
       sum(nettoeffekt) AS nettoeffekt
FROM ({OVERVIEW_SQL}) GROUP BY budgetaftale ORDER BY budgetaftale
"""

# per track and agreement, the initiative furthest behind its budget in the years counted
BEHIND_SQL = """
SELECT spor, budgetaftale, indsats_id, indsats,
       sum(budgetteret_besparelse) AS budgetteret, sum(realiseret_besparelse) AS realiseret
FROM mart.besparelser WHERE realiseret_besparelse IS NOT NULL
GROUP BY ALL
ORDER BY spor, budgetaftale, sum(realiseret_besparelse) - sum(budgetteret_besparelse), indsats_id
"""


@dataclass
class Table:
    name: str  # the sheet's name, the section's heading
    title: str
    frame: pd.DataFrame  # mart columns (see COLUMNS), without prisniveau
    level: str | None  # the table's price level as a phrase; None when it has no amounts
    appendix: bool = False  # in the appendix file, not the report
    note: str = ""  # a line under the title: what the table leaves to the appendix

    @property
    def has_amounts(self) -> bool:
        return any(column(c)[1] == "kr" for c in self.frame.columns)


@dataclass
class Content:
    level: str  # '2026' or 'løbende priser'
    as_of: dt.date | None  # last day with spending data
    headlines: list[str]  # one sentence per agreement
    relation: str  # how the agreements relate
    overview: pd.DataFrame  # per track and agreement, then 'I alt' per agreement
    tables: list[Table]
    track_names: dict[int, str]
    forecast_years: list[int]  # years counted on the forecast (open year)
    track_years: pd.DataFrame  # spor × budgetaftale × år, for the charts
    area_years: pd.DataFrame  # omraade × år, fixed prices, for the chart
    initiatives: pd.DataFrame  # mart.besparelser joined with investeringer
    months: pd.DataFrame  # omraade × month: net spending, budget and baseline (MONTHLY_SQL)
    catalogue_levels: str | None = None  # '2023/2024': the catalogue's, when not adjusted
    carried: list[str] = field(default_factory=list)  # years without an index, as phrases
    waterfalls: pd.DataFrame = field(default_factory=pd.DataFrame)  # effect.WATERFALL_SQL
    follow_up: str = ""  # which follow-up the report shows, and what changes are measured against
    changes: list[str] = field(default_factory=list)  # per agreement: what moved since then
    comparisons: list[str] = field(default_factory=list)  # per område: rank and gap
    effects: list[str] = field(default_factory=list)  # per område: what the strategy did
    title: str = "status for styregruppen"  # or for one committee or owner

    @property
    def level_text(self) -> str:
        text = price_phrase(self.level, self.catalogue_levels)
        return f"{text} ({'; '.join(self.carried)})" if self.carried else text

    @property
    def as_of_text(self) -> str:
        return date(self.as_of)

    def table(self, name: str, appendix: bool | None = None) -> Table:
        """The table of that name: the report's, else the appendix's (or the one asked)."""
        return next(t for t in self.tables if t.name == name and appendix in (None, t.appendix))

    def part(self, appendix: bool) -> list[Table]:
        """The report's tables in order, or the appendix's."""
        return [t for t in self.tables if t.appendix == appendix]

    def year_text(self, year: int) -> str:
        return f"{year} (forventet)" if year in self.forecast_years else str(year)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


# the three tracks as the strategy names them (docs/kontrakt.md, "The strategy in brief")
TRACKS = {
    1: "Udgiftsdæmpende tiltak",
    2: "Færre unge på forsørgelse og førtidspension",
    3: "Særligt udfordrede børn og unge",
}


def track_names(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """'Spor 1: Udgiftsdæmpende tiltak (sporansvarlig: …)' for every track with initiatives:
    the catalogue's name and lead where it gives them, else the strategy's name."""
    rows = con.execute(
        "SELECT spor, any_value(spornavn), any_value(sporansvarlig) FROM mart.spor_status "
        "WHERE spor IS NOT NULL GROUP BY spor ORDER BY spor"
    ).fetchall()
    out = {}
    for spor, name, lead in rows:
        name = name or TRACKS.get(spor)
        text = f"Spor {spor}: {name}" if name else f"Spor {spor}"
        out[int(spor)] = text + (f" (sporansvarlig: {lead})" if lead else "")
    return out


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


# per agreement: realised to date, the part in (initiative, year) cells every agreement has
# (the same figure under each), and its initiatives with a realised year no other has
SHARED_SQL = """
WITH celler AS (
    SELECT indsats_id, aar, budgetaftale, realiseret_besparelse AS realiseret
    FROM mart.besparelser WHERE realiseret_besparelse IS NOT NULL
),
faelles AS (
    SELECT indsats_id, aar FROM celler GROUP BY ALL
    HAVING count(DISTINCT budgetaftale) = (SELECT count(DISTINCT budgetaftale) FROM celler)
)
SELECT c.budgetaftale, sum(c.realiseret) AS i_alt,
       coalesce(sum(c.realiseret) FILTER (WHERE f.indsats_id IS NOT NULL), 0) AS faelles,
       count(DISTINCT c.indsats_id) FILTER (WHERE f.indsats_id IS NULL) AS egne_indsatser
FROM celler c LEFT JOIN faelles f USING (indsats_id, aar)
GROUP BY c.budgetaftale ORDER BY c.budgetaftale
"""


def _shared_text(shared: list[tuple]) -> str:
    """What the realised totals beside the note have in common, and why they differ."""
    if len(shared) < 2:
        return ""
    common = shared[0][2]
    own = [
        f"{a} {mio(total - both)} {UNIT} ({count(n, 'indsats', 'indsatser')})"
        for a, total, both, n in shared
        if total != both
    ]
    return (
        f" Af det realiserede til dato er {mio(common)} {UNIT} de samme indsatser og år under "
        "hver aftale; "
        + (f"resten har kun nogle af aftalerne: {_and(own)}." if own else "intet andet.")
    )


def relation_note(agreements: list[str], shared: list[tuple] = ()) -> str:
    """How the agreements relate: which years they share, which one counts each year, and
    (``shared``: rows of SHARED_SQL) why their realised totals differ."""
    spans = sorted((int(a[:4]), int(a[5:]), a) for a in agreements)
    if len(spans) < 2:
        return (
            "Der er én budgetaftale; dens tal står alene."
            if spans
            else "Der er ingen budgetaftaler i kataloget endnu."
        )
    first = max(s for s, _, _ in spans)
    last = min(e for _, e, _ in spans)
    current: dict[str, list[int]] = {}
    for year in range(spans[0][0], max(e for _, e, _ in spans) + 1):
        newest = max((s, a) for s, e, a in spans if s <= year <= e)[1]
        current.setdefault(newest, []).append(year)
    counts = "; ".join(
        f"{ys[0] if len(ys) == 1 else f'{ys[0]} til {ys[-1]}'}: {a}" for a, ys in current.items()
    )
    shared_years = (
        f"overlapper i {_years(first, last)} og må ikke lægges sammen"
        if first <= last
        else "overlapper ikke"
    )
    return (
        f"Budgetaftalerne {_and([a for _, _, a in spans])} {shared_years}: en indsats' "
        "realiserede besparelse i et år er den samme under hver aftale, der har indsatsen og "
        "dækker året; aftalerne adskiller sig i, hvad der var budgetteret, og i hvilke "
        f"indsatser og år de har.{_shared_text(list(shared))} Gældende aftale pr. år: {counts}."
    )


def headline(row, subject: str = "Strategien") -> str:
    """The sentence for one agreement; ``subject`` says whose figures they are (a
    committee's report: "Udvalgets indsatser", never the whole strategy)."""
    return (
        f"Budgetaftale {row.budgetaftale}: {subject} har realiseret "
        f"{mio(row.realiseret_til_dato)} af {mio(row.budget_til_dato)} {UNIT} budgetteret "
        f"til dato ({percent(row.maalopfyldelse)}); status {row.status}."
    )


def _negative(value) -> bool:
    """A figure below zero; nothing (None, NA, NaN) is not."""
    return value is not None and bool(pd.notna(value)) and value < 0


def _explain(row, behind: pd.DataFrame) -> str | None:
    """Why a track is red or yellow (or its share negative): the initiative furthest behind."""
    if row.status not in ("rød", "gul") and not _negative(row.maalopfyldelse):
        return None
    worst = behind[(behind["spor"] == row.spor) & (behind["budgetaftale"] == row.budgetaftale)]
    text = f"{percent(row.maalopfyldelse)} af det budgetterede til dato"
    if _negative(row.realiseret_til_dato):
        text += " (negativ: forbruget steg i stedet for at falde)"
    if not worst.empty:
        w = worst.iloc[0]
        text += (
            f"; længst bagud: {w.indsats_id} {w.indsats}, {mio(w.realiseret)} af "
            f"{mio(w.budgetteret)} {UNIT}"
        )
    return text


def _explain_total(total, tracks: pd.DataFrame) -> str | None:
    if total.status not in ("rød", "gul"):
        return None
    mine = tracks[tracks["budgetaftale"] == total.budgetaftale].sort_values("maalopfyldelse")
    text = f"{percent(total.maalopfyldelse)} af det budgetterede til dato"
    if mine.empty:
        return text
    name = mine.iloc[0].spornavn.split(" (sporansvarlig:")[0]  # the lead is on its own row
    return text + f"; længst bagud: {name}"


def _overview(con: duckdb.DuckDBPyConnection, names: dict[int, str], years) -> pd.DataFrame:
    rows = con.execute(OVERVIEW_SQL).df()
    behind = con.execute(BEHIND_SQL).df()
    rows["forklaring"] = [_explain(r, behind) for r in rows.itertuples()]
    rows["spornavn"] = [names.get(int(s), f"Spor {s}") for s in rows["spor"]]
    rows["opgjorte_aar"] = [
        None if not text else ", ".join(years(int(y)) for y in text.split(", "))
        for text in rows["opgjorte_aar"]
    ]
    totals = con.execute(TOTALS_SQL).df()
    totals["spornavn"] = "I alt"
    totals["forklaring"] = [_explain_total(t, rows) for t in totals.itertuples()]
    out = pd.concat([rows, totals], ignore_index=True)
    order = ["budgetaftale", "spornavn", "budget_i_alt", "budget_til_dato"]
    order += ["realiseret_til_dato", "maalopfyldelse", "status", "forklaring"]
    order += ["investering", "forbrugt_investering", "nettoeffekt", "opgjorte_aar"]
    out["total"] = out["spornavn"] == "I alt"
    out = out.sort_values(["budgetaftale", "total"], kind="stable")
    return out[order].reset_index(drop=True)


def initiative_reason(row) -> str | None:
    """Why an initiative's year is red or yellow, in words."""
    if row.status not in ("rød", "gul"):
        return None
    text = (
        f"realiseret {mio(row.realiseret_besparelse)} af {mio(row.budgetteret_besparelse)} "
        f"{UNIT} ({percent(row.maalopfyldelse)})"
    )
    if row.realiseret_besparelse is not None and row.realiseret_besparelse < 0:
        text += "; negativ: forbruget steg i stedet for at falde"
    if row.opgjort_som == "forventet":
        text += "; året er ikke slut (forventet regnskab)"
    return text


def agreements_side_by_side(long: pd.DataFrame) -> pd.DataFrame:
    """mart.budgetaftaler (a row per initiative, year and agreement) with one column per
    agreement it holds, oldest first, and beside each agreement that has a previous one its
    change against it; empty where the agreement does not cover the year."""
    keys = ["spor", "indsats_id", "indsats", "aar"]
    out = long.drop_duplicates(keys)[[*keys, "prisniveau"]].set_index(keys)
    for agreement, rows in long.groupby("budgetaftale", sort=True):
        tag = agreement.replace("-", "_")
        rows = rows.set_index(keys)
        out[f"besparelse_{tag}"] = rows["besparelse"]
        if rows["forrige_budgetaftale"].notna().any():
            out[f"aendring_{tag}"] = rows["aendring"]
    return out.reset_index()


def _explained(name: str, frame: pd.DataFrame, forecast: list[int]) -> pd.DataFrame:
    """The initiatives' table gains the reason for each red or yellow year; the tracks'
    table says which years are counted on the forecast; the agreements' table has a column
    per agreement; a red initiative without its owner's comment says that its reason is
    missing."""
    if name == "Budgetaftaler":
        return agreements_side_by_side(frame)
    if name == "Indsatsstatus":
        missing = (frame["status"] == "rød") & frame["kommentar"].isna()
        return frame.assign(kommentar=frame["kommentar"].mask(missing, MISSING_REASON))
    if name == "Indsatser":
        reasons = [initiative_reason(r) for r in frame.itertuples()]
        return frame.assign(forklaring=reasons)
    if name == "Sporbarhed":
        return frame.assign(
            tal=frame["tal"].map(lambda c: column(c)[0]),
            indgang=frame["indgang"].map(lambda i: INPUTS.get(i, i.replace("_", " "))),
        )
    if name == "Spor":
        counted = (frame["indsatser_opgjort"] > 0).fillna(False)
        kind = ["forventet" if int(y) in forecast else "regnskab" for y in frame["aar"]]
        return frame.assign(
            opgjort_som=[k if c else None for k, c in zip(kind, counted, strict=True)]
        )
    return frame


def price_phrase(level: str, catalogue_levels: str | None = None) -> str:
    """'2026-priser'; without an index the catalogue's amounts keep their own level(s)."""
    if level != "løbende priser" or not catalogue_levels:
        return level_text(level)
    return f"løbende priser, katalogets beløb i {catalogue_levels}-priser (intet prisindeks)"


def _table(
    name: str, title: str, frame: pd.DataFrame, level: str, catalogue_levels: str | None = None
) -> Table:
    """A table with its own price level (budget follow-up is in current prices whatever the
    marts' level), or none when it holds no amounts."""
    levels = frame["prisniveau"].dropna().unique() if "prisniveau" in frame else []
    table = Table(name, title, frame.drop(columns=["prisniveau"], errors="ignore"), None)
    if table.has_amounts:
        table.level = price_phrase(str(levels[0]) if len(levels) else level, catalogue_levels)
    return table


def carried_years(con: duckdb.DuckDBPyConnection) -> list[str]:
    """'intet prisindeks for 2026: regnet med indekset for 2025', one per year."""
    out = []
    for year, used, types, both in _rows(con, PRICE_LINE_SQL):
        name = "prisindeks" if both else " og ".join(INDEX_NAMES.get(t, t) for t in types)
        out.append(f"intet {name} for {year}: regnet med indekset for {used}")
    return out


def price_warnings(con: duckdb.DuckDBPyConnection) -> list[str]:
    """An Advarsel per index and year the index lacks, and per område and year whose budget
    bridge leaves a remainder (for the run summary)."""
    return [line for sql in (PRICE_GAPS_SQL, BRIDGE_GAPS_SQL) for (line,) in _rows(con, sql)]


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:  # a warehouse built before the table
        return []


def follow_up_note(con: duckdb.DuckDBPyConnection) -> str:
    """Which follow-up the report shows: the current figures, against the last closed one."""
    last = con.execute(
        "SELECT opfoelgning, lukket FROM mart.opfoelgninger ORDER BY 1 DESC"
    ).fetchone()
    if last is None:
        return (
            "Rapporten viser de aktuelle tal; der er endnu ingen lukkede opfølgninger at "
            "sammenligne med."
        )
    return (
        "Rapporten viser de aktuelle tal, som endnu ikke er lukket som opfølgning; "
        f"ændringerne er målt mod opfølgningen pr. {date(last[0])} (lukket {date(last[1])})."
    )


def _changed(frame: pd.DataFrame) -> pd.Series:
    """The current rows whose realised or budgeted figure moved since the last closed
    follow-up (a change that cannot be measured is not one)."""
    moved = (frame["aendring_realiseret"].fillna(0) != 0) | (
        frame["aendring_budgetteret"].fillna(0) != 0
    )
    return (frame["tilstand"] == "aktuel") & moved


def _parts(tables: dict[str, Table]) -> list[Table]:
    """The report's tables in LEVELS' order, then the appendix's in APPENDIX' order; the
    report's Opfølgninger holds the changed rows only and counts the rest."""
    report = []
    for name, table in tables.items():
        if name == "Opfølgninger":
            frame = table.frame
            changed = frame[_changed(frame)].reset_index(drop=True)
            current = int((frame["tilstand"] == "aktuel").sum())
            table = Table(
                name,
                "Det, der har ændret sig siden den seneste lukkede opfølgning, pr. indsats, "
                "spor og i alt",
                changed,
                table.level,
                note=f"{count(current - len(changed), 'række', 'rækker')} uden ændring og "
                "de lukkede opfølgninger står i bilaget (arket Opfølgninger).",
            )
        if name == effect.NAME:  # the report: each område's newest year; the appendix: all
            table = Table(
                name,
                table.title,
                effect.newest(table.frame),
                table.level,
                note="Hvert områdes nyeste år med et skøn; alle år står i bilaget (arket Effekt).",
            )
        if name not in APPENDIX or name in ("Opfølgninger", effect.NAME):
            report.append(table)
    appendix = [tables[name] for name in APPENDIX]
    for table in appendix:
        table.appendix = True
    return report + appendix


# per agreement, the realised savings to date now and at the last closed follow-up, and
# how many initiatives moved (mart.opfoelgning_aendringer's current rows)
CHANGES_SQL = """
SELECT budgetaftale, any_value(forrige_opfoelgning) AS forrige,
       sum(realiseret_besparelse) FILTER (WHERE niveau = 'i alt') AS nu,
       sum(forrige_realiseret) FILTER (WHERE niveau = 'i alt') AS foer,
       count(DISTINCT indsats_id) FILTER (
           WHERE niveau = 'indsats' AND (coalesce(aendring_realiseret, 0) <> 0
                                         OR coalesce(aendring_budgetteret, 0) <> 0)
       ) AS indsatser
FROM mart.opfoelgning_aendringer
WHERE tilstand = 'aktuel' AND forrige_opfoelgning IS NOT NULL
GROUP BY budgetaftale ORDER BY budgetaftale
"""


def changes_since(con: duckdb.DuckDBPyConnection) -> list[str]:
    """'Siden opfølgningen pr. 30-09-2026: 2024-2027 realiseret 97,1 → 96,5 mio. kr.
    (−0,6); 3 indsatser ændret.', one per agreement; none before the first closed one."""
    out = []
    for agreement, before_day, now, before, moved in _rows(con, CHANGES_SQL):
        delta = None if now is None or before is None else now - before
        sign = "" if delta is None or delta < 0 else "+"
        out.append(
            f"Budgetaftale {agreement} siden opfølgningen pr. {date(before_day)}: realiseret "
            f"til dato {mio(before)} → {mio(now)} {UNIT} ({sign}{mio(delta)}); "
            f"{count(moved, 'indsats', 'indsatser')} med ændrede tal."
        )
    return out


def read_headlines(con: duckdb.DuckDBPyConnection, subject: str = "Strategien") -> Content:
    """The overview per track and agreement and one headline per agreement, and what they
    are phrased with: what the run summary prints. The tables, charts and months are left
    empty (``read_content`` fills them), so a run with nothing new reads no more than the
    marts' overview."""
    level = con.execute("SELECT prisniveau FROM core.prisniveau").fetchone()[0]
    as_of = con.execute("SELECT max(opgjort_til) FROM mart.budgetopfoelgning").fetchone()[0]
    forecast = [
        int(y)
        for (y,) in con.execute(
            "SELECT DISTINCT aar FROM mart.besparelser WHERE opgjort_som = 'forventet' ORDER BY 1"
        ).fetchall()
    ]
    names = track_names(con)
    agreements = [
        a
        for (a,) in con.execute(
            "SELECT DISTINCT budgetaftale FROM mart.besparelser ORDER BY 1"
        ).fetchall()
    ]
    content = Content(
        carried=carried_years(con),
        level=level,
        as_of=as_of,
        headlines=[],
        relation=relation_note(agreements, con.execute(SHARED_SQL).fetchall()),
        overview=pd.DataFrame(),
        tables=[],
        track_names=names,
        forecast_years=forecast,
        track_years=pd.DataFrame(),
        area_years=pd.DataFrame(),
        initiatives=pd.DataFrame(),
        months=pd.DataFrame(),
        catalogue_levels=con.execute(CATALOGUE_LEVELS_SQL).fetchone()[0],
    )
    content.overview = _overview(con, names, content.year_text)
    content.headlines = [
        headline(r, subject)
        for r in content.overview[content.overview["spornavn"] == "I alt"].itertuples()
    ]
    return content


def read_content(
    con: duckdb.DuckDBPyConnection, title: str = "", subject: str = "Strategien"
) -> Content:
    """``title``: 'status for Social- og Sundhedsudvalget' and ``subject``: 'Udvalgets
    indsatser' when ``con`` holds one committee's (or owner's) initiatives only
    (assets/reports/scope.py)."""
    content = read_headlines(con, subject)
    content.tables = _parts(
        {
            name: _table(
                name,
                title,
                _explained(name, con.execute(sql).df(), content.forecast_years),
                content.level,
                content.catalogue_levels if name in CATALOGUE_TABLES else None,
            )
            for name, (title, sql) in LEVELS.items()
        }
    )
    content.track_years = con.execute(
        "SELECT spor, budgetaftale, aar, budgetteret_besparelse, realiseret_besparelse "
        "FROM mart.spor_status ORDER BY budgetaftale, spor, aar"
    ).df()
    content.area_years = con.execute(
        "PIVOT (SELECT omraade, aar, nettoforbrug_faste_priser FROM mart.aarsoversigt "
        "WHERE nettoforbrug_faste_priser IS NOT NULL) "
        "ON omraade USING sum(nettoforbrug_faste_priser) ORDER BY aar"
    ).df()
    content.initiatives = con.execute(
        "SELECT b.*, i.budgetteret_investering, i.forbrugt_investering "
        "FROM mart.besparelser b "
        "JOIN mart.investeringer i USING (indsats_id, budgetaftale, aar) "
        "ORDER BY b.spor, b.indsats_id, b.budgetaftale, b.aar"
    ).df()
    content.months = con.execute(MONTHLY_SQL).df()
    content.waterfalls = con.execute(effect.WATERFALL_SQL).df()
    content.follow_up = follow_up_note(con)
    if title:
        content.title = title
        content.follow_up = (
            "Rapporten omfatter kun indsatserne for "
            + title.removeprefix("status for ")
            + " og deres områder. "
            + content.follow_up
        )
    content.changes = changes_since(con)
    content.effects = effect.headlines(con)
    content.comparisons = comparison.headlines(con)
    return content
