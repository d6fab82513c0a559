-- Det vedtagne (oprindelige) budget pr. område og år fra den budgetaftale, der gælder for
-- året: den nyeste aftale, der starter senest i året. fra_aar er aftalens første år (dens
-- prisniveau), budgetaftale dens navn. Bruges af budgetopfølgningen og årsoversigten.
-- Navn: vedtaget budget
CREATE OR REPLACE TABLE core.vedtaget_budget AS
SELECT omraade, aar,
       arg_max(beloeb, CAST(left(budgetaftale, 4) AS INTEGER)) AS beloeb,
       max(CAST(left(budgetaftale, 4) AS INTEGER)) AS fra_aar,
       arg_max(budgetaftale, CAST(left(budgetaftale, 4) AS INTEGER)) AS budgetaftale
FROM (
    SELECT omraade, aar, budgetaftale, sum(beloeb) AS beloeb
    FROM core.budget
    WHERE budgettype = 'oprindeligt' AND omraade IS NOT NULL AND budgetaftale IS NOT NULL
      AND CAST(left(budgetaftale, 4) AS INTEGER) <= aar
    GROUP BY ALL
)
GROUP BY ALL;
