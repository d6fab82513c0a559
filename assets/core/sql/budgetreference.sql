-- Budgetmetodens reference pr. funktion og år: det vedtagne budget i den budgetaftale, der
-- gælder for året (den nyeste, der starter senest i året), flyttet alene af de
-- dokumenterede korrektioner af typen teknisk og demografi (core.budgetkorrektion).
-- Tillægsbevillinger og overførsler flytter den aldrig, så de bliver ikke til en
-- besparelse. Er der intet vedtaget budget for funktionen og året, er referencen det
-- korrigerede budget fratrukket årets tillægsbevillinger og overførsler (grundlag siger
-- hvilket). En korrektion uden funktion fordeles på områdets funktioner i forhold til
-- deres vedtagne (ellers korrigerede) budget. Se docs/beregninger.md, "Budgetkorrektioner".
-- Navn: budgetmetodens reference
CREATE OR REPLACE TABLE core.budgetreference AS
WITH vedtaget AS (
    SELECT funktion, aar, any_value(omraade) AS omraade,
           arg_max(budgetaftale, fra) AS budgetaftale, arg_max(beloeb, fra) AS beloeb
    FROM (
        SELECT funktion, aar, budgetaftale, any_value(omraade) AS omraade,
               CAST(left(budgetaftale, 4) AS INTEGER) AS fra, sum(beloeb) AS beloeb
        FROM core.budget
        WHERE budgettype = 'oprindeligt' AND budgetaftale IS NOT NULL
          AND CAST(left(budgetaftale, 4) AS INTEGER) <= aar
        GROUP BY ALL
    )
    GROUP BY ALL
),
korrigeret AS (
    SELECT funktion, aar, any_value(omraade) AS omraade, sum(beloeb) AS beloeb
    FROM core.budget
    WHERE budgettype = 'korrigeret'
    GROUP BY ALL
),
funktioner AS (
    SELECT funktion, aar, coalesce(v.omraade, k.omraade) AS omraade, v.budgetaftale,
           v.beloeb AS vedtaget, k.beloeb AS korrigeret
    FROM vedtaget v FULL JOIN korrigeret k USING (funktion, aar)
),
vaegt AS (
    SELECT funktion, aar, omraade,
           coalesce(vedtaget, korrigeret)
               / nullif(sum(coalesce(vedtaget, korrigeret)) OVER (PARTITION BY omraade, aar), 0)
               AS andel
    FROM funktioner
    WHERE omraade IS NOT NULL
),
korrektioner AS (
    SELECT funktion, aar, type, beloeb FROM core.budgetkorrektion WHERE funktion IS NOT NULL
    UNION ALL
    SELECT w.funktion, c.aar, c.type, c.beloeb * w.andel
    FROM core.budgetkorrektion c
    JOIN vaegt w ON w.omraade = c.omraade AND w.aar = c.aar
    WHERE c.funktion IS NULL
),
pr_funktion AS (
    SELECT funktion, aar,
           sum(beloeb) FILTER (WHERE type IN ('teknisk', 'demografi')) AS flytter,
           sum(beloeb) FILTER (WHERE type IN ('tillægsbevilling', 'overførsel')) AS flytter_ikke
    FROM korrektioner
    GROUP BY ALL
)
SELECT f.funktion, f.aar, f.omraade, f.budgetaftale, f.vedtaget, f.korrigeret,
       coalesce(p.flytter, 0) AS teknisk_og_demografi,
       coalesce(p.flytter_ikke, 0) AS bevillinger_og_overfoersler,
       CASE WHEN f.vedtaget IS NOT NULL THEN f.vedtaget + coalesce(p.flytter, 0)
            ELSE f.korrigeret - coalesce(p.flytter_ikke, 0) END AS reference,
       CASE WHEN f.vedtaget IS NOT NULL THEN 'vedtaget' ELSE 'korrigeret' END AS grundlag
FROM funktioner f
LEFT JOIN pr_funktion p USING (funktion, aar);
