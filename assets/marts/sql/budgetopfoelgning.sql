-- Budgetopfølgning pr. område og år i løbende priser: oprindeligt budget (den gældende
-- budgetaftales vedtagne budget for året), korrigeret budget, forbrug år til dato,
-- forventet regnskab og afvigelse (forventet regnskab − korrigeret budget: merforbrug +,
-- mindreforbrug −). opgjort_til er sidste dag i sidste måned med forbrugsdata.
CREATE OR REPLACE TABLE mart.budgetopfoelgning AS
WITH oprindeligt AS (
    SELECT omraade, aar,
           arg_max(beloeb, CAST(left(budgetaftale, 4) AS INTEGER)) AS beloeb
    FROM (
        SELECT omraade, aar, budgetaftale, sum(beloeb) AS beloeb
        FROM core.budget
        WHERE budgettype = 'oprindeligt' AND omraade IS NOT NULL
          AND CAST(left(budgetaftale, 4) AS INTEGER) <= aar
        GROUP BY ALL
    )
    GROUP BY ALL
),
korrigeret AS (
    SELECT omraade, aar, sum(beloeb) AS beloeb
    FROM core.budget
    WHERE budgettype = 'korrigeret' AND omraade IS NOT NULL
    GROUP BY ALL
),
forbrug AS (
    SELECT omraade, aar, sum(forbrug_aar_til_dato) AS aar_til_dato,
           sum(forventet_regnskab) AS forventet, max(opgjort_til) AS opgjort_til,
           bool_or(opgjort_som = 'forventet') AS forventet_flag
    FROM core.forbrug_aar
    GROUP BY ALL
),
noegler AS (
    SELECT omraade, aar FROM oprindeligt
    UNION SELECT omraade, aar FROM korrigeret
    UNION SELECT omraade, aar FROM forbrug
)
SELECT n.omraade, n.aar,
       o.beloeb AS oprindeligt_budget,
       k.beloeb AS korrigeret_budget,
       f.aar_til_dato AS forbrug_aar_til_dato,
       f.forventet AS forventet_regnskab,
       f.forventet - k.beloeb AS afvigelse,
       last_day(make_date(n.aar, f.opgjort_til, 1)) AS opgjort_til,
       CASE WHEN f.forventet_flag THEN 'forventet' WHEN NOT f.forventet_flag THEN 'regnskab' END
           AS opgjort_som,
       'løbende priser' AS prisniveau
FROM noegler n
LEFT JOIN oprindeligt o USING (omraade, aar)
LEFT JOIN korrigeret k USING (omraade, aar)
LEFT JOIN forbrug f USING (omraade, aar)
ORDER BY n.omraade, n.aar;
