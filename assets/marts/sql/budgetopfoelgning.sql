-- Budgetopfølgning pr. område og år i løbende priser: oprindeligt budget (den gældende
-- budgetaftales vedtagne budget for året), korrigeret budget, forbrug år til dato,
-- forventet regnskab og afvigelse (forventet regnskab − korrigeret budget: merforbrug +,
-- mindreforbrug −). opgjort_til er sidste dag i sidste måned med forbrugsdata. For et år,
-- der ikke er slut, er forventet regnskab de budgetansvarliges eget (core.forventet_regnskab,
-- områdets tal), hvor det findes, ellers det beregnede; forventet_af siger hvilket.
-- Navn: budgetopfølgning
CREATE OR REPLACE TABLE mart.budgetopfoelgning AS
WITH oprindeligt AS (SELECT omraade, aar, beloeb FROM core.vedtaget_budget),
korrigeret AS (SELECT * FROM core.korrigeret_budget),
forbrug AS (
    SELECT omraade, aar, sum(forbrug_aar_til_dato) AS aar_til_dato,
           sum(forventet_regnskab) AS forventet, max(opgjort_til) AS opgjort_til,
           bool_or(opgjort_som = 'forventet') AS forventet_flag
    FROM core.forbrug_aar
    GROUP BY ALL
),
budgetansvarlig AS (
    SELECT omraade, aar, forventet_regnskab
    FROM core.forventet_regnskab
    WHERE indsats_id IS NULL
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
       CASE WHEN f.forventet_flag THEN coalesce(b.forventet_regnskab, f.forventet)
            ELSE f.forventet END AS forventet_regnskab,
       CASE WHEN f.forventet_flag THEN coalesce(b.forventet_regnskab, f.forventet)
            ELSE f.forventet END - k.beloeb AS afvigelse,
       last_day(make_date(n.aar, f.opgjort_til, 1)) AS opgjort_til,
       CASE WHEN f.forventet_flag THEN 'forventet' WHEN NOT f.forventet_flag THEN 'regnskab' END
           AS opgjort_som,
       CASE WHEN f.forventet_flag AND b.forventet_regnskab IS NOT NULL THEN 'budgetansvarlig'
            WHEN f.forventet_flag THEN 'beregnet' END AS forventet_af,
       'løbende priser' AS prisniveau
FROM noegler n
LEFT JOIN oprindeligt o USING (omraade, aar)
LEFT JOIN korrigeret k USING (omraade, aar)
LEFT JOIN forbrug f USING (omraade, aar)
LEFT JOIN budgetansvarlig b USING (omraade, aar)
ORDER BY n.omraade, n.aar;
