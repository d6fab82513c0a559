-- Budgetaftalernes planlagte besparelser pr. indsats, år og budgetaftale, i ét prisniveau:
-- én række for hver aftale i kataloget og hvert år, aftalen dækker, så en ny aftale kommer
-- med uden ændringer her. Dækker aftalen året uden en besparelse for indsatsen, er den 0.
-- aendring er ændringen mod den forrige aftale, der også dækker året (den nyeste, der
-- starter før); uden en sådan er den tom, ligesom forrige_budgetaftale.
-- Navn: budgetaftaler
CREATE OR REPLACE TABLE mart.budgetaftaler AS
WITH aftaler AS (
    SELECT DISTINCT budgetaftale, CAST(left(budgetaftale, 4) AS INTEGER) AS fra
    FROM core.indsats_oekonomi
),
planlagt AS (
    SELECT b.spor, b.indsats_id, b.indsats, b.aar, a.budgetaftale, a.fra,
           coalesce(sum(b.budgetteret_besparelse)
                    FILTER (WHERE b.budgetaftale = a.budgetaftale), 0) AS besparelse,
           any_value(b.prisniveau) AS prisniveau
    FROM mart.besparelser b
    JOIN aftaler a ON mart.daekker(a.budgetaftale, b.aar)
    GROUP BY b.spor, b.indsats_id, b.indsats, b.aar, a.budgetaftale, a.fra
)
SELECT spor, indsats_id, indsats, aar, budgetaftale, besparelse,
       lag(budgetaftale) OVER forrige AS forrige_budgetaftale,
       besparelse - lag(besparelse) OVER forrige AS aendring,
       prisniveau
FROM planlagt
WINDOW forrige AS (PARTITION BY indsats_id, aar ORDER BY fra)
ORDER BY spor, indsats_id, aar, budgetaftale;
