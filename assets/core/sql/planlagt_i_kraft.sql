-- Planlagt besparelse pr. indsats og år i den budgetaftale, der er gældende for året (den
-- nyeste, der starter senest i året og dækker det), i årets priser. Den fordeler en
-- gruppes resultat mellem indsatserne, og budgetmetoden lægger den til det korrigerede
-- budget.
-- Navn: planlagte besparelser i kraft
CREATE OR REPLACE TABLE core.planlagt_i_kraft AS
WITH aftaler AS (
    SELECT DISTINCT budgetaftale,
           CAST(left(budgetaftale, 4) AS INTEGER) AS fra,
           CAST(right(budgetaftale, 4) AS INTEGER) AS til
    FROM core.indsats_oekonomi
),
aarene AS (SELECT DISTINCT aar FROM core.indsats_oekonomi),
gaeldende AS (
    SELECT y.aar, arg_max(a.budgetaftale, a.fra) AS budgetaftale
    FROM aarene y JOIN aftaler a ON a.fra <= y.aar AND y.aar <= a.til
    GROUP BY y.aar
)
SELECT o.indsats_id, o.aar, o.budgetaftale,
       sum(o.beloeb * core.prisfaktor(i.regime, o.prisniveau, o.aar)) AS besparelse
FROM core.indsats_oekonomi o
JOIN core.indsatser i USING (indsats_id)
JOIN gaeldende g USING (budgetaftale, aar)
WHERE o.type = 'besparelse'
GROUP BY ALL;
