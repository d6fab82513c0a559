-- Pr. spor, budgetaftale og år: investeringer, budgetterede og realiserede besparelser
-- og nettoeffekten (besparelse minus investering), i ét prisniveau. Den realiserede
-- nettoeffekt er helår mod helår: realiseret besparelse minus forventet investering.
-- budgetteret_besparelse_opgjort er kun de indsatser, der har et realiseret resultat.
-- Sporets navn og sporansvarlige kommer fra kataloget (tomme, når det ikke har dem).
-- Navn: status pr. spor
CREATE OR REPLACE TABLE mart.spor_status AS
WITH spor AS (
    SELECT spor, any_value(spornavn) AS spornavn, any_value(sporansvarlig) AS sporansvarlig
    FROM core.indsatser
    GROUP BY spor
)
SELECT b.spor, any_value(s.spornavn) AS spornavn, any_value(s.sporansvarlig) AS sporansvarlig,
       b.budgetaftale, b.aar,
       sum(i.budgetteret_investering) AS budgetteret_investering,
       sum(i.forbrugt_investering) AS forbrugt_investering,
       sum(i.forventet_investering) AS forventet_investering,
       sum(b.budgetteret_besparelse) AS budgetteret_besparelse,
       sum(b.budgetteret_besparelse) FILTER (WHERE b.realiseret_besparelse IS NOT NULL)
           AS budgetteret_besparelse_opgjort,
       sum(b.realiseret_besparelse) AS realiseret_besparelse,
       sum(b.budgetteret_besparelse) - sum(i.budgetteret_investering) AS nettoeffekt_budgetteret,
       sum(b.realiseret_besparelse) - coalesce(sum(i.forventet_investering), 0)
           AS nettoeffekt_realiseret,
       count(b.realiseret_besparelse) AS indsatser_opgjort,
       count(*) AS indsatser,
       any_value(b.prisniveau) AS prisniveau
FROM mart.besparelser b
JOIN mart.investeringer i USING (indsats_id, budgetaftale, aar)
LEFT JOIN spor s ON s.spor = b.spor
GROUP BY b.spor, b.budgetaftale, b.aar
ORDER BY b.spor, b.budgetaftale, b.aar;
