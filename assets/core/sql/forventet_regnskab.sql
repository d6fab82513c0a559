-- Budgetansvarliges eget forventet regnskab pr. område og år (og evt. pr. indsats): for
-- hvert område og år gælder den seneste opfølgning (måned), og ved samme måned den senest
-- modtagne fil. Områdets tal er rækkerne uden indsats; rækker pr. indsats står for sig.
-- Navn: budgetansvarliges forventet regnskab
CREATE OR REPLACE TABLE core.forventet_regnskab AS
WITH filer AS (
    SELECT leverance_nr, omraade, aar, max(maaned) AS maaned
    FROM raw.forventet
    GROUP BY ALL
),
gaeldende AS (
    SELECT omraade, aar, leverance_nr, maaned
    FROM filer
    QUALIFY row_number() OVER (
        PARTITION BY omraade, aar ORDER BY maaned DESC, leverance_nr DESC) = 1
)
SELECT r.omraade, r.aar, r.indsats_id, g.maaned AS opfoelgning_maaned,
       sum(r.beloeb) AS forventet_regnskab, g.leverance_nr
FROM raw.forventet r
JOIN gaeldende g USING (omraade, aar, leverance_nr)
GROUP BY ALL;
