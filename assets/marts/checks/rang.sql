-- Rangen er 1, 2, …, n for hvert område og år blandt alle kommuner og i sammenligningsgruppen, 1
-- er den laveste pr. indbygger, og en kommune uden tal har ingen rang.
-- Tabel: benchmark
-- Godkendt: Rangene er 1 til n i hvert område og år.
-- Trin: Tjekker rangene i {}
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
