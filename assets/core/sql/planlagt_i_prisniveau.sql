-- Planlagte besparelser og investeringer pr. indsats, budgetaftale og år fra kataloget, i
-- mart-tabellernes ene prisniveau (core.prisniveau; uden prisindeks i katalogets eget), og
-- de prisniveauer, kataloget angav dem i (fx '2023/2024'). Tom, når kataloget intet har af
-- typen for indsatsen i året.
-- Navn: planlagte beløb i prisniveauet
CREATE OR REPLACE TABLE core.planlagt_i_prisniveau AS
SELECT o.indsats_id, o.budgetaftale, o.aar,
       sum(o.beloeb * core.prisfaktor(i.regime, o.prisniveau, coalesce(n.aar, o.prisniveau)))
           FILTER (WHERE o.type = 'besparelse') AS besparelse,
       string_agg(DISTINCT CAST(o.prisniveau AS VARCHAR), '/'
           ORDER BY CAST(o.prisniveau AS VARCHAR)) FILTER (WHERE o.type = 'besparelse')
           AS besparelse_katalog,
       sum(o.beloeb * core.prisfaktor(i.regime, o.prisniveau, coalesce(n.aar, o.prisniveau)))
           FILTER (WHERE o.type = 'investering') AS investering,
       string_agg(DISTINCT CAST(o.prisniveau AS VARCHAR), '/'
           ORDER BY CAST(o.prisniveau AS VARCHAR)) FILTER (WHERE o.type = 'investering')
           AS investering_katalog
FROM core.indsats_oekonomi o
JOIN core.indsatser i USING (indsats_id)
CROSS JOIN core.prisniveau n
GROUP BY o.indsats_id, o.budgetaftale, o.aar;
