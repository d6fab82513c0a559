-- Budgetansvarliges eget forventet regnskab pr. år: et tal for et område (rækker uden
-- indsats) eller for funktionerne under en indsats (rækker med indsats-ID: indsatsens
-- funktioner fra kataloget, funktioner). Det, et tal gælder for, er nøglen: to indsatser
-- på samme funktioner har ét forventet regnskab, aldrig to, der lægges sammen. For hver
-- nøgle og år gælder den seneste opfølgning (måned), ved samme måned den senest
-- modtagne fil og i samme fil den sidste række, hvis ark og række står her (til
-- mart.sporbarhed). Se docs/beregninger.md, "Forventet regnskab"; to forskellige tal for
-- det samme og samme måned giver en advarsel (assets/plausibility).
-- Navn: budgetansvarliges forventet regnskab
CREATE OR REPLACE TABLE core.forventet_regnskab AS
WITH funktioner AS (
    SELECT indsats_id, string_agg(funktion, ', ' ORDER BY funktion) AS funktioner
    FROM core.indsats_funktioner
    GROUP BY indsats_id
),
raekker AS (
    SELECT r.*, f.funktioner,
           CASE WHEN r.indsats_id IS NULL THEN 'område ' || r.omraade
                ELSE 'funktioner ' || coalesce(f.funktioner, 'under indsats ' || r.indsats_id)
           END AS noegle
    FROM raw.forventet r
    LEFT JOIN funktioner f USING (indsats_id)
)
SELECT omraade, aar, indsats_id, funktioner, maaned AS opfoelgning_maaned,
       beloeb AS forventet_regnskab, leverance_nr, kilde_ark, kilde_raekke
FROM raekker
QUALIFY row_number() OVER (
    PARTITION BY noegle, aar ORDER BY maaned DESC, leverance_nr DESC, kilde_raekke DESC) = 1;
