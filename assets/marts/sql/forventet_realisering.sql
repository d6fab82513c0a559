-- Forventet realisering pr. indsats og budgetaftale: hvad indsatsen ventes at have leveret
-- i alt til og med aftalens sidste år. De opgjorte år tæller med deres realiserede
-- besparelse (et år, der ikke er slut, med forventet regnskab); hvert af aftalens
-- resterende år regnes med samme besparelse som det seneste opgjorte år. Tom, når intet
-- år er opgjort endnu. forventet_af siger, om det seneste opgjorte år bygger på de
-- budgetansvarliges eget forventet regnskab eller det beregnede (tom for et afsluttet år).
-- Navn: forventet realisering
CREATE OR REPLACE TABLE mart.forventet_realisering AS
WITH pr_indsats AS (
    SELECT spor, indsats_id, indsats, budgetaftale,
           CAST(right(budgetaftale, 4) AS INTEGER) AS sidste_aftaleaar,
           sum(budgetteret_besparelse) AS budgetteret_i_alt,
           sum(realiseret_besparelse) AS realiseret_til_dato,
           max(aar) FILTER (WHERE realiseret_besparelse IS NOT NULL) AS senest_opgjort,
           arg_max(realiseret_besparelse, aar) FILTER (WHERE realiseret_besparelse IS NOT NULL)
               AS senest_realiseret,
           arg_max(forventet_af, aar) FILTER (WHERE realiseret_besparelse IS NOT NULL)
               AS forventet_af,
           any_value(prisniveau) AS prisniveau
    FROM mart.besparelser
    GROUP BY spor, indsats_id, indsats, budgetaftale
)
SELECT spor, indsats_id, indsats, budgetaftale, budgetteret_i_alt, realiseret_til_dato,
       senest_opgjort,
       sidste_aftaleaar - senest_opgjort AS resterende_aar,
       realiseret_til_dato + (sidste_aftaleaar - senest_opgjort) * senest_realiseret
           AS forventet_i_alt,
       realiseret_til_dato + (sidste_aftaleaar - senest_opgjort) * senest_realiseret
           - budgetteret_i_alt AS forventet_afvigelse,
       forventet_af, prisniveau
FROM pr_indsats
ORDER BY spor, indsats_id, budgetaftale;
