"""Blocking checks of the economic invariants: a krone is attributed once, each område and
year has one korrigeret budget, and what is not covered or has no data is empty, not 0.

Each check is a query that returns one line per violation (empty when the invariant
holds); the first line is the check's description in Dagster. Spending conservation is
``forbrug_afstemning`` in ``checks.py``. ``sporing`` holds every mart row with figures to
at least one row of ``mart.sporbarhed``.
"""

from __future__ import annotations

import dagster as dg

from assets.marts.sql_checks import sql_check

ATTRIBUTION = """
WITH spending_groups AS (
    SELECT g.gruppe
    FROM core.indsats_grupper g JOIN core.indsatser i USING (indsats_id)
    GROUP BY g.gruppe
    HAVING bool_or(i.metode IN ('budget', 'baseline'))
),
spending_functions AS (
    -- a group with a budget or baseline initiative measures the spending on every function
    -- its initiatives sit on, whatever the method of the one on the function
    SELECT DISTINCT f.funktion
    FROM core.indsats_funktioner f JOIN core.indsats_grupper g USING (indsats_id)
    WHERE g.gruppe IN (SELECT gruppe FROM spending_groups)
),
per_initiative AS (
    SELECT indsats_id, aar, min(realiseret_besparelse) AS lo, max(realiseret_besparelse) AS hi
    FROM mart.besparelser
    GROUP BY ALL
),
attributed AS (
    SELECT g.gruppe, p.aar, sum(p.hi) AS tildelt, count(p.hi) AS n
    FROM per_initiative p JOIN core.indsats_grupper g USING (indsats_id)
    GROUP BY ALL
),
measure AS (
    SELECT r.gruppe, r.aar, core.kr(r.resultat * core.prisfaktor(r.regime, r.aar, n.aar)) AS maal
    FROM core.gruppe_resultat r CROSS JOIN core.prisniveau n
)
SELECT 'funktion ' || f.funktion || ' er delt mellem grupperne '
       || string_agg(DISTINCT g.gruppe, ', ' ORDER BY g.gruppe)
FROM core.indsats_funktioner f JOIN core.indsats_grupper g USING (indsats_id)
WHERE f.funktion IN (SELECT funktion FROM spending_functions)
GROUP BY f.funktion
HAVING count(DISTINCT g.gruppe) > 1
UNION ALL
SELECT 'indikator ' || i.aktivitetsindikator || ' (' || i.omraade || ') er delt mellem '
       || 'grupperne ' || string_agg(DISTINCT g.gruppe, ', ' ORDER BY g.gruppe)
FROM core.indsatser i JOIN core.indsats_grupper g USING (indsats_id)
WHERE i.metode = 'aktivitet'
GROUP BY i.aktivitetsindikator, i.omraade
HAVING count(DISTINCT g.gruppe) > 1
UNION ALL
SELECT 'indsats ' || indsats_id || ' er ikke i nogen gruppe'
FROM core.indsatser ANTI JOIN core.indsats_grupper USING (indsats_id)
UNION ALL
SELECT 'indsats ' || indsats_id || ' ' || aar || ' har forskellig realiseret besparelse i '
       || 'de to aftaler: ' || lo || ' og ' || hi || ' kr.'
FROM per_initiative WHERE lo IS DISTINCT FROM hi
UNION ALL
SELECT 'gruppe ' || a.gruppe || ' ' || a.aar || ': indsatserne er tildelt ' || a.tildelt
       || ' kr., men gruppens eget mål er ' || coalesce(CAST(m.maal AS VARCHAR), 'tomt')
FROM attributed a LEFT JOIN measure m USING (gruppe, aar)
WHERE a.n > 0 AND (m.maal IS NULL OR a.tildelt > m.maal + 0.01 * a.n)
"""

BUDGET = """
WITH korrigeret AS (
    SELECT leverance_nr, funktion, aar, beloeb, omraade
    FROM (SELECT r.*, core.kontering(r.funktion, NULL, r.aar).omraade AS omraade
          FROM raw.budget r WHERE r.budgettype = 'korrigeret')
    WHERE omraade IS NOT NULL
),
latest AS (
    SELECT funktion, aar, max(leverance_nr) AS leverance_nr FROM korrigeret GROUP BY ALL
),
expected AS (
    SELECT omraade, aar, sum(beloeb) AS beloeb
    FROM korrigeret JOIN latest USING (funktion, aar, leverance_nr)
    GROUP BY ALL
),
in_core AS (
    SELECT funktion, aar, count(DISTINCT leverance_nr) AS filer
    FROM core.budget
    WHERE budgettype = 'korrigeret' AND omraade IS NOT NULL
    GROUP BY ALL
),
in_mart AS (
    SELECT omraade, aar, korrigeret_budget FROM mart.budgetopfoelgning
    WHERE korrigeret_budget IS NOT NULL
)
SELECT 'funktion ' || funktion || ' ' || aar || ': det korrigerede budget kommer fra '
       || filer || ' filer'
FROM in_core WHERE filer > 1
UNION ALL
SELECT omraade || ' ' || aar || ': korrigeret budget ' || coalesce(CAST(m.korrigeret_budget
       AS VARCHAR), 'tomt') || ' kr. i budgetopfoelgning, men '
       || coalesce(CAST(e.beloeb AS VARCHAR), 'intet')
       || ' kr. i de nyeste filer for områdets funktioner'
FROM expected e FULL JOIN in_mart m USING (omraade, aar)
WHERE e.beloeb IS DISTINCT FROM m.korrigeret_budget
"""

COVERAGE = """
WITH agreements AS (SELECT DISTINCT budgetaftale FROM core.indsats_oekonomi),
expected_rows AS (
    -- every initiative's year under every agreement that covers it, and no other
    SELECT DISTINCT b.indsats_id, b.aar, a.budgetaftale
    FROM mart.besparelser b JOIN agreements a ON mart.daekker(a.budgetaftale, b.aar)
),
spending_years AS (
    SELECT DISTINCT g.gruppe, fa.aar
    FROM core.indsats_grupper g
    JOIN core.indsats_funktioner f USING (indsats_id)
    JOIN core.forbrug_aar fa USING (funktion)
)
SELECT 'budgetaftaler ' || indsats_id || ' ' || aar || ' ' || budgetaftale
       || CASE WHEN a.indsats_id IS NULL THEN ': rækken mangler'
               ELSE ': aftalen dækker ikke året, men besparelsen er '
                    || coalesce(CAST(a.besparelse AS VARCHAR), 'tom') END
FROM expected_rows e FULL JOIN mart.budgetaftaler a USING (indsats_id, aar, budgetaftale)
WHERE e.indsats_id IS NULL OR a.indsats_id IS NULL
UNION ALL
SELECT 'budgetaftaler ' || indsats_id || ' ' || aar || ' ' || budgetaftale || ': ændringen er '
       || coalesce(CAST(aendring AS VARCHAR), 'tom') || ' mod '
       || coalesce(forrige_budgetaftale, 'ingen forrige aftale')
FROM mart.budgetaftaler
WHERE (aendring IS NULL) <> (forrige_budgetaftale IS NULL)
   OR (forrige_budgetaftale IS NOT NULL AND NOT mart.daekker(forrige_budgetaftale, aar))
UNION ALL
SELECT 'besparelser ' || b.indsats_id || ' ' || b.budgetaftale || ' ' || b.aar
       || ': realiseret ' || b.realiseret_besparelse || ' kr. uden data for året'
FROM mart.besparelser b JOIN core.indsats_grupper g USING (indsats_id)
WHERE b.realiseret_besparelse IS NOT NULL AND (
    (b.maalt_med IN ('budget', 'baseline')
     AND NOT EXISTS (SELECT 1 FROM spending_years s WHERE s.gruppe = g.gruppe AND s.aar = b.aar))
    OR (b.maalt_med = 'aktivitet' AND NOT EXISTS (
        SELECT 1 FROM core.indsatser i JOIN core.aktivitet_aar x
          ON x.indikator = i.aktivitetsindikator AND x.omraade = i.omraade
        WHERE i.indsats_id = b.indsats_id AND x.aar = b.aar)))
UNION ALL
SELECT 'besparelser ' || indsats_id || ' ' || budgetaftale || ' ' || aar
       || ': status ' || status || ' passer ikke til den realiserede besparelse'
FROM mart.besparelser
WHERE (realiseret_besparelse IS NULL) <> (status = 'ikke opgjort')
   OR (realiseret_besparelse IS NULL) <> (opgjort_som IS NULL)
UNION ALL
SELECT 'spor_status spor ' || spor || ' ' || budgetaftale || ' ' || aar
       || ': realiseret og nettoeffekt skal være tomme, når intet er opgjort'
FROM mart.spor_status
WHERE (realiseret_besparelse IS NULL) <> (indsatser_opgjort = 0)
   OR (nettoeffekt_realiseret IS NULL) <> (realiseret_besparelse IS NULL)
UNION ALL
SELECT 'aarsoversigt ' || a.omraade || ' ' || a.aar || ': ændringen er '
       || coalesce(CAST(a.aendring_kr AS VARCHAR), 'tom') || ', men år ' || (a.aar - 1)
       || CASE WHEN f.nettoforbrug_faste_priser IS NULL THEN ' har ingen data'
               ELSE ' har data' END
FROM mart.aarsoversigt a
LEFT JOIN mart.aarsoversigt f ON f.omraade = a.omraade AND f.aar = a.aar - 1
WHERE (a.aendring_kr IS NULL)
      <> (f.nettoforbrug_faste_priser IS NULL OR a.nettoforbrug_faste_priser IS NULL)
UNION ALL
SELECT 'budgetopfoelgning ' || omraade || ' ' || aar || ': afvigelsen er '
       || coalesce(CAST(afvigelse AS VARCHAR), 'tom')
FROM mart.budgetopfoelgning
WHERE (afvigelse IS NULL) <> (forventet_regnskab IS NULL OR korrigeret_budget IS NULL)
"""

# each mart table with figures and its key as mart.sporbarhed writes it
TRACED_TABLES = {
    "besparelser": "indsats_id || '|' || budgetaftale || '|' || aar",
    "investeringer": "indsats_id || '|' || budgetaftale || '|' || aar",
    "spor_status": "spor || '|' || budgetaftale || '|' || aar",
    "indsats_status": "indsats_id || '|' || budgetaftale",
    "forventet_realisering": "indsats_id || '|' || budgetaftale",
    "budgetaftaler": "indsats_id || '|' || budgetaftale || '|' || aar",
    "budgetopfoelgning": "omraade || '|' || aar",
    "aarsoversigt": "omraade || '|' || aar",
    "maal": "indsats_id || '|' || indikator || '|' || aar",
    "benchmark": "kommunenr || '|' || omraade || '|' || aar",
}

TRACE = "\nUNION ALL\n".join(
    f"SELECT '{table} ' || noegle || ': rækken har ingen kildefil i sporbarhed'\n"
    f"FROM (SELECT {key} AS noegle FROM mart.{table}) m\n"
    f"WHERE noegle NOT IN (SELECT noegle FROM mart.sporbarhed WHERE tabel = '{table}')"
    for table, key in TRACED_TABLES.items()
)


tildeling = sql_check(
    "besparelser",
    "tildeling",
    ATTRIBUTION,
    "Hver krone er tildelt én gang.",
    "En krone tælles kun én gang: en funktion, hvis forbrug en gruppe måler (en gruppe "
    "med en budget- eller baseline-indsats måler alle sine indsatsers funktioner), og en "
    "aktivitetsindikator (område og indikator) hører til én gruppe, uanset metode; for "
    "hver gruppe og år er indsatsernes realiserede besparelser "
    "tilsammen højst gruppens eget mål; alle aftalers rækker viser samme realiserede "
    "besparelse for et år.",
)

korrigeret_budget = sql_check(
    "budgetopfoelgning",
    "korrigeret_budget",
    BUDGET,
    "Ét korrigeret budget pr. område og år.",
    "Hvert område og år har ét korrigeret budget: hver funktions korrigerede budget for "
    "året kommer fra én fil (den nyeste, der dækker funktionen og året, uanset "
    "budgetaftale-kolonnen), og budgetopfølgningen viser netop summen af områdets "
    "funktioner, til øren.",
)

daekning = sql_check(
    "budgetaftaler",
    "daekning",
    COVERAGE,
    "Tomme år er tomme, ikke 0.",
    "Tomt, aldrig 0: budgetaftaler har én række for hvert år, en aftale dækker, og "
    "ingen for andre år; år uden data er tomme i besparelser, spor_status, aarsoversigt "
    "og budgetopfoelgning, og en ændring eller afvigelse er tom, når et af dens tal er "
    "tomt.",
    tuple(
        dg.AssetKey(["mart", t])
        for t in ("besparelser", "spor_status", "aarsoversigt", "budgetopfoelgning")
    ),
)

sporing = sql_check(
    "sporbarhed",
    "sporing",
    TRACE,
    "Hver række med tal kan spores til sine filer.",
    "Hver række i mart-tabellerne med tal (besparelser, investeringer, spor_status, "
    "indsats_status, forventet_realisering, budgetaftaler, budgetopfoelgning, aarsoversigt, "
    "maal og benchmark) har mindst én række i sporbarhed, der navngiver filen, arket og "
    "Excel-rækkerne bag den.",
    tuple(dg.AssetKey(["mart", t]) for t in TRACED_TABLES),
)

INVARIANT_CHECKS = [tildeling, korrigeret_budget, daekning, sporing]
