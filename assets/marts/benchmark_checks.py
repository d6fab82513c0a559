"""Blocking checks on the comparison with other municipalities (mart.benchmark)."""

import dagster as dg

from assets.marts.sql_checks import sql_check

RANKS = """
WITH rangeret AS (
    SELECT omraade, aar, 'rang' AS hvilken, rang AS r, antal_kommuner AS n, kr_pr_indbygger
    FROM mart.benchmark WHERE kr_pr_indbygger IS NOT NULL
    UNION ALL
    SELECT omraade, aar, 'rang_i_gruppen', rang_i_gruppen, antal_i_gruppen, kr_pr_indbygger
    FROM mart.benchmark WHERE kr_pr_indbygger IS NOT NULL AND i_gruppen
)
SELECT 'benchmark ' || omraade || ' ' || aar || ': ' || hvilken || ' er ikke 1..' || any_value(n)
FROM rangeret
GROUP BY omraade, aar, hvilken
HAVING count(DISTINCT r) <> count(*) OR min(r) <> 1 OR max(r) <> count(*)
    OR any_value(n) <> count(*)
    OR arg_min(r, kr_pr_indbygger) <> 1 AND min(kr_pr_indbygger) <> max(kr_pr_indbygger)
UNION ALL
SELECT 'benchmark ' || omraade || ' ' || aar || ': ' || kommunenr || ' har rang uden tal'
FROM mart.benchmark
WHERE kr_pr_indbygger IS NULL AND (rang IS NOT NULL OR rang_i_gruppen IS NOT NULL)
"""

TOTALS = """
SELECT 'benchmark: ' || b.kommunenr || ' ' || b.kommune || ' er ikke en kommune'
FROM mart.benchmark b
WHERE b.kommunenr NOT IN (SELECT kommunenr FROM core.kommuner)
UNION ALL
SELECT 'dst_befolkning ' || b.kommunenr || ' ' || b.aar || ': aldersgrupperne giver '
       || b.antal || ', filens egen total er ' || t.antal
FROM (SELECT kommunenr, aar, sum(antal) AS antal, max(leverance_nr) AS leverance_nr
      FROM core.dst_befolkning GROUP BY ALL) b
JOIN (SELECT core.dst_kommunenr(geografi) AS kommunenr, aar, leverance_nr,
             coalesce(maaned, 3 * kvartal - 2, 0) AS tidspunkt, antal
      FROM raw.dst_befolkning
      WHERE core.dst_total(koen) AND core.dst_total(alder) AND antal IS NOT NULL) t
  ON t.kommunenr = b.kommunenr AND t.aar = b.aar AND t.leverance_nr = b.leverance_nr
WHERE t.tidspunkt = (SELECT min(coalesce(maaned, 3 * kvartal - 2, 0)) FROM raw.dst_befolkning r
                     WHERE r.leverance_nr = t.leverance_nr AND r.aar = t.aar)
  AND b.antal <> t.antal
"""


rang = sql_check(
    "benchmark",
    "rang",
    RANKS,
    "Rangene er 1 til n i hvert område og år.",
    "Rangen er 1, 2, …, n for hvert område og år blandt alle kommuner og i "
    "sammenligningsgruppen, 1 er den laveste pr. indbygger, og en kommune uden tal har "
    "ingen rang.",
)

ingen_totaler = sql_check(
    "benchmark",
    "ingen_totaler",
    TOTALS,
    "Ingen total er talt med.",
    "En total lægges aldrig til sine dele: sammenligningen har kun kommuner (ikke hele "
    "landet eller regioner), og hvor befolkningsfilen har kommunens total (køn i alt, "
    "alder i alt), giver aldersgrupperne netop den.",
    (dg.AssetKey(["core", "dst_befolkning"]),),
)

BENCHMARK_CHECKS = [rang, ingen_totaler]
